// Cost of one in-process fetch of the whole catalog, next to the cost of only reading
// the files that fetch reads (no parsing), measured in the same run. The README's
// target: the fetch costs at most 1.5x the raw reads, i.e. parsing must not dominate.
#include <benchmark/benchmark.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "core/Collector.h"
#include "core/Platform.h"

namespace {

using namespace sextant;

struct Whole {
  Collector collector;
  std::vector<Pmid> pmids;
};

Whole& whole() {
  static Whole* w = [] {
    auto* x = new Whole;
    for (auto& a : makePlatformAgents(PlatformOptions{})) (void)x->collector.addAgent(std::move(a));
    for (const auto& name : *x->collector.pmns().traverse("")) x->pmids.push_back(*x->collector.lookup(name));
    return x;
  }();
  return *w;
}

std::size_t readAll(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char buf[16384];
  std::size_t total = 0;
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) total += static_cast<std::size_t>(n);
  ::close(fd);
  return total;
}

std::vector<std::string> listDir(const std::string& dir) {
  std::vector<std::string> out;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d))
      if (e->d_name[0] != '.') out.emplace_back(e->d_name);
    ::closedir(d);
  }
  return out;
}

// The files a whole-catalog fetch reads, listed afresh each time as the fetch does.
std::size_t readRawSources() {
  std::size_t bytes = 0;
  for (const char* f : {"/proc/stat", "/proc/meminfo", "/proc/vmstat", "/proc/loadavg", "/proc/uptime",
                        "/proc/cpuinfo", "/proc/swaps", "/proc/diskstats", "/proc/net/dev", "/proc/mounts",
                        "/proc/sys/kernel/pid_max"})
    bytes += readAll(f);
  for (const auto& dev : listDir("/sys/block")) {
    bytes += readAll("/sys/block/" + dev + "/size");
    bytes += readAll("/sys/block/" + dev + "/queue/scheduler");
  }
  for (const auto& nic : listDir("/sys/class/net"))
    for (const char* f : {"mtu", "speed", "duplex", "operstate", "flags", "address", "carrier"})
      bytes += readAll("/sys/class/net/" + nic + "/" + f);
  struct statvfs sv;
  if (::statvfs("/", &sv) == 0) bytes += sv.f_bsize;
  for (const auto& pid : listDir("/proc")) {
    if (!std::isdigit(static_cast<unsigned char>(pid[0]))) continue;
    for (const char* f : {"stat", "status", "cmdline"}) bytes += readAll("/proc/" + pid + "/" + f);
  }
  return bytes;
}

void BM_RawRead(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(readRawSources());
}
BENCHMARK(BM_RawRead)->Unit(benchmark::kMicrosecond);

void BM_FetchWholeCatalog(benchmark::State& state) {
  Whole& w = whole();
  std::size_t values = 0;
  for (auto _ : state) {
    FetchResult r = w.collector.fetch(w.pmids);
    values = 0;
    for (const auto& s : r.sets) values += s.values.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["metrics"] = static_cast<double>(w.pmids.size());
  state.counters["values"] = static_cast<double>(values);
}
BENCHMARK(BM_FetchWholeCatalog)->Unit(benchmark::kMicrosecond);

// Prints the ratio the README reports after the usual table.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs) times_[r.benchmark_name()] = r.GetAdjustedRealTime();
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    double raw = times_["BM_RawRead"], fetch = times_["BM_FetchWholeCatalog"];
    if (raw > 0 && fetch > 0)
      std::printf("\nwhole-catalog fetch / raw read = %.2f (target <= 1.50)\n", fetch / raw);
  }

 private:
  std::map<std::string, double> times_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
