// What serving MMV files costs sextantd's MMV agent, in one run:
//  - a fetch of every value of N files x 100 metrics through the agent in-process
//    (N = 1, 10, 50, 100: the cost must grow linearly with files x metrics);
//  - the agent's change check before a request (directory, generations, sizes) with
//    100 files, which sextantd runs before every request as pmdammv does;
//  - end to end: a client (HostContext, one TCP connection) fetching the 100 values of
//    one file from a private sextantd and from a private PCP pmcd with its mmv PMDA,
//    both started here on free ports and reading the same directory. The target
//    (issue 4): sextantd at least 2x pmcd's fetches/s.
// The files are written by PCP's own libpcp_mmv, into a private PCP_TMP_DIR.
#include <benchmark/benchmark.h>
#include <netinet/in.h>
#include <pcp/pmapi.h>
#include <pcp/mmv_stats.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/Collector.h"
#include "service/MmvAgent.h"
#include "core/pdu/Pdu.h"
#include "tools/HostContext.h"

extern char** environ;

namespace {

using namespace sextant;
namespace fs = std::filesystem;

constexpr int kMetrics = 100;

// A private PCP_TMP_DIR holding `files` files x 100 u64 metrics, written by libpcp_mmv.
// libpcp reads PCP_TMP_DIR once, so every set lives under one root: <root>/<set>/mmv.
std::string root() {
  static std::string r = [] {
    char tmpl[] = "/tmp/sextant-mmvbench-XXXXXX";
    std::string dir = mkdtemp(tmpl);
    setenv("PCP_TMP_DIR", dir.c_str(), 1);
    return dir;
  }();
  return r;
}

// libpcp_mmv writes into $PCP_TMP_DIR/mmv; each set is moved to its own directory.
std::string makeSet(const std::string& set, int files) {
  const std::string target = root() + "/" + set;
  if (fs::exists(target)) return target;
  fs::create_directories(root() + "/mmv");
  static int cluster = 1;
  for (int f = 0; f < files; ++f) {
    const std::string name = "f" + std::to_string(f);
    mmv_registry_t* reg = mmv_stats_registry(name.c_str(), cluster++, static_cast<mmv_stats_flags_t>(0));
    pmUnits count = MMV_UNITS(0, 0, 1, 0, 0, PM_COUNT_ONE);
    for (int m = 0; m < kMetrics; ++m) {
      char* metric = strdup(("m" + std::to_string(m)).c_str());  // the registry keeps the pointer
      mmv_stats_add_metric(reg, metric, static_cast<unsigned>(m + 1), MMV_TYPE_U64, MMV_SEM_COUNTER, count, 0,
                           nullptr, nullptr);
    }
    void* map = mmv_stats_start(reg);
    for (int m = 0; m < kMetrics; ++m) {
      pmAtomValue* v = mmv_lookup_value_desc(map, ("m" + std::to_string(m)).c_str(), nullptr);
      if (v) v->ull = static_cast<std::uint64_t>(m);
    }
  }
  fs::create_directories(target);
  fs::rename(root() + "/mmv", target + "/mmv");
  return target;
}

struct Served {
  std::unique_ptr<service::MmvAgent> agent;
  std::vector<Pmid> pmids;
};

Served serve(const std::string& set, int files) {
  Served s;
  service::MmvAgentOptions o;
  o.dir = makeSet(set, files) + "/mmv";
  s.agent = std::make_unique<service::MmvAgent>(std::move(o));
  for (const auto& m : s.agent->metrics())
    if (m.desc.pmid.cluster() != 0) s.pmids.push_back(m.desc.pmid);
  return s;
}

void BM_AgentFetchFiles(benchmark::State& state) {
  const int files = static_cast<int>(state.range(0));
  Served s = serve("set" + std::to_string(files), files);
  if (s.pmids.size() != static_cast<std::size_t>(files * kMetrics)) {
    state.SkipWithError("the files were not all served");
    return;
  }
  std::vector<ValueSet> out;
  for (auto _ : state) {
    prepareSets(s.pmids, out);
    s.agent->fetch(s.pmids, Profile{}, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(s.pmids.size()));
  state.counters["values"] = static_cast<double>(s.pmids.size());
}
BENCHMARK(BM_AgentFetchFiles)->Arg(1)->Arg(10)->Arg(50)->Arg(100)->Unit(benchmark::kMicrosecond);


// The check sextantd makes before every request, with nothing changed.
void BM_AgentChangeCheck(benchmark::State& state) {
  const int files = static_cast<int>(state.range(0));
  Served s = serve("set" + std::to_string(files), files);
  for (auto _ : state) benchmark::DoNotOptimize(s.agent->refresh());
}
BENCHMARK(BM_AgentChangeCheck)->Arg(1)->Arg(100)->Unit(benchmark::kMicrosecond);

// ---- end to end ----

bool accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(fd);
  return ok;
}

int freePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

// A daemon started with PCP_TMP_DIR=`tmp`, stopped with SIGTERM.
struct Daemon {
  pid_t pid = -1;
  int port = 0;
  Daemon(std::vector<std::string> args, const std::string& tmp, int p) : port(p) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env{"PCP_TMP_DIR=" + tmp, "PCP_RUN_DIR=" + tmp};
    for (char** e = environ; *e; ++e)
      if (std::string(*e).rfind("PCP_TMP_DIR=", 0) != 0 && std::string(*e).rfind("PCP_RUN_DIR=", 0) != 0)
        env.emplace_back(*e);
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), envp.data()) != 0) pid = -1;
    for (int i = 0; i < 200 && pid > 0 && !accepts(port); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ~Daemon() {
    if (pid > 0) {
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
  }
};

void fetchOverPdu(benchmark::State& state, int port) {
  auto spec = cli::parseHostSpec("127.0.0.1:" + std::to_string(port));
  auto ctx = HostContext::open(*spec);
  if (!ctx) {
    state.SkipWithError(ctx.failure().detail.c_str());
    return;
  }
  std::vector<std::string> names;
  for (int m = 0; m < kMetrics; ++m) names.push_back("mmv.f0.m" + std::to_string(m));
  std::vector<Pmid> pmids;
  for (auto& p : (*ctx)->lookup(names))
    if (p) pmids.push_back(*p);
  if (pmids.size() != static_cast<std::size_t>(kMetrics)) {
    state.SkipWithError("the daemon does not serve mmv.f0.m0..m99");
    return;
  }
  for (auto _ : state) {
    auto r = (*ctx)->fetch(pmids);
    if (!r || r->sets.size() != pmids.size() || r->sets[99].values.size() != 1) {
      state.SkipWithError("fetch failed");
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() * kMetrics);
  state.counters["fetches/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

// The same fetch as raw PDUs: one pre-encoded FETCH sent, the RESULT read whole but not
// decoded, so that the figure is the server's cost plus the loopback round trip.
bool readPdu(int fd, std::vector<std::uint8_t>& buf) {
  auto readN = [fd](std::uint8_t* p, std::size_t n) {
    while (n > 0) {
      ssize_t got = ::read(fd, p, n);
      if (got <= 0) return false;
      p += got;
      n -= static_cast<std::size_t>(got);
    }
    return true;
  };
  buf.resize(pdu::kHeaderSize);
  if (!readN(buf.data(), buf.size())) return false;
  auto h = pdu::decodeHeader(buf);
  if (!h || h->length < 12 || h->length > (1 << 24)) return false;
  buf.resize(static_cast<std::size_t>(h->length));
  return readN(buf.data() + pdu::kHeaderSize, buf.size() - pdu::kHeaderSize);
}

bool sendAll(int fd, const std::vector<std::uint8_t>& b) { return ::write(fd, b.data(), b.size()) == static_cast<ssize_t>(b.size()); }

// CPU time (user + system, all threads) a process has used, in seconds.
double cpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto paren = text.rfind(')');
  if (paren == std::string::npos) return 0;
  std::istringstream fields(text.substr(paren + 2));
  std::string skip;
  for (int i = 3; i < 14; ++i) fields >> skip;  // state .. cmajflt (fields 3-13)
  double utime = 0, stime = 0;                  // fields 14 and 15, in clock ticks
  fields >> utime >> stime;
  return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// Pins the calling thread, and the daemons it spawns meanwhile, to one CPU; restores on
// destruction. With client and server on one CPU, a round trip costs the work of both
// and two context switches, without the cross-CPU wake-ups that a VM makes expensive.
class OneCpu {
 public:
  explicit OneCpu(bool on) : on_(on) {
    if (!on_) return;
    sched_getaffinity(0, sizeof saved_, &saved_);
    cpu_set_t one;
    CPU_ZERO(&one);
    for (int c = 0; c < CPU_SETSIZE; ++c)
      if (CPU_ISSET(c, &saved_)) {
        CPU_SET(c, &one);
        break;
      }
    sched_setaffinity(0, sizeof one, &one);
  }
  ~OneCpu() {
    if (on_) sched_setaffinity(0, sizeof saved_, &saved_);
  }
  OneCpu(const OneCpu&) = delete;
  OneCpu& operator=(const OneCpu&) = delete;

 private:
  bool on_;
  cpu_set_t saved_{};
};

// depth: requests kept in flight on the connection. 1 is a client waiting for each
// answer (a round trip per fetch); more measures what the server itself sustains.
void rawFetch(benchmark::State& state, int port, pid_t server, int depth = 1) {
  std::vector<Pmid> pmids;
  {
    auto ctx = HostContext::open(*cli::parseHostSpec("127.0.0.1:" + std::to_string(port)));
    if (!ctx) return state.SkipWithError(ctx.failure().detail.c_str());
    std::vector<std::string> names;
    for (int m = 0; m < kMetrics; ++m) names.push_back("mmv.f0.m" + std::to_string(m));
    for (auto& p : (*ctx)->lookup(names))
      if (p) pmids.push_back(*p);
  }
  if (pmids.size() != static_cast<std::size_t>(kMetrics)) return state.SkipWithError("mmv.f0.m0..m99 not served");
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::vector<std::uint8_t> buf;
  pdu::CredsPdu creds;
  creds.creds.push_back(1u << 24 | 2u << 16);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || !readPdu(fd, buf) ||
      !sendAll(fd, pdu::encode(creds, static_cast<std::int32_t>(::getpid()))) ||
      // A server answers a fetch only after a profile (wire protocol spec 2.4).
      !sendAll(fd, pdu::encode(pdu::ProfilePdu{}, static_cast<std::int32_t>(::getpid())))) {
    ::close(fd);
    return state.SkipWithError("cannot connect");
  }
  pdu::FetchPdu fetch;
  fetch.pmids = pmids;
  const auto request = pdu::encode(fetch, static_cast<std::int32_t>(::getpid()));
  // Warm-up: whatever the server says to CREDS (pmcd may answer it) comes before the RESULT.
  bool ready = sendAll(fd, request);
  for (int i = 0; ready && i < 3; ++i) {
    ready = readPdu(fd, buf);
    auto h = pdu::decodeHeader(buf);
    if (ready && h && h->type == static_cast<std::int32_t>(pdu::Type::Result)) break;
  }
  if (!ready) {
    ::close(fd);
    return state.SkipWithError("no RESULT for the first fetch");
  }
  const double cpuBefore = cpuSeconds(server);
  for (int i = 1; i < depth; ++i)
    if (!sendAll(fd, request)) return state.SkipWithError("send failed");
  for (auto _ : state) {
    if (!sendAll(fd, request) || !readPdu(fd, buf)) {
      state.SkipWithError("fetch failed");
      break;
    }
    auto h = pdu::decodeHeader(buf);
    if (!h || h->type != static_cast<std::int32_t>(pdu::Type::Result)) {
      state.SkipWithError("no RESULT");
      break;
    }
  }
  for (int i = 1; i < depth; ++i) readPdu(fd, buf);  // the answers still in flight
  const double serverSeconds = cpuSeconds(server) - cpuBefore;
  ::close(fd);
  state.SetItemsProcessed(state.iterations() * kMetrics);
  state.counters["fetches/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  // The server's own CPU time per fetch (clock ticks: about 1% resolution over a run).
  state.counters["server_us"] = serverSeconds * 1e6 / static_cast<double>(state.iterations());
}

std::unique_ptr<Daemon> startSextantd(const std::string& tmp) {
  const int port = freePort();
  return std::make_unique<Daemon>(std::vector<std::string>{SEXTANTD_PATH, "--foreground", "--pdu-port",
                                                           std::to_string(port), "--listen", "127.0.0.1", "--socket",
                                                           "", "--log", tmp + "/sextantd.log"},
                                  tmp, port);
}

std::unique_ptr<Daemon> startPmcd(const std::string& tmp) {
  const std::string pmdas = "/var/lib/pcp/pmdas";
  {
    std::ofstream conf(tmp + "/pmcd.conf");
    conf << "pmcd\t2\tdso\tpmcd_init\t" << pmdas << "/pmcd/pmda_pmcd.so\n"
         << "mmv\t70\tdso\tmmv_init\t" << pmdas << "/mmv/pmda_mmv.so\n\n[access]\nallow \".*\" : all;\n";
  }
  const int port = freePort();
  std::vector<std::string> args{"/usr/lib/pcp/bin/pmcd", "-f", "-A", "-p", std::to_string(port), "-s",
                                tmp + "/pmcd.socket", "-c", tmp + "/pmcd.conf", "-l", tmp + "/pmcd.log"};
  if (geteuid() == 0) args.insert(args.end(), {"-U", "root"});
  return std::make_unique<Daemon>(args, tmp, port);
}

// Argument one_cpu: 0, client and server wherever the scheduler puts them; 1, all on
// one CPU (see OneCpu).
void BM_RawPduFetch100_sextantd(benchmark::State& state) {
  OneCpu pin(state.range(0) != 0);
  auto d = startSextantd(makeSet("set1", 1));
  rawFetch(state, d->port, d->pid);
}
BENCHMARK(BM_RawPduFetch100_sextantd)->ArgName("one_cpu")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_RawPduFetch100_pmcd(benchmark::State& state) {
  OneCpu pin(state.range(0) != 0);
  auto d = startPmcd(makeSet("set1", 1));
  rawFetch(state, d->port, d->pid);
}
BENCHMARK(BM_RawPduFetch100_pmcd)->ArgName("one_cpu")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond)->UseRealTime();

// 16 requests in flight, client and servers wherever the scheduler puts them.
void BM_PipelinedFetch100_sextantd(benchmark::State& state) {
  auto d = startSextantd(makeSet("set1", 1));
  rawFetch(state, d->port, d->pid, 16);
}
BENCHMARK(BM_PipelinedFetch100_sextantd)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_PipelinedFetch100_pmcd(benchmark::State& state) {
  auto d = startPmcd(makeSet("set1", 1));
  rawFetch(state, d->port, d->pid, 16);
}
BENCHMARK(BM_PipelinedFetch100_pmcd)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_PduFetch100_sextantd(benchmark::State& state) {
  auto d = startSextantd(makeSet("set1", 1));
  fetchOverPdu(state, d->port);
}
BENCHMARK(BM_PduFetch100_sextantd)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_PduFetch100_pmcd(benchmark::State& state) {
  auto d = startPmcd(makeSet("set1", 1));
  fetchOverPdu(state, d->port);
}
BENCHMARK(BM_PduFetch100_pmcd)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
