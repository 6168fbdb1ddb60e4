#include "service/Access.h"

#include <arpa/inet.h>

#include <charconv>

namespace sextant::service {
namespace {

// The address as 16 bytes, IPv4 mapped into IPv6 (RFC 4291 2.5.5.2) so that one
// comparison covers both families and "::ffff:127.0.0.1" from a dual-stack socket
// matches a rule written "127.0.0.1".
bool toBytes(std::string_view text, std::array<std::uint8_t, 16>& out, bool& v4) {
  std::string s(text);
  in_addr a4{};
  if (::inet_pton(AF_INET, s.c_str(), &a4) == 1) {
    out = {};
    out[10] = out[11] = 0xff;
    const auto* p = reinterpret_cast<const std::uint8_t*>(&a4.s_addr);
    for (int i = 0; i < 4; ++i) out[static_cast<std::size_t>(12 + i)] = p[i];
    v4 = true;
    return true;
  }
  in6_addr a6{};
  if (::inet_pton(AF_INET6, s.c_str(), &a6) == 1) {
    for (std::size_t i = 0; i < 16; ++i) out[i] = a6.s6_addr[i];
    v4 = false;
    return true;
  }
  return false;
}

}  // namespace

Expected<AddressRule> parseAddressRule(std::string_view text) {
  AddressRule r;
  r.text = std::string(text);
  if (text == "*") {
    r.prefix = 0;
    return r;
  }
  std::string_view addr = text;
  int prefix = -1;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    addr = text.substr(0, slash);
    std::string_view bits = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
    if (ec != std::errc() || end != bits.data() + bits.size() || bits.empty())
      return Failure{Error::Generic, "bad prefix length in '" + r.text + "'"};
  }
  bool v4 = false;
  if (!toBytes(addr, r.bytes, v4)) return Failure{Error::Generic, "'" + r.text + "' is not an IPv4 or IPv6 address"};
  const int maxBits = v4 ? 32 : 128;
  if (prefix < 0) prefix = maxBits;
  if (prefix > maxBits) return Failure{Error::Generic, "prefix length too long in '" + r.text + "'"};
  r.prefix = v4 ? 96 + prefix : prefix;
  return r;
}

bool ruleMatches(const AddressRule& rule, std::string_view address) {
  std::array<std::uint8_t, 16> b{};
  bool v4 = false;
  if (!toBytes(address, b, v4)) return false;
  int bits = rule.prefix;
  for (std::size_t i = 0; i < 16 && bits > 0; ++i, bits -= 8) {
    const unsigned mask = bits >= 8 ? 0xffu : (0xffu << (8 - bits)) & 0xffu;
    if ((b[i] & mask) != (rule.bytes[i] & mask)) return false;
  }
  return true;
}

bool isLoopback(std::string_view address) {
  static const AddressRule v4 = *parseAddressRule("127.0.0.0/8");
  static const AddressRule v6 = *parseAddressRule("::1");
  return ruleMatches(v4, address) || ruleMatches(v6, address);
}

Expected<ProcAccess> parseProcAccess(std::string_view text) {
  if (text == "local") return ProcAccess::Local;
  if (text == "all") return ProcAccess::All;
  if (text == "none") return ProcAccess::None;
  return Failure{Error::Generic, "'" + std::string(text) + "' is not one of local, all, none"};
}

int AccessRules::admit(std::string_view address) const {
  for (const auto& r : deny)
    if (ruleMatches(r, address)) return static_cast<int>(Error::Permission);
  if (allow.empty()) return 0;
  for (const auto& r : allow)
    if (ruleMatches(r, address)) return 0;
  return static_cast<int>(Error::Permission);
}

}  // namespace sextant::service
