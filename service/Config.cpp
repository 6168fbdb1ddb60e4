#include "service/Config.h"

#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

#include "tools/Interval.h"

namespace sextant::service {
namespace {

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::optional<long> toNumber(std::string_view s, long lo, long hi) {
  long v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty() || v < lo || v > hi) return std::nullopt;
  return v;
}

Failure bad(std::string what) { return Failure{Error::Generic, std::move(what)}; }

Expected<int> port(std::string_view s, std::string_view who) {
  auto v = toNumber(s, 1, 65535);
  if (!v) return bad(std::string(who) + ": '" + std::string(s) + "' is not a port (1-65535)");
  return static_cast<int>(*v);
}

// A port, or 0 for "off" (the REST and HTTPS front ends).
Expected<int> optionalPort(std::string_view s, std::string_view who) {
  if (s == "0") return 0;
  auto v = toNumber(s, 1, 65535);
  if (!v) return bad(std::string(who) + ": '" + std::string(s) + "' is not a port (1-65535, or 0 for none)");
  return static_cast<int>(*v);
}

// Splits "a, b c" into its words (commas and blanks separate).
std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ',' || s[i] == ' ' || s[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ',' && s[j] != ' ' && s[j] != '\t') ++j;
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// A metric name or subtree as PCP spells them: dot-separated letters, digits, '_'.
bool validMetricName(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.' || s.find("..") != std::string_view::npos) return false;
  for (char ch : s)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '.') return false;
  return true;
}

// The NAME of a "[record NAME]" header ("" for "[record]"), or nothing for another section.
std::optional<std::string_view> recordName(std::string_view section) {
  if (section == "record") return std::string_view();
  if (section.substr(0, 7) != "record " && section.substr(0, 7) != "record\t") return std::nullopt;
  return trim(section.substr(7));
}

std::string recordHeader(const RecordSettings& r) { return r.name.empty() ? "[record]" : "[record " + r.name + "]"; }

// One "key = value" of a [record] section.
std::string applyRecord(RecordSettings& r, std::string_view key, std::string_view value) {
  if (key == "metrics") {
    for (auto w : words(value)) {
      if (!validMetricName(w)) return "'" + std::string(w) + "' is not a metric name";
      r.metrics.emplace_back(w);
    }
    return {};
  }
  if (key == "interval") {
    auto t = cli::parseInterval(value);
    if (!t) return t.failure().detail;
    r.interval = std::chrono::round<std::chrono::milliseconds>(*t);
    if (r.interval.count() < 1) return "bad interval '" + std::string(value) + "': shorter than a millisecond";
    return {};
  }
  if (key == "directory") {
    if (!value.empty() && value.front() != '/') return "'" + std::string(value) + "' is not an absolute directory";
    return r.directory = std::string(value), std::string();
  }
  if (key == "keep_days") {
    auto v = toNumber(value, 0, 36500);
    if (!v) return "'" + std::string(value) + "' is not a number of days (0-36500, 0 keeps every archive)";
    r.keepDays = static_cast<unsigned>(*v);
    return {};
  }
  return "unknown key '" + std::string(key) + "' in " + recordHeader(r);
}

// One "key = value" of one section applied to `c`; an error message, or empty.
std::string apply(Config& c, std::string_view section, std::string_view key, std::string_view value) {
  if (recordName(section)) return applyRecord(c.records.back(), key, value);
  auto seconds = [&](std::chrono::seconds& out) -> std::string {
    auto v = toNumber(value, 1, 86400 * 7);
    if (!v) return "'" + std::string(value) + "' is not a number of seconds (1-604800)";
    out = std::chrono::seconds(*v);
    return {};
  };
  if (section == "server") {
    if (key == "pdu_port") {
      auto p = port(value, key);
      if (!p) return p.failure().detail;
      c.pduPort = *p;
      return {};
    }
    if (key == "rest_port") {
      auto p = optionalPort(value, key);
      if (!p) return p.failure().detail;
      c.restPort = *p;
      return {};
    }
    if (key == "listen") return c.listen = std::string(value), std::string();
    if (key == "socket") {
      c.socketPath = std::string(value);
      c.socketExplicit = c.socketPath != kDefaultSocket;
      return {};
    }
    if (key == "log") return c.logFile = std::string(value), std::string();
    if (key == "mmv_dir") return c.mmvDir = std::string(value), std::string();
    if (key == "max_pdu") {
      auto v = toNumber(value, 1024, 16 * 1024 * 1024);
      if (!v) return "'" + std::string(value) + "' is not a PDU size (1024-16777216 bytes)";
      c.maxPdu = static_cast<std::size_t>(*v);
      return {};
    }
  } else if (section == "limits") {
    if (key == "max_clients") {
      auto v = toNumber(value, 1, 100000);
      if (!v) return "'" + std::string(value) + "' is not a client count (1-100000)";
      c.access.maxClients = static_cast<unsigned>(*v);
      return {};
    }
    if (key == "handshake_timeout") return seconds(c.handshakeTimeout);
    if (key == "idle_timeout") return seconds(c.idleTimeout);
  } else if (section == "rest") {
    auto count = [&](auto& out, long lo, long hi, const char* what) -> std::string {
      auto v = toNumber(value, lo, hi);
      if (!v) return "'" + std::string(value) + "' is not " + what + " (" + std::to_string(lo) + "-" + std::to_string(hi) + ")";
      out = static_cast<std::remove_reference_t<decltype(out)>>(*v);
      return {};
    };
    if (key == "threads") return count(c.rest.threads, 2, 10000, "a thread count");
    if (key == "queue") return count(c.rest.queue, 1, 100000, "a queue length");
    if (key == "max_url") return count(c.rest.maxUrl, 256, 1 << 20, "a URL length in bytes");
    if (key == "max_contexts") return count(c.rest.maxContexts, 1, 1000000, "a context count");
    if (key == "timeout") return seconds(c.rest.timeout);
    if (key == "tls_port") {
      auto p = optionalPort(value, key);
      if (!p) return p.failure().detail;
      c.rest.tlsPort = *p;
      return {};
    }
    if (key == "archive_dirs") {
      c.rest.archiveDirs.clear();
      for (auto w : words(value)) {
        if (w.empty() || w.front() != '/') return "'" + std::string(w) + "' is not an absolute directory";
        c.rest.archiveDirs.emplace_back(w);
      }
      return {};
    }
    if (key == "tls_cert") return c.rest.tlsCert = std::string(value), std::string();
    if (key == "tls_key") return c.rest.tlsKey = std::string(value), std::string();
  } else if (section == "access") {
    if (key == "allow" || key == "deny") {
      auto& list = key == "allow" ? c.access.allow : c.access.deny;
      for (auto w : words(value)) {
        auto r = parseAddressRule(w);
        if (!r) return r.failure().detail;
        list.push_back(*r);
      }
      return {};
    }
    if (key == "proc_values") {
      auto p = parseProcAccess(value);
      if (!p) return p.failure().detail;
      c.access.proc = *p;
      return {};
    }
  } else {
    return "unknown section [" + std::string(section) + "]";
  }
  return "unknown key '" + std::string(key) + "' in [" + std::string(section) + "]";
}

// Opens a new [record NAME] section: "" or the reason it is refused.
std::string openRecord(Config& c, std::string_view name) {
  for (char ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '-' && ch != '.')
      return "bad recorder name '" + std::string(name) + "' (letters, digits, '_', '-', '.')";
  RecordSettings r;
  r.name = std::string(name);
  for (const auto& other : c.records)
    if (other.name == r.name) return recordHeader(r) + " appears twice";
  c.records.push_back(std::move(r));
  return {};
}

// Checks of the record sections once they are complete; `lines` are their header lines.
std::string checkRecords(const Config& c, const std::vector<int>& lines, std::size_t first) {
  for (std::size_t i = first; i < c.records.size(); ++i) {
    const std::string where = "line " + std::to_string(lines[i - first]) + ": ";
    const RecordSettings& r = c.records[i];
    if (r.metrics.empty()) return where + recordHeader(r) + " needs a 'metrics =' line";
    for (std::size_t j = 0; j < i; ++j)
      if (!r.directory.empty() && c.records[j].directory == r.directory)
        return where + recordHeader(r) + " writes to the directory of " + recordHeader(c.records[j]) + " (" +
               r.directory + ")";
  }
  return {};
}

}  // namespace

Expected<Config> parseConfig(std::string_view text, Config base) {
  std::string section;
  const std::size_t firstRecord = base.records.size();
  std::vector<int> recordLines;
  int lineNo = 0;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto nl = text.find('\n', pos);
    std::string_view raw = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++lineNo;
    std::string_view line = trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    const std::string where = "line " + std::to_string(lineNo) + ": ";
    if (line.front() == '[') {
      if (line.back() != ']' || line.size() < 3) return bad(where + "bad section header '" + std::string(line) + "'");
      section = std::string(trim(line.substr(1, line.size() - 2)));
      if (auto name = recordName(section)) {
        if (std::string err = openRecord(base, *name); !err.empty()) return bad(where + err);
        recordLines.push_back(lineNo);
        continue;
      }
      if (section != "server" && section != "limits" && section != "access" && section != "rest")
        return bad(where + "unknown section [" + section + "]");
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) return bad(where + "expected 'key = value', got '" + std::string(line) + "'");
    if (section.empty()) return bad(where + "'" + std::string(line) + "' is outside any [section]");
    const std::string_view key = trim(line.substr(0, eq)), value = trim(line.substr(eq + 1));
    if (std::string err = apply(base, section, key, value); !err.empty()) return bad(where + err);
  }
  if (std::string err = checkRecords(base, recordLines, firstRecord); !err.empty()) return bad(err);
  return base;
}

Expected<Config> loadConfigFile(const std::string& path, Config base) {
  std::ifstream in(path);
  if (!in) return bad(path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  auto c = parseConfig(text.str(), std::move(base));
  if (!c) return bad(path + ", " + c.failure().detail);
  return c;
}

Expected<CommandLine> parseCommandLine(const std::vector<std::string>& args) {
  CommandLine cl;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i], value;
    bool hasValue = false;
    if (auto eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag.resize(eq);
      hasValue = true;
    }
    if (flag == "--foreground" || flag == "-f") {
      cl.foreground = true;
      continue;
    }
    if (flag == "--help" || flag == "-h") {
      cl.help = true;
      continue;
    }
    const bool takesValue = flag == "--config" || flag == "--pdu-port" || flag == "--rest-port" ||
                            flag == "--listen" || flag == "--log" || flag == "--socket" || flag == "--tls-port" ||
                            flag == "--tls-cert" || flag == "--tls-key";
    if (!takesValue) return bad(flag + ": unknown option (see --help)");
    if (!hasValue) {
      if (i + 1 >= args.size()) return bad(flag + ": needs a value");
      value = args[++i];
    }
    if (flag == "--config") cl.configFile = value;
    else if (flag == "--listen") cl.listen = value;
    else if (flag == "--log") cl.logFile = value;
    else if (flag == "--socket") cl.socketPath = value;
    else if (flag == "--tls-cert") cl.tlsCert = value;
    else if (flag == "--tls-key") cl.tlsKey = value;
    else if (flag == "--pdu-port") {
      auto p = port(value, flag);
      if (!p) return p.failure();
      cl.pduPort = *p;
    } else {
      auto p = optionalPort(value, flag);
      if (!p) return p.failure();
      (flag == "--rest-port" ? cl.restPort : cl.tlsPort) = *p;
    }
  }
  return cl;
}

void applyCommandLine(const CommandLine& cl, Config& c) {
  if (cl.pduPort) c.pduPort = *cl.pduPort;
  if (cl.restPort) c.restPort = *cl.restPort;
  if (cl.listen) c.listen = *cl.listen;
  if (cl.tlsPort) c.rest.tlsPort = *cl.tlsPort;
  if (cl.tlsCert) c.rest.tlsCert = *cl.tlsCert;
  if (cl.tlsKey) c.rest.tlsKey = *cl.tlsKey;
  if (cl.logFile) c.logFile = *cl.logFile;
  if (cl.socketPath) {
    c.socketPath = *cl.socketPath;
    c.socketExplicit = c.socketPath != kDefaultSocket;
  }
}

Expected<bool> checkConfig(const Config& c) {
  if (c.rest.tlsPort != 0 && (c.rest.tlsCert.empty() || c.rest.tlsKey.empty()))
    return bad("--tls-port (tls_port) needs --tls-cert and --tls-key (tls_cert, tls_key: PEM files)");
  return true;
}

std::string archiveDirectory(const RecordSettings& record, const std::string& host) {
  if (!record.directory.empty()) return record.directory;
  std::string dir = std::string(kDefaultArchiveDir) + "/" + host;
  return record.name.empty() ? dir : dir + "/" + record.name;
}

std::string usage() {
  return "Usage: sextantd [options]\n"
         "The Sextant collector daemon: serves this host's metrics to PCP's tools (pminfo, pmval,\n"
         "pmlogger, ...) and to sextant over PCP's PDU protocol, and to dashboards (Grafana's PCP\n"
         "data source) and scrapers over pmproxy's REST API and Prometheus' /metrics.\n\n"
         "Options:\n"
         "  --foreground, -f   stay in the foreground (default: detach and run as a daemon)\n"
         "  --config FILE      read settings from FILE (ini; see the sample sextantd.ini)\n"
         "  --pdu-port N       TCP port of the PDU protocol (default 44321, pmcd's)\n"
         "  --rest-port N      TCP port of the REST API, pmproxy's (default 44322; 0: none)\n"
         "  --tls-port N       TCP port of the REST API over HTTPS (default 0: none)\n"
         "  --tls-cert FILE    the HTTPS certificate (PEM)\n"
         "  --tls-key FILE     the HTTPS private key (PEM)\n"
         "  --listen ADDR      listen on this one address only (default: every IPv4 and IPv6 address)\n"
         "  --socket PATH      local Unix socket (default /run/sextant/sextantd.socket; '' for none)\n"
         "  --log FILE         append log lines to FILE (default: standard error)\n"
         "  --help, -h         show this help\n\n"
         "Command-line settings win over the config file. SIGHUP reloads the config file's access\n"
         "rules and limits; port, address and socket changes need a restart. SIGTERM or SIGINT\n"
         "stops the daemon.\n";
}

}  // namespace sextant::service
