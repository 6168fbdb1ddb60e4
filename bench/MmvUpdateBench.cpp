// Cost of one MMV update: a counter increment and a gauge set through Sextant's library
// (instrument/MmvWriter.h) and through PCP's libpcp_mmv (mmv_inc, mmv_set_value on a
// looked-up pmAtomValue) for the same metric layout, next to the physical limits, a plain
// relaxed atomic add and a plain store. Single-threaded, and with two threads on the same
// metric and on different metrics (adjacent 32-byte value records, as both libraries lay
// them out: the two slots share a cache line). Both files live in a private PCP_TMP_DIR.
#include <benchmark/benchmark.h>
#include <pcp/pmapi.h>
// pmapi.h first: mmv_stats.h uses its types.
#include <pcp/mmv_stats.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <string>

#include "instrument/MmvWriter.h"

namespace {

using namespace sextant;
using namespace sextant::mmv;

[[noreturn]] void die(const char* why) {
  std::fprintf(stderr, "bench_mmv_update: %s\n", why);
  std::exit(1);
}

struct Files {
  Writer* sextant = nullptr;
  Counter<std::uint64_t> counters[2];
  Gauge<double> gauges[2];
  void* pcpBase = nullptr;
  pmAtomValue* pcpCounters[2] = {nullptr, nullptr};
  pmAtomValue* pcpGauges[2] = {nullptr, nullptr};
};

// Both files, created once: Sextant's "sextantbench" and libpcp_mmv's "pcpbench", each
// with counters c0, c1 (u64) and gauges g0, g1 (double).
Files& files() {
  static Files* f = [] {
    auto* x = new Files;
    char dir[] = "/tmp/mmvbenchXXXXXX";
    if (!::mkdtemp(dir)) die("no temporary directory");
    // Before any libpcp call: libpcp reads PCP_TMP_DIR from the environment once.
    ::setenv("PCP_TMP_DIR", dir, 1);
    ::mkdir((std::string(dir) + "/mmv").c_str(), 0755);
    static std::string where = dir;
    std::atexit([] {  // leave nothing behind in /tmp
      for (const char* name : {"/mmv/sextantbench", "/mmv/pcpbench"}) ::unlink((where + name).c_str());
      ::rmdir((where + "/mmv").c_str());
      ::rmdir(where.c_str());
    });

    x->sextant = new Writer({.fileName = "sextantbench", .directory = {}, .cluster = 901, .flags = 0});
    mmv_registry_t* reg = mmv_stats_registry("pcpbench", 902, static_cast<mmv_stats_flags_t>(0));
    if (!reg) die("mmv_stats_registry failed");
    pmUnits count = MMV_UNITS(0, 0, 1, 0, 0, 0), none = MMV_UNITS(0, 0, 0, 0, 0, 0);
    // libpcp_mmv keeps the name pointers until mmv_stats_start(): string literals.
    static const char* const kCounters[2] = {"c0", "c1"};
    static const char* const kGauges[2] = {"g0", "g1"};
    for (std::uint32_t i = 0; i < 2; ++i) {
      const char* c = kCounters[i];
      const char* g = kGauges[i];
      bool ok = x->sextant->addMetric({.name = c, .item = 1 + i, .type = Type::U64, .semantics = Semantics::Counter,
                                       .units = Units::count(), .indom = 0, .shortHelp = {}, .longHelp = {}}) &&
                x->sextant->addMetric({.name = g, .item = 3 + i, .type = Type::Double, .semantics = Semantics::Instant,
                                       .units = Units::none(), .indom = 0, .shortHelp = {}, .longHelp = {}});
      if (!ok) die(x->sextant->error().c_str());
      if (mmv_stats_add_metric(reg, c, static_cast<int>(1 + i), MMV_TYPE_U64, MMV_SEM_COUNTER, count, 0, nullptr, nullptr) < 0 ||
          mmv_stats_add_metric(reg, g, static_cast<int>(3 + i), MMV_TYPE_DOUBLE, MMV_SEM_INSTANT, none, 0, nullptr, nullptr) < 0)
        die("mmv_stats_add_metric failed");
    }
    if (!x->sextant->start()) die(x->sextant->error().c_str());
    x->pcpBase = mmv_stats_start(reg);
    if (!x->pcpBase) die("mmv_stats_start failed");
    for (int i = 0; i < 2; ++i) {
      x->counters[i] = *x->sextant->counter<std::uint64_t>(kCounters[i]);
      x->gauges[i] = *x->sextant->gauge<double>(kGauges[i]);
      x->pcpCounters[i] = mmv_lookup_value_desc(x->pcpBase, kCounters[i], nullptr);
      x->pcpGauges[i] = mmv_lookup_value_desc(x->pcpBase, kGauges[i], nullptr);
      if (!x->pcpCounters[i] || !x->pcpGauges[i]) die("mmv_lookup_value_desc failed");
    }
    return x;
  }();
  return *f;
}

// Which metric a thread updates: the same one, or one per thread ("different").
int slotOf(const benchmark::State& state, bool different) { return different ? state.thread_index() % 2 : 0; }

void sextantCounterInc(benchmark::State& state, bool different) {
  const Counter<std::uint64_t> c = files().counters[slotOf(state, different)];
  for (auto _ : state) c.inc();
}

// The single-writer increment: for counters one thread owns (like mmv_inc, no lock).
void sextantCounterIncSingleWriter(benchmark::State& state, bool different) {
  const Counter<std::uint64_t> c = files().counters[slotOf(state, different)];
  for (auto _ : state) c.incSingleWriter();
}

void pcpCounterInc(benchmark::State& state, bool different) {
  Files& f = files();
  pmAtomValue* v = f.pcpCounters[slotOf(state, different)];
  for (auto _ : state) mmv_inc(f.pcpBase, v);
}

void sextantGaugeSet(benchmark::State& state, bool different) {
  const Gauge<double> g = files().gauges[slotOf(state, different)];
  std::uint64_t i = 0;
  for (auto _ : state) g.set(static_cast<double>(++i));
}

void pcpGaugeSet(benchmark::State& state, bool different) {
  Files& f = files();
  pmAtomValue* v = f.pcpGauges[slotOf(state, different)];
  std::uint64_t i = 0;
  for (auto _ : state) mmv_set_value(f.pcpBase, v, static_cast<double>(++i));
}

// The limits: the same instructions on ordinary memory, two slots 32 bytes apart as in
// an MMV values section.
alignas(64) std::uint64_t gPlain[8];

void atomicAdd(benchmark::State& state, bool different) {
  std::atomic_ref<std::uint64_t> a(gPlain[4 * slotOf(state, different)]);
  for (auto _ : state) a.fetch_add(1, std::memory_order_relaxed);
}

void plainStore(benchmark::State& state, bool different) {
  std::uint64_t* p = &gPlain[4 * slotOf(state, different)];
  std::uint64_t x = 0;
  for (auto _ : state) {
    *p = ++x;
    benchmark::ClobberMemory();  // keeps every store in the loop
  }
}

}  // namespace

BENCHMARK_CAPTURE(sextantCounterInc, single, false);
BENCHMARK_CAPTURE(sextantCounterIncSingleWriter, single, false);
BENCHMARK_CAPTURE(pcpCounterInc, single, false);
BENCHMARK_CAPTURE(atomicAdd, single, false);
BENCHMARK_CAPTURE(sextantGaugeSet, single, false);
BENCHMARK_CAPTURE(pcpGaugeSet, single, false);
BENCHMARK_CAPTURE(plainStore, single, false);

BENCHMARK_CAPTURE(sextantCounterInc, same_metric, false)->Threads(2);
BENCHMARK_CAPTURE(pcpCounterInc, same_metric, false)->Threads(2);
BENCHMARK_CAPTURE(atomicAdd, same_metric, false)->Threads(2);
BENCHMARK_CAPTURE(sextantGaugeSet, same_metric, false)->Threads(2);
BENCHMARK_CAPTURE(pcpGaugeSet, same_metric, false)->Threads(2);
BENCHMARK_CAPTURE(plainStore, same_metric, false)->Threads(2);

BENCHMARK_CAPTURE(sextantCounterInc, different_metrics, true)->Threads(2);
BENCHMARK_CAPTURE(sextantCounterIncSingleWriter, different_metrics, true)->Threads(2);
BENCHMARK_CAPTURE(pcpCounterInc, different_metrics, true)->Threads(2);
BENCHMARK_CAPTURE(atomicAdd, different_metrics, true)->Threads(2);
BENCHMARK_CAPTURE(sextantGaugeSet, different_metrics, true)->Threads(2);
BENCHMARK_CAPTURE(pcpGaugeSet, different_metrics, true)->Threads(2);
BENCHMARK_CAPTURE(plainStore, different_metrics, true)->Threads(2);

BENCHMARK_MAIN();
