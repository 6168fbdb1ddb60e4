#include "core/Labels.h"

#include <cctype>
#include <cstdio>

namespace sextant {

std::string jsonQuote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + '"';
}

void LabelSet::setString(std::string name, std::string_view value) { labels_[std::move(name)] = jsonQuote(value); }
void LabelSet::setJson(std::string name, std::string json) { labels_[std::move(name)] = std::move(json); }

void LabelSet::merge(const LabelSet& other) {
  for (const auto& [k, v] : other.labels_) labels_[k] = v;
}

std::optional<std::string> LabelSet::json(std::string_view name) const {
  auto it = labels_.find(name);
  if (it == labels_.end()) return std::nullopt;
  return it->second;
}

std::string LabelSet::toJson() const {
  std::string out = "{";
  for (const auto& [k, v] : labels_) {
    if (out.size() > 1) out += ',';
    out += jsonQuote(k) + ':' + v;
  }
  return out + '}';
}

bool LabelSet::validName(std::string_view name) {
  if (name.empty() || !std::isalpha(static_cast<unsigned char>(name[0]))) return false;
  for (unsigned char c : name)
    if (!std::isalnum(c) && c != '_') return false;
  return true;
}

}  // namespace sextant
