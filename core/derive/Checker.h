#pragma once
// Binding of operand names and PCP's semantic checks. Internal to core/derive.
#include <optional>
#include <vector>

#include "core/derive/Ast.h"
#include "core/derive/Derive.h"

namespace sextant::derive {

// Resolves every operand (leftmost first; the first unknown name is an Unbound error),
// then checks the tree bottom-up as libpcp's check_expr() does, filling each node's
// descriptor and unit scaling. `operands` receives the distinct PMIDs in first-use order.
std::optional<DeriveError> bindAndCheck(Node& root, const Resolve& resolve, std::vector<Pmid>& operands);

}  // namespace sextant::derive
