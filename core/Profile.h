#pragma once
// Which instances a client wants, per instance domain (PCP's instance profile).
// The default profile asks for every instance of every domain; PCP's PROFILE PDU can
// also say "none but those listed" for domains without a rule.
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

  // What domains without a rule get: every instance (true, the default) or none.
  void setIncludeByDefault(bool all) { includeByDefault_ = all; }
  bool includeByDefault() const { return includeByDefault_; }

  bool accepts(InDom indom, std::int32_t inst) const {
    auto it = rules_.find(indom);
    if (it == rules_.end()) return includeByDefault_;
    return it->second.include == (it->second.insts.count(inst) != 0);
  }
  // True when every instance of every domain passes (nothing to filter).
  bool empty() const { return rules_.empty() && includeByDefault_; }

  struct Rule {
    bool include = true;  // true: only `insts`; false: all but `insts`
    std::set<std::int32_t> insts;
  };
  const std::map<InDom, Rule>& rules() const { return rules_; }

 private:
  std::map<InDom, Rule> rules_;
  bool includeByDefault_ = true;
};

}  // namespace sextant
