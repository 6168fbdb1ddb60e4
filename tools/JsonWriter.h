#pragma once
// A streaming JSON writer that places the commas: begin/end objects and arrays, keys,
// and values. Numbers that JSON cannot hold (NaN, infinities) are written as null.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sextant::cli {

class JsonWriter {
 public:
  JsonWriter& beginObject();
  JsonWriter& endObject();
  JsonWriter& beginArray();
  JsonWriter& endArray();
  JsonWriter& key(std::string_view k);
  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(std::int64_t n);
  JsonWriter& value(std::uint64_t n);
  JsonWriter& value(double d);  // shortest text that reads back as the same double
  JsonWriter& value(float f);   // shortest text that reads back as the same float
  JsonWriter& value(bool b);
  JsonWriter& null();
  // Text that is already JSON, written as it is: a value, or a key with its quotes
  // (for writers that spell strings or numbers their own way).
  JsonWriter& raw(std::string_view json);
  JsonWriter& rawKey(std::string_view quoted);
  // The same without a copy: element() places the comma and gives the text to append an
  // element's JSON to; after a key appended so, endKey() writes its ':'.
  std::string& element() {
    separate();
    return out_;
  }
  JsonWriter& endKey();

  void reserve(std::size_t bytes) { out_.reserve(bytes); }
  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }  // the text, leaving the writer empty

 private:
  void separate();  // a comma before every element but the first of its container
  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool afterKey_ = false;
};

}  // namespace sextant::cli
