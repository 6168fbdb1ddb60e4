#pragma once
// Where a host context connects: PCP's "HOST[:PORT]" host specification, as pminfo's
// -h takes it. HOST is a name, an IPv4 literal, or an IPv6 literal (bare when no port
// is given, in brackets when one is: "[::1]:44321").
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/Expected.h"

namespace sextant::cli {

inline constexpr std::uint16_t kDefaultPmcdPort = 44321;

struct HostSpec {
  std::string host;
  std::uint16_t port = kDefaultPmcdPort;
  // "host:port" as a person would write it back ("[::1]:44321" for IPv6).
  std::string toString() const;
};

// Parses `text`; a missing port is `defaultPort`. A failure's detail is a one-line
// message ("bad host specification 'h:x': port must be a number from 1 to 65535").
Expected<HostSpec> parseHostSpec(std::string_view text, std::uint16_t defaultPort = kDefaultPmcdPort);

// The default port as PCP's clients choose it: the first entry of $PMCD_PORT (a
// comma-separated list of ports) when it is a valid port, else 44321. `env` is the
// variable's value, or nothing when unset.
std::uint16_t defaultPmcdPort(std::optional<std::string_view> env);

// A timeout from $PMCD_CONNECT_TIMEOUT or $PMCD_REQUEST_TIMEOUT (seconds, fractions
// allowed, as PCP reads them): nothing when unset or not a positive number of seconds.
std::optional<std::chrono::milliseconds> parseTimeoutSeconds(std::optional<std::string_view> env);

}  // namespace sextant::cli
