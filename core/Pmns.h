#pragma once
// The performance metrics name space: a tree of dot-separated names whose leaves
// carry PMIDs (PCP wire protocol spec, section 6).
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/Expected.h"
#include "core/Ids.h"

namespace sextant {

class Pmns {
 public:
  struct Child {
    std::string name;  // last component only
    bool leaf = false;
  };

  Pmns();
  ~Pmns();
  Pmns(Pmns&&) noexcept;
  Pmns& operator=(Pmns&&) noexcept;

  // Adds a leaf. Fails (Error::Name) for a malformed name, for a name that is
  // already an inner node or passes through a leaf, and for a duplicate.
  Expected<bool> add(std::string_view name, Pmid pmid);

  Expected<Pmid> lookup(std::string_view name) const;      // Error::Name, or NonLeaf for an inner node
  std::vector<std::string> names(Pmid pmid) const;         // every name of a PMID, sorted
  Expected<std::vector<Child>> children(std::string_view name) const;  // "" is the root; a leaf has none
  // Every leaf name below `prefix` ("" for all), in depth-first sorted order; the
  // leaf itself for a leaf name; Error::Name if unknown.
  Expected<std::vector<std::string>> traverse(std::string_view prefix) const;
  std::size_t size() const { return byPmid_.size(); }

  // A valid name: components of a letter then letters, digits or '_', joined by '.'.
  static bool validName(std::string_view name);

 private:
  struct Node;
  const Node* find(std::string_view name) const;
  std::unique_ptr<Node> root_;
  std::multimap<Pmid, std::string> byPmid_;
};

}  // namespace sextant
