#pragma once
// Parser for PCP's derived-metric language. Internal to core/derive.
#include <memory>
#include <string_view>
#include <variant>

#include "core/derive/Ast.h"
#include "core/derive/Derive.h"

namespace sextant::derive {

// The tree for `text`, or PCP's syntax error for it (reason and caret position as
// pmAddDerivedMetric reports them).
std::variant<std::unique_ptr<Node>, DeriveError> parse(std::string_view text);

}  // namespace sextant::derive
