// Semantic rules of PCP 6.0.3's libpcp (src/libpcp/src/derive_parser.y.in: check_expr,
// map_desc, map_units) and pmRegisterDerived(3) "SEMANTIC CHECKS AND RULES". Where libpcp
// differs from its man page the code follows libpcp, since that is what pmproxy answers;
// those places say so.
#include "core/derive/Checker.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <string>

namespace sextant::derive {
namespace {

using Reason = std::optional<std::string>;

bool arithmetic(ValueType t) { return t >= ValueType::I32 && t <= ValueType::Double; }
bool dimensionless(const Units& u) { return u.dimSpace == 0 && u.dimTime == 0 && u.dimCount == 0; }
bool sameDimensions(const Units& a, const Units& b) {
  return a.dimSpace == b.dimSpace && a.dimTime == b.dimTime && a.dimCount == b.dimCount;
}
// pmConvScale(3)'s special case: "none" and "count" may be mixed.
bool countAndNone(const Units& a, const Units& b) {
  return a.dimTime == 0 && b.dimTime == 0 && a.dimSpace == 0 && b.dimSpace == 0 &&
         ((a.dimCount == 0 && b.dimCount == 1) || (a.dimCount == 1 && b.dimCount == 0));
}
bool literal(const Node& n) { return n.op == Op::Constant; }

// PCP's promotion table is the larger of the two in PM_TYPE order.
ValueType promote(ValueType a, ValueType b) { return std::max(a, b); }

// Bring the scales of the operands of + - * / together, as map_units() does: the larger
// scale wins, the other operand is multiplied or divided once per step of scale.
void mapUnits(Node& n) {
  const Units& l = n.a->desc.units;
  const Units& r = n.b->desc.units;
  Units& out = n.desc.units;
  auto scale = [&](bool left, bool numerator, double f) {
    double& m = left ? (numerator ? n.divA : n.mulA) : (numerator ? n.divB : n.mulB);
    m *= f;
    n.desc.type = ValueType::Double;
  };
  if (l.dimCount != 0 && r.dimCount != 0) {
    for (int i = r.scaleCount; i < l.scaleCount; ++i) scale(false, r.dimCount > 0, 10);
    if (l.scaleCount < r.scaleCount) out.scaleCount = r.scaleCount;
    for (int i = l.scaleCount; i < r.scaleCount; ++i) scale(true, l.dimCount > 0, 10);
  }
  static constexpr std::array<double, 5> kTimeSteps = {1000, 1000, 1000, 60, 60};
  auto timeStep = [](int i) { return i >= 0 && i < 5 ? kTimeSteps[static_cast<std::size_t>(i)] : 1.0; };
  int lt = static_cast<int>(l.scaleTime), rt = static_cast<int>(r.scaleTime);
  if (l.dimTime != 0 && r.dimTime != 0) {
    for (int i = rt; i < lt; ++i) scale(false, r.dimTime > 0, timeStep(i));
    if (lt < rt) out.scaleTime = r.scaleTime;
    // libpcp tests the right operand's sign when it scales the left one (time and space).
    for (int i = lt; i < rt; ++i) scale(true, r.dimTime > 0, timeStep(i));
  }
  int ls = static_cast<int>(l.scaleSpace), rs = static_cast<int>(r.scaleSpace);
  if (l.dimSpace != 0 && r.dimSpace != 0) {
    for (int i = rs; i < ls; ++i) scale(false, r.dimSpace > 0, 1024);
    if (ls < rs) out.scaleSpace = r.scaleSpace;
    for (int i = ls; i < rs; ++i) scale(true, r.dimSpace > 0, 1024);
  }
  if (n.op == Op::Mul || n.op == Op::Div) {
    int sign = n.op == Op::Mul ? 1 : -1;
    out.dimCount = static_cast<std::int8_t>(l.dimCount + sign * r.dimCount);
    out.dimTime = static_cast<std::int8_t>(l.dimTime + sign * r.dimTime);
    out.dimSpace = static_cast<std::int8_t>(l.dimSpace + sign * r.dimSpace);
  }
  if (out.dimCount != 0 && l.dimCount == 0) out.scaleCount = r.scaleCount;
  if (out.dimTime != 0 && l.dimTime == 0) out.scaleTime = r.scaleTime;
  if (out.dimSpace != 0 && l.dimSpace == 0) out.scaleSpace = r.scaleSpace;
  if (out.dimCount == 0) out.scaleCount = 0;
  if (out.dimTime == 0) out.scaleTime = TimeScale::Nanosec;
  if (out.dimSpace == 0) out.scaleSpace = SpaceScale::Byte;
}

Reason binary(Node& n) {
  const Descriptor& l = n.a->desc;
  const Descriptor& r = n.b->desc;
  bool relational = isRelational(n.op);
  bool boolean = n.op == Op::And || n.op == Op::Or;
  bool lc = l.semantics == Semantics::Counter, rc = r.semantics == Semantics::Counter;
  if (!relational && !boolean) {
    if (lc && rc && n.op != Op::Add && n.op != Op::Sub) return "Illegal operator for counters";
    if (lc && !rc && n.op != Op::Mul && n.op != Op::Div) return "Illegal operator for counter and non-counter";
    if (!lc && rc && n.op != Op::Mul) return "Illegal operator for non-counter and counter";
  }
  // The result starts as the operand that is not a literal constant.
  n.desc = literal(*n.a) ? r : l;
  if (!lc && !rc)
    n.desc.semantics = l.semantics == Semantics::Discrete && r.semantics == Semantics::Discrete
                           ? Semantics::Discrete : Semantics::Instant;
  if (!arithmetic(l.type)) return "Non-arithmetic type for left operand";
  if (!arithmetic(r.type)) return "Non-arithmetic type for right operand";
  if (n.op == Op::Div)
    n.desc.type = ValueType::Double;
  else if (relational || boolean)
    n.desc.type = ValueType::U32;
  else
    n.desc.type = promote(l.type, r.type);
  bool mismatch = !sameDimensions(l.units, r.units) && !countAndNone(l.units, r.units);
  if ((n.op == Op::Add || n.op == Op::Sub) && mismatch) return "Dimensions are not the same";
  // libpcp means to exempt numeric constants here ("> 0") but compares the operands'
  // types with its node tags, so what it exempts is any 32-bit unsigned operand.
  if (relational && mismatch && l.type != ValueType::U32 && r.type != ValueType::U32)
    return "Dimensions are not the same";
  if (boolean && !(dimensionless(l.units) && dimensionless(r.units))) return "Dimensions are not the same";
  if (n.op == Op::Mul || n.op == Op::Div || relational) {
    if (lc && !rc && !dimensionless(r.units)) return "Non-counter and not dimensionless for right operand";
    if (!lc && rc && !dimensionless(l.units)) return "Non-counter and not dimensionless for left operand";
  }
  if (relational || boolean)
    n.desc.units = Units::none();
  else
    mapUnits(n);
  if (!l.indom.isNull() && !r.indom.isNull() && l.indom != r.indom)
    return "Operands should have the same instance domain";
  if (!l.indom.isNull()) n.desc.indom = l.indom;
  else if (!r.indom.isNull()) n.desc.indom = r.indom;
  return std::nullopt;
}

Reason conditional(Node& n) {
  const Descriptor& g = n.a->desc;
  const Descriptor& t = n.b->desc;
  const Descriptor& f = n.c->desc;
  // The ':' node's checks first, then the '?' node's, as libpcp's tree has them.
  if (t.type != f.type) return "Different types for ternary operands";
  if (!t.indom.isNull() && !f.indom.isNull() && t.indom != f.indom)
    return "Different instance domains for ternary operands";
  if (t.semantics != f.semantics) return "Different semantics for ternary operands";
  if (t.units.dimSpace != f.units.dimSpace || t.units.scaleSpace != f.units.scaleSpace)
    return "Different units or scale (space) for ternary operands";
  if (t.units.dimTime != f.units.dimTime || t.units.scaleTime != f.units.scaleTime)
    return "Different units or scale (time) for ternary operands";
  if (t.units.dimCount != f.units.dimCount || t.units.scaleCount != f.units.scaleCount)
    return "Different units or scale (count) for ternary operands";
  if (!arithmetic(g.type)) return "Non-arithmetic operand for ternary guard";
  if (t.indom.isNull() && f.indom.isNull() && !g.indom.isNull())
    return "Non-scalar ternary guard with scalar expressions";
  n.desc = t;
  n.desc.indom = t.indom.isNull() ? f.indom : t.indom;
  return std::nullopt;
}

Reason function(Node& n) {
  const Descriptor& x = n.a->desc;
  n.desc = x;
  switch (n.op) {
    case Op::Count:
      n.desc.type = ValueType::U32;
      n.desc.units = Units::count();
      n.desc.semantics = Semantics::Instant;
      n.desc.indom = InDom();
      return std::nullopt;
    case Op::Instant:
      if (x.semantics == Semantics::Counter) n.desc.semantics = Semantics::Instant;
      return std::nullopt;
    case Op::Not:  // libpcp keeps the operand's descriptor for '!'
      return std::nullopt;
    default: break;
  }
  if (!arithmetic(x.type))
    return n.op == Op::Neg ? "Non-arithmetic operand for unary negation" : "Non-arithmetic operand for function";
  if (n.op != Op::Sum) n.desc.semantics = Semantics::Instant;
  switch (n.op) {
    case Op::Avg: n.desc.type = ValueType::Float; [[fallthrough]];
    case Op::Sum: case Op::Min: case Op::Max: n.desc.indom = InDom(); break;
    case Op::Rate:
      // rate() of a time counter is a utilisation (time / time), else "per second".
      if (x.units.dimTime != 0 && x.units.dimTime != 1) return "Incorrect time dimension for operand";
      n.desc.type = ValueType::Double;
      n.desc.units.dimTime = static_cast<std::int8_t>(x.units.dimTime - 1);
      n.desc.units.scaleTime = n.desc.units.dimTime == 0 ? TimeScale::Nanosec : TimeScale::Sec;
      break;
    case Op::Neg:
      if (x.type == ValueType::U32) n.desc.type = ValueType::I32;
      if (x.type == ValueType::U64) n.desc.type = ValueType::I64;
      break;
    case Op::Delta:
      if (x.type == ValueType::U32) n.desc.type = ValueType::I64;
      if (x.type == ValueType::U64) n.desc.type = ValueType::Double;
      break;
    default: break;
  }
  return std::nullopt;
}

Reason check(Node& n) {
  for (Node* child : {n.a.get(), n.b.get(), n.c.get()})
    if (child != nullptr)
      if (auto r = check(*child)) return r;
  switch (n.op) {
    case Op::Constant:
      // Integers are PM_TYPE_U32 and decimals PM_TYPE_DOUBLE, both discrete and unitless.
      n.desc = Descriptor{};
      n.desc.type = n.isDouble ? ValueType::Double : ValueType::U32;
      n.desc.semantics = Semantics::Discrete;
      n.number = n.isDouble ? std::strtod(n.text.c_str(), nullptr)
                            : static_cast<double>(std::strtoull(n.text.c_str(), nullptr, 10));
      return std::nullopt;
    case Op::Metric: return std::nullopt;
    case Op::Cond: return conditional(n);
    default: break;
  }
  if (n.b != nullptr) return binary(n);
  return function(n);
}

std::optional<DeriveError> bind(Node& n, const Resolve& resolve, std::vector<Pmid>& operands) {
  if (n.op == Op::Metric) {
    auto d = resolve(n.name);
    if (!d.ok()) {
      DeriveError e{DeriveError::Kind::Unbound, n.position, n.name + ": " + std::string(errorMessage(d.error()))};
      return e;
    }
    n.desc = *d;
    auto at = std::find(operands.begin(), operands.end(), d->pmid);
    n.operand = static_cast<std::size_t>(at - operands.begin());
    if (at == operands.end()) operands.push_back(d->pmid);
    n.desc.pmid = Pmid();
    return std::nullopt;
  }
  for (Node* child : {n.a.get(), n.b.get(), n.c.get()})
    if (child != nullptr)
      if (auto e = bind(*child, resolve, operands)) return e;
  return std::nullopt;
}

}  // namespace

bool isFunction(Op op) { return op >= Op::Avg; }
bool isRelational(Op op) { return op >= Op::Lt && op <= Op::Ne; }

std::optional<DeriveError> bindAndCheck(Node& root, const Resolve& resolve, std::vector<Pmid>& operands) {
  if (auto e = bind(root, resolve, operands)) return e;
  // Semantic errors carry no position: pmAddDerivedMetric puts the caret at the start.
  if (auto reason = check(root)) return DeriveError{DeriveError::Kind::Semantic, 0, *reason};
  return std::nullopt;
}

}  // namespace sextant::derive
