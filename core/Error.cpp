#include "core/Error.h"

#include <cstring>

namespace sextant {

std::string_view errorMessage(Error e) {
  switch (e) {
    case Error::Generic: return "Generic error, already reported above";
    case Error::Text: return "One-line or help text is not available";
    case Error::AppVersion: return "Metric not supported on this platform";
    case Error::Value: return "Missing metric value(s)";
    case Error::Timeout: return "Timeout waiting for a response";
    case Error::Name: return "Unknown metric name";
    case Error::Pmid: return "Unknown or illegal metric identifier";
    case Error::InDom: return "Unknown or illegal instance domain identifier";
    case Error::Inst: return "Unknown or illegal instance identifier";
    case Error::Unit: return "Illegal pmUnits specification";
    case Error::Conv: return "Impossible value or scale conversion";
    case Error::Ipc: return "IPC protocol failure";
    case Error::Eof: return "IPC channel closed";
    case Error::NoProfile: return "Missing profile - protocol botch";
    case Error::NoAgent: return "No agent for this metric's domain";
    case Error::Permission: return "No permission to perform requested operation";
    case Error::ConnLimit: return "Connection limit for this host exceeded";
    case Error::Again: return "Try again. Information not currently available";
    case Error::NonLeaf: return "Metric name is not a leaf in the name space";
    case Error::Type: return "Unknown or illegal metric type";
    case Error::TooBig: return "Result size exceeded";
    case Error::EmptyLog: return "Empty archive log file";
    case Error::EndOfLog: return "End of PCP archive log";
    case Error::LogLabel: return "Illegal label record at start of a PCP archive log file";
    case Error::LogRecord: return "Corrupted record in a PCP archive log";
    case Error::NotArchive: return "Operation requires context with archive source of metrics";
  }
  return "Unknown error";
}

std::string errorMessage(int code) {
  if (code < 0 && code > -1000) return std::strerror(-code);
  std::string_view m = errorMessage(static_cast<Error>(code));
  if (m == "Unknown error") return "Unknown error code " + std::to_string(code);
  return std::string(m);
}

std::string Failure::message() const {
  std::string m(errorMessage(code));
  return detail.empty() ? m : detail + ": " + m;
}

}  // namespace sextant
