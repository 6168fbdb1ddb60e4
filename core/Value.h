#pragma once
// One metric value of any PCP type, and the sample that carries many of them.
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/Descriptor.h"
#include "core/Error.h"
#include "core/Ids.h"

namespace sextant {

// The alternatives are in the order of PCP's type codes (ValueType), so that a value's
// index is its type.
using Value = std::variant<std::int32_t, std::uint32_t, std::int64_t, std::uint64_t, float, double, std::string>;
static_assert(std::is_same_v<std::variant_alternative_t<static_cast<std::size_t>(ValueType::Double), Value>, double> &&
              std::is_same_v<std::variant_alternative_t<static_cast<std::size_t>(ValueType::String), Value>, std::string>);

// The PCP type a Value holds (inline: read for every value recorded or sent).
inline ValueType valueTypeOf(const Value& v) {
  return v.index() < 6 ? static_cast<ValueType>(v.index()) : ValueType::String;
}
// The number, or nothing for a string.
std::optional<double> toDouble(const Value& v);
// `v` as the numeric type `t` (C++ conversion rules, as PCP's agents cast), or `v`
// unchanged when it already has that type or either side is a string.
Value convertTo(const Value& v, ValueType t);
// As pminfo prints it: integers exactly, float with 8 and double with 16 significant
// digits, strings in double quotes.
std::string formatValue(const Value& v);

struct InstanceValue {
  std::int32_t inst = kNullInstance;
  Value value;
};

// The values of one metric in one fetch. status < 0 is an Error code (no values);
// otherwise `values` holds one entry per instance (one with kNullInstance if singular).
struct ValueSet {
  Pmid pmid;
  int status = 0;
  std::vector<InstanceValue> values;
  bool ok() const { return status >= 0; }
};

// Readies `sets` for a fetch of `pmids`: one set per PMID, in order, status 0 and no
// values. Sets already there keep their values' storage, so a fetch repeated into the
// same vector allocates nothing.
void prepareSets(std::span<const Pmid> pmids, std::vector<ValueSet>& sets);

using Timestamp = std::chrono::system_clock::time_point;

struct FetchResult {
  Timestamp timestamp;
  std::vector<ValueSet> sets;  // one per requested PMID, in request order
};

}  // namespace sextant
