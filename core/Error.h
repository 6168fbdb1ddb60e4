#pragma once
// Error values modelled on PCP's error codes (PCP wire protocol spec, section 3.11):
// the same numbers, so that a front end can put them on the wire unchanged.
#include <string>
#include <string_view>

namespace sextant {

enum class Error : int {
  Generic = -12345,
  Text = -12349,        // no help text
  AppVersion = -12350,  // metric not supported on this platform
  Value = -12351,       // no value available
  Timeout = -12353,
  Name = -12357,        // unknown metric name
  Pmid = -12358,        // unknown metric identifier
  InDom = -12359,       // unknown instance domain
  Inst = -12360,        // unknown instance
  Unit = -12361,
  Conv = -12362,
  Ipc = -12366,
  Eof = -12368,
  NoProfile = -12381,  // FETCH for a context that sent no PROFILE
  NoAgent = -12386,  // no agent for the domain
  Permission = -12387,
  ConnLimit = -12388,  // connection limit reached
  Again = -12389,  // transient, try again
  NonLeaf = -12394,
  Type = -12397,
  TooBig = -12444,
  // Archives (PCP's PM_ERR_* codes of the same meaning).
  EmptyLog = -12354,    // an archive without samples
  EndOfLog = -12370,    // a fetch past the last sample
  LogLabel = -12372,    // not an archive, or of an unknown format version
  LogRecord = -12373,   // a corrupted record in an archive
  NotArchive = -12374,  // an archive-only operation on another context
};

// A one-line English description, e.g. "Unknown metric name".
std::string_view errorMessage(Error e);
// Same for a raw code from the wire (PCP code or negative errno).
std::string errorMessage(int code);

// An error with the detail a person needs ("kernel.all.lod: Unknown metric name").
struct Failure {
  Error code = Error::Generic;
  std::string detail;
  std::string message() const;  // "detail: Unknown metric name", or the bare message
};

}  // namespace sextant
