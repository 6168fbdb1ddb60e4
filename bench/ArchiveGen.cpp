// Writes a Sextant archive with the synthetic data bench/pcp-archive-gen.py writes as a
// PCP archive (see there for the formula): 60 metrics, 120 values a sample, from
// 2026-01-01 00:00:00 UTC. bench/archive-bench.sh replays both.
//
// Usage: archive_gen OUTPUT SAMPLES INTERVAL_SECONDS
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "tools/archive/ArchiveWriter.h"

using namespace sextant;

namespace {

constexpr std::int64_t kStart = 1767225600;  // 2026-01-01T00:00:00Z
constexpr unsigned kDomain = 245;

int fail(const std::string& what) {
  std::fprintf(stderr, "archive_gen: %s\n", what.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) return fail("usage: archive_gen OUTPUT SAMPLES INTERVAL_SECONDS");
  const long samples = std::atol(argv[2]), step = std::atol(argv[3]);
  if (samples <= 0 || step <= 0) return fail("SAMPLES and INTERVAL_SECONDS must be positive");
  archive::ArchiveMeta meta;
  meta.hostName = "bench";
  meta.timezone = "UTC";
  meta.interval = std::chrono::seconds(step);
  auto writer = archive::ArchiveWriter::create(argv[1], meta);
  if (!writer) return fail(writer.failure().message());
  archive::ArchiveWriter& w = **writer;

  const InDom indom = InDom::make(kDomain, 1);
  if (auto ok = w.addInDom({indom, "four instances", ""}); !ok) return fail(ok.failure().message());
  std::vector<Instance> members;
  for (int i = 0; i < 4; ++i) members.push_back({i, "inst" + std::to_string(i)});

  struct Column {
    Pmid pmid;
    bool counter;
    unsigned m;
  };
  std::vector<Column> columns;
  FetchResult sample;
  auto add = [&](const std::string& name, Pmid pmid, InDom in, Semantics sem, bool counter, unsigned m) {
    Descriptor d{pmid, ValueType::U64, in, sem, counter ? Units::count() : Units::none()};
    auto ok = w.addMetric({name, d, name, "", {}});
    columns.push_back({pmid, counter, m});
    sample.sets.push_back({pmid, 0, {}});
    return ok;
  };
  for (unsigned m = 0; m < 20; ++m)
    if (auto ok = add("bench.multi.c" + std::to_string(m), Pmid::make(kDomain, 0, m), indom, Semantics::Counter, true, m); !ok)
      return fail(ok.failure().message());
  for (unsigned m = 0; m < 20; ++m)
    if (auto ok = add("bench.single.c" + std::to_string(m), Pmid::make(kDomain, 1, m), InDom(), Semantics::Counter, true, m); !ok)
      return fail(ok.failure().message());
  for (unsigned m = 0; m < 20; ++m)
    if (auto ok = add("bench.single.g" + std::to_string(m), Pmid::make(kDomain, 2, m), InDom(), Semantics::Instant, false, m); !ok)
      return fail(ok.failure().message());

  for (long s = 0; s < samples; ++s) {
    sample.timestamp = Timestamp(std::chrono::seconds(kStart + s * step));
    if (s == 0)
      if (auto ok = w.setInstances(indom, sample.timestamp, members); !ok) return fail(ok.failure().message());
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const Column& col = columns[c];
      auto& values = sample.sets[c].values;
      values.clear();
      const bool multi = c < 20;
      for (int i = 0; i < (multi ? 4 : 1); ++i) {
        const std::uint64_t u = static_cast<std::uint64_t>(s), mm = col.m, ii = static_cast<std::uint64_t>(i);
        const std::uint64_t v = col.counter ? u * (mm + 1) * 7 + ii * 13 + (u * u) % 17 : (mm * 31 + ii * 17 + u * 5) % 1000;
        values.push_back({multi ? i : kNullInstance, v});
      }
    }
    if (auto ok = w.writeSample(sample); !ok) return fail(ok.failure().message());
  }
  return 0;
}
