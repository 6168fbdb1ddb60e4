// Cost of one in-process fetch of the whole catalog, next to the cost of only reading
// the files that fetch reads (no parsing), measured in the same run. The README's
// target: the fetch costs at most 1.5x the raw reads, i.e. parsing must not dominate.
#include <benchmark/benchmark.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
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

bool startsWith(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

// The files a whole-catalog fetch reads (checked against strace of one fetch), read
// whole with no parsing; directories listed afresh each time as the fetch does.
std::size_t readRawSources() {
  std::size_t bytes = 0;
  for (const char* f : {"/proc/stat", "/proc/meminfo", "/proc/vmstat", "/proc/loadavg", "/proc/uptime",
                        "/proc/cpuinfo", "/proc/swaps", "/proc/diskstats", "/proc/net/dev", "/proc/mounts",
                        "/proc/sys/kernel/pid_max", "/proc/sys/kernel/arch", "/run/utmp", "/var/run/utmp"})
    bytes += readAll(f);
  bytes += listDir("/sys/devices/system/node").size();
  for (const auto& dev : listDir("/sys/block")) {
    if (startsWith(dev, "loop") || startsWith(dev, "ram") || startsWith(dev, "zram")) continue;
    const std::string dir = "/sys/block/" + dev;
    bytes += readAll(dir + "/size");
    bytes += readAll(startsWith(dev, "dm-") ? dir + "/dm/name" : dir + "/queue/scheduler");
  }
  for (const auto& nic : listDir("/sys/class/net"))
    for (const char* f : {"mtu", "speed", "duplex", "flags", "address", "carrier"})
      bytes += readAll("/sys/class/net/" + nic + "/" + f);
  struct statfs sf;
  if (::statfs("/", &sf) == 0) bytes += static_cast<std::size_t>(sf.f_bsize);
  for (const auto& pid : listDir("/proc")) {
    if (!std::isdigit(static_cast<unsigned char>(pid[0]))) continue;
    const std::string dir = "/proc/" + pid + "/";
    for (const char* f : {"stat", "status", "statm", "cmdline", "wchan"}) bytes += readAll(dir + f);
    char link[4096];
    for (const char* f : {"exe", "cwd"})
      bytes += static_cast<std::size_t>(std::max<ssize_t>(0, ::readlink((dir + f).c_str(), link, sizeof link)));
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
    // With --benchmark_repetitions the median (reported after the runs) wins.
    for (const auto& r : runs)
      if (r.run_type == Run::RT_Iteration || r.aggregate_name == "median")
        times_[r.run_name.function_name] = r.GetAdjustedRealTime();
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    double raw = times_["BM_RawRead"], fetch = times_["BM_FetchWholeCatalog"];
    if (raw > 0 && fetch > 0)
      std::printf("\nmedian whole-catalog fetch %.0f us, raw read %.0f us: ratio %.2f (target <= 1.50)\n", fetch, raw,
                  fetch / raw);
  }

 private:
  std::map<std::string, double> times_;
};

}  // namespace

int main(int argc, char** argv) {
  // Reading /proc is mostly kernel time and varies from run to run: compare medians.
  std::vector<char*> args(argv, argv + argc);
  std::string reps = "--benchmark_repetitions=7";
  bool given = false;
  for (int i = 1; i < argc; ++i) given |= std::string(argv[i]).rfind("--benchmark_repetitions", 0) == 0;
  if (!given) args.push_back(reps.data());
  argc = static_cast<int>(args.size());
  argv = args.data();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
