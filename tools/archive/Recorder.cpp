#include "tools/archive/Recorder.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

namespace sextant::archive {
namespace {

// Instance lists are re-read this often even when no new instance shows up in the
// values, so that instances that went away are recorded as gone, not only arrivals.
constexpr std::size_t kRereadEvery = 60;

// The largest answer run() leaves in the socket until the next tick. A TCP receive
// window starts at 64 KiB on Linux; a server whose answer does not fit blocks sending
// it, and pmcd serves its other clients from the same thread.
constexpr std::size_t kMaxUntakenBytes = 48 * 1024;

// One line for a person: a Generic failure's detail is the whole message already.
std::string describe(const Failure& f) { return f.code == Error::Generic ? f.detail : f.message(); }

Failure failed(std::string text) { return Failure{Error::Generic, std::move(text)}; }

// Labels of one level, asked once per identifier: the metrics of a domain or cluster
// share them, and a host context pays a round trip per question.
class LabelCache {
 public:
  explicit LabelCache(Context& context) : context_(context) {}
  // `key` tells apart what the host keeps apart (a cluster of a domain); `ident` is
  // what the question takes (for a cluster, any PMID of it).
  const LabelSet& get(LabelLevel level, std::uint32_t key, std::uint32_t ident) {
    auto k = std::make_pair(static_cast<unsigned>(level), key);
    auto it = cache_.find(k);
    if (it == cache_.end()) {
      auto set = context_.labels(level, ident);
      it = cache_.emplace(k, set.ok() ? std::move(*set) : LabelSet{}).first;
    }
    return it->second;
  }

 private:
  Context& context_;
  std::map<std::pair<unsigned, std::uint32_t>, LabelSet> cache_;
};

// A metric's labels merged as metricLabels() does (core/Context.cpp), but without the
// context level: the archive stores that once (ArchiveMeta::contextLabels).
LabelSet metricLevelLabels(LabelCache& cache, const Descriptor& d) {
  LabelSet merged;
  merged.merge(cache.get(LabelLevel::Domain, d.pmid.domain(), d.pmid.domain()));
  if (!d.indom.isNull()) merged.merge(cache.get(LabelLevel::InDom, d.indom.raw(), d.indom.raw()));
  merged.merge(cache.get(LabelLevel::Cluster, Pmid::make(d.pmid.domain(), d.pmid.cluster(), 0).raw(), d.pmid.raw()));
  merged.merge(cache.get(LabelLevel::Item, d.pmid.raw(), d.pmid.raw()));
  return merged;
}

std::string helpOrEmpty(Expected<std::string> text) { return text.ok() ? std::move(*text) : std::string(); }

std::string trimmed(std::string s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// The zone the host itself reports, as PCP's pmlogger takes it from pmcd: the zoneinfo
// name when served (":Europe/Paris"), else the POSIX TZ text. Empty if neither is.
std::string hostTimezone(Context& source) {
  const std::vector<std::string> names = {"pmcd.zoneinfo", "pmcd.timezone"};
  auto pmids = source.lookup(names);
  for (const auto& pmid : pmids) {
    if (!pmid) continue;
    const Pmid one[] = {*pmid};
    auto r = source.fetch(one);
    if (!r || r->sets.empty() || !r->sets[0].ok() || r->sets[0].values.empty()) continue;
    const auto* text = std::get_if<std::string>(&r->sets[0].values[0].value);
    if (!text) continue;
    std::string zone = *text;
    if (!zone.empty() && zone.front() == ':') zone.erase(0, 1);
    if (!zone.empty()) return zone;
  }
  return {};
}

// This machine's zone: TZ (tzset(3); a leading ':' names a zoneinfo file), the Debian
// /etc/timezone file, the /etc/localtime link into the zoneinfo tree (localtime(5)),
// else UTC, which is what the C library assumes without any of them.
std::string localTimezone() {
  if (const char* tz = std::getenv("TZ"); tz && *tz) return *tz == ':' ? std::string(tz + 1) : std::string(tz);
  std::ifstream file("/etc/timezone");
  std::string line;
  if (file && std::getline(file, line) && !trimmed(line).empty()) return trimmed(line);
  std::error_code ec;
  const std::string target = std::filesystem::read_symlink("/etc/localtime", ec).string();
  const std::string marker = "zoneinfo/";
  if (auto at = target.find(marker); !ec && at != std::string::npos) return target.substr(at + marker.size());
  return "UTC";
}

}  // namespace

Expected<std::unique_ptr<Recorder>> Recorder::start(Context& source, ArchiveWriter& writer, const RecordPlan& plan) {
  std::unique_ptr<Recorder> r(new Recorder(source, writer, plan));
  std::vector<std::string> roots = plan.names;
  if (roots.empty()) roots.emplace_back();  // "" is the root: everything
  std::vector<std::string> names;
  std::set<std::string> seenNames;
  for (const auto& root : roots) {
    auto found = source.traverse(root);
    if (!found) return Failure{found.error(), root.empty() ? std::string("the name space") : root};
    for (auto& name : *found)
      if (seenNames.insert(name).second) names.push_back(std::move(name));
  }
  auto pmids = source.lookup(names);
  LabelCache labels(source);
  std::set<Pmid> seenPmids;
  std::set<InDom> seenInDoms;
  for (std::size_t i = 0; i < names.size() && i < pmids.size(); ++i) {
    if (!pmids[i]) return Failure{pmids[i].error(), names[i]};
    const Pmid pmid = *pmids[i];
    if (!seenPmids.insert(pmid).second) continue;  // a second name of a metric already taken
    auto desc = source.descriptor(pmid);
    if (!desc) return Failure{desc.error(), names[i]};
    // An archive keeps numbers and strings (docs/archive-format.md). Other metrics met
    // inside a subtree (aggregates, metrics this host does not support) are left out;
    // one named on its own is an error that says why.
    const bool recordable = desc->type >= ValueType::I32 && desc->type <= ValueType::String;
    const bool named = std::find(roots.begin(), roots.end(), names[i]) != roots.end();
    if (!recordable && !named) continue;
    RecordedMetric metric{names[i], *desc, helpOrEmpty(source.helpText(pmid, false)),
                          helpOrEmpty(source.helpText(pmid, true)), metricLevelLabels(labels, *desc)};
    if (auto added = writer.addMetric(metric); !added) return failed(names[i] + ": " + describe(added.failure()));
    r->pmids_.push_back(pmid);
    r->metricInDoms_.push_back(desc->indom);
    if (desc->indom.isNull() || !seenInDoms.insert(desc->indom).second) continue;
    InDomInfo info{desc->indom, helpOrEmpty(source.helpText(desc->indom, false)),
                   helpOrEmpty(source.helpText(desc->indom, true))};
    if (auto added = writer.addInDom(info); !added)
      return failed("instance domain " + desc->indom.toString() + ": " + describe(added.failure()));
    r->indoms_.push_back(desc->indom);
  }
  // std::map's nodes stay put, so each metric can keep a pointer to its indom's list.
  for (InDom indom : r->metricInDoms_) r->metricMembers_.push_back(indom.isNull() ? nullptr : &r->members_[indom]);
  return r;
}

Expected<bool> Recorder::recordInstances(InDom indom, Timestamp t) {
  auto list = source_.instances(indom);
  // A host that cannot list them right now keeps the last list; the values still carry
  // their instance ids and the next sample asks again.
  if (!list) return true;
  std::vector<std::pair<std::int32_t, LabelSet>> labels;
  if (auto l = source_.instanceLabels(indom); l.ok()) labels = std::move(*l);
  if (auto w = writer_.setInstances(indom, t, *list, labels); !w) return failed(describe(w.failure()));
  auto& ids = members_[indom];
  ids.clear();
  for (const auto& inst : *list) ids.push_back(inst.id);
  std::sort(ids.begin(), ids.end());
  return true;
}

Expected<bool> Recorder::sampleOnce() {
  if (auto asked = source_.startFetch(pmids_); !asked) return failed("fetch failed: " + describe(asked.failure()));
  if (auto taken = take(); !taken) return taken;
  return writePending();
}

Expected<bool> Recorder::take() {
  pending_ = false;
  if (auto fetched = source_.finishFetch(sample_); !fetched) return failed("fetch failed: " + describe(fetched.failure()));
  const FetchResult& result = sample_;
  const Timestamp t = result.timestamp;
  const std::size_t sets = std::min(result.sets.size(), metricMembers_.size());

  // The member lists to record before this sample: every list at the first sample and
  // every kRereadEvery samples; otherwise those that failed to be written, and those
  // whose values name an instance not among the recorded members (a new disk, a new
  // process).
  std::vector<InDom> stale = unrecorded_;
  if (attempts_++ % kRereadEvery == 0) stale = indoms_;
  for (std::size_t i = 0; i < sets; ++i) {
    const auto* known = metricMembers_[i];
    const ValueSet& set = result.sets[i];
    if (!known || !set.ok()) continue;
    for (const auto& v : set.values) {
      if (std::binary_search(known->begin(), known->end(), v.inst)) continue;
      if (std::find(stale.begin(), stale.end(), metricInDoms_[i]) == stale.end()) stale.push_back(metricInDoms_[i]);
      break;
    }
  }
  if (!stale.empty()) {
    for (std::size_t k = 0; k < stale.size(); ++k) {
      if (auto done = recordInstances(stale[k], t); !done) {
        unrecorded_.assign(stale.begin() + static_cast<std::ptrdiff_t>(k), stale.end());
        return done.failure();
      }
    }
    unrecorded_.clear();
    // An instance with values that the host's list lacks (it came and went between the
    // fetch and the list) counts as known until the next re-read, so that it does not
    // make every sample re-read the list.
    for (std::size_t i = 0; i < sets; ++i) {
      auto* known = metricMembers_[i];
      if (!known || !result.sets[i].ok()) continue;
      for (const auto& v : result.sets[i].values) {
        auto at = std::lower_bound(known->begin(), known->end(), v.inst);
        if (at == known->end() || *at != v.inst) known->insert(at, v.inst);
      }
    }
  }

  pending_ = true;
  return true;
}

Expected<bool> Recorder::writePending() {
  if (!pending_) return true;
  pending_ = false;  // written or not, the next sample takes its place
  if (auto w = writer_.writeSample(sample_); !w) return failed(describe(w.failure()));
  ++written_;
  return true;
}

void Recorder::run(const std::atomic<bool>& stop, const std::function<void(const std::string&)>& onError) {
  using Clock = std::chrono::steady_clock;
  const auto interval = std::max(plan_.interval, std::chrono::milliseconds(1));
  const auto start = Clock::now();
  std::size_t taken = 0;
  const auto report = [&](const Expected<bool>& r) {
    if (!r && onError) onError(r.failure().detail);
  };
  bool asked = false;  // a fetch is out, its answer not yet taken
  for (std::int64_t tick = 0;;) {
    // Each sample is due at start + tick * interval: sleeping until an absolute time on
    // a steady clock keeps the schedule from drifting by the time each sample takes.
    const auto due = start + tick * interval;
    if (plan_.duration && due - start >= *plan_.duration) break;
    // Slices of up to a second, so that a stop is seen within one. Each wake-up costs
    // CPU (on a virtual machine about 50 µs, as much as a small sample), so no finer.
    while (!stop && Clock::now() < due)
      std::this_thread::sleep_for(std::min<Clock::duration>(due - Clock::now(), std::chrono::seconds(1)));
    if (stop) break;
    // The last tick's answer came while this thread slept: take it (and ask the host
    // about any instance changes) before this tick's fetch goes out, then write it.
    if (asked) report(take());
    asked = false;
    if (auto a = source_.startFetch(pmids_); !a) {
      report(failed("fetch failed: " + describe(a.failure())));
    } else if (const std::size_t bytes = source_.lastFetchBytes(); bytes == 0 || bytes > kMaxUntakenBytes) {
      // No wire to wait on (a local context fetches in take()), the first fetch, whose
      // size is not known yet, or an answer too big to leave waiting: take it now.
      report(take());
    } else {
      asked = true;
    }
    report(writePending());
    if (plan_.samples && ++taken >= *plan_.samples) break;
    // A sample that took longer than the interval skips the ticks it overran rather
    // than firing them in a burst, as pmlogger does.
    const auto elapsed = Clock::now() - start;
    const std::int64_t overran = (elapsed + interval - Clock::duration(1)) / interval;
    tick = std::max(tick + 1, overran);
  }
  if (asked) report(take());
  report(writePending());
}

ArchiveMeta describeSource(Context& source, std::chrono::milliseconds interval) {
  ArchiveMeta meta;
  meta.hostName = source.hostName();
  meta.interval = interval;
  if (auto labels = source.labels(LabelLevel::Context, 0); labels.ok()) meta.contextLabels = std::move(*labels);
  meta.timezone = hostTimezone(source);
  if (meta.timezone.empty()) meta.timezone = localTimezone();
  return meta;
}

}  // namespace sextant::archive
