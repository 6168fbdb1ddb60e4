#pragma once
// Evaluation of a checked expression tree over one fetch. Internal to core/derive.
#include <span>
#include <vector>

#include "core/derive/Ast.h"

namespace sextant::derive {

struct Values {
  int status = 0;  // < 0: an Error code, no values
  std::vector<Item> items;
};

// The values of `n` from one fetch of the operands (`sets`, indexed by Node::operand)
// taken at `t`. Updates the rate()/delta() state in the tree.
Values evaluateNode(Node& n, std::span<const ValueSet> sets, Timestamp t);

}  // namespace sextant::derive
