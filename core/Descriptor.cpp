#include "core/Descriptor.h"

namespace sextant {

std::string_view typeName(ValueType t) {
  switch (t) {
    case ValueType::NoSupport: return "Not Supported";
    case ValueType::I32: return "32-bit int";
    case ValueType::U32: return "32-bit unsigned int";
    case ValueType::I64: return "64-bit int";
    case ValueType::U64: return "64-bit unsigned int";
    case ValueType::Float: return "float";
    case ValueType::Double: return "double";
    case ValueType::String: return "string";
    case ValueType::Aggregate: return "aggregate";
  }
  return "unknown type";
}

std::string_view typeWord(ValueType t) {
  switch (t) {
    case ValueType::I32: return "32";
    case ValueType::U32: return "u32";
    case ValueType::I64: return "64";
    case ValueType::U64: return "u64";
    case ValueType::Float: return "float";
    case ValueType::Double: return "double";
    case ValueType::String: return "string";
    case ValueType::Aggregate: return "aggregate";
    case ValueType::NoSupport: break;
  }
  return "unknown";
}

std::string_view semanticsName(Semantics s) {
  switch (s) {
    case Semantics::Counter: return "counter";
    case Semantics::Instant: return "instant";
    case Semantics::Discrete: return "discrete";
  }
  return "unknown semantics";
}

}  // namespace sextant
