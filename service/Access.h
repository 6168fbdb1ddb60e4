#pragma once
// Who may connect and what they may see, as pmcd's [access] section: host allow and
// deny lists (exact addresses or CIDR blocks), a connection limit, and the rule for
// per-process values (proc.*, domain 3: command lines, users, memory of every process).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/Expected.h"

namespace sextant::service {

// One address or block: "192.168.1.7", "10.0.0.0/8", "::1", "fd00::/8", or "*" (all).
struct AddressRule {
  std::array<std::uint8_t, 16> bytes{};  // IPv4 as an IPv4-mapped IPv6 address
  int prefix = 128;                      // bits that must match (IPv4 /n is stored as 96 + n)
  std::string text;                      // as written, for messages
};
Expected<AddressRule> parseAddressRule(std::string_view text);
// `address` is a numeric IPv4 or IPv6 address ("127.0.0.1", "::ffff:127.0.0.1", "::1").
bool ruleMatches(const AddressRule& rule, std::string_view address);
bool isLoopback(std::string_view address);

// Who gets values of domain 3 (proc.*).
enum class ProcAccess {
  Local,  // clients on this machine: the Unix socket and loopback TCP (the default)
  All,    // every client that may connect
  None,   // nobody
};
Expected<ProcAccess> parseProcAccess(std::string_view text);

struct AccessRules {
  std::vector<AddressRule> allow;  // empty: every host not denied
  std::vector<AddressRule> deny;   // checked first
  unsigned maxClients = 64;        // connections at once, all hosts together
  ProcAccess proc = ProcAccess::Local;

  // 0 when a TCP client from `address` may connect, else Error::Permission. Clients of
  // the Unix socket are not subject to host lists: the socket's file permissions
  // decide who reaches it.
  int admit(std::string_view address) const;
  bool procAllowed(bool local) const { return proc == ProcAccess::All || (proc == ProcAccess::Local && local); }
};

}  // namespace sextant::service
