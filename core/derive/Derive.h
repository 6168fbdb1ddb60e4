#pragma once
// PCP's derived-metric expression language (pmRegisterDerived(3), pmAddDerivedMetric(3)):
// parsing with PCP's syntax error messages and caret positions, the semantic checks and
// result descriptor rules of PCP 6.0.3's libpcp, and evaluation over fetched values.
//
// Supported: metric names, integer and decimal constants, unary - and !, + - * /,
// < <= == >= > !=, && ||, `guard ? a : b`, parentheses, and the functions avg count delta
// instant max min rate sum, each over one metric name as in PCP. Not supported (a syntax
// error naming the construct): instance selection `m[inst]`, mkconst, rescale, defined,
// matchinst, scalar and anon.
#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/Descriptor.h"
#include "core/Expected.h"
#include "core/Value.h"

namespace sextant::derive {

struct DeriveError {
  // Syntax and Semantic are PCP's two kinds. Unbound is an operand name the resolver
  // does not know: PCP 6.0.3 accepts such a definition and only fails later, when the
  // derived metric's descriptor is asked for (PM_ERR_BADDERIVE); the caller decides
  // whether to mimic that or to refuse at once.
  enum class Kind { Syntax, Semantic, Unbound } kind = Kind::Syntax;
  std::size_t position = 0;  // 0-based offset into the expression where the caret goes
  std::string reason;        // PCP's text, e.g. "Arithmetic expression expected to follow STAR";
                             // empty where PCP gives none (e.g. "1 2")
};

// The message pmproxy sends for a failed pmAddDerivedMetric (pmwebapi spec, section 6.7):
// "Syntax Error: pmAddDerivedMetric(\"<name>\", ...)\n<expr>\n<caret line>\n<reason>\n".
// The caret line is "^" at position 0, else that many spaces then "^"; the reason line is
// left out when the reason is empty. Unbound errors are worded as Semantic errors with the
// reason "<operand>: Unknown metric name" (a Sextant message: PCP has none).
std::string pcpMessage(std::string_view name, std::string_view expr, const DeriveError& e);

// Resolves an operand name to its descriptor (which carries the PMID), or fails
// (Error::Name) for an unknown name.
using Resolve = std::function<Expected<Descriptor>(std::string_view name)>;

struct Node;  // the checked expression tree (core/derive/Ast.h)

class Expression {
 public:
  // Parses and checks `text`. Errors come in PCP's order: syntax first, then unknown
  // operands (leftmost first), then semantics (operands before operators, left to right).
  static std::variant<Expression, DeriveError> compile(std::string_view text, const Resolve& resolve);

  Expression(Expression&&) noexcept;
  Expression& operator=(Expression&&) noexcept;
  ~Expression();

  // The result's type, semantics, units and instance domain; pmid is left null.
  Descriptor descriptor() const;
  // The distinct metrics to fetch, in order of first use in the text.
  const std::vector<Pmid>& operands() const { return operands_; }

  // The derived metric's values from one fetch of operands() (same order, one ValueSet
  // each) taken at `t`. rate() and delta() keep the previous sample: the first call after
  // compile has no values for them (status 0, empty values), as PCP's first fetch.
  // Instances are matched by instance id between operands over the same indom; a singular
  // operand combines with every instance. An operand's error status becomes the result's
  // (count() turns it into 0, as PCP does). The pmid of the result is left null.
  ValueSet evaluate(std::span<const ValueSet> operandValues, Timestamp t);

 private:
  Expression();
  std::unique_ptr<Node> root_;
  std::vector<Pmid> operands_;
};

}  // namespace sextant::derive
