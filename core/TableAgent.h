#pragma once
// An Agent built from catalog rows and source groups, the shape every OS backend
// takes. A SourceGroup reads one or a few related OS sources (PCP calls these
// clusters) into a snapshot and binds catalog metric names to functions that answer
// from that snapshot. A fetch refreshes only the groups whose metrics were asked for,
// once each, then fills every requested metric from the fresh snapshots.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/Agent.h"

namespace sextant {

// Fills one metric's values from the owning group's last snapshot. Push one
// InstanceValue per instance (kNullInstance for a singular metric), or set
// `set.status` to an Error code (e.g. Error::Value when this machine lacks it).
using FillFn = std::function<void(ValueSet& set)>;

struct Binding {
  std::string name;  // full catalog name
  FillFn fill;
};

class SourceGroup {
 public:
  virtual ~SourceGroup() = default;
  // The metrics this group answers. Called once, when the agent is built.
  virtual std::vector<Binding> bindings() = 0;
  // Re-reads the sources. 0 on success, or an Error code (as int) that every metric of
  // the group then reports for this fetch.
  virtual int refresh() = 0;
  // The instance domains this group owns, and their current members (after refresh).
  virtual std::vector<InDom> ownedInDoms() const { return {}; }
  virtual std::vector<Instance> instances(InDom) const { return {}; }
};

class TableAgent : public Agent {
 public:
  // `rows` are candidate catalog rows of `domain`; only rows some group binds are
  // served (a metric this OS cannot give is absent). A binding whose name has no row
  // is a programming error reported by bindingErrors().
  TableAgent(unsigned domain, std::string name, const std::vector<MetricInfo>& rows,
             const std::vector<InDomInfo>& indoms, std::vector<std::unique_ptr<SourceGroup>> groups);

  unsigned domain() const override { return domain_; }
  std::string_view name() const override { return name_; }
  const std::vector<MetricInfo>& metrics() const override { return metrics_; }
  const std::vector<InDomInfo>& indoms() const override { return indoms_; }
  Expected<std::vector<Instance>> instances(InDom indom) override;
  void fetch(std::span<const Pmid> pmids, const Profile& profile, std::span<ValueSet> out) override;

  // Names bound by a group but missing from the rows (should be empty).
  const std::vector<std::string>& bindingErrors() const { return bindingErrors_; }

 private:
  struct Slot {
    std::size_t group;
    FillFn fill;
    InDom indom;
    ValueType type;
  };
  unsigned domain_;
  std::string name_;
  std::vector<MetricInfo> metrics_;
  std::vector<InDomInfo> indoms_;
  std::vector<std::unique_ptr<SourceGroup>> groups_;
  // When each group last read its source. An instance list asked for right after a
  // fetch (a scrape names every instance it just fetched) reuses that reading instead
  // of walking /proc again; anything older is read anew.
  std::vector<std::chrono::steady_clock::time_point> readAt_;
  std::map<Pmid, Slot> slots_;
  std::vector<std::string> bindingErrors_;
};

}  // namespace sextant
