#include "service/web/WebJson.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace sextant::web {
namespace {

// Length of the UTF-8 sequence starting at s[i], or 0 if it is not well formed.
std::size_t utf8Length(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  return n;
}

void hexEscape(std::string& out, unsigned c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04X", c);
  out += buf;
}

}  // namespace

void appendEscaped(std::string& out, std::string_view s) {
  auto plain = [](unsigned char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (plain(c)) {  // a run of printable ASCII, appended at once
      std::size_t end = i + 1;
      while (end < s.size() && plain(static_cast<unsigned char>(s[end]))) ++end;
      out.append(s.substr(i, end - i));
      i = end - 1;
    } else if (c < 0x80) {
      hexEscape(out, c);
    } else if (const std::size_t n = utf8Length(s, i); n > 0) {
      out.append(s.substr(i, n));
      i += n - 1;
    } else {
      out += "\\uFFFD";
    }
  }
}

Json& Json::beginObject() {
  w_.beginObject();
  return *this;
}

Json& Json::endObject() {
  w_.endObject();
  return *this;
}

Json& Json::beginArray() {
  w_.beginArray();
  return *this;
}

Json& Json::endArray() {
  w_.endArray();
  return *this;
}

namespace {

void appendQuoted(std::string& out, std::string_view s) {
  out += '"';
  appendEscaped(out, s);
  out += '"';
}

template <class N>
void appendInteger(std::string& out, N n) {
  char buf[24];
  auto end = std::to_chars(buf, buf + sizeof buf, n).ptr;
  out.append(buf, end);
}

}  // namespace

Json& Json::key(std::string_view k) {
  appendQuoted(w_.element(), k);
  w_.endKey();
  return *this;
}

Json& Json::string(std::string_view s) {
  appendQuoted(w_.element(), s);
  return *this;
}

Json& Json::integer(std::int64_t n) {
  appendInteger(w_.element(), n);
  return *this;
}

Json& Json::unsignedInteger(std::uint64_t n) {
  appendInteger(w_.element(), n);
  return *this;
}

// printf's "%.<digits>g" (std::to_chars promises the same text, without the locale).
Json& Json::formatted(double d, int digits) {
  char buf[32];
  auto end = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::general, digits).ptr;
  w_.element().append(buf, end);
  return *this;
}

Json& Json::floating(float f) {
  if (!std::isfinite(f)) return null();
  return formatted(static_cast<double>(f), 8);
}

Json& Json::floating(double d) {
  if (!std::isfinite(d)) return null();
  return formatted(d, 16);
}

Json& Json::boolean(bool b) { return raw(b ? "true" : "false"); }
Json& Json::null() { return raw("null"); }

Json& Json::raw(std::string_view json) {
  w_.raw(json);
  return *this;
}

Json& Json::value(const Value& v) {
  return std::visit(
      [&](const auto& x) -> Json& {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>) return string(x);
        else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) return floating(x);
        else if constexpr (std::is_signed_v<T>) return integer(x);
        else return unsignedInteger(x);
      },
      v);
}

}  // namespace sextant::web
