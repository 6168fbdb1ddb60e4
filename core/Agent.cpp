#include "core/Agent.h"

namespace sextant {

LabelSet Agent::labels(LabelLevel level, std::uint32_t) const {
  LabelSet s;
  if (level == LabelLevel::Domain) s.setString("agent", name());
  return s;
}

std::vector<std::pair<std::int32_t, LabelSet>> Agent::instanceLabels(InDom indom) {
  std::vector<std::pair<std::int32_t, LabelSet>> out;
  auto insts = instances(indom);
  if (insts)
    for (const auto& i : *insts) out.emplace_back(i.id, LabelSet{});
  return out;
}

}  // namespace sextant
