#pragma once
// Writes one recording into a SQLite archive (docs/archive-format.md): metadata once,
// then one compact row per sample. Each sample is committed before writeSample()
// returns, in WAL mode, so a crash or kill -9 loses at most the sample being written.
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/Agent.h"
#include "core/Descriptor.h"
#include "core/Expected.h"
#include "core/Labels.h"
#include "core/Value.h"

namespace sextant::archive {

// What the recording is of, stored once when the archive is created.
struct ArchiveMeta {
  std::string hostName;  // as Context::hostName() gives it
  std::string timezone;  // the recorded host's zone: an IANA name ("Europe/Paris") or POSIX TZ text ("UTC")
  std::chrono::milliseconds interval{1000};  // the sampling interval asked for
  LabelSet contextLabels;  // the recorded host's context-level labels
};

// A metric as recorded: its names' first, descriptor, help and item-level labels.
struct RecordedMetric {
  std::string name;
  Descriptor desc;
  std::string oneLine;
  std::string longHelp;
  LabelSet labels;  // every level but Context merged as the host gave them
};

class ArchiveWriter {
 public:
  // Creates a new archive at `path`. A file already there is an error (Error::Generic
  // with the reason), never overwritten; so is a directory that cannot be written.
  static Expected<std::unique_ptr<ArchiveWriter>> create(const std::string& path, const ArchiveMeta& meta);
  // Reopens an archive this writer made, to append to it (the daemon after a restart
  // the same day). A file that is not a Sextant archive is an error naming the file.
  static Expected<std::unique_ptr<ArchiveWriter>> append(const std::string& path);
  ~ArchiveWriter();
  ArchiveWriter(const ArchiveWriter&) = delete;
  ArchiveWriter& operator=(const ArchiveWriter&) = delete;

  // Declares a metric before its first values; declaring one again is harmless.
  Expected<bool> addMetric(const RecordedMetric& metric);
  Expected<bool> addInDom(const InDomInfo& indom);
  // The members of `indom` from time `t` on; recorded only when they differ from the
  // last call for that indom (so the archive keeps the history of instances coming and
  // going). Instance labels are optional.
  Expected<bool> setInstances(InDom indom, Timestamp t, const std::vector<Instance>& members,
                              const std::vector<std::pair<std::int32_t, LabelSet>>& labels = {});
  // One sample: a value set per declared metric (sets of undeclared PMIDs are an error).
  // Durable when it returns. On failure (disk full) nothing of the sample is kept and
  // the archive stays consistent; a later call may succeed.
  Expected<bool> writeSample(const FetchResult& sample);

  const std::string& path() const { return path_; }

 private:
  struct Impl;
  explicit ArchiveWriter(std::string path);
  std::string path_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sextant::archive
