#include "core/TableAgent.h"

#include <algorithm>

namespace sextant {

// How recent a group's reading must be for an instance list to reuse it.
constexpr auto kInstanceReuse = std::chrono::milliseconds(50);

TableAgent::TableAgent(unsigned domain, std::string name, const std::vector<MetricInfo>& rows,
                       const std::vector<InDomInfo>& indoms, std::vector<std::unique_ptr<SourceGroup>> groups)
    : domain_(domain), name_(std::move(name)), groups_(std::move(groups)), readAt_(groups_.size()) {
  std::map<std::string_view, const MetricInfo*> byName;
  for (const auto& r : rows)
    if (r.desc.pmid.domain() == domain_) byName[r.name] = &r;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    for (auto& b : groups_[g]->bindings()) {
      auto it = byName.find(b.name);
      if (it == byName.end()) {
        bindingErrors_.push_back(b.name);
        continue;
      }
      const MetricInfo& row = *it->second;
      if (slots_.count(row.desc.pmid)) continue;  // first binding wins
      slots_[row.desc.pmid] = Slot{g, std::move(b.fill), row.desc.indom, row.desc.type};
      metrics_.push_back(row);
    }
  }
  std::sort(metrics_.begin(), metrics_.end(), [](const MetricInfo& a, const MetricInfo& b) { return a.name < b.name; });
  for (const auto& i : indoms)
    if (i.indom.domain() == domain_) indoms_.push_back(i);
}

Expected<std::vector<Instance>> TableAgent::instances(InDom indom) {
  for (std::size_t k = 0; k < groups_.size(); ++k) {
    SourceGroup& g = *groups_[k];
    auto owned = g.ownedInDoms();
    if (std::find(owned.begin(), owned.end(), indom) == owned.end()) continue;
    const auto now = std::chrono::steady_clock::now();
    if (now - readAt_[k] > kInstanceReuse) {
      if (int rc = g.refresh(); rc < 0) return Failure{static_cast<Error>(rc), indom.toString()};
      readAt_[k] = now;
    }
    return g.instances(indom);
  }
  return Failure{Error::InDom, indom.toString()};
}

void TableAgent::fetch(std::span<const Pmid> pmids, const Profile& profile, std::span<ValueSet> out) {
  std::vector<int> refreshed(groups_.size(), 1);  // 1 = not yet refreshed this fetch
  for (std::size_t i = 0; i < pmids.size(); ++i) {
    ValueSet& set = out[i];
    auto it = slots_.find(pmids[i]);
    if (it == slots_.end()) {
      set.status = static_cast<int>(Error::Pmid);
      continue;
    }
    const Slot& slot = it->second;
    int& rc = refreshed[slot.group];
    if (rc == 1) {
      rc = groups_[slot.group]->refresh();
      if (rc >= 0) readAt_[slot.group] = std::chrono::steady_clock::now();
    }
    if (rc < 0) {
      set.status = rc;
    } else {
      slot.fill(set);
      // Values always carry the descriptor's type, whatever the fill produced: the
      // wire encodings depend on it (spec 3.8).
      for (auto& v : set.values)
        if (valueTypeOf(v.value) != slot.type) v.value = convertTo(v.value, slot.type);
      if (set.status >= 0 && !slot.indom.isNull() && !profile.empty()) {
        std::erase_if(set.values, [&](const InstanceValue& v) { return !profile.accepts(slot.indom, v.inst); });
      }
    }
    if (set.status < 0) set.values.clear();
  }
}

}  // namespace sextant
