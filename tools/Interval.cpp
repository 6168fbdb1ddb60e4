#include "tools/Interval.h"

#include <array>
#include <charconv>
#include <cmath>
#include <string>
#include <utility>

namespace sextant::cli {
namespace {

struct UnitName {
  std::string_view name;
  double seconds;
};

constexpr std::array<UnitName, 20> kUnits = {{
    {"ms", 1e-3},     {"msec", 1e-3},     {"msecs", 1e-3},  {"millisec", 1e-3}, {"millisecs", 1e-3},
    {"millisecond", 1e-3}, {"milliseconds", 1e-3},
    {"s", 1.0},       {"sec", 1.0},       {"secs", 1.0},    {"second", 1.0},   {"seconds", 1.0},
    {"m", 60.0},      {"min", 60.0},      {"mins", 60.0},   {"minute", 60.0},  {"minutes", 60.0},
    {"h", 3600.0},    {"hour", 3600.0},   {"hours", 3600.0},
}};

constexpr double kMaxSeconds = 86400.0;

Failure bad(std::string_view text, std::string_view why) {
  return Failure{Error::Generic, "bad interval '" + std::string(text) + "': " + std::string(why)};
}

}  // namespace

Expected<std::chrono::microseconds> parseInterval(std::string_view text) {
  if (text.empty()) return bad(text, "empty");
  double number = 0;
  // from_chars takes neither a leading '+' nor spaces; it does take "inf" and "nan",
  // which the finiteness check below turns away.
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number, std::chars_format::fixed);
  if (ec != std::errc() || end == text.data()) return bad(text, "expected a number of seconds, e.g. 1, 0.5, 500ms");
  std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  if (!unit.empty() && unit.front() == ' ') {
    unit.remove_prefix(1);
    if (unit.empty()) return bad(text, "trailing space");
  }
  double scale = 1.0;
  if (!unit.empty()) {
    bool found = false;
    for (const auto& u : kUnits) {
      if (u.name == unit) {
        scale = u.seconds;
        found = true;
        break;
      }
    }
    if (!found) return bad(text, "unknown unit '" + std::string(unit) + "' (use ms, s, min or h)");
  }
  if (!std::isfinite(number)) return bad(text, "not a finite number");
  double seconds = number * scale;
  if (!(seconds > 0)) return bad(text, "must be greater than zero");
  if (seconds > kMaxSeconds) return bad(text, "longer than a day");
  auto micros = std::llround(seconds * 1e6);
  if (micros < 1) return bad(text, "shorter than a microsecond");
  return std::chrono::microseconds(micros);
}

Expected<long> parseCount(std::string_view text) {
  long n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size())
    return Failure{Error::Generic, "bad sample count '" + std::string(text) + "': expected a whole number"};
  if (n <= 0) return Failure{Error::Generic, "bad sample count '" + std::string(text) + "': must be at least 1"};
  return n;
}

}  // namespace sextant::cli
