#pragma once
// Small, checked helpers for the text formats of procfs: lines, whitespace-separated
// fields and numbers. Every number parse reports failure instead of guessing.
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sextant::linuxbe {

// The lines of `text` without their '\n' (a final line without one is kept; a final
// empty line is not).
std::vector<std::string_view> splitLines(std::string_view text);

// The fields of `line` separated by runs of spaces and tabs.
std::vector<std::string_view> splitFields(std::string_view line);

// The same two splits one piece at a time, for the files read on every fetch: the next
// line of `text` (false when none is left), the next field of `line` (empty when none
// is left). Each takes its piece off the front of the view it is given.
// Inline: the Linux agent calls them a few hundred times a fetch.
inline bool nextLine(std::string_view& text, std::string_view& line) {
  if (text.empty()) return false;
  auto nl = text.find('\n');
  line = text.substr(0, nl);
  text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  return true;
}

inline std::string_view nextField(std::string_view& line) {
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  const char* p = line.data();
  const char* end = p + line.size();
  while (p != end && blank(*p)) ++p;
  const char* start = p;
  while (p != end && !blank(*p)) ++p;
  line = std::string_view(p, static_cast<std::size_t>(end - p));
  return std::string_view(start, static_cast<std::size_t>(p - start));
}

// Numbers by name in the order a file prints them ("MemFree", "pgfault"). Filled anew on
// every reading: while the file prints the same names (every reading of a procfs file
// but the first), refilling allocates nothing.
class NamedNumbers {
 public:
  void clear() { size_ = 0; }
  void add(std::string_view name, std::uint64_t value);
  std::optional<std::uint64_t> get(std::string_view name) const;
  // The same, looking first where `hint` says the name was last time and keeping where
  // it is now: one comparison per lookup while the file keeps its order.
  std::optional<std::uint64_t> get(std::string_view name, std::size_t& hint) const;
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  std::vector<std::pair<std::string, std::uint64_t>> entries_;  // the first size_ are this reading's
  std::size_t size_ = 0;
};

// `s` without leading and trailing white space (sysfs values end in '\n').
std::string_view trim(std::string_view s);

// The whole of `s` as a number, or nothing (empty, sign where none is allowed,
// trailing garbage, overflow).
// The whole of `s` as an integer of type T in `base`, or nothing.
template <class T>
std::optional<T> parseNumber(std::string_view s, int base = 10) {
  if (s.empty()) return std::nullopt;
  T v{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

inline std::optional<std::uint64_t> parseU64(std::string_view s) { return parseNumber<std::uint64_t>(s); }
inline std::optional<std::int64_t> parseI64(std::string_view s) { return parseNumber<std::int64_t>(s); }
std::optional<double> parseDouble(std::string_view s);

}  // namespace sextant::linuxbe
