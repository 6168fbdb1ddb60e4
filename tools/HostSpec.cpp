#include "tools/HostSpec.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace sextant::cli {
namespace {

std::optional<std::uint16_t> parsePort(std::string_view s) {
  unsigned value = 0;
  if (s.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || value == 0 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

Failure bad(std::string_view text, std::string_view why) {
  return Failure{Error::Generic, "bad host specification '" + std::string(text) + "': " + std::string(why)};
}

}  // namespace

std::string HostSpec::toString() const {
  bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

Expected<HostSpec> parseHostSpec(std::string_view text, std::uint16_t defaultPort) {
  HostSpec spec;
  spec.port = defaultPort;
  std::string_view host = text;
  std::optional<std::string_view> port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) return bad(text, "missing ']'");
    host = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad(text, "expected ':PORT' after ']'");
      port = rest.substr(1);
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    auto colon = text.find(':');
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  // Two or more colons without brackets: a bare IPv6 literal, no port.
  if (host.empty()) return bad(text, "no host name");
  if (host.find_first_of(" \t\n/") != std::string_view::npos) return bad(text, "not a host name or address");
  if (port) {
    auto p = parsePort(*port);
    if (!p) return bad(text, "port must be a number from 1 to 65535");
    spec.port = *p;
  }
  spec.host = std::string(host);
  return spec;
}

std::uint16_t defaultPmcdPort(std::optional<std::string_view> env) {
  if (!env) return kDefaultPmcdPort;
  std::string_view first = env->substr(0, env->find(','));
  return parsePort(first).value_or(kDefaultPmcdPort);
}

std::optional<std::chrono::milliseconds> parseTimeoutSeconds(std::optional<std::string_view> env) {
  if (!env || env->empty()) return std::nullopt;
  std::string text(*env);
  char* end = nullptr;
  double seconds = std::strtod(text.c_str(), &end);
  // A day is far beyond any sensible timeout and keeps the conversion in range.
  if (end != text.c_str() + text.size() || !std::isfinite(seconds) || seconds <= 0 || seconds > 86400)
    return std::nullopt;
  return std::chrono::milliseconds(std::max<long long>(1, std::llround(seconds * 1000)));
}

}  // namespace sextant::cli
