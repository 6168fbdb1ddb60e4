#pragma once
// The expression tree shared by the parser, the checker and the evaluator of
// core/derive/Derive.h. Internal to core/derive.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/Descriptor.h"
#include "core/Value.h"

namespace sextant::derive {

enum class Op {
  Constant, Metric,
  Neg, Not,
  Add, Sub, Mul, Div,
  Lt, Le, Eq, Ge, Gt, Ne,
  And, Or,
  Cond,  // a ? b : c
  Avg, Count, Delta, Instant, Max, Min, Rate, Sum,
};

// One value of a node during evaluation.
struct Item {
  std::int32_t inst = kNullInstance;
  Value value;
};

struct Node {
  Op op = Op::Constant;
  std::size_t position = 0;  // where the node's text starts
  std::string name;          // Metric: the operand name
  std::string text;          // Constant: as written
  bool isDouble = false;     // Constant: written with a '.'
  std::unique_ptr<Node> a, b, c;
  int depth = 1;  // of the subtree, bounded by the parser

  // Filled by the checker.
  Descriptor desc;
  double number = 0;  // Constant: its value
  // Unit scaling of the operands of + - * /: PCP computes (x / div) * mul.
  double mulA = 1, divA = 1, mulB = 1, divB = 1;
  std::size_t operand = 0;  // Metric: index into Expression::operands()

  // Evaluation state of rate() and delta(): the previous sample of the operand.
  std::optional<std::vector<Item>> previous;
  Timestamp previousTime{};
};

bool isFunction(Op op);
bool isRelational(Op op);  // < <= == >= > !=

}  // namespace sextant::derive
