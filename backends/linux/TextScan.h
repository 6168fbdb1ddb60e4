#pragma once
// Small checked helpers for the pure parsers of the disk, network, file-system and
// process sources: split a line into fields and turn a field into a number, with
// every conversion checked (a bad field is a failed parse, never a silent zero).
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>
#include <vector>

namespace sextant::linuxbe::text {

inline bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Fields separated by runs of blanks; no empty fields.
inline std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && isSpace(line[i])) ++i;
    std::size_t start = i;
    while (i < line.size() && !isSpace(line[i])) ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

// Lines without their '\n'; a last line without '\n' counts too.
inline std::vector<std::string_view> lines(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    out.push_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

// The whole field as a number in `base`, or nothing.
template <class T>
std::optional<T> number(std::string_view s, int base = 10) {
  T v{};
  if (s.empty()) return std::nullopt;
  if constexpr (std::is_unsigned_v<T>) {
    if (s.front() == '-' || s.front() == '+') return std::nullopt;
  }
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

inline std::optional<std::uint64_t> u64(std::string_view s) { return number<std::uint64_t>(s); }
inline std::optional<std::int64_t> i64(std::string_view s) { return number<std::int64_t>(s); }

}  // namespace sextant::linuxbe::text
