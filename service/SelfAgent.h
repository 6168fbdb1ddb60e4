#pragma once
// Domain 2, the daemon's own metrics under PCP's pmcd.* names and PMIDs (checked with
// `pminfo -md pmcd` against PCP 6.0.3's pmcd): host name, time zone, pid, sequence
// number, client identification, PDU counters and agent status, plus Sextant's own
// fetch statistics under pmcd.fetch.* (cluster 9, unused by pmcd).
//
// Client tools depend on several of these (PCP wire protocol spec, section 7):
// pmcd.hostname for headers and archive host names, pmcd.timezone/zoneinfo for
// pmlogger, pmcd.pid/seqnum fetched by fixed PMID, pmcd.client.whoami as a store target.
#include <string>
#include <vector>

#include "core/Agent.h"
#include "service/ServiceStats.h"

namespace sextant {
class Collector;
}

namespace sextant::service {

inline constexpr unsigned kSelfDomain = 2;
inline constexpr Pmid kWhoamiPmid = Pmid::make(kSelfDomain, 6, 0);
inline constexpr InDom kAgentInDom = InDom::make(kSelfDomain, 3);
inline constexpr InDom kClientInDom = InDom::make(kSelfDomain, 6);

struct SelfFacts {
  std::string hostName;
  std::string version;   // Sextant's version, as pmcd.version
  std::string timezone;  // POSIX TZ style, e.g. "UTC" or "AEST-10AEDT"
  std::string zoneinfo;  // ":Area/City", or empty when unknown
  std::uint64_t pid = 0;
};

// The facts above as this process sees them (time zone from TZ or /etc/localtime).
SelfFacts currentSelfFacts(std::string hostName, std::string version);

class SelfAgent final : public Agent {
 public:
  SelfAgent(const ServiceStats& stats, SelfFacts facts);
  // The collector whose agents pmcd.agent.* and pmcd.numagents describe (set once it
  // holds every agent; the collector owns this agent, so it cannot be a constructor
  // argument).
  void setCollector(const Collector* collector) { collector_ = collector; }

  unsigned domain() const override { return kSelfDomain; }
  std::string_view name() const override { return "pmcd"; }
  const std::vector<MetricInfo>& metrics() const override { return metrics_; }
  const std::vector<InDomInfo>& indoms() const override { return indoms_; }
  Expected<std::vector<Instance>> instances(InDom indom) override;
  void fetch(std::span<const Pmid> pmids, const Profile& profile, std::span<ValueSet> out) override;

 private:
  void fill(ValueSet& set, const Profile& profile);
  const ServiceStats& stats_;
  SelfFacts facts_;
  const Collector* collector_ = nullptr;
  std::vector<MetricInfo> metrics_;
  std::vector<InDomInfo> indoms_;
};

}  // namespace sextant::service
