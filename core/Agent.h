#pragma once
// An Agent owns one domain number, as a PCP PMDA does: its metric table with help
// text, its instance domains, and a fetch of current values. OS backends, the MMV
// reader and the self-metrics agent are all Agents.
//
// Agents never throw across this interface: every failure is an Error value.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/Descriptor.h"
#include "core/Expected.h"
#include "core/Labels.h"
#include "core/Profile.h"
#include "core/Value.h"

namespace sextant {

struct Instance {
  std::int32_t id = kNullInstance;
  std::string name;
  bool operator==(const Instance&) const = default;
};

class Agent {
 public:
  virtual ~Agent() = default;

  virtual unsigned domain() const = 0;
  virtual std::string_view name() const = 0;  // e.g. "linux"; the domain label's "agent"
  virtual const std::vector<MetricInfo>& metrics() const = 0;
  virtual const std::vector<InDomInfo>& indoms() const = 0;

  // The current instances of one of this agent's instance domains.
  virtual Expected<std::vector<Instance>> instances(InDom indom) = 0;

  // Fills out[i] with the values of pmids[i]. The caller readies `out` with
  // prepareSets(): one set per PMID, status 0, no values, the values' storage of an
  // earlier fetch kept, so that a repeated fetch need not allocate. Every PMID belongs to
  // this agent's domain. Unknown PMIDs get Error::Pmid, metrics this machine cannot
  // give get Error::Value or Error::AppVersion; instances the profile rejects are left out.
  virtual void fetch(std::span<const Pmid> pmids, const Profile& profile, std::span<ValueSet> out) = 0;

  // Agents whose metrics come and go (the MMV agent: one set of names per file) re-read
  // their sources here, at their own pace, and return true when metrics() or indoms()
  // changed; Collector::refresh then rebuilds the name space. Static agents keep the default.
  virtual bool refresh() { return false; }

  // A client's store (pmStore) of `values`, already of the metric's type. Returns 0 or an
  // Error code; by default every metric is read-only (Error::Permission, as PCP's agents).
  virtual int store(Pmid pmid, const std::vector<InstanceValue>& values);

  // Labels at the domain, indom, cluster, item or instance level. The default gives
  // the domain level {"agent": name()} and nothing else.
  virtual LabelSet labels(LabelLevel level, std::uint32_t ident) const;
  // Labels of each instance of `indom` (for LabelLevel::Instances), by instance id.
  virtual std::vector<std::pair<std::int32_t, LabelSet>> instanceLabels(InDom indom);
};

}  // namespace sextant
