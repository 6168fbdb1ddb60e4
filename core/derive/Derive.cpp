#include "core/derive/Derive.h"

#include <cmath>
#include <cstdint>
#include <limits>

#include "core/derive/Ast.h"
#include "core/derive/Checker.h"
#include "core/derive/Evaluator.h"
#include "core/derive/Parser.h"

namespace sextant::derive {
namespace {

// `x` as an integer type, saturating instead of the undefined behaviour of a plain cast
// (a rate can be infinite, a difference negative for an unsigned type).
template <class T>
T saturate(double x) {
  if (std::isnan(x)) return 0;
  if (x <= static_cast<double>(std::numeric_limits<T>::min())) return std::numeric_limits<T>::min();
  if (x >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
  return static_cast<T>(x);
}

Value asType(const Value& v, ValueType t) {
  auto d = toDouble(v);
  if (!d || valueTypeOf(v) == t) return v;
  switch (t) {
    case ValueType::I32: return saturate<std::int32_t>(*d);
    case ValueType::U32: return saturate<std::uint32_t>(*d);
    case ValueType::I64: return saturate<std::int64_t>(*d);
    case ValueType::U64: return saturate<std::uint64_t>(*d);
    case ValueType::Float:
      if (std::isfinite(*d) && std::fabs(*d) > std::numeric_limits<float>::max())
        return *d > 0 ? std::numeric_limits<float>::infinity() : -std::numeric_limits<float>::infinity();
      return static_cast<float>(*d);
    case ValueType::Double: return *d;
    default: return v;
  }
}

}  // namespace

std::string pcpMessage(std::string_view name, std::string_view expr, const DeriveError& e) {
  // libpcp prints the expression as a C string: it ends at a NUL.
  expr = expr.substr(0, expr.find('\0'));
  std::string m = e.kind == DeriveError::Kind::Syntax ? "Syntax" : "Semantic";
  m += " Error: pmAddDerivedMetric(\"";
  m += name;
  m += "\", ...)\n";
  m += expr;
  m += '\n';
  m += std::string(e.position, ' ');
  m += "^\n";
  if (!e.reason.empty()) {
    m += e.reason;
    m += '\n';
  }
  return m;
}

Expression::Expression() = default;
Expression::Expression(Expression&&) noexcept = default;
Expression& Expression::operator=(Expression&&) noexcept = default;
Expression::~Expression() = default;

std::variant<Expression, DeriveError> Expression::compile(std::string_view text, const Resolve& resolve) {
  text = text.substr(0, text.find('\0'));
  auto parsed = parse(text);
  if (auto* e = std::get_if<DeriveError>(&parsed)) return std::move(*e);
  Expression x;
  x.root_ = std::move(std::get<std::unique_ptr<Node>>(parsed));
  if (auto e = bindAndCheck(*x.root_, resolve, x.operands_)) return std::move(*e);
  return x;
}

Descriptor Expression::descriptor() const {
  Descriptor d = root_->desc;
  d.pmid = Pmid();
  return d;
}

ValueSet Expression::evaluate(std::span<const ValueSet> operandValues, Timestamp t) {
  Values v = evaluateNode(*root_, operandValues, t);
  ValueSet out;
  out.status = v.status < 0 ? v.status : 0;
  if (v.status < 0) return out;
  ValueType type = root_->desc.type;
  out.values.reserve(v.items.size());
  for (auto& item : v.items) out.values.push_back({item.inst, asType(item.value, type)});
  return out;
}

}  // namespace sextant::derive
