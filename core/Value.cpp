#include "core/Value.h"

#include <cstdio>

namespace sextant {

std::optional<double> toDouble(const Value& v) {
  return std::visit(
      [](const auto& x) -> std::optional<double> {
        if constexpr (std::is_same_v<std::decay_t<decltype(x)>, std::string>)
          return std::nullopt;
        else
          return static_cast<double>(x);
      },
      v);
}

Value convertTo(const Value& v, ValueType t) {
  if (valueTypeOf(v) == t || v.index() == 6) return v;
  return std::visit(
      [t, &v](const auto& x) -> Value {
        if constexpr (std::is_arithmetic_v<std::decay_t<decltype(x)>>) {
          switch (t) {
            case ValueType::I32: return static_cast<std::int32_t>(x);
            case ValueType::U32: return static_cast<std::uint32_t>(x);
            case ValueType::I64: return static_cast<std::int64_t>(x);
            case ValueType::U64: return static_cast<std::uint64_t>(x);
            case ValueType::Float: return static_cast<float>(x);
            case ValueType::Double: return static_cast<double>(x);
            default: return v;
          }
        } else {
          return v;
        }
      },
      v);
}

std::string formatValue(const Value& v) {
  char buf[64];
  switch (v.index()) {
    case 4: std::snprintf(buf, sizeof buf, "%.8g", static_cast<double>(std::get<float>(v))); return buf;
    case 5: std::snprintf(buf, sizeof buf, "%.16g", std::get<double>(v)); return buf;
    case 6: return '"' + std::get<std::string>(v) + '"';
    default:
      return std::visit(
          [](const auto& x) -> std::string {
            if constexpr (std::is_arithmetic_v<std::decay_t<decltype(x)>>)
              return std::to_string(x);
            else
              return x;
          },
          v);
  }
}

void prepareSets(std::span<const Pmid> pmids, std::vector<ValueSet>& sets) {
  sets.resize(pmids.size());
  for (std::size_t i = 0; i < pmids.size(); ++i) {
    sets[i].pmid = pmids[i];
    sets[i].status = 0;
    sets[i].values.clear();
  }
}

}  // namespace sextant
