#pragma once
// Which instances a client wants, per instance domain (PCP's instance profile).
// The default profile asks for every instance of every domain.
#include <cstdint>
#include <map>
#include <set>

#include "core/Ids.h"

namespace sextant {

class Profile {
 public:
  // Only these instances of `indom` (an empty set: none at all).
  void include(InDom indom, std::set<std::int32_t> insts) { rules_[indom] = {true, std::move(insts)}; }
  // Every instance of `indom` except these.
  void exclude(InDom indom, std::set<std::int32_t> insts) { rules_[indom] = {false, std::move(insts)}; }
  // Back to every instance of `indom`.
  void includeAll(InDom indom) { rules_.erase(indom); }

  bool accepts(InDom indom, std::int32_t inst) const {
    auto it = rules_.find(indom);
    if (it == rules_.end()) return true;
    return it->second.include == (it->second.insts.count(inst) != 0);
  }
  bool empty() const { return rules_.empty(); }

 private:
  struct Rule {
    bool include = true;
    std::set<std::int32_t> insts;
  };
  std::map<InDom, Rule> rules_;
};

}  // namespace sextant
