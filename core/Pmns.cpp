#include "core/Pmns.h"

#include <algorithm>
#include <cctype>

namespace sextant {

struct Pmns::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> children;
  Pmid pmid;  // set for a leaf
  bool leaf() const { return !pmid.isNull(); }
};

Pmns::Pmns() : root_(std::make_unique<Node>()) {}
Pmns::~Pmns() = default;
Pmns::Pmns(Pmns&&) noexcept = default;
Pmns& Pmns::operator=(Pmns&&) noexcept = default;

namespace {

template <class F>
void forEachComponent(std::string_view name, F&& f) {
  std::size_t start = 0;
  while (true) {
    std::size_t dot = name.find('.', start);
    f(name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) return;
    start = dot + 1;
  }
}

}  // namespace

bool Pmns::validName(std::string_view name) {
  if (name.empty()) return false;
  bool ok = true;
  forEachComponent(name, [&](std::string_view c) {
    if (c.empty() || !std::isalpha(static_cast<unsigned char>(c[0]))) ok = false;
    for (unsigned char ch : c)
      if (!std::isalnum(ch) && ch != '_') ok = false;
  });
  return ok;
}

Expected<bool> Pmns::add(std::string_view name, Pmid pmid) {
  if (!validName(name) || pmid.isNull()) return Failure{Error::Name, std::string(name)};
  Node* node = root_.get();
  bool clash = false;
  forEachComponent(name, [&](std::string_view c) {
    if (clash) return;
    if (node->leaf()) { clash = true; return; }
    auto it = node->children.find(c);
    if (it == node->children.end()) it = node->children.emplace(std::string(c), std::make_unique<Node>()).first;
    node = it->second.get();
  });
  if (clash || node->leaf() || !node->children.empty()) return Failure{Error::Name, std::string(name) + " clashes with an existing name"};
  node->pmid = pmid;
  byPmid_.emplace(pmid, std::string(name));
  return true;
}

const Pmns::Node* Pmns::find(std::string_view name) const {
  const Node* node = root_.get();
  if (name.empty()) return node;
  forEachComponent(name, [&](std::string_view c) {
    if (!node) return;
    auto it = node->children.find(c);
    node = it == node->children.end() ? nullptr : it->second.get();
  });
  return node;
}

Expected<Pmid> Pmns::lookup(std::string_view name) const {
  const Node* n = find(name);
  if (!n || name.empty()) return Failure{Error::Name, std::string(name)};
  if (!n->leaf()) return Failure{Error::NonLeaf, std::string(name)};
  return n->pmid;
}

std::vector<std::string> Pmns::names(Pmid pmid) const {
  std::vector<std::string> out;
  auto [lo, hi] = byPmid_.equal_range(pmid);
  for (auto it = lo; it != hi; ++it) out.push_back(it->second);
  std::sort(out.begin(), out.end());
  return out;
}

Expected<std::vector<Pmns::Child>> Pmns::children(std::string_view name) const {
  const Node* n = find(name);
  if (!n) return Failure{Error::Name, std::string(name)};
  std::vector<Child> out;
  for (const auto& [k, child] : n->children) out.push_back({k, child->leaf()});
  return out;
}

Expected<std::vector<std::string>> Pmns::traverse(std::string_view prefix) const {
  const Node* start = find(prefix);
  if (!start) return Failure{Error::Name, std::string(prefix)};
  std::vector<std::string> out;
  std::string path(prefix);
  auto walk = [&](auto&& self, const Node* n) -> void {
    if (n->leaf()) { out.push_back(path); return; }
    for (const auto& [k, child] : n->children) {
      std::size_t keep = path.size();
      if (!path.empty()) path += '.';
      path += k;
      self(self, child.get());
      path.resize(keep);
    }
  };
  walk(walk, start);
  return out;
}

}  // namespace sextant
