#include "tools/Options.h"

#include <algorithm>

namespace sextant::cli {
namespace {

const OptionSpec* findShort(std::span<const OptionSpec> specs, char c) {
  for (const auto& s : specs)
    if (s.shortName != 0 && s.shortName == c) return &s;
  return nullptr;
}

const OptionSpec* findLong(std::span<const OptionSpec> specs, std::string_view name) {
  for (const auto& s : specs)
    if (!s.longName.empty() && s.longName == name) return &s;
  return nullptr;
}

Failure usage(std::string detail) { return Failure{Error::Generic, std::move(detail)}; }

}  // namespace

std::optional<std::string> ParsedOptions::value(std::string_view key) const {
  auto it = values.find(std::string(key));
  if (it == values.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

Expected<ParsedOptions> parseOptions(std::span<const std::string> args, std::span<const OptionSpec> specs) {
  ParsedOptions out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      out.positional.insert(out.positional.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      break;
    }
    if (arg.size() > 2 && arg.starts_with("--")) {
      std::string_view body = std::string_view(arg).substr(2);
      std::optional<std::string> inlineValue;
      if (auto eq = body.find('='); eq != std::string_view::npos) {
        inlineValue = std::string(body.substr(eq + 1));
        body = body.substr(0, eq);
      }
      const OptionSpec* spec = findLong(specs, body);
      if (!spec) return usage("unknown option '--" + std::string(body) + "'");
      if (!spec->takesValue) {
        if (inlineValue) return usage("option '--" + spec->longName + "' takes no value");
        out.values[spec->key()].emplace_back();
        continue;
      }
      if (!inlineValue) {
        if (i + 1 >= args.size()) return usage("option '--" + spec->longName + "' needs a value");
        inlineValue = args[++i];
      }
      out.values[spec->key()].push_back(*inlineValue);
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-') {
      // A cluster of short options; one that takes a value takes the rest of the
      // argument, or the next argument when it is last.
      for (std::size_t k = 1; k < arg.size(); ++k) {
        const OptionSpec* spec = findShort(specs, arg[k]);
        if (!spec) return usage("unknown option '-" + std::string(1, arg[k]) + "'");
        if (!spec->takesValue) {
          out.values[spec->key()].emplace_back();
          continue;
        }
        std::string v;
        if (k + 1 < arg.size()) {
          v = arg.substr(k + 1);
        } else if (i + 1 < args.size()) {
          v = args[++i];
        } else {
          return usage("option '-" + std::string(1, arg[k]) + "' needs a value");
        }
        out.values[spec->key()].push_back(std::move(v));
        break;
      }
      continue;
    }
    out.positional.push_back(arg);  // includes a lone "-"
  }
  return out;
}

std::string optionsHelp(std::span<const OptionSpec> specs) {
  std::vector<std::string> lefts;
  std::size_t width = 0;
  for (const auto& s : specs) {
    std::string left = "  ";
    left += s.shortName ? std::string("-") + s.shortName : std::string("  ");
    if (!s.longName.empty()) left += (s.shortName ? ", --" : "  --") + s.longName;
    if (s.takesValue) left += (s.longName.empty() ? " " : "=") + s.valueName;
    width = std::max(width, left.size());
    lefts.push_back(std::move(left));
  }
  std::string out;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    out += lefts[i];
    out.append(width + 2 - lefts[i].size(), ' ');
    out += specs[i].help;
    out += '\n';
  }
  return out;
}

}  // namespace sextant::cli
