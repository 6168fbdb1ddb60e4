#pragma once
// Helpers the disk, network, file-system and process groups share when they turn
// snapshot numbers into values: the catalog row decides the PCP type, so a counter
// the catalog declares 32-bit wraps as the kernel's and PCP's do.
#include <cstdint>
#include <string_view>

// TableAgent.h first: it brings Error.h before Value.h (Error::Value would shadow
// the Value type the other way round under -Wshadow).
#include "core/TableAgent.h"
#include "core/Catalog.h"
#include "core/Value.h"

namespace sextant::linuxbe {

// The type of the catalog row `name`, or 64-bit unsigned if there is none (the
// TableAgent then reports the binding as an error anyway).
inline ValueType catalogType(std::string_view name) {
  const MetricInfo* row = catalog::find(name);
  return row ? row->desc.type : ValueType::U64;
}

inline Value typedValue(ValueType t, std::uint64_t v) {
  switch (t) {
    case ValueType::I32: return static_cast<std::int32_t>(v);
    case ValueType::U32: return static_cast<std::uint32_t>(v);
    case ValueType::I64: return static_cast<std::int64_t>(v);
    case ValueType::Float: return static_cast<float>(v);
    case ValueType::Double: return static_cast<double>(v);
    default: return v;
  }
}

inline Value typedSigned(ValueType t, std::int64_t v) {
  switch (t) {
    case ValueType::I32: return static_cast<std::int32_t>(v);
    case ValueType::U32: return static_cast<std::uint32_t>(v);
    case ValueType::U64: return static_cast<std::uint64_t>(v);
    case ValueType::Float: return static_cast<float>(v);
    case ValueType::Double: return static_cast<double>(v);
    default: return v;
  }
}

}  // namespace sextant::linuxbe
