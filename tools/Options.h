#pragma once
// A small command-line option parser: short options ("-d", clustered "-dft", with a
// value "-t 1" or "-t1"), long options ("--json", "--interval 1", "--interval=1"),
// "--" ends the options, and everything else is a positional argument.
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/Expected.h"

namespace sextant::cli {

struct OptionSpec {
  char shortName = 0;     // 0: long form only
  std::string longName;   // "" : short form only; otherwise the key results are stored under
  bool takesValue = false;
  std::string valueName;  // for help: "INTERVAL"
  std::string help;       // one line
  // The key a parsed option is stored under: the long name, else the short letter.
  std::string key() const { return longName.empty() ? std::string(1, shortName) : longName; }
};

struct ParsedOptions {
  std::map<std::string, std::vector<std::string>> values;  // key -> each value given (flags: "")
  std::vector<std::string> positional;

  bool has(std::string_view key) const { return values.count(std::string(key)) != 0; }
  // The last value given for `key`, or nothing.
  std::optional<std::string> value(std::string_view key) const;
};

// Parses `args` (without the program or command name). A failure's detail is a one-line
// message such as "unknown option '-x'" or "option '-t' needs a value".
Expected<ParsedOptions> parseOptions(std::span<const std::string> args, std::span<const OptionSpec> specs);

// The option table as help text, one option per line, aligned:
//   "  -t, --interval=INTERVAL  time between samples"
std::string optionsHelp(std::span<const OptionSpec> specs);

}  // namespace sextant::cli
