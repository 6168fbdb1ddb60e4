// Evaluation as libpcp 6.0.3 does it (src/libpcp/src/derive_fetch.c: eval_expr, bin_op),
// with arithmetic in double and the result converted to the descriptor's type at the end.
// rate() and delta() take differences in the operand's own type, so unsigned counters
// wrap as in PCP.
#include "core/derive/Evaluator.h"

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace sextant::derive {
namespace {

constexpr int kConv = static_cast<int>(Error::Conv);

Values failed(int status) { return Values{status, {}}; }

bool numbers(const Values& v) {
  return std::all_of(v.items.begin(), v.items.end(), [](const Item& i) { return toDouble(i.value).has_value(); });
}
double num(const Item& i) { return toDouble(i.value).value_or(0.0); }

double apply(Op op, double l, double r) {
  switch (op) {
    case Op::Add: return l + r;
    case Op::Sub: return l - r;
    case Op::Mul: return l * r;
    case Op::Div: return l == 0 ? 0 : l / r;  // libpcp: 0 / anything is 0
    case Op::Lt: return l < r;
    case Op::Le: return l <= r;
    case Op::Eq: return l == r;
    case Op::Ge: return l >= r;
    case Op::Gt: return l > r;
    case Op::Ne: return l != r;
    case Op::And: return l != 0 && r != 0;
    case Op::Or: return l != 0 || r != 0;
    default: return 0;
  }
}

// A singular operand combines with every value of the other; two operands over an
// instance domain combine where their instance ids match, in the left one's order, and
// the result has no more values than the smaller of them.
Values binary(const Node& n, const Values& l, const Values& r) {
  Values out;
  if (l.items.empty() || r.items.empty()) return out;
  if (!numbers(l) || !numbers(r)) return failed(kConv);
  auto combine = [&](const Item& a, const Item& b, std::int32_t inst) {
    double x = num(a) / n.divA * n.mulA;
    double y = num(b) / n.divB * n.mulB;
    out.items.push_back({inst, apply(n.op, x, y)});
  };
  bool lSet = !n.a->desc.indom.isNull(), rSet = !n.b->desc.indom.isNull();
  if (!lSet) {
    for (const Item& b : r.items) combine(l.items.front(), b, b.inst);
  } else if (!rSet) {
    for (const Item& a : l.items) combine(a, r.items.front(), a.inst);
  } else {
    std::size_t limit = std::min(l.items.size(), r.items.size());
    for (std::size_t i = 0; i < l.items.size() && out.items.size() < limit; ++i) {
      const Item& a = l.items[i];
      // Usually the same position holds the same instance; search only when it does not.
      const Item* b = i < r.items.size() && r.items[i].inst == a.inst ? &r.items[i] : nullptr;
      if (b == nullptr) {
        auto it = std::find_if(r.items.begin(), r.items.end(), [&](const Item& x) { return x.inst == a.inst; });
        if (it == r.items.end()) continue;
        b = &*it;
      }
      combine(a, *b, a.inst);
    }
  }
  return out;
}

// libpcp's ternary works by position: the guard's i-th value picks the i-th value of
// one branch (a branch's only value when it is singular).
Values conditional(const Node& n, const Values& g, const Values& t, const Values& f) {
  Values out;
  if (g.items.empty() || t.items.empty() || f.items.empty()) return out;
  if (!numbers(g)) return failed(kConv);
  std::size_t count = std::max(t.items.size(), f.items.size());
  bool instFromFalse = n.b->desc.indom.isNull() && !n.c->desc.indom.isNull();
  const Values& named = instFromFalse ? f : t;
  const Values* pick = &t;
  for (std::size_t i = 0; i < count; ++i) {
    if (i < g.items.size()) pick = num(g.items[i]) != 0 ? &t : &f;
    const Item& v = i < pick->items.size() ? pick->items[i] : pick->items.front();
    std::int32_t inst = i < named.items.size() ? named.items[i].inst : v.inst;
    out.items.push_back({inst, v.value});
  }
  return out;
}

// current - previous in the operand's own type (unsigned wraps for rate(), as libpcp).
double difference(const Value& cur, const Value& prev, ValueType type, bool forRate) {
  if (valueTypeOf(cur) != type || valueTypeOf(prev) != type)
    return toDouble(cur).value_or(0) - toDouble(prev).value_or(0);
  switch (type) {
    case ValueType::I32:
      return static_cast<double>(std::int64_t{std::get<std::int32_t>(cur)} - std::get<std::int32_t>(prev));
    case ValueType::U32: {
      auto a = std::get<std::uint32_t>(cur), b = std::get<std::uint32_t>(prev);
      if (forRate) return static_cast<double>(static_cast<std::uint32_t>(a - b));
      return static_cast<double>(std::int64_t{a} - std::int64_t{b});
    }
    case ValueType::I64: {
      auto a = static_cast<std::uint64_t>(std::get<std::int64_t>(cur));
      auto b = static_cast<std::uint64_t>(std::get<std::int64_t>(prev));
      return static_cast<double>(static_cast<std::int64_t>(a - b));
    }
    case ValueType::U64: {
      auto a = std::get<std::uint64_t>(cur), b = std::get<std::uint64_t>(prev);
      if (forRate) return static_cast<double>(a - b);
      return static_cast<double>(a) - static_cast<double>(b);
    }
    case ValueType::Float: return static_cast<double>(std::get<float>(cur) - std::get<float>(prev));
    default: return toDouble(cur).value_or(0) - toDouble(prev).value_or(0);
  }
}

// Seconds per unit of a time counter: rate() of it is a utilisation.
double timeScale(TimeScale s) {
  double f = 1;
  int v = static_cast<int>(s), sec = static_cast<int>(TimeScale::Sec);
  for (int i = sec; i < v; ++i) f *= 60;
  for (int i = v; i < sec; ++i) f /= 1000;
  return f;
}

Values change(Node& n, Values current, Timestamp t) {
  Values out;
  if (n.previous) {
    double seconds = std::chrono::duration<double>(t - n.previousTime).count();
    const Descriptor& x = n.a->desc;
    bool rate = n.op == Op::Rate;
    // libpcp divides by a zero interval; no values is the useful answer.
    if (!rate || seconds > 0) {
      for (const Item& c : current.items) {
        auto p = std::find_if(n.previous->begin(), n.previous->end(), [&](const Item& i) { return i.inst == c.inst; });
        if (p == n.previous->end()) continue;  // only instances in both samples
        double d = difference(c.value, p->value, x.type, rate);
        if (rate) {
          d /= seconds;
          if (x.units.dimTime == 1) d *= timeScale(x.units.scaleTime);
        }
        out.items.push_back({c.inst, d});
      }
    }
  }
  n.previous = std::move(current.items);
  n.previousTime = t;
  return out;
}

Values aggregate(const Node& n, const Values& x) {
  Values out;
  if (n.op == Op::Count) {
    out.items.push_back({kNullInstance, static_cast<double>(x.status < 0 ? 0 : x.items.size())});
    return out;
  }
  if (!numbers(x)) return failed(kConv);
  if (x.items.empty() && (n.op == Op::Min || n.op == Op::Max)) return out;
  double v = x.items.empty() ? 0 : num(x.items.front());
  if (n.op == Op::Sum || n.op == Op::Avg) v = 0;
  for (const Item& i : x.items) {
    double d = num(i);
    switch (n.op) {
      case Op::Sum: v += d; break;
      case Op::Avg: v += d / static_cast<double>(x.items.size()); break;
      case Op::Min: v = std::min(v, d); break;
      case Op::Max: v = std::max(v, d); break;
      default: break;
    }
  }
  out.items.push_back({kNullInstance, v});
  return out;
}

}  // namespace

Values evaluateNode(Node& n, std::span<const ValueSet> sets, Timestamp t) {
  switch (n.op) {
    case Op::Constant: return Values{0, {{kNullInstance, n.number}}};
    case Op::Metric: {
      if (n.operand >= sets.size()) return failed(static_cast<int>(Error::Value));
      const ValueSet& s = sets[n.operand];
      if (!s.ok()) return failed(s.status);
      Values v;
      v.items.reserve(s.values.size());
      for (const auto& iv : s.values) v.items.push_back({iv.inst, iv.value});
      return v;
    }
    default: break;
  }
  Values a = evaluateNode(*n.a, sets, t);
  if (n.op == Op::Count) return aggregate(n, a);  // count() of a failed fetch is 0
  if (a.status < 0) return a;
  if (n.op == Op::Cond) {
    Values b = evaluateNode(*n.b, sets, t);
    if (b.status < 0) return b;
    Values c = evaluateNode(*n.c, sets, t);
    if (c.status < 0) return c;
    return conditional(n, a, b, c);
  }
  if (n.b != nullptr) {
    Values b = evaluateNode(*n.b, sets, t);
    if (b.status < 0) return b;
    return binary(n, a, b);
  }
  switch (n.op) {
    case Op::Instant: return a;
    case Op::Rate:
    case Op::Delta: return change(n, std::move(a), t);
    case Op::Neg:
    case Op::Not:
      if (!numbers(a)) return failed(kConv);
      for (Item& i : a.items) i.value = n.op == Op::Neg ? -num(i) : double(num(i) == 0);
      return a;
    default: return aggregate(n, a);
  }
}

}  // namespace sextant::derive
