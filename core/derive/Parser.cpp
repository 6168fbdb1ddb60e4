// Recursive descent over PCP's grammar (PCP 6.0.3 src/libpcp/src/derive_parser.y.in).
// PCP's parser is bison's: an error is detected at a token, and the message comes from
// the innermost open construct that has an error rule ("Arithmetic expression expected
// to follow PLUS"), or there is none. `frames_` is that stack of open constructs. The
// caret goes under the token where the error was detected. Checked against libpcp 6.0.3
// with pmAddDerivedMetric (tests/core/DeriveTest.cpp lists the cases).
#include "core/derive/Parser.h"

#include <algorithm>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "core/derive/Lexer.h"

namespace sextant::derive {
namespace {

// Deep enough for any real expression, shallow enough that the recursive passes over the
// tree stay well within a thread's stack.
constexpr int kMaxDepth = 256;

struct Failure {
  DeriveError error;
};

// Binary operators: PCP's yacc levels (%left, lowest first): ?: 1, && || 2, ! 3,
// relational 4, + - 5, * / 6.
struct BinaryOp {
  int precedence;
  Op op;
  const char* name;  // as PCP names it in messages
  bool boolean;      // "Boolean expression expected ..." rather than "Arithmetic ..."
};

const BinaryOp* binaryOp(Tok t) {
  static const BinaryOp kOps[] = {
      {5, Op::Add, "PLUS", false}, {5, Op::Sub, "MINUS", false}, {6, Op::Mul, "STAR", false},
      {6, Op::Div, "SLASH", false}, {4, Op::Lt, "LT", false},    {4, Op::Le, "LEQ", false},
      {4, Op::Eq, "EQ", false},     {4, Op::Ge, "GEQ", false},   {4, Op::Gt, "GT", false},
      {4, Op::Ne, "NEQ", false},    {2, Op::And, "AND", true},   {2, Op::Or, "OR", true},
  };
  static const Tok kToks[] = {Tok::Plus, Tok::Minus, Tok::Star, Tok::Slash, Tok::Lt, Tok::Le,
                              Tok::Eq,   Tok::Ge,    Tok::Gt,   Tok::Ne,    Tok::And, Tok::Or};
  for (std::size_t i = 0; i < std::size(kToks); ++i)
    if (kToks[i] == t) return &kOps[i];
  return nullptr;
}

// Tokens that may follow an expression anywhere in PCP's grammar: after a bare metric
// name any other token is reported as a missing operator.
bool canFollowExpression(Tok t) {
  switch (t) {
    case Tok::Eos: case Tok::Plus: case Tok::Minus: case Tok::Star: case Tok::Slash:
    case Tok::Lt: case Tok::Le: case Tok::Eq: case Tok::Ge: case Tok::Gt: case Tok::Ne:
    case Tok::And: case Tok::Or: case Tok::Quest: case Tok::Colon: case Tok::RParen:
    case Tok::LParen: case Tok::Comma:
      return true;
    default:
      return false;
  }
}

// The spelling of an operator that PCP accepts only as the start of an error message
// when it is the first token ("Unexpected initial '*'").
const char* initialOperator(Tok t) {
  switch (t) {
    case Tok::Plus: return "+";
    case Tok::Star: return "*";
    case Tok::Slash: return "/";
    case Tok::RParen: return ")";
    case Tok::Lt: return "<";
    case Tok::Le: return "<=";
    case Tok::Eq: return "==";
    case Tok::Ge: return ">=";
    case Tok::Gt: return ">";
    case Tok::Ne: return "!=";
    case Tok::And: return "&&";
    case Tok::Or: return "||";
    case Tok::Quest: return "?";
    case Tok::Colon: return ":";
    default: return nullptr;
  }
}

class Parser {
 public:
  explicit Parser(std::string_view text) : lexer_(text) { tok_ = lexer_.next(); }

  std::unique_ptr<Node> definition() {
    if (const char* op = initialOperator(tok_.kind)) {
      advance();
      fail(std::string("Unexpected initial '") + op + "'");
    }
    auto e = expression(0, 0);
    if (tok_.kind == Tok::LParen || tok_.kind == Tok::RParen) {
      std::string reason = tok_.kind == Tok::LParen ? "Unexpected '('" : "Unexpected ')'";
      advance();
      fail(reason);
    }
    if (tok_.kind != Tok::Eos) fail();
    return e;
  }

 private:
  void advance() { tok_ = lexer_.next(); }

  // An error at the current token, with the reason of the innermost open construct
  // unless one is given; the lexer's own message wins (PCP keeps the first one).
  [[noreturn]] void fail(std::string reason = {}) {
    DeriveError e;
    e.kind = DeriveError::Kind::Syntax;
    e.position = tok_.position;
    if (tok_.kind == Tok::Error)
      e.reason = tok_.text;
    else if (!reason.empty())
      e.reason = std::move(reason);
    else if (!frames_.empty())
      e.reason = frames_.back();
    throw Failure{std::move(e)};
  }

  [[noreturn]] void unsupported(const std::string& what) {
    DeriveError e;
    e.kind = DeriveError::Kind::Syntax;
    e.position = tok_.position;
    e.reason = what + " is not supported";
    throw Failure{std::move(e)};
  }

  void enter(int depth) {
    if (depth > kMaxDepth) {
      DeriveError e;
      e.position = tok_.position;
      e.reason = "Expression nested too deeply";
      throw Failure{std::move(e)};
    }
  }

  std::unique_ptr<Node> node(Op op, std::size_t position, std::unique_ptr<Node> a = {},
                             std::unique_ptr<Node> b = {}, std::unique_ptr<Node> c = {}) {
    auto n = std::make_unique<Node>();
    n->op = op;
    n->position = position;
    n->a = std::move(a);
    n->b = std::move(b);
    n->c = std::move(c);
    n->depth = 1 + std::max({n->a ? n->a->depth : 0, n->b ? n->b->depth : 0, n->c ? n->c->depth : 0});
    enter(n->depth);
    return n;
  }

  std::unique_ptr<Node> expression(int minPrecedence, int depth) {
    enter(depth);
    std::size_t start = tok_.position;
    auto left = unary(depth);
    while (true) {
      if (tok_.kind == Tok::Quest && minPrecedence <= 1) {
        advance();
        frames_.push_back("Arithmetic expression expected to follow QUEST");
        auto middle = expression(0, depth + 1);
        if (tok_.kind != Tok::Colon) fail();
        frames_.pop_back();
        advance();
        frames_.push_back("Arithmetic expression expected to follow COLON");
        auto right = expression(2, depth + 1);
        frames_.pop_back();
        left = node(Op::Cond, start, std::move(left), std::move(middle), std::move(right));
        continue;
      }
      const BinaryOp* op = binaryOp(tok_.kind);
      if (op == nullptr || op->precedence < minPrecedence) return left;
      advance();
      frames_.push_back(std::string(op->boolean ? "Boolean" : "Arithmetic") +
                        " expression expected to follow " + op->name);
      auto right = expression(op->precedence + 1, depth + 1);
      frames_.pop_back();
      left = node(op->op, start, std::move(left), std::move(right));
    }
  }

  std::unique_ptr<Node> unary(int depth) {
    std::size_t start = tok_.position;
    if (tok_.kind == Tok::Minus || tok_.kind == Tok::Not) {
      bool negate = tok_.kind == Tok::Minus;
      advance();
      frames_.push_back(negate ? "Arithmetic expression expected to follow NEG"
                               : "Boolean expression expected to follow NOT");
      // Unary minus binds as + and -, so only * and / join its operand; ! binds below
      // the relational operators and above && and || (PCP's %prec).
      auto operand = expression(negate ? 6 : 4, depth + 1);
      frames_.pop_back();
      return node(negate ? Op::Neg : Op::Not, start, std::move(operand));
    }
    return primary(depth);
  }

  std::unique_ptr<Node> primary(int depth) {
    Token t = tok_;
    switch (t.kind) {
      case Tok::Name: {
        advance();
        if (tok_.kind == Tok::InstName) unsupported("Instance selection");
        if (!canFollowExpression(tok_.kind))
          fail("Arithmetic or relational or boolean operator expected to follow NAME");
        auto n = node(Op::Metric, t.position);
        n->name = t.text;
        return n;
      }
      case Tok::Integer:
      case Tok::Double: {
        advance();
        auto n = node(Op::Constant, t.position);
        n->text = t.text;
        n->isDouble = t.kind == Tok::Double;
        return n;
      }
      case Tok::LParen: {
        // Only a '(' that opens the whole text has an error rule of its own.
        bool first = lexer_.index() == 1;
        advance();
        if (first) frames_.push_back("Unexpected initial '('");
        auto e = expression(0, depth + 1);
        if (tok_.kind != Tok::RParen) fail();
        if (first) frames_.pop_back();
        advance();
        if (tok_.kind == Tok::InstName) unsupported("Instance selection");
        return e;
      }
      case Tok::Function: return function(depth);
      default: fail();
    }
  }

  // PCP's functions take one metric name, not an expression.
  std::unique_ptr<Node> function(int depth) {
    Token f = tok_;
    if (!f.supported) unsupported(f.text + "()");
    advance();  // the name; the lexer made sure '(' follows
    advance();
    frames_.push_back("Metric name expected to follow " + f.text + "(");
    if (tok_.kind != Tok::Name) fail();
    Token name = tok_;
    advance();
    if (tok_.kind != Tok::RParen) fail();
    frames_.pop_back();
    advance();
    auto metric = node(Op::Metric, name.position);
    metric->name = name.text;
    enter(depth);
    return node(f.function, f.position, std::move(metric));
  }

  Lexer lexer_;
  Token tok_;
  std::vector<std::string> frames_;
};

}  // namespace

std::variant<std::unique_ptr<Node>, DeriveError> parse(std::string_view text) {
  try {
    Parser p(text);
    return p.definition();
  } catch (Failure& f) {
    return std::move(f.error);
  }
}

}  // namespace sextant::derive
