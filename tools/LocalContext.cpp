#include "tools/LocalContext.h"

namespace sextant {

Expected<std::unique_ptr<LocalContext>> LocalContext::open(const PlatformOptions& options, LabelSet contextLabels,
                                                           std::string hostName) {
  std::unique_ptr<LocalContext> ctx(new LocalContext(std::move(hostName)));
  for (auto& agent : makePlatformAgents(options)) {
    if (auto added = ctx->collector_.addAgent(std::move(agent)); !added) return added.failure();
  }
  ctx->collector_.setContextLabels(std::move(contextLabels));
  return ctx;
}

std::vector<Expected<Pmid>> LocalContext::lookup(std::span<const std::string> names) {
  std::vector<Expected<Pmid>> out;
  out.reserve(names.size());
  for (const auto& name : names) {
    auto pmid = collector_.lookup(name);
    if (!pmid) {
      out.emplace_back(Failure{pmid.error(), name});
    } else {
      out.emplace_back(*pmid);
    }
  }
  return out;
}

Expected<std::vector<std::string>> LocalContext::traverse(std::string_view prefix) {
  auto names = collector_.pmns().traverse(prefix);
  if (!names) return Failure{names.error(), std::string(prefix)};
  return names;
}

Expected<std::vector<Pmns::Child>> LocalContext::children(std::string_view name) {
  auto kids = collector_.pmns().children(name);
  if (!kids) return Failure{kids.error(), std::string(name)};
  return kids;
}

Expected<Descriptor> LocalContext::descriptor(Pmid pmid) { return collector_.descriptor(pmid); }
Expected<std::string> LocalContext::helpText(Pmid pmid, bool longHelp) { return collector_.helpText(pmid, longHelp); }
Expected<std::string> LocalContext::helpText(InDom indom, bool longHelp) {
  return collector_.helpText(indom, longHelp);
}
Expected<std::vector<Instance>> LocalContext::instances(InDom indom) { return collector_.instances(indom); }
Expected<FetchResult> LocalContext::fetch(std::span<const Pmid> pmids) { return collector_.fetch(pmids); }
Expected<LabelSet> LocalContext::labels(LabelLevel level, std::uint32_t ident) {
  return collector_.labels(level, ident);
}
Expected<std::vector<std::pair<std::int32_t, LabelSet>>> LocalContext::instanceLabels(InDom indom) {
  return collector_.instanceLabels(indom);
}

}  // namespace sextant
