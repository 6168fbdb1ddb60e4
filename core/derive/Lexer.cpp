#include "core/derive/Lexer.h"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <utility>

namespace sextant::derive {
namespace {

// The C locale's classes, as libpcp's lexer sees them (bytes >= 0x80 are none of these).
bool isSpace(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool isDigit(int c) { return c >= '0' && c <= '9'; }
bool isAlpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

struct FunctionName {
  std::string_view name;
  bool supported;
  Op op;
};
// PCP 6.0.3's function table: a name is a function only when '(' follows at once.
constexpr std::array<FunctionName, 14> kFunctions = {{
    {"avg", true, Op::Avg},         {"count", true, Op::Count},   {"delta", true, Op::Delta},
    {"max", true, Op::Max},         {"min", true, Op::Min},       {"sum", true, Op::Sum},
    {"anon", false, Op::Rate},      {"rate", true, Op::Rate},     {"instant", true, Op::Instant},
    {"mkconst", false, Op::Rate},   {"rescale", false, Op::Rate}, {"defined", false, Op::Rate},
    {"matchinst", false, Op::Rate}, {"scalar", false, Op::Rate},
}};

}  // namespace

Token Lexer::make(Tok kind, std::size_t start, std::string text) {
  Token t;
  t.kind = kind;
  t.position = start;
  t.text = std::move(text);
  return t;
}

Token Lexer::next() {
  ++count_;
  while (isSpace(peek())) ++pos_;
  if (pos_ >= text_.size()) {
    // libpcp points at the last character for the end of the text (lexicon = &string[-1]);
    // for an empty text that is one before the start, which it prints as a caret after
    // one space.
    return make(Tok::Eos, text_.empty() ? 1 : text_.size() - 1);
  }
  std::size_t start = pos_;
  int c = peek();
  if (isDigit(c) || c == '.') return number(start);
  if (isAlpha(c)) return word(start);
  ++pos_;
  int n = peek();
  auto two = [&](char second, Tok pair, Tok single) {
    if (n == second) {
      ++pos_;
      return make(pair, start);
    }
    return make(single, start, single == Tok::Error ? "Illegal character" : "");
  };
  switch (c) {
    case '+': return make(Tok::Plus, start);
    case '-': return make(Tok::Minus, start);
    case '*': return make(Tok::Star, start);
    case '/': return make(Tok::Slash, start);
    case '(': return make(Tok::LParen, start);
    case ')': return make(Tok::RParen, start);
    case '?': return make(Tok::Quest, start);
    case ':': return make(Tok::Colon, start);
    case ',': return make(Tok::Comma, start);
    case '<': return two('=', Tok::Le, Tok::Lt);
    case '>': return two('=', Tok::Ge, Tok::Gt);
    case '=': return two('=', Tok::Eq, Tok::Assign);
    case '!': return two('=', Tok::Ne, Tok::Not);
    case '&': return two('&', Tok::And, Tok::Error);
    case '|': return two('|', Tok::Or, Tok::Error);
    case '"': return quoted(start, '"', false, "unterminated STRING");
    case '[': return quoted(start, ']', true, "unterminated instance name");
    default: return make(Tok::Error, start, "Illegal character");
  }
}

Token Lexer::number(std::size_t start) {
  bool real = peek() == '.';
  ++pos_;
  while (true) {
    int c = peek();
    if (isDigit(c)) {
      ++pos_;
    } else if (c == '.' && !real) {
      real = true;
      ++pos_;
    } else {
      break;
    }
  }
  std::string digits(text_.substr(start, pos_ - start));
  if (real) return make(Tok::Double, start, std::move(digits));
  // Integer constants are unsigned 32-bit (pmRegisterDerived(3)).
  // strtoull saturates on overflow, so a long run of digits is caught too.
  if (std::strtoull(digits.c_str(), nullptr, 10) > 0xFFFFFFFFull) return make(Tok::Error, start, "Constant value too large");
  return make(Tok::Integer, start, std::move(digits));
}

Token Lexer::word(std::size_t start) {
  while (true) {
    int c = peek();
    if (!(isAlpha(c) || isDigit(c) || c == '_' || c == '.')) break;
    ++pos_;
  }
  std::string name(text_.substr(start, pos_ - start));
  if (peek() == '(') {
    for (const auto& f : kFunctions) {
      if (f.name == name) {
        Token t = make(Tok::Function, start, std::move(name));
        t.supported = f.supported;
        t.function = f.op;
        return t;
      }
    }
  }
  if (name == "type" || name == "semantics" || name == "units") return make(Tok::Keyword, start, std::move(name));
  return make(Tok::Name, start, std::move(name));
}

Token Lexer::quoted(std::size_t start, char close, bool escapes, const char* unterminated) {
  std::string body;
  bool escaped = false;
  while (pos_ < text_.size()) {
    char c = text_[pos_++];
    if (escaped) {
      body += c;
      escaped = false;
    } else if (escapes && c == '\\') {
      escaped = true;
    } else if (c == close) {
      return make(close == '"' ? Tok::String : Tok::InstName, start, std::move(body));
    } else {
      body += c;
    }
  }
  return make(Tok::Error, start, unterminated);
}

}  // namespace sextant::derive
