#pragma once
// Query strings as pmproxy reads them (PMWEBAPI spec section 1): name=value pairs split
// on '&', percent-decoded with '+' as a space; the first of a repeated name wins; a name
// without '=' is present with an empty value. Lists are comma-separated with empty
// elements dropped.
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sextant::web {

class Params {
 public:
  static Params parse(std::string_view query);
  // The first value given for `name`, or null when absent.
  const std::string* get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name) != nullptr; }
  // The first of several synonyms that is present ("hostspec", then "hostname").
  const std::string* first(std::initializer_list<std::string_view> names) const;
  void add(std::string name, std::string value) { items_.emplace_back(std::move(name), std::move(value)); }
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// %XX and '+' decoding; a '%' not followed by two hex digits is kept as it is.
std::string percentDecode(std::string_view text);
// "a,,b" -> {"a", "b"}.
std::vector<std::string> splitList(std::string_view text);

}  // namespace sextant::web
