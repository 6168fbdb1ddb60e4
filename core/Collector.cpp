#include "core/Collector.h"

#include <algorithm>

namespace sextant {

Collector::Collector() = default;
Collector::~Collector() = default;

Expected<bool> Collector::addAgent(std::unique_ptr<Agent> agent) {
  const unsigned d = agent->domain();
  const std::string who = std::string(agent->name()) + " (domain " + std::to_string(d) + ")";
  // Domain 0 is reserved and 511 is PCP's client-side derived-metric domain (spec 3.1).
  if (d == 0 || d >= 511) return Failure{Error::NoAgent, who + ": domain must be between 1 and 510"};
  if (agents_.count(d)) return Failure{Error::NoAgent, who + ": domain already taken"};
  Pmns trial = Pmns();
  // Validate every name against the existing space first so that a failure adds nothing.
  for (const auto& m : agent->metrics()) {
    if (m.desc.pmid.domain() != d) return Failure{Error::Pmid, who + ": " + m.name + " has PMID " + m.desc.pmid.toString()};
    if (metrics_.count(m.desc.pmid)) return Failure{Error::Pmid, who + ": " + m.name + " reuses PMID " + m.desc.pmid.toString()};
    auto clash = pmns_.lookup(m.name);
    if (clash.ok() || clash.error() == Error::NonLeaf) return Failure{Error::Name, who + ": " + m.name + " is already in the name space"};
    if (auto r = trial.add(m.name, m.desc.pmid); !r) return Failure{Error::Name, who + ": " + r.failure().message()};
  }
  for (const auto& m : agent->metrics()) {
    if (auto r = pmns_.add(m.name, m.desc.pmid); !r) return Failure{Error::Name, who + ": " + r.failure().message()};
    metrics_[m.desc.pmid] = &m;
  }
  for (const auto& i : agent->indoms()) indoms_[i.indom] = &i;
  agents_[d] = std::move(agent);
  return true;
}

std::vector<unsigned> Collector::refresh() {
  std::vector<unsigned> changed;
  for (const auto& [d, a] : agents_)
    if (a->refresh()) changed.push_back(d);
  if (!changed.empty()) rebuild();
  return changed;
}

void Collector::rebuild() {
  // Rebuilt whole, in domain order: agents are few and changes rare (a file appearing).
  pmns_ = Pmns();
  metrics_.clear();
  indoms_.clear();
  for (const auto& [d, a] : agents_) {
    for (const auto& m : a->metrics()) {
      if (m.desc.pmid.domain() != d || metrics_.count(m.desc.pmid)) continue;
      if (pmns_.add(m.name, m.desc.pmid)) metrics_[m.desc.pmid] = &m;
    }
    for (const auto& i : a->indoms()) indoms_[i.indom] = &i;
  }
}

Agent* Collector::agentFor(unsigned domain) const {
  auto it = agents_.find(domain);
  return it == agents_.end() ? nullptr : it->second.get();
}

Agent* Collector::agent(unsigned domain) const { return agentFor(domain); }

std::vector<Agent*> Collector::agents() const {
  std::vector<Agent*> out;
  for (const auto& [d, a] : agents_) out.push_back(a.get());
  return out;
}

Expected<const MetricInfo*> Collector::metric(Pmid pmid) const {
  auto it = metrics_.find(pmid);
  if (it == metrics_.end()) {
    if (!agentFor(pmid.domain())) return Failure{Error::NoAgent, pmid.toString()};
    return Failure{Error::Pmid, pmid.toString()};
  }
  return it->second;
}

Expected<Descriptor> Collector::descriptor(Pmid pmid) const {
  auto m = metric(pmid);
  if (!m) return m.failure();
  return (*m)->desc;
}

Expected<std::string> Collector::helpText(Pmid pmid, bool longHelp) const {
  auto m = metric(pmid);
  if (!m) return m.failure();
  const MetricInfo& info = **m;
  if (longHelp && !info.longHelp.empty()) return info.longHelp;
  if (info.oneLine.empty()) return Failure{Error::Text, pmid.toString()};
  return info.oneLine;
}

Expected<std::string> Collector::helpText(InDom indom, bool longHelp) const {
  auto it = indoms_.find(indom);
  if (it == indoms_.end()) return Failure{Error::InDom, indom.toString()};
  if (longHelp && !it->second->longHelp.empty()) return it->second->longHelp;
  if (it->second->oneLine.empty()) return Failure{Error::Text, indom.toString()};
  return it->second->oneLine;
}

Expected<std::vector<Instance>> Collector::instances(InDom indom) const {
  Agent* a = agentFor(indom.domain());
  if (!a || !indoms_.count(indom)) return Failure{Error::InDom, indom.toString()};
  return a->instances(indom);
}

FetchResult Collector::fetch(std::span<const Pmid> pmids, const Profile& profile) const {
  FetchResult result;
  fetch(pmids, profile, result);
  return result;
}

namespace {

// An agent that rewrote a set's PMID broke its contract: that set is an error.
void checkPmids(std::span<const Pmid> pmids, std::span<ValueSet> sets) {
  for (std::size_t i = 0; i < pmids.size(); ++i)
    if (sets[i].pmid != pmids[i]) {
      sets[i] = ValueSet{pmids[i], static_cast<int>(Error::Generic), {}};
    }
}

}  // namespace

void Collector::fetch(std::span<const Pmid> pmids, const Profile& profile, FetchResult& into) const {
  into.timestamp = std::chrono::system_clock::now();
  prepareSets(pmids, into.sets);
  if (pmids.empty()) return;

  // Most requests name one domain: its agent fills the result in place.
  const unsigned first = pmids.front().domain();
  if (std::all_of(pmids.begin(), pmids.end(), [&](Pmid p) { return p.domain() == first; })) {
    Agent* a = agentFor(first);
    if (!a) {
      for (ValueSet& s : into.sets) s.status = static_cast<int>(Error::NoAgent);
      return;
    }
    a->fetch(pmids, profile, into.sets);
    checkPmids(pmids, into.sets);
    return;
  }

  // Several domains: each agent is called once, on its share of the request.
  std::map<unsigned, std::vector<std::size_t>> byDomain;
  for (std::size_t i = 0; i < pmids.size(); ++i) byDomain[pmids[i].domain()].push_back(i);
  std::vector<Pmid> ask;
  std::vector<ValueSet> answer;
  for (const auto& [domain, positions] : byDomain) {
    Agent* a = agentFor(domain);
    if (!a) {
      for (std::size_t i : positions) into.sets[i].status = static_cast<int>(Error::NoAgent);
      continue;
    }
    ask.clear();
    for (std::size_t i : positions) ask.push_back(pmids[i]);
    prepareSets(ask, answer);
    a->fetch(ask, profile, answer);
    checkPmids(ask, answer);
    for (std::size_t k = 0; k < positions.size(); ++k) std::swap(into.sets[positions[k]], answer[k]);
  }
}

int Collector::store(Pmid pmid, const std::vector<InstanceValue>& values) {
  Agent* a = agentFor(pmid.domain());
  if (!a || !metrics_.count(pmid)) return static_cast<int>(Error::Pmid);
  return a->store(pmid, values);
}

Expected<LabelSet> Collector::labels(LabelLevel level, std::uint32_t ident) const {
  switch (level) {
    case LabelLevel::Context: return contextLabels_;
    case LabelLevel::Domain: {
      Agent* a = agentFor(ident);
      if (!a) return Failure{Error::NoAgent, "domain " + std::to_string(ident)};
      return a->labels(level, ident);
    }
    case LabelLevel::InDom:
    case LabelLevel::Instances: {
      InDom indom(ident);
      Agent* a = agentFor(indom.domain());
      if (!a || !indoms_.count(indom)) return Failure{Error::InDom, indom.toString()};
      return a->labels(level, ident);
    }
    case LabelLevel::Cluster:
    case LabelLevel::Item: {
      Pmid pmid(ident);
      Agent* a = agentFor(pmid.domain());
      if (!a) return Failure{Error::NoAgent, pmid.toString()};
      if (level == LabelLevel::Item && !metrics_.count(pmid)) return Failure{Error::Pmid, pmid.toString()};
      return a->labels(level, ident);
    }
  }
  return Failure{Error::Type, "label level"};
}

Expected<std::vector<std::pair<std::int32_t, LabelSet>>> Collector::instanceLabels(InDom indom) const {
  Agent* a = agentFor(indom.domain());
  if (!a || !indoms_.count(indom)) return Failure{Error::InDom, indom.toString()};
  return a->instanceLabels(indom);
}

}  // namespace sextant
