#include "tools/TimeWindow.h"

#include <time.h>

#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <variant>
#include <vector>

namespace sextant::cli {
namespace {

using std::chrono::nanoseconds;

Failure bad(std::string_view text, std::string_view why) {
  return Failure{Error::Generic, "bad time '" + std::string(text) + "': " + std::string(why)};
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

struct Unit {
  std::string_view name;
  double seconds;
};

// pmParseInterval(3)'s scale names, and "ms" (see the header).
constexpr std::array<Unit, 14> kUnits = {{
    {"ms", 1e-3}, {"msec", 1e-3}, {"millisecond", 1e-3},
    {"s", 1}, {"sec", 1}, {"second", 1},
    {"m", 60}, {"min", 60}, {"minute", 60},
    {"h", 3600}, {"hr", 3600}, {"hour", 3600},
    {"d", 86400}, {"day", 86400},
}};

std::optional<double> unitSeconds(std::string_view word) {
  const std::string w = lower(word);
  for (const auto& u : kUnits)
    if (u.name == w) return u.seconds;
  if (w.size() > 1 && w.back() == 's') {  // a plural: "hours", "secs"
    const std::string_view single(w.data(), w.size() - 1);
    for (const auto& u : kUnits)
      if (u.name == single) return u.seconds;
  }
  return std::nullopt;
}

// Digits with an optional fraction, from `pos`; nothing if there is no digit.
std::optional<double> number(std::string_view s, std::size_t& pos) {
  const std::size_t begin = pos;
  while (pos < s.size() && isDigit(s[pos])) ++pos;
  std::size_t digits = pos - begin;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    const std::size_t fracBegin = pos;
    while (pos < s.size() && isDigit(s[pos])) ++pos;
    digits += pos - fracBegin;
  }
  if (digits == 0) {
    pos = begin;
    return std::nullopt;
  }
  return std::strtod(std::string(s.substr(begin, pos - begin)).c_str(), nullptr);
}

constexpr double kMaxOffsetSeconds = 1e9;  // about 31 years: far beyond any archive

constexpr std::array<std::string_view, 7> kWeekdays = {"sunday", "monday", "tuesday", "wednesday",
                                                       "thursday", "friday", "saturday"};
constexpr std::array<std::string_view, 12> kMonths = {"january", "february", "march",     "april",
                                                      "may",     "june",     "july",      "august",
                                                      "september", "october", "november", "december"};

// The index of `word` among `names`, given as its first three letters or more.
template <std::size_t N>
int nameIndex(std::string_view word, const std::array<std::string_view, N>& names) {
  const std::string w = lower(word);
  if (w.size() < 3) return -1;
  for (std::size_t i = 0; i < N; ++i)
    if (names[i].substr(0, w.size()) == w) return static_cast<int>(i);
  return -1;
}

bool allDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!isDigit(c)) return false;
  return true;
}

// "H[H]:MM[:SS[.frac]]" with an optional attached "am"/"pm" (set in `ampm`: 0 am, 1 pm).
bool parseClock(std::string_view token, TimeSpec& spec, int& ampm) {
  std::size_t pos = 0;
  auto field = [&](int max, int& out) {
    const std::size_t begin = pos;
    while (pos < token.size() && isDigit(token[pos]) && pos - begin < 2) ++pos;
    if (pos == begin) return false;
    out = std::stoi(std::string(token.substr(begin, pos - begin)));
    return out <= max;
  };
  if (!field(23, spec.hour) || pos >= token.size() || token[pos] != ':') return false;
  ++pos;
  if (!field(59, spec.minute)) return false;
  spec.second = -1;
  if (pos < token.size() && token[pos] == ':') {
    ++pos;
    if (!field(60, spec.second)) return false;
    if (pos < token.size() && token[pos] == '.') {
      const std::size_t begin = pos;
      ++pos;
      while (pos < token.size() && isDigit(token[pos])) ++pos;
      const double f = std::strtod(std::string(token.substr(begin, pos - begin)).c_str(), nullptr);
      spec.fraction = nanoseconds(std::llround(f * 1e9));
    }
  }
  const std::string rest = lower(token.substr(pos));
  if (rest == "am" || rest == "pm") {
    ampm = rest == "pm" ? 1 : 0;
    return true;
  }
  return rest.empty();
}

// Applies am/pm to a 12-hour clock time; false if the hour is not one of 1-12.
bool applyAmPm(TimeSpec& spec, int ampm) {
  if (ampm < 0) return true;
  if (spec.hour < 1 || spec.hour > 12) return false;
  if (ampm == 1 && spec.hour < 12) spec.hour += 12;
  if (ampm == 0 && spec.hour == 12) spec.hour = 0;
  return true;
}

// "YYYY-MM-DD[( |T)TIME]".
std::optional<TimeSpec> parseIso(std::string_view s) {
  if (s.size() < 8 || !allDigits(s.substr(0, 4)) || s[4] != '-') return std::nullopt;
  TimeSpec spec;
  spec.kind = TimeSpec::Kind::Calendar;
  std::size_t pos = 5;
  auto twoDigits = [&](int& out) {
    const std::size_t begin = pos;
    while (pos < s.size() && isDigit(s[pos]) && pos - begin < 2) ++pos;
    if (pos == begin) return false;
    out = std::stoi(std::string(s.substr(begin, pos - begin)));
    return true;
  };
  spec.year = std::stoi(std::string(s.substr(0, 4)));
  int month = 0;
  if (!twoDigits(month) || month < 1 || month > 12 || pos >= s.size() || s[pos] != '-') return std::nullopt;
  ++pos;
  spec.month = month - 1;
  if (!twoDigits(spec.day) || spec.day < 1 || spec.day > 31) return std::nullopt;
  if (pos == s.size()) return spec;
  if (s[pos] != ' ' && s[pos] != 'T') return std::nullopt;
  std::string_view clock = trim(s.substr(pos + 1));
  int ampm = -1;
  std::string_view suffix;
  if (const auto space = clock.find(' '); space != std::string_view::npos) {
    suffix = trim(clock.substr(space + 1));
    clock = clock.substr(0, space);
  }
  if (!parseClock(clock, spec, ampm)) return std::nullopt;
  if (!suffix.empty()) {
    const std::string word = lower(suffix);
    if (ampm >= 0 || (word != "am" && word != "pm")) return std::nullopt;
    ampm = word == "pm" ? 1 : 0;
  }
  if (!applyAmPm(spec, ampm)) return std::nullopt;
  return spec;
}

// ctime(3)'s order, each part optional: [weekday] [month [day]] [time [am|pm]] [year].
std::optional<TimeSpec> parseCtime(std::string_view s) {
  std::vector<std::string_view> tokens;
  for (std::size_t pos = 0; pos < s.size();) {
    while (pos < s.size() && std::isspace(static_cast<unsigned char>(s[pos]))) ++pos;
    const std::size_t begin = pos;
    while (pos < s.size() && !std::isspace(static_cast<unsigned char>(s[pos]))) ++pos;
    if (pos > begin) tokens.push_back(s.substr(begin, pos - begin));
  }
  TimeSpec spec;
  spec.kind = TimeSpec::Kind::Calendar;
  std::size_t i = 0;
  int ampm = -1;
  if (i < tokens.size() && nameIndex(tokens[i], kWeekdays) >= 0) ++i;  // read and ignored, as PCP does
  if (i < tokens.size() && nameIndex(tokens[i], kMonths) >= 0) spec.month = nameIndex(tokens[i++], kMonths);
  if (i < tokens.size() && allDigits(tokens[i]) && tokens[i].size() <= 2) {
    spec.day = std::stoi(std::string(tokens[i++]));
    if (spec.day < 1 || spec.day > 31) return std::nullopt;
  }
  if (i < tokens.size() && tokens[i].find(':') != std::string_view::npos) {
    if (!parseClock(tokens[i++], spec, ampm)) return std::nullopt;
    if (ampm < 0 && i < tokens.size() && (lower(tokens[i]) == "am" || lower(tokens[i]) == "pm"))
      ampm = lower(tokens[i++]) == "pm" ? 1 : 0;
    if (!applyAmPm(spec, ampm)) return std::nullopt;
  }
  if (i < tokens.size() && allDigits(tokens[i]) && tokens[i].size() == 4) {
    spec.year = std::stoi(std::string(tokens[i++]));
    if (spec.year < 1900) return std::nullopt;
  }
  if (i != tokens.size()) return std::nullopt;
  if (spec.year < 0 && spec.month < 0 && spec.day < 0 && spec.hour < 0) return std::nullopt;  // nothing, or a weekday alone
  return spec;
}

std::optional<TimeSpec> parseCalendar(std::string_view s) {
  if (auto iso = parseIso(s)) return iso;
  return parseCtime(s);
}

constexpr std::string_view kExpected =
    "expected an interval (30s, +1h), -INTERVAL (back from the end), or a date and time "
    "(2024-03-01 10:00, 10:00:30, @ Mar 4 13:07:47 2024)";

// PCP's pmParseInterval(3) syntax; the reason when it does not parse.
std::variant<nanoseconds, std::string> readOffset(std::string_view s) {
  if (s.empty()) return std::string("empty");
  double seconds = 0;
  std::size_t pos = 0;
  while (pos < s.size()) {
    auto n = number(s, pos);
    if (!n) return std::string(kExpected);
    while (pos < s.size() && s[pos] == ' ') ++pos;
    const std::size_t begin = pos;
    while (pos < s.size() && isAlpha(s[pos])) ++pos;
    double scale = 1;
    if (pos > begin) {
      auto u = unitSeconds(s.substr(begin, pos - begin));
      if (!u) return "unknown unit '" + std::string(s.substr(begin, pos - begin)) + "' (use ms, s, min, h or d)";
      scale = *u;
    }
    seconds += *n * scale;
    while (pos < s.size() && s[pos] == ' ') ++pos;
  }
  if (!(seconds <= kMaxOffsetSeconds)) return std::string("longer than 31 years");
  return nanoseconds(std::llround(seconds * 1e9));
}

Timestamp fromSeconds(std::time_t secs, nanoseconds fraction) {
  return Timestamp(std::chrono::duration_cast<Timestamp::duration>(std::chrono::seconds(secs) + fraction));
}

std::tm localParts(Timestamp t, nanoseconds& below) {
  const auto ns = std::chrono::duration_cast<nanoseconds>(t.time_since_epoch());
  auto secs = std::chrono::floor<std::chrono::seconds>(ns);
  below = ns - secs;
  const std::time_t s = static_cast<std::time_t>(secs.count());
  std::tm tm{};
  localtime_r(&s, &tm);
  return tm;
}

}  // namespace

Expected<nanoseconds> parseOffset(std::string_view text) {
  auto offset = readOffset(trim(text));
  if (auto* why = std::get_if<std::string>(&offset)) return bad(text, *why);
  return std::get<nanoseconds>(offset);
}

Expected<TimeSpec> parseTimeSpec(std::string_view text) {
  std::string_view s = trim(text);
  if (s.empty()) return bad(text, "empty");
  if (s.front() == '@') {
    if (auto spec = parseCalendar(trim(s.substr(1)))) return *spec;
    return bad(text, kExpected);
  }
  if (s.front() == '-') {
    auto offset = readOffset(trim(s.substr(1)));
    if (auto* why = std::get_if<std::string>(&offset)) return bad(text, *why);
    return TimeSpec{TimeSpec::Kind::Before, std::get<nanoseconds>(offset)};
  }
  const bool plus = s.front() == '+';
  if (plus) s = trim(s.substr(1));
  auto offset = readOffset(s);
  if (auto* n = std::get_if<nanoseconds>(&offset)) return TimeSpec{TimeSpec::Kind::After, *n};
  if (!plus)
    if (auto spec = parseCalendar(s)) return *spec;
  // Say what is wrong with what looks like an interval ("5 fortnights"); otherwise
  // list the forms.
  const bool interval = plus || (!s.empty() && isDigit(s.front()) && s.find_first_of(":-") == std::string_view::npos);
  return bad(text, interval ? std::get<std::string>(offset) : std::string(kExpected));
}

Timestamp resolveTime(const TimeSpec& spec, Timestamp origin, Timestamp end) {
  using Kind = TimeSpec::Kind;
  if (spec.kind == Kind::After) return origin + std::chrono::duration_cast<Timestamp::duration>(spec.offset);
  if (spec.kind == Kind::Before) return end - std::chrono::duration_cast<Timestamp::duration>(spec.offset);
  nanoseconds unused{};
  std::tm tm = localParts(origin, unused);
  auto lowerDefaults = [&](int month, int day, int hour, int minute, int second) {
    tm.tm_mon = spec.month >= 0 ? spec.month : month;
    tm.tm_mday = spec.day >= 0 ? spec.day : day;
    tm.tm_hour = spec.hour >= 0 ? spec.hour : hour;
    tm.tm_min = spec.minute >= 0 ? spec.minute : minute;
    tm.tm_sec = spec.second >= 0 ? spec.second : second;
  };
  if (spec.year >= 0) {
    tm.tm_year = spec.year - 1900;
    lowerDefaults(0, 1, 0, 0, 0);
  } else if (spec.month >= 0) {
    if (spec.month < tm.tm_mon) ++tm.tm_year;
    lowerDefaults(0, 1, 0, 0, 0);
  } else if (spec.day >= 0) {
    if (spec.day < tm.tm_mday) ++tm.tm_mon;
    lowerDefaults(tm.tm_mon, 1, 0, 0, 0);
  } else {
    if (spec.hour < tm.tm_hour) ++tm.tm_mday;
    lowerDefaults(tm.tm_mon, tm.tm_mday, 0, 0, 0);
  }
  tm.tm_isdst = -1;  // whatever is in force on that day
  return fromSeconds(mktime(&tm), spec.fraction);
}

Expected<TimeWindow> resolveWindow(const WindowSpecs& specs, Timestamp first, Timestamp last) {
  auto fail = [](std::string why) { return Failure{Error::Generic, std::move(why)}; };
  TimeWindow w;
  w.start = specs.start ? resolveTime(*specs.start, first, last) : first;
  if (w.start > last)
    return fail("the time window starts at " + localTimeText(w.start) + ", after the archive ends (" +
                localTimeText(last) + ")");
  if (w.start < first) w.start = first;
  w.end = specs.finish ? resolveTime(*specs.finish, w.start, last) : last;
  if (w.end < first)
    return fail("the time window ends at " + localTimeText(w.end) + ", before the archive starts (" +
                localTimeText(first) + ")");
  if (w.end > last) w.end = last;
  if (w.end < w.start)
    return fail("the time window ends at " + localTimeText(w.end) + ", before it starts (" + localTimeText(w.start) +
                ")");
  w.origin = specs.origin ? resolveTime(*specs.origin, w.start, w.end) : w.start;
  if (w.origin < w.start || w.origin > w.end)
    return fail("the origin " + localTimeText(w.origin) + " is outside the time window (" + localTimeText(w.start) +
                " to " + localTimeText(w.end) + ")");
  return w;
}

std::string localTimeText(Timestamp t) {
  nanoseconds below{};
  const std::tm tm = localParts(t, below);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%03d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(below.count() / 1'000'000));
  return buf;
}

std::string isoTimeText(Timestamp t) {
  nanoseconds below{};
  const std::tm tm = localParts(t, below);
  const long offset = tm.tm_gmtoff;  // seconds east of UTC
  const long minutes = (offset < 0 ? -offset : offset) / 60;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d%c%02ld:%02ld", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(below.count() / 1'000'000),
                offset < 0 ? '-' : '+', minutes / 60, minutes % 60);
  return buf;
}

}  // namespace sextant::cli
