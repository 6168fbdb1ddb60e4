#include "core/CollectorContext.h"

namespace sextant {

CollectorContext::Step::Step(CollectorContext& c, bool refresh) : lock_(c.lock_) {
  if (lock_) lock_->lock();
  if (refresh) c.collector_.refresh();
}

CollectorContext::Step::~Step() {
  if (lock_) lock_->unlock();
}

std::vector<Expected<Pmid>> CollectorContext::lookup(std::span<const std::string> names) {
  Step step(*this);
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

Expected<std::vector<std::string>> CollectorContext::traverse(std::string_view prefix) {
  Step step(*this);
  auto names = collector_.pmns().traverse(prefix);
  if (!names) return Failure{names.error(), std::string(prefix)};
  return names;
}

Expected<std::vector<Pmns::Child>> CollectorContext::children(std::string_view name) {
  Step step(*this);
  auto kids = collector_.pmns().children(name);
  if (!kids) return Failure{kids.error(), std::string(name)};
  return kids;
}

Expected<std::string> CollectorContext::nameOf(Pmid pmid) {
  Step step(*this);
  auto names = collector_.pmns().names(pmid);
  if (names.empty()) return Failure{Error::Pmid, pmid.toString()};
  return names.front();
}

Expected<Descriptor> CollectorContext::descriptor(Pmid pmid) {
  Step step(*this, false);
  return collector_.descriptor(pmid);
}

Expected<std::string> CollectorContext::helpText(Pmid pmid, bool longHelp) {
  Step step(*this, false);
  return collector_.helpText(pmid, longHelp);
}

Expected<std::string> CollectorContext::helpText(InDom indom, bool longHelp) {
  Step step(*this, false);
  return collector_.helpText(indom, longHelp);
}

Expected<std::vector<Instance>> CollectorContext::instances(InDom indom) {
  Step step(*this);
  return collector_.instances(indom);
}

Expected<FetchResult> CollectorContext::fetch(std::span<const Pmid> pmids) {
  Step step(*this);
  return collector_.fetch(pmids);
}

int CollectorContext::store(Pmid pmid, const std::vector<InstanceValue>& values) {
  Step step(*this, false);
  return collector_.store(pmid, values);
}

Expected<LabelSet> CollectorContext::labels(LabelLevel level, std::uint32_t ident) {
  Step step(*this, false);
  return collector_.labels(level, ident);
}

Expected<std::vector<std::pair<std::int32_t, LabelSet>>> CollectorContext::instanceLabels(InDom indom) {
  Step step(*this, false);
  return collector_.instanceLabels(indom);
}

}  // namespace sextant
