#pragma once
// Tokens of PCP's derived-metric language, split as libpcp's derive_lex() splits them
// (PCP 6.0.3 src/libpcp/src/derive_parser.y.in), so that error positions match PCP's.
// Internal to core/derive.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/derive/Ast.h"

namespace sextant::derive {

enum class Tok {
  Eos, Error,
  Plus, Minus, Star, Slash, Quest, Colon, LParen, RParen, Comma, Assign,
  Lt, Le, Eq, Ge, Gt, Ne, And, Or, Not,
  Integer, Double, Name, String, InstName,
  Keyword,      // "type", "semantics", "units": only meaningful inside mkconst()
  Function,     // a function name directly followed by '('
};

struct Token {
  Tok kind = Tok::Eos;
  std::size_t position = 0;  // where PCP puts the caret for an error at this token
  std::string text;          // the name, number or function name; the message for Error
  bool supported = true;     // Function: one this engine implements
  Op function = Op::Rate;    // Function: which, when supported
};

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}
  Token next();
  std::size_t index() const { return count_; }  // tokens handed out so far

 private:
  int peek() const { return pos_ < text_.size() ? static_cast<unsigned char>(text_[pos_]) : -1; }
  Token make(Tok kind, std::size_t start, std::string text = {});
  Token number(std::size_t start);
  Token word(std::size_t start);
  Token quoted(std::size_t start, char close, bool escapes, const char* unterminated);

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t count_ = 0;
};

}  // namespace sextant::derive
