#include "core/Agent.h"

namespace sextant {

LabelSet Agent::labels(LabelLevel level, std::uint32_t) const {
  LabelSet s;
  if (level == LabelLevel::Domain) s.setString("agent", name());
  return s;
}

int Agent::store(Pmid, const std::vector<InstanceValue>&) { return static_cast<int>(Error::Permission); }

std::vector<std::pair<std::int32_t, LabelSet>> Agent::instanceLabels(InDom indom) {
  std::vector<std::pair<std::int32_t, LabelSet>> out;
  auto insts = instances(indom);
  if (insts)
    for (const auto& i : *insts) out.emplace_back(i.id, LabelSet{});
  return out;
}

}  // namespace sextant
