#pragma once
// A recorded archive as a Context (DESIGN.md "Contexts"): the same interface as a live
// host, so every client replays through the code it uses live.
//
// Time moves as PCP's interpolated mode (pmSetMode PM_MODE_INTERP) moves it: each
// fetch() answers for the current position and then advances it by the interval. The
// values at a time between two samples follow PCP's rules: counters and instantaneous
// values are interpolated linearly between the samples on either side, discrete values
// and strings hold the earlier sample's value. An instance is answered only where it
// has values on both sides (counters, instants) or before (discrete). Past the last
// sample fetch() fails with Error::EndOfLog.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/Context.h"

namespace sextant::archive {

class ArchiveContext final : public Context {
 public:
  // Opens `path` read-only. A missing file, a file that is not SQLite, a SQLite file
  // that is not a Sextant archive, or one of a newer format version, is an error whose
  // detail is one line naming the file and the reason.
  static Expected<std::unique_ptr<ArchiveContext>> open(const std::string& path);
  ~ArchiveContext() override;

  // The recording's first and last sample times, and its sampling interval.
  Timestamp start() const;
  Timestamp end() const;
  std::chrono::milliseconds recordedInterval() const;
  // The recorded host's time zone as stored (ArchiveMeta::timezone).
  const std::string& timezone() const;

  // Where the next fetch answers for, and how far each fetch then moves (> 0). The
  // defaults are start() and recordedInterval().
  void setPosition(Timestamp t);
  void setInterval(std::chrono::nanoseconds step);
  Timestamp position() const;

  std::vector<Expected<Pmid>> lookup(std::span<const std::string> names) override;
  Expected<std::vector<std::string>> traverse(std::string_view prefix) override;
  Expected<std::string> nameOf(Pmid pmid) override;
  Expected<std::vector<Pmns::Child>> children(std::string_view name) override;
  Expected<Descriptor> descriptor(Pmid pmid) override;
  Expected<std::string> helpText(Pmid pmid, bool longHelp) override;
  Expected<std::string> helpText(InDom indom, bool longHelp) override;
  // The members at the current position.
  Expected<std::vector<Instance>> instances(InDom indom) override;
  Expected<FetchResult> fetch(std::span<const Pmid> pmids) override;
  int store(Pmid pmid, const std::vector<InstanceValue>& values) override;  // Error::Permission: archives are read-only
  Expected<LabelSet> labels(LabelLevel level, std::uint32_t ident) override;
  Expected<std::vector<std::pair<std::int32_t, LabelSet>>> instanceLabels(InDom indom) override;
  std::string hostName() const override;
  bool replays() const override { return true; }

 private:
  struct Impl;
  explicit ArchiveContext(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sextant::archive
