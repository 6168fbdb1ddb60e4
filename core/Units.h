#pragma once
// Units of a metric as PCP's pmUnits: a power of each dimension (space, time, count)
// and the scale each is counted in (PCP wire protocol spec, section 3.7).
#include <cstdint>
#include <optional>
#include <string>

namespace sextant {

enum class SpaceScale : std::int8_t { Byte = 0, KByte, MByte, GByte, TByte, PByte, EByte, ZByte, YByte };
enum class TimeScale : std::int8_t { Nanosec = 0, Microsec, Millisec, Sec, Min, Hour };

struct Units {
  std::int8_t dimSpace = 0;
  std::int8_t dimTime = 0;
  std::int8_t dimCount = 0;
  SpaceScale scaleSpace = SpaceScale::Byte;
  TimeScale scaleTime = TimeScale::Nanosec;
  std::int8_t scaleCount = 0;  // power of ten

  static constexpr Units none() { return {}; }
  static constexpr Units space(SpaceScale s) { return {1, 0, 0, s, TimeScale::Nanosec, 0}; }
  static constexpr Units time(TimeScale t) { return {0, 1, 0, SpaceScale::Byte, t, 0}; }
  static constexpr Units count() { return {0, 0, 1, SpaceScale::Byte, TimeScale::Nanosec, 0}; }
  // Divide by time: Kbyte -> Kbyte / sec (what a counter becomes as a rate).
  constexpr Units perTime(TimeScale t) const {
    Units u = *this;
    u.dimTime = static_cast<std::int8_t>(u.dimTime - 1);
    if (u.dimTime != 0) u.scaleTime = t;
    return u;
  }

  // The 32-bit word PCP sends on the wire: nibbles dimSpace, dimTime, dimCount,
  // scaleSpace, scaleTime, scaleCount, then a zero byte.
  std::uint32_t pack() const;
  static Units unpack(std::uint32_t word);

  // As pminfo prints it: "none", "Kbyte", "millisec", "Mbyte / sec", "count x 10^3".
  std::string toString() const;

  bool operator==(const Units&) const = default;
};

// The factor that turns a value in `from` into a value in `to` (e.g. Kbyte -> Mbyte
// is 1/1024), or nothing when the dimensions differ.
std::optional<double> conversionFactor(const Units& from, const Units& to);

}  // namespace sextant
