#include "backends/linux/TextFields.h"

#include <charconv>

namespace sextant::linuxbe {

namespace {
bool isBlank(char c) { return c == ' ' || c == '\t'; }
bool isSpace(char c) { return isBlank(c) || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  for (std::string_view line; nextLine(text, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string_view> splitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  for (auto f = nextField(line); !f.empty(); f = nextField(line)) fields.push_back(f);
  return fields;
}

void NamedNumbers::add(std::string_view name, std::uint64_t value) {
  if (size_ == entries_.size()) entries_.emplace_back();
  auto& [n, v] = entries_[size_++];
  if (n != name) n.assign(name);
  v = value;
}

std::optional<std::uint64_t> NamedNumbers::get(std::string_view name) const {
  for (std::size_t i = 0; i < size_; ++i)
    if (entries_[i].first == name) return entries_[i].second;
  return std::nullopt;
}

std::optional<std::uint64_t> NamedNumbers::get(std::string_view name, std::size_t& hint) const {
  if (hint < size_ && entries_[hint].first == name) return entries_[hint].second;
  for (std::size_t i = 0; i < size_; ++i)
    if (entries_[i].first == name) {
      hint = i;
      return entries_[i].second;
    }
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::optional<double> parseDouble(std::string_view s) {
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace sextant::linuxbe
