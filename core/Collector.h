#pragma once
// The Collector routes requests to agents, as PCP's pmcd does: it owns the name
// space built from every agent's metric table, asks each agent only for its own
// domain's PMIDs, and merges the answers in request order.
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/Agent.h"
#include "core/Pmns.h"

namespace sextant {

class Collector {
 public:
  Collector();
  ~Collector();
  Collector(const Collector&) = delete;
  Collector& operator=(const Collector&) = delete;

  // Adds an agent and its names. Fails if the domain is taken or is 0 or 511, or a
  // name clashes; then nothing of the agent is added.
  Expected<bool> addAgent(std::unique_ptr<Agent> agent);
  Agent* agent(unsigned domain) const;
  // Asks every agent to refresh (Agent::refresh) and rebuilds the name space, metric and
  // indom tables if any changed; returns the domains that changed. A dynamic agent's name
  // that clashes with another agent's is left out of the name space (first agent wins).
  // Pointers from metric() and pmns() are invalid after a refresh that changed anything.
  std::vector<unsigned> refresh();
  std::vector<Agent*> agents() const;

  const Pmns& pmns() const { return pmns_; }
  Expected<Pmid> lookup(std::string_view name) const { return pmns_.lookup(name); }
  Expected<const MetricInfo*> metric(Pmid pmid) const;
  Expected<Descriptor> descriptor(Pmid pmid) const;
  // One-line (longHelp false) or long help of a metric; long falls back to one-line.
  Expected<std::string> helpText(Pmid pmid, bool longHelp) const;
  Expected<std::string> helpText(InDom indom, bool longHelp) const;
  Expected<std::vector<Instance>> instances(InDom indom) const;

  // One value set per PMID, in order, stamped with the collector's clock.
  FetchResult fetch(std::span<const Pmid> pmids, const Profile& profile = {}) const;
  // The same into `into`, reusing its storage: a server fetching the same metrics again
  // and again allocates next to nothing.
  void fetch(std::span<const Pmid> pmids, const Profile& profile, FetchResult& into) const;

  // Hands a store to the metric's agent: 0 or an Error code (Error::Pmid if unknown).
  int store(Pmid pmid, const std::vector<InstanceValue>& values);

  // Labels of one level. Context: this host; Domain: by domain number; InDom: by
  // indom; Cluster and Item: by PMID.
  Expected<LabelSet> labels(LabelLevel level, std::uint32_t ident) const;
  Expected<std::vector<std::pair<std::int32_t, LabelSet>>> instanceLabels(InDom indom) const;
  // The context labels (hostname and friends); set by whoever builds the collector.
  void setContextLabels(LabelSet labels) { contextLabels_ = std::move(labels); }

 private:
  Agent* agentFor(unsigned domain) const;
  void rebuild();
  std::map<unsigned, std::unique_ptr<Agent>> agents_;
  std::map<Pmid, const MetricInfo*> metrics_;
  std::map<InDom, const InDomInfo*> indoms_;
  Pmns pmns_;
  LabelSet contextLabels_;
};

}  // namespace sextant
