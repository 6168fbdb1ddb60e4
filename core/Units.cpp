#include "core/Units.h"

#include <array>
#include <cmath>

namespace sextant {
namespace {

std::uint32_t nibble(int v) { return static_cast<std::uint32_t>(v) & 0xFu; }

// Sign-extend a 4-bit two's complement field.
std::int8_t signedNibble(std::uint32_t v) {
  v &= 0xFu;
  return static_cast<std::int8_t>(v >= 8 ? static_cast<int>(v) - 16 : static_cast<int>(v));
}

constexpr std::array<const char*, 9> kSpaceNames = {"byte",  "Kbyte", "Mbyte", "Gbyte", "Tbyte",
                                                    "Pbyte", "Ebyte", "Zbyte", "Ybyte"};
constexpr std::array<const char*, 6> kTimeNames = {"nanosec", "microsec", "millisec", "sec", "min", "hour"};

std::string spaceName(SpaceScale s) {
  auto i = static_cast<std::size_t>(s);
  return i < kSpaceNames.size() ? kSpaceNames[i] : "unknown-space-scale";
}
std::string timeName(TimeScale t) {
  auto i = static_cast<std::size_t>(t);
  return i < kTimeNames.size() ? kTimeNames[i] : "unknown-time-scale";
}

// One dimension's term, e.g. "Kbyte", "sec^2", "count x 10^3".
std::string term(const std::string& name, int power) {
  std::string s = name;
  if (power > 1 || power < -1) {
    s += '^';
    s += std::to_string(power < 0 ? -power : power);
  }
  return s;
}

double spaceBytes(SpaceScale s) { return std::ldexp(1.0, 10 * static_cast<int>(s)); }
double timeNanos(TimeScale t) {
  constexpr std::array<double, 6> kNs = {1.0, 1e3, 1e6, 1e9, 60e9, 3600e9};
  auto i = static_cast<std::size_t>(t);
  return i < kNs.size() ? kNs[i] : 1.0;
}

}  // namespace

std::uint32_t Units::pack() const {
  return nibble(dimSpace) << 28 | nibble(dimTime) << 24 | nibble(dimCount) << 20 |
         nibble(static_cast<int>(scaleSpace)) << 16 | nibble(static_cast<int>(scaleTime)) << 12 |
         nibble(scaleCount) << 8;
}

Units Units::unpack(std::uint32_t w) {
  Units u;
  u.dimSpace = signedNibble(w >> 28);
  u.dimTime = signedNibble(w >> 24);
  u.dimCount = signedNibble(w >> 20);
  u.scaleSpace = static_cast<SpaceScale>((w >> 16) & 0xFu);
  u.scaleTime = static_cast<TimeScale>((w >> 12) & 0xFu);
  u.scaleCount = signedNibble(w >> 8);
  return u;
}

std::string Units::toString() const {
  std::string count = "count";
  if (scaleCount != 0) count += " x 10^" + std::to_string(scaleCount);
  std::string num, den;
  auto add = [](std::string& side, const std::string& t) {
    if (!side.empty()) side += ' ';
    side += t;
  };
  if (dimSpace > 0) add(num, term(spaceName(scaleSpace), dimSpace));
  if (dimTime > 0) add(num, term(timeName(scaleTime), dimTime));
  if (dimCount > 0) add(num, term(count, dimCount));
  if (dimSpace < 0) add(den, term(spaceName(scaleSpace), dimSpace));
  if (dimTime < 0) add(den, term(timeName(scaleTime), dimTime));
  if (dimCount < 0) add(den, term(count, dimCount));
  if (num.empty() && den.empty()) return "none";
  if (den.empty()) return num;
  if (num.empty()) return "/ " + den;
  return num + " / " + den;
}

std::optional<double> conversionFactor(const Units& from, const Units& to) {
  if (from.dimSpace != to.dimSpace || from.dimTime != to.dimTime || from.dimCount != to.dimCount)
    return std::nullopt;
  double f = 1.0;
  if (from.dimSpace != 0)
    f *= std::pow(spaceBytes(from.scaleSpace) / spaceBytes(to.scaleSpace), from.dimSpace);
  if (from.dimTime != 0)
    f *= std::pow(timeNanos(from.scaleTime) / timeNanos(to.scaleTime), from.dimTime);
  if (from.dimCount != 0) f *= std::pow(10.0, (from.scaleCount - to.scaleCount) * from.dimCount);
  return f;
}

}  // namespace sextant
