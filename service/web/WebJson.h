#pragma once
// JSON text as pmproxy writes it (PMWEBAPI spec section 5): compact, strings with '"',
// '\' and control characters as \u00XX escapes, floats with 8 significant digits and
// doubles with 16. Unlike pmproxy, non-ASCII text stays valid UTF-8 (bytes that are not
// UTF-8 become U+FFFD) and NaN or infinities are null (spec 13, items 3 and 15).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/Value.h"
#include "tools/JsonWriter.h"

namespace sextant::web {

class Json {
 public:
  Json() { w_.reserve(2048); }  // most replies fit: no growing on the way
  Json& beginObject();
  Json& endObject();
  Json& beginArray();
  Json& endArray();
  Json& key(std::string_view k);
  Json& string(std::string_view s);
  Json& integer(std::int64_t n);
  Json& unsignedInteger(std::uint64_t n);
  Json& floating(float f);
  Json& floating(double d);
  Json& boolean(bool b);
  Json& null();
  // Text that is already JSON (a label set, a number spelled elsewhere).
  Json& raw(std::string_view json);
  // A metric value in its own type; strings quoted.
  Json& value(const Value& v);

  const std::string& text() const { return w_.text(); }
  std::string take() { return w_.take(); }

 private:
  Json& formatted(double d, int digits);
  cli::JsonWriter w_;  // commas and nesting; strings and numbers are spelled here
};

// The escaped body of a JSON string, without the quotes.
void appendEscaped(std::string& out, std::string_view s);

}  // namespace sextant::web
