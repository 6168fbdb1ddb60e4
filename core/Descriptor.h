#pragma once
// A metric's descriptor: what PCP calls pmDesc (PCP wire protocol spec, section 3.4).
#include <cstdint>
#include <string>
#include <string_view>

#include "core/Ids.h"
#include "core/Units.h"

namespace sextant {

enum class ValueType : std::int32_t {
  NoSupport = -1,
  I32 = 0,
  U32 = 1,
  I64 = 2,
  U64 = 3,
  Float = 4,
  Double = 5,
  String = 6,
  Aggregate = 7,
};

enum class Semantics : std::int32_t {
  Counter = 1,   // only ever grows (until it wraps or the system restarts): shown as a rate
  Instant = 3,   // a level that can go up or down
  Discrete = 4,  // a value that rarely changes: configuration, names
};

struct Descriptor {
  Pmid pmid;
  ValueType type = ValueType::NoSupport;
  InDom indom;  // null for a metric with a single value
  Semantics semantics = Semantics::Instant;
  Units units;
  bool operator==(const Descriptor&) const = default;
};

// As pminfo prints them: "32-bit unsigned int", "counter".
std::string_view typeName(ValueType t);
// pmTypeStr's words in lower case ("32", "u64", "float", "string"), as the REST API
// writes types (pmwebapi spec section 5) and the dashboard reads them.
std::string_view typeWord(ValueType t);
std::string_view semanticsName(Semantics s);

// A metric as an agent declares it: the catalog row, one source of truth per metric.
struct MetricInfo {
  std::string name;  // full dotted name, e.g. "kernel.all.load"
  Descriptor desc;
  std::string oneLine;   // one-line help
  std::string longHelp;  // may be empty; then the one-line text serves
};

// An instance domain as an agent declares it, with its help text.
struct InDomInfo {
  InDom indom;
  std::string oneLine;
  std::string longHelp;
};

}  // namespace sextant
