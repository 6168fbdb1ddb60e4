#pragma once
// Domain 70, the MMV agent: serves every file of the MMV directory as PCP's mmv PMDA
// (pmdammv) does (MMV format spec, sections 12 and 13), so that names, PMIDs and
// instance domains match a real pmcd's for the same files:
//   mmv.<file>.<metric> (mmv.<metric> with NOPREFIX), PMID 70.<cluster>.<item> with the
//   cluster from the file's header (0: the lowest unused one), InDom 70.<cluster<<11|serial>,
//   ELAPSED served as a 64-bit counter in microseconds, semantics 0 as counter;
//   mmv.control.reload / debug / files: PMIDs 70.0.0 / 70.0.1 / 70.0.2, 32-bit int instant
//   (checked with pminfo -md against PCP 6.0.3's pmcd and pmda_mmv).
//
// Stricter than pmdammv where pmdammv can crash or mislead: every file is parsed whole by
// the checked reader (core/mmv/MmvReader.h) and refused with ONE log line if malformed; a
// file whose cluster another file already took is refused (pmdammv silently shadows it,
// spec pitfall 1); mappings are touched only under a SIGBUS guard (service/MappedFile.h),
// so a file truncated under us is dropped with one log line instead of killing the daemon.
//
// Values are never read from the mapping by the parser: each file is copied once when it
// is loaded, and a fetch refreshes only the value words it needs (aligned 8-byte loads:
// no torn values) and string slots into that copy, then reads from the copy.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/Agent.h"
#include "core/mmv/MmvReader.h"
#include "service/MappedFile.h"
#include "service/MmvWatch.h"

namespace sextant::service {

inline constexpr unsigned kMmvDomain = 70;

// $PCP_TMP_DIR/mmv, with PCP_TMP_DIR from the environment, else from pcp.conf ($PCP_CONF
// or /etc/pcp.conf), else PCP's default /var/tmp (as libpcp).
std::string defaultMmvDir();

struct MmvAgentOptions {
  std::string dir;  // the directory scanned; empty: defaultMmvDir()
  // Change checks (directory, generations, writer processes) at most this often; 0: before
  // every request, as pmdammv.
  std::chrono::milliseconds checkInterval{0};
  std::function<void(const std::string&)> log;  // one line per event; may be empty
  // Learn of changes from directory and process events (Linux: inotify and pidfds), so
  // that a check costs one system call whatever the number of files. False, or where
  // the platform has no such events: stat the directory, every file and every writer.
  bool watch = true;
};

class MmvAgent final : public Agent {
 public:
  explicit MmvAgent(MmvAgentOptions options);
  ~MmvAgent() override;

  unsigned domain() const override { return kMmvDomain; }
  std::string_view name() const override { return "mmv"; }
  const std::vector<MetricInfo>& metrics() const override { return metrics_; }
  const std::vector<InDomInfo>& indoms() const override { return indoms_; }
  Expected<std::vector<Instance>> instances(InDom indom) override;
  void fetch(std::span<const Pmid> pmids, const Profile& profile, std::span<ValueSet> out) override;
  bool refresh() override;
  // Version 3 files' labels: CLUSTER on every metric of the file, ITEM on one metric,
  // INDOM on an instance domain, INSTANCES on one instance (spec section 12).
  LabelSet labels(LabelLevel level, std::uint32_t ident) const override;
  // mmv.control.reload: a non-zero value rescans the directory before the next request;
  // mmv.control.debug: kept and served back. Everything else is read-only.
  int store(Pmid pmid, const std::vector<InstanceValue>& values) override;
  std::vector<std::pair<std::int32_t, LabelSet>> instanceLabels(InDom indom) override;

  // Rescans now, regardless of the interval; true if the metrics changed.
  bool rescan();
  const std::string& dir() const { return dir_; }
  std::size_t fileCount() const { return files_.size(); }
  std::uint64_t reloads() const { return reloads_; }
  bool watching() const { return watch_.armed(); }  // changes come as events (see MmvWatch.h)

 private:
  struct File;
  struct Served;  // one served metric: its file and value references
  bool changed();
  void rebuild();
  void dropFile(File& f, const std::string& why);
  void note(const std::string& line);
  static void copyWords(const Served& s);
  const File* fileOfCluster(unsigned cluster) const;
  // The file's labels of one kind (kLabel*) for one identity and, for INSTANCES, one instance.
  static LabelSet fileLabels(const File& f, std::uint32_t kind, std::uint32_t identity, std::int32_t internal);
  void fill(const Served& s, const Profile& profile, std::int64_t nowMicros, ValueSet& set);

  std::string dir_;
  MmvAgentOptions options_;
  std::vector<std::unique_ptr<File>> files_;  // loaded files, sorted by name
  std::map<std::string, std::string> refusedWhy_;  // file name + identity -> reason already logged
  std::vector<MetricInfo> metrics_;
  std::vector<InDomInfo> indoms_;
  std::unordered_map<std::uint32_t, Served> served_;  // by raw PMID: a fetch looks up every PMID
  std::vector<const Served*> found_;  // scratch of fetch(): the served metric of each PMID
  std::map<InDom, std::vector<Instance>> instances_;
  std::chrono::steady_clock::time_point lastCheck_{};
  MmvWatch watch_;  // directory and writer events, so that most checks need no stat
  struct timespec dirMtime_ {};
  int dirErrno_ = -1;
  bool forced_ = true;  // first request, a dropped file, or a file being written
  std::uint64_t reloads_ = 0;
  std::int32_t debug_ = 0;
};

}  // namespace sextant::service
