#pragma once
// Private to core/catalog: a compact way to write one catalog row per line group,
// and the units the catalog uses, spelled as pminfo prints them.
#include <string>
#include <string_view>
#include <utility>

#include "core/Catalog.h"
#include "core/Descriptor.h"

namespace sextant::catalog::detail {

inline constexpr InDom kNoInDom{};  // PM_INDOM_NULL: a metric with one value

// Units, named after pminfo's words for them.
inline constexpr Units kNone = Units::none();                                      // "none"
inline constexpr Units kCount = Units::count();                                    // "count"
inline constexpr Units kByte = Units::space(SpaceScale::Byte);                     // "byte"
inline constexpr Units kKByte = Units::space(SpaceScale::KByte);                   // "Kbyte"
inline constexpr Units kMByte = Units::space(SpaceScale::MByte);                   // "Mbyte"
inline constexpr Units kMillisec = Units::time(TimeScale::Millisec);               // "millisec"
inline constexpr Units kSec = Units::time(TimeScale::Sec);                         // "sec"
inline constexpr Units kCountPerSec = Units::count().perTime(TimeScale::Sec);      // "count / sec"
inline constexpr Units kPerMicrosec = Units::none().perTime(TimeScale::Microsec);  // "/ microsec"
inline constexpr Units kBytePerSec = kByte.perTime(TimeScale::Sec);                // "byte / sec"
inline constexpr Units kMBytePerSec = kMByte.perTime(TimeScale::Sec);              // "Mbyte / sec"

constexpr Pmid kernelPmid(unsigned cluster, unsigned item) { return Pmid::make(kKernelDomain, cluster, item); }
constexpr Pmid procPmid(unsigned cluster, unsigned item) { return Pmid::make(kProcDomain, cluster, item); }

inline MetricInfo row(std::string name, Pmid pmid, ValueType type, InDom indom, Semantics sem, Units units,
                      std::string oneLine, std::string longHelp) {
  return MetricInfo{std::move(name), Descriptor{pmid, type, indom, sem, units}, std::move(oneLine),
                    std::move(longHelp)};
}

// Appends the sentence every cumulative counter's long help shares.
inline std::string cumulativeSince(std::string text, std::string_view since) {
  return std::move(text) + " Cumulative since " + std::string(since) + "; tools show it as a rate.";
}
inline std::string sinceBoot(std::string text) { return cumulativeSince(std::move(text), "boot"); }

}  // namespace sextant::catalog::detail
