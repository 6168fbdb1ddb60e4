#pragma once
// The recorder (PCP's pmlogger role): a client of any Context that samples the named
// metrics at an interval into an archive. `sextant record` runs one in the foreground;
// sextantd runs one per [record] section of its config on its own collector.
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/Context.h"
#include "tools/archive/ArchiveWriter.h"

namespace sextant::archive {

struct RecordPlan {
  std::vector<std::string> names;  // metrics or subtrees ("kernel", "mem.util.free"); empty: everything
  std::chrono::milliseconds interval{1000};
  std::optional<std::chrono::milliseconds> duration;  // stop after this long; none: until stopped
  std::optional<std::size_t> samples;                 // stop after this many samples taken (written or not)
};

class Recorder {
 public:
  // Resolves the plan's names in `source` (an unknown name is an error naming it) and
  // writes the metadata of every metric found into `writer`.
  static Expected<std::unique_ptr<Recorder>> start(Context& source, ArchiveWriter& writer, const RecordPlan& plan);

  // One sample now: fetch, record instance changes, write. A failed write (disk full)
  // is returned and the recorder stays usable: the next call tries again.
  Expected<bool> sampleOnce();
  // Samples at the plan's interval (on a steady clock, without drift) until the plan's
  // duration or count is reached or `stop` becomes true. `onError` hears each failed
  // sample's message (one line); recording goes on after it.
  //
  // Each tick's fetch is answered while the recorder sleeps, and taken and written at
  // the next tick (or when run() ends): the host's time stamps stay those of the ticks,
  // and the recorder wakes once a sample instead of twice (the reply no longer wakes
  // it). The archive is one interval behind meanwhile, and a recorder killed outright
  // loses the last sample fetched. The first answer, answers from a context without a
  // wire (Context::lastFetchBytes() 0) and answers too big to wait safely in the
  // socket's buffers (kMaxUntakenBytes) are taken at once, as sampleOnce() does.
  void run(const std::atomic<bool>& stop, const std::function<void(const std::string&)>& onError);

  // Safe to read from another thread while run() goes on (a progress display).
  std::size_t samplesWritten() const { return written_.load(); }
  std::size_t metricCount() const { return pmids_.size(); }

 private:
  Recorder(Context& source, ArchiveWriter& writer, RecordPlan plan) : source_(source), writer_(writer), plan_(std::move(plan)) {}
  Context& source_;
  ArchiveWriter& writer_;
  RecordPlan plan_;
  // Re-reads the members of `indom` and records them at `t`; a failure if the write fails.
  Expected<bool> recordInstances(InDom indom, Timestamp t);
  // The second half of a sample: the fetch's answer into sample_ and the instance
  // changes it shows recorded. sample_ is then pending.
  Expected<bool> take();
  // Writes the pending sample_, if any.
  Expected<bool> writePending();

  std::vector<Pmid> pmids_;
  std::vector<InDom> indoms_;
  std::vector<InDom> metricInDoms_;                    // per pmids_ entry (null if singular)
  std::map<InDom, std::vector<std::int32_t>> members_;  // as last recorded, sorted
  std::vector<std::vector<std::int32_t>*> metricMembers_;  // per pmids_ entry: its members_ list, or null
  FetchResult sample_;                                 // the last fetch; its storage serves the next
  bool pending_ = false;                               // sample_ is taken but not yet written
  std::vector<InDom> unrecorded_;                      // member lists whose write failed
  std::size_t attempts_ = 0;
  std::atomic<std::size_t> written_{0};
};

// The archive metadata of a recording of `source`: its host name and context labels,
// and its time zone (the host's own pmcd.zoneinfo or pmcd.timezone when it serves
// them, else this machine's: TZ, /etc/timezone, the /etc/localtime link, or "UTC").
ArchiveMeta describeSource(Context& source, std::chrono::milliseconds interval);

}  // namespace sextant::archive
