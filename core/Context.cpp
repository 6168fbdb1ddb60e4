#include "core/Context.h"

namespace sextant {

Context::~Context() = default;

Expected<bool> Context::fetchInto(std::span<const Pmid> pmids, FetchResult& out) {
  auto result = fetch(pmids);
  if (!result) return result.failure();
  out = std::move(*result);
  return true;
}

Expected<bool> Context::startFetch(std::span<const Pmid> pmids) {
  if (pmids.data() != asked_.data()) asked_.assign(pmids.begin(), pmids.end());
  return true;
}

Expected<bool> Context::finishFetch(FetchResult& out) { return fetchInto(asked_, out); }

LabelSet metricLabels(Context& context, const Descriptor& desc) {
  LabelSet merged;
  auto add = [&](LabelLevel level, std::uint32_t ident) {
    if (auto set = context.labels(level, ident); set.ok()) merged.merge(*set);
  };
  add(LabelLevel::Context, 0);
  add(LabelLevel::Domain, desc.pmid.domain());
  if (!desc.indom.isNull()) add(LabelLevel::InDom, desc.indom.raw());
  add(LabelLevel::Cluster, desc.pmid.raw());
  add(LabelLevel::Item, desc.pmid.raw());
  return merged;
}

}  // namespace sextant
