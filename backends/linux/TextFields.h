#pragma once
// Small, checked helpers for the text formats of procfs: lines, whitespace-separated
// fields and numbers. Every number parse reports failure instead of guessing.
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace sextant::linuxbe {

// The lines of `text` without their '\n' (a final line without one is kept; a final
// empty line is not).
std::vector<std::string_view> splitLines(std::string_view text);

// The fields of `line` separated by runs of spaces and tabs.
std::vector<std::string_view> splitFields(std::string_view line);

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

std::optional<std::uint64_t> parseU64(std::string_view s);
std::optional<std::int64_t> parseI64(std::string_view s);
std::optional<double> parseDouble(std::string_view s);

}  // namespace sextant::linuxbe
