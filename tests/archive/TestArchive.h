#pragma once
// Small archives with known values for the replay tests, written by the real
// ArchiveWriter. Every sample is one second apart from 2024-03-04 13:00:00 UTC:
//
//   test.requests  u64 counter, count          0  100  400  900  1600
//   test.load      double instant, indom 250.1
//                    [0 "a"]                   1    2    3    4    5
//                    [1 "b"]                  10   20   30   40   50
//                    [2 "c"] from sample 2               7    8    9
//   test.state     string discrete             "idle" "busy, queued" then "idle"
//
// so that rates (100, 300, 500, 700 per second), interpolation and instance history
// have exact expected values.
#include <chrono>
#include <ctime>
#include <string>

#include "tools/archive/ArchiveWriter.h"

namespace sextant::test {

inline constexpr Pmid kRequests = Pmid::make(250, 0, 1);
inline constexpr Pmid kLoad = Pmid::make(250, 0, 2);
inline constexpr Pmid kState = Pmid::make(250, 0, 3);
inline constexpr InDom kLoadInDom = InDom::make(250, 1);

// 2024-03-04 13:00:00 UTC plus `seconds`.
inline Timestamp archiveTime(double seconds = 0) {
  std::tm tm{};
  tm.tm_year = 2024 - 1900;
  tm.tm_mon = 2;
  tm.tm_mday = 4;
  tm.tm_hour = 13;
  return Timestamp(std::chrono::seconds(timegm(&tm))) +
         std::chrono::duration_cast<Timestamp::duration>(std::chrono::duration<double>(seconds));
}

// Writes the archive above with its first `samples` samples (at most 5) to `path`; an
// empty string, or the writer's reason for failing.
inline std::string writeTestArchive(const std::string& path, int samples = 5, const std::string& zone = "UTC") {
  archive::ArchiveMeta meta;
  meta.hostName = "testhost";
  meta.timezone = zone;
  meta.interval = std::chrono::milliseconds(1000);
  meta.contextLabels.setString("hostname", "testhost");
  auto w = archive::ArchiveWriter::create(path, meta);
  if (!w) return w.failure().detail;
  archive::ArchiveWriter& writer = **w;
  const archive::RecordedMetric metrics[] = {
      {"test.requests", {kRequests, ValueType::U64, InDom(), Semantics::Counter, Units::count()}, "requests served",
       "Requests served since the start.", {}},
      {"test.load", {kLoad, ValueType::Double, kLoadInDom, Semantics::Instant, Units::none()}, "load by queue", "", {}},
      {"test.state", {kState, ValueType::String, InDom(), Semantics::Discrete, Units::none()}, "server state", "", {}},
  };
  for (const auto& m : metrics)
    if (auto ok = writer.addMetric(m); !ok) return ok.failure().detail;
  if (auto ok = writer.addInDom(InDomInfo{kLoadInDom, "queues", ""}); !ok) return ok.failure().detail;
  const double requests[] = {0, 100, 400, 900, 1600};
  for (int k = 0; k < samples && k < 5; ++k) {
    const Timestamp t = archiveTime(k);
    std::vector<Instance> members = {{0, "a"}, {1, "b"}};
    if (k >= 2) members.push_back({2, "c"});
    if (auto ok = writer.setInstances(kLoadInDom, t, members); !ok) return ok.failure().detail;
    FetchResult r;
    r.timestamp = t;
    r.sets.resize(3);
    r.sets[0].pmid = kRequests;
    r.sets[0].values = {{kNullInstance, Value(static_cast<std::uint64_t>(requests[k]))}};
    r.sets[1].pmid = kLoad;
    r.sets[1].values = {{0, Value(1.0 + k)}, {1, Value(10.0 * (k + 1))}};
    if (k >= 2) r.sets[1].values.push_back({2, Value(5.0 + k)});
    r.sets[2].pmid = kState;
    r.sets[2].values = {{kNullInstance, Value(std::string(k == 1 ? "busy, queued" : "idle"))}};
    if (auto ok = writer.writeSample(r); !ok) return ok.failure().detail;
  }
  return {};
}

}  // namespace sextant::test
