#pragma once
// Metric labels as PCP keeps them: flat JSON objects, keys sorted byte-wise
// (PCP wire protocol spec, section 4). Values are kept as JSON text.
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace sextant {

// The levels a value's labels are merged from, lowest precedence first; the numbers
// are PCP's flag bits.
enum class LabelLevel : unsigned { Context = 0x01, Domain = 0x02, InDom = 0x04, Cluster = 0x08, Item = 0x10, Instances = 0x20 };

class LabelSet {
 public:
  // Sets a label whose value is a string (quoted and escaped here).
  void setString(std::string name, std::string_view value);
  // Sets a label whose value is already JSON text (a number, true, false, null, a string).
  void setJson(std::string name, std::string json);
  // Adds every label of `other`, replacing ours with the same name.
  void merge(const LabelSet& other);

  bool empty() const { return labels_.empty(); }
  std::size_t size() const { return labels_.size(); }
  std::optional<std::string> json(std::string_view name) const;
  const std::map<std::string, std::string, std::less<>>& entries() const { return labels_; }

  // Compact JSON, keys sorted: {"agent":"linux","hostname":"vm"}
  std::string toJson() const;

  // A valid label name: a letter, then letters, digits or '_'.
  static bool validName(std::string_view name);

 private:
  std::map<std::string, std::string, std::less<>> labels_;
};

// A string as a JSON string literal, quotes included.
std::string jsonQuote(std::string_view s);

}  // namespace sextant
