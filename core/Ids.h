#pragma once
// Metric and instance-domain identifiers with PCP's bit layouts
// (PCP wire protocol spec, sections 3.1 and 3.2).
#include <compare>
#include <cstdint>
#include <string>

namespace sextant {

inline constexpr std::uint32_t kNullId = 0xFFFFFFFFu;  // PM_ID_NULL and PM_INDOM_NULL
inline constexpr std::int32_t kNullInstance = -1;      // PM_IN_NULL: the one value of a singular metric

// A metric identifier: 9-bit domain (the agent), 12-bit cluster, 10-bit item.
class Pmid {
 public:
  constexpr Pmid() = default;
  constexpr explicit Pmid(std::uint32_t raw) : raw_(raw) {}
  static constexpr Pmid make(unsigned domain, unsigned cluster, unsigned item) {
    return Pmid(((domain & 0x1FFu) << 22) | ((cluster & 0xFFFu) << 10) | (item & 0x3FFu));
  }
  constexpr unsigned domain() const { return (raw_ >> 22) & 0x1FFu; }
  constexpr unsigned cluster() const { return (raw_ >> 10) & 0xFFFu; }
  constexpr unsigned item() const { return raw_ & 0x3FFu; }
  constexpr std::uint32_t raw() const { return raw_; }
  constexpr bool isNull() const { return raw_ == kNullId; }
  std::string toString() const;  // "60.2.0", or "PM_ID_NULL"
  constexpr auto operator<=>(const Pmid&) const = default;

 private:
  std::uint32_t raw_ = kNullId;
};

// An instance-domain identifier: 9-bit domain, 22-bit serial.
class InDom {
 public:
  constexpr InDom() = default;
  constexpr explicit InDom(std::uint32_t raw) : raw_(raw) {}
  static constexpr InDom make(unsigned domain, unsigned serial) {
    return InDom(((domain & 0x1FFu) << 22) | (serial & 0x3FFFFFu));
  }
  constexpr unsigned domain() const { return (raw_ >> 22) & 0x1FFu; }
  constexpr unsigned serial() const { return raw_ & 0x3FFFFFu; }
  constexpr std::uint32_t raw() const { return raw_; }
  constexpr bool isNull() const { return raw_ == kNullId; }
  std::string toString() const;  // "60.2", or "PM_INDOM_NULL"
  constexpr auto operator<=>(const InDom&) const = default;

 private:
  std::uint32_t raw_ = kNullId;
};

}  // namespace sextant
