#pragma once
// Helpers for a group's fill functions: one value of the catalog's type, or the
// reason there is none.
#include <cstdint>
#include <optional>

#include "core/Value.h"

namespace sextant::linuxbe {

// Adds one value of exactly type T (the catalog row's type).
template <class T>
void put(ValueSet& set, T v, std::int32_t inst = kNullInstance) {
  set.values.push_back(InstanceValue{inst, Value(v)});
}

// A number as the widest value of its signedness; TableAgent converts every value to
// the catalog row's type, so groups need not know whether PCP made a metric 32-bit.
inline Value asU64(std::uint64_t v) { return v; }
inline Value asI64(std::int64_t v) { return v; }

// This machine cannot give the metric (a missing field, an older kernel).
inline void noValue(ValueSet& set, Error e = Error::Value) {
  set.values.clear();
  set.status = static_cast<int>(e);
}

// A value converted to T, or Error::Value when the source did not have it.
template <class T, class U>
void putOr(ValueSet& set, const std::optional<U>& v, std::int32_t inst = kNullInstance) {
  if (v) put<T>(set, static_cast<T>(*v), inst);
  else noValue(set);
}

}  // namespace sextant::linuxbe
