#include "service/SelfAgent.h"

#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "core/Collector.h"

namespace sextant::service {
namespace {

constexpr unsigned kPduInCluster = 1, kPduOutCluster = 2, kAgentCluster = 4, kClientCluster = 6, kFetchCluster = 9;
constexpr unsigned kTotalItem = 16;  // pmcd.pdu_in.total sits between pmns_child (15) and pmns_traverse (17)

// pmcd's item numbers for its per-PDU-type counters, and the names it gives them.
// Item = type - 0x7000, shifted by one from PMNS_TRAVERSE on to leave room for "total".
struct PduItem {
  unsigned item;
  const char* name;
};
constexpr PduItem kPduItems[] = {
    {0, "error"},           {1, "result"},       {2, "profile"},         {3, "fetch"},
    {4, "desc_req"},        {5, "desc"},         {6, "instance_req"},    {7, "instance"},
    {8, "text_req"},        {9, "text"},         {10, "control_req"},    {12, "creds"},
    {13, "pmns_ids"},       {14, "pmns_names"},  {15, "pmns_child"},     {kTotalItem, "total"},
    {17, "pmns_traverse"},  {18, "auth"},        {19, "label_req"},      {20, "label"},
    {21, "highres_fetch"},  {22, "highres_result"}, {23, "desc_ids"},   {24, "descs"},
};
int slotOf(unsigned item) { return static_cast<int>(item < kTotalItem ? item : item - 1); }

MetricInfo metric(std::string name, Pmid pmid, ValueType type, InDom indom, Semantics sem, Units units,
                  std::string oneLine, std::string longHelp = {}) {
  return MetricInfo{std::move(name), Descriptor{pmid, type, indom, sem, units}, std::move(oneLine), std::move(longHelp)};
}

Pmid self(unsigned cluster, unsigned item) { return Pmid::make(kSelfDomain, cluster, item); }

// POSIX TZ text for the local zone, as pmcd reports pmcd.timezone: the standard
// abbreviation, the offset west of UTC in hours (omitted when zero), then the
// daylight-saving abbreviation if the zone has one. TZ, when set, wins.
std::string localTimezone() {
  if (const char* tz = std::getenv("TZ"); tz && *tz && *tz != ':') return tz;
  ::tzset();
  std::string out = ::tzname[0] ? ::tzname[0] : "UTC";
  const long west = ::timezone;  // seconds west of UTC
  if (west != 0) {
    out += std::to_string(west / 3600);
    if (long minutes = (west < 0 ? -west : west) % 3600 / 60; minutes != 0)
      out += (minutes < 10 ? ":0" : ":") + std::to_string(minutes);
  }
  if (::daylight && ::tzname[1]) out += ::tzname[1];
  return out;
}

// ":Area/City" from TZ or from the /etc/localtime link (localtime(5)).
std::string localZoneinfo() {
  if (const char* tz = std::getenv("TZ"); tz && *tz == ':') return tz;
  std::error_code ec;
  auto target = std::filesystem::read_symlink("/etc/localtime", ec);
  if (ec) return {};
  const std::string s = target.string();
  const std::string marker = "zoneinfo/";
  auto at = s.find(marker);
  if (at == std::string::npos) return {};
  return ":" + s.substr(at + marker.size());
}

}  // namespace

SelfFacts currentSelfFacts(std::string hostName, std::string version) {
  SelfFacts f;
  f.hostName = std::move(hostName);
  f.version = std::move(version);
  f.timezone = localTimezone();
  f.zoneinfo = localZoneinfo();
  f.pid = static_cast<std::uint64_t>(::getpid());
  return f;
}

SelfAgent::SelfAgent(const ServiceStats& stats, SelfFacts facts) : stats_(stats), facts_(std::move(facts)) {
  using VT = ValueType;
  const InDom none;
  const Units count = Units::count(), micro = Units::time(TimeScale::Microsec);
  metrics_ = {
      metric("pmcd.numagents", self(0, 2), VT::U32, none, Semantics::Instant, Units::none(),
             "Number of agents this daemon hosts"),
      metric("pmcd.numclients", self(0, 3), VT::U32, none, Semantics::Instant, Units::none(),
             "Number of clients connected right now",
             "Clients of every front end: TCP and the local socket, counted from the moment they connect."),
      metric("pmcd.timezone", self(0, 5), VT::String, none, Semantics::Discrete, Units::none(),
             "The daemon's local time zone in POSIX TZ form",
             "Recorders store it so that archive times can be shown in the monitored host's zone."),
      metric("pmcd.version", self(0, 7), VT::String, none, Semantics::Discrete, Units::none(),
             "Version of the Sextant daemon serving these metrics"),
      metric("pmcd.hostname", self(0, 21), VT::String, none, Semantics::Discrete, Units::none(),
             "Name of the host the daemon runs on",
             "Tools print it in headers and recorders write it into archives as the source host."),
      metric("pmcd.sighups", self(0, 22), VT::U32, none, Semantics::Counter, count,
             "Configuration reloads (SIGHUP) since the daemon started"),
      metric("pmcd.pid", self(0, 23), VT::U64, none, Semantics::Discrete, Units::none(),
             "Process id of the daemon"),
      metric("pmcd.seqnum", self(0, 24), VT::U32, none, Semantics::Discrete, Units::none(),
             "Configuration sequence number",
             "Grows by one at every configuration reload, so a client can tell that the daemon's setup changed."),
      metric("pmcd.zoneinfo", self(0, 26), VT::String, none, Semantics::Discrete, Units::none(),
             "The daemon's local time zone as a zoneinfo name",
             "For example :Europe/Paris. Preferred over pmcd.timezone by tools that convert times."),
      metric("pmcd.agent.status", self(kAgentCluster, 1), VT::I32, kAgentInDom, Semantics::Discrete, Units::none(),
             "Health of each agent: 0 when it answers",
             "Agents run inside the daemon, so a value other than 0 means the agent failed to start."),
      metric("pmcd.agent.name", self(kAgentCluster, 3), VT::String, kAgentInDom, Semantics::Discrete, Units::none(),
             "Name of each agent"),
      metric("pmcd.client.whoami", kWhoamiPmid, VT::String, kClientInDom, Semantics::Discrete, Units::none(),
             "What each connected client says about itself",
             "Tools such as pmval and pmlogger store a short description of themselves here when they connect; "
             "it is empty for clients that did not. Only this metric accepts stores."),
      metric("pmcd.client.start_date", self(kClientCluster, 1), VT::String, kClientInDom, Semantics::Discrete,
             Units::none(), "When each connected client connected"),
      metric("pmcd.fetch.count", self(kFetchCluster, 0), VT::U64, none, Semantics::Counter, count,
             "Fetch requests answered", "Sextant's own metric; PCP's pmcd has no equivalent."),
      metric("pmcd.fetch.time", self(kFetchCluster, 1), VT::U64, none, Semantics::Counter, micro,
             "Time spent answering fetch requests",
             "Its rate divided by the rate of pmcd.fetch.count is the mean time per fetch."),
      metric("pmcd.fetch.latency", self(kFetchCluster, 2), VT::Double, none, Semantics::Instant, micro,
             "Time the most recent fetch took inside the daemon",
             "From the decoded request to the encoded reply, without network time."),
  };
  for (const auto& p : kPduItems) {
    const std::string what = p.item == kTotalItem ? "PDUs of every type" : std::string(p.name) + " PDUs";
    metrics_.push_back(metric(std::string("pmcd.pdu_in.") + p.name, self(kPduInCluster, p.item), VT::U32, none,
                              Semantics::Counter, count, what + " received from clients"));
    metrics_.push_back(metric(std::string("pmcd.pdu_out.") + p.name, self(kPduOutCluster, p.item), VT::U32, none,
                              Semantics::Counter, count, what + " sent to clients"));
  }
  indoms_ = {
      InDomInfo{kAgentInDom, "Agents hosted by the daemon, by domain number", ""},
      InDomInfo{kClientInDom, "Clients connected to the daemon", "One instance per connection, numbered from 1."},
  };
}

Expected<std::vector<Instance>> SelfAgent::instances(InDom indom) {
  std::vector<Instance> out;
  if (indom == kAgentInDom) {
    if (collector_)
      for (const Agent* a : collector_->agents())
        out.push_back(Instance{static_cast<std::int32_t>(a->domain()), std::string(a->name())});
    return out;
  }
  if (indom == kClientInDom) {
    for (const auto& c : stats_.clients()) out.push_back(Instance{c.id, std::to_string(c.id)});
    return out;
  }
  return Failure{Error::InDom, indom.toString()};
}

void SelfAgent::fetch(std::span<const Pmid>, const Profile& profile, std::span<ValueSet> out) {
  for (ValueSet& set : out) fill(set, profile);
}

void SelfAgent::fill(ValueSet& set, const Profile& profile) {
  const Pmid p = set.pmid;
  auto one = [&](Value v) { set.values.push_back(InstanceValue{kNullInstance, std::move(v)}); };
  if (p.cluster() == kPduInCluster || p.cluster() == kPduOutCluster) {
    const bool in = p.cluster() == kPduInCluster;
    for (const auto& item : kPduItems) {
      if (item.item != p.item()) continue;
      if (item.item == kTotalItem) one(in ? stats_.inTotal() : stats_.outTotal());
      else one(in ? stats_.in(slotOf(item.item)) : stats_.out(slotOf(item.item)));
      return;
    }
    set.status = static_cast<int>(Error::Pmid);
    return;
  }
  if (p.cluster() == kAgentCluster && (p.item() == 1 || p.item() == 3)) {
    if (!collector_) return;  // no agents known: no values
    for (const Agent* a : collector_->agents()) {
      const auto id = static_cast<std::int32_t>(a->domain());
      if (!profile.accepts(kAgentInDom, id)) continue;
      // Agents live in this process and were added at start-up: running means healthy.
      if (p.item() == 1) set.values.push_back(InstanceValue{id, std::int32_t{0}});
      else set.values.push_back(InstanceValue{id, std::string(a->name())});
    }
    return;
  }
  if (p.cluster() == kClientCluster && (p.item() == 0 || p.item() == 1)) {
    for (const auto& c : stats_.clients()) {
      if (!profile.accepts(kClientInDom, c.id)) continue;
      set.values.push_back(InstanceValue{c.id, p.item() == 0 ? c.whoami : c.startDate});
    }
    return;
  }
  if (p.cluster() == kFetchCluster) {
    switch (p.item()) {
      case 0: return one(stats_.fetchCount());
      case 1: return one(stats_.fetchMicros());
      case 2: return one(stats_.lastFetchMicros());
    }
  }
  if (p.cluster() == 0) {
    switch (p.item()) {
      case 2: return one(static_cast<std::uint32_t>(collector_ ? collector_->agents().size() : 0));
      case 3: return one(stats_.numClients());
      case 5: return one(facts_.timezone);
      case 7: return one(facts_.version);
      case 21: return one(facts_.hostName);
      case 22: return one(stats_.reloads());
      case 23: return one(facts_.pid);
      case 24: return one(stats_.reloads());
      case 26:
        if (facts_.zoneinfo.empty()) {
          set.status = static_cast<int>(Error::Value);
          return;
        }
        return one(facts_.zoneinfo);
    }
  }
  set.status = static_cast<int>(Error::Pmid);
}

}  // namespace sextant::service
