#pragma once
// sextantd's settings: the ini file (service/sextantd.ini documents every key) and the
// command line, which wins over the file. Parsing is pure so that every rule is tested;
// a bad line or flag is a one-line error naming it.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/Expected.h"
#include "service/Access.h"

namespace sextant::service {

inline constexpr int kDefaultPduPort = 44321;   // PCP's pmcd port
inline constexpr int kDefaultRestPort = 44322;  // PCP's pmproxy port
inline constexpr const char* kDefaultSocket = "/run/sextant/sextantd.socket";

// The REST front end ([rest] in sextantd.ini).
struct RestSettings {
  unsigned threads = 512;         // connections served at once (each keep-alive one holds a thread)
  unsigned queue = 256;           // accepted connections waiting for a thread
  std::size_t maxUrl = 8192;      // longer request lines get 414 (pmproxy's limit)
  std::chrono::seconds timeout{30};  // a silent or slow client is dropped after this
  std::size_t maxContexts = 1000;    // web contexts kept; the least recently used goes
  int tlsPort = 0;                // HTTPS port; 0: none
  std::string tlsCert, tlsKey;    // PEM files for HTTPS
  // Directories whose archives /pmapi/context?archivename= may open, besides the
  // recorders' own; any other path is refused, so a web client cannot probe the files.
  std::vector<std::string> archiveDirs;
};

// Where a recorder writes when its section gives no directory: <this>/<host> for
// [record], <this>/<host>/<NAME> for [record NAME] (DESIGN.md: $LOGDIR/archives/<host>).
inline constexpr const char* kDefaultArchiveDir = "/var/log/sextant/archives";

// One recorder ([record] or [record NAME] in sextantd.ini): pmlogger's role in the daemon.
struct RecordSettings {
  std::string name;                  // NAME of [record NAME]; empty for [record]
  std::vector<std::string> metrics;  // metric names or subtrees ("kernel.all", "mem.util.free")
  std::chrono::milliseconds interval{60000};
  std::string directory;  // absolute; empty: kDefaultArchiveDir/<host>[/<NAME>]
  unsigned keepDays = 14;  // older archives go whenever a day's file is opened; 0: keep all
  bool operator==(const RecordSettings&) const = default;
};

struct Config {
  int pduPort = kDefaultPduPort;
  int restPort = kDefaultRestPort;  // 0: no REST front end
  std::string listen;               // one bind address; empty: every IPv4 and IPv6 address
  std::string socketPath = kDefaultSocket;  // empty: no local socket
  bool socketExplicit = false;              // a non-default path: failing to bind it is fatal
  std::string logFile;                      // empty: stderr
  std::string mmvDir;                       // MMV files served; empty: $PCP_TMP_DIR/mmv
  std::size_t maxPdu = 65536;               // largest PDU a client may send (pmcd's limit)
  std::chrono::seconds handshakeTimeout{10};  // from accept until CREDS
  std::chrono::seconds idleTimeout{300};      // between requests after the handshake
  AccessRules access;
  RestSettings rest;
  std::vector<RecordSettings> records;  // in the file's order
};

// The settings of an ini file's text applied over `base`. Failure detail:
// "line 7: unknown key 'prot' in [server]". The text's [record] sections are added
// after those of `base`.
Expected<Config> parseConfig(std::string_view text, Config base = {});
Expected<Config> loadConfigFile(const std::string& path, Config base = {});

struct CommandLine {
  bool foreground = false;
  bool help = false;
  std::string configFile;  // empty: none
  // Settings given on the command line, applied over the config file's.
  std::optional<int> pduPort, restPort, tlsPort;
  std::optional<std::string> listen, socketPath, logFile, tlsCert, tlsKey;
};
// argv without the program name. Failure detail names the flag: "--pdu-port: 'x' is not a port".
Expected<CommandLine> parseCommandLine(const std::vector<std::string>& args);
void applyCommandLine(const CommandLine& cl, Config& config);
// Settings that only make sense together, checked once file and flags are merged:
// "--tls-port needs --tls-cert and --tls-key (PEM files)".
Expected<bool> checkConfig(const Config& config);

// The directory a recorder writes to on host `host`.
std::string archiveDirectory(const RecordSettings& record, const std::string& host);

std::string usage();

}  // namespace sextant::service
