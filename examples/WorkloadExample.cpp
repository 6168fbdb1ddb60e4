// A small instrumented workload: worker threads hash buffers and publish what they do in
// an MMV file (mmv.workload.* through PCP's pmcd or sextantd).
//
//   sextant-mmv-example [seconds] [workers]     (defaults: 10 s, 4 workers)
//   pminfo -f mmv.workload                      (while it runs)
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "instrument/MmvWriter.h"

using namespace sextant;
using namespace sextant::mmv;

namespace {

// FNV-1a over a buffer: the "request" each worker serves.
std::uint64_t hashBuffer(const std::vector<unsigned char>& buffer) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : buffer) h = (h ^ c) * 1099511628211ull;
  return h;
}

int toInt(const char* text, int fallback) {
  char* end = nullptr;
  long v = std::strtol(text, &end, 10);
  return end && *end == '\0' && v > 0 && v < 100000 ? static_cast<int>(v) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const int seconds = argc > 1 ? toInt(argv[1], 10) : 10;
  const int workers = argc > 2 ? toInt(argv[2], 4) : 4;

  Writer w({.fileName = "workload", .directory = {}, .cluster = 321, .flags = kFlagProcess});
  IndomSpec workerDomain{.serial = 1, .instances = {}, .shortHelp = "worker threads", .longHelp = {}};
  for (int i = 0; i < workers; ++i) workerDomain.instances.push_back({i, "worker" + std::to_string(i)});
  bool ok = w.addIndom(workerDomain) &&
            w.addMetric({.name = "requests", .item = 1, .type = Type::U64, .semantics = Semantics::Counter,
                         .units = Units::count(), .indom = 0, .shortHelp = "buffers hashed", .longHelp = {}}) &&
            w.addMetric({.name = "bytes", .item = 2, .type = Type::U64, .semantics = Semantics::Counter,
                         .units = Units::space(SpaceScale::Byte), .indom = 0, .shortHelp = "bytes hashed",
                         .longHelp = {}}) &&
            w.addMetric({.name = "latency", .item = 3, .type = Type::Double, .semantics = Semantics::Instant,
                         .units = Units::time(TimeScale::Microsec), .indom = 0,
                         .shortHelp = "time of the last request", .longHelp = {}}) &&
            w.addMetric({.name = "worker.requests", .item = 4, .type = Type::U64, .semantics = Semantics::Counter,
                         .units = Units::count(), .indom = 1, .shortHelp = "buffers hashed per worker",
                         .longHelp = {}}) &&
            w.addMetric({.name = "state", .item = 5, .type = Type::String, .semantics = Semantics::Discrete,
                         .units = Units::none(), .indom = 0, .shortHelp = "what the program is doing",
                         .longHelp = {}}) &&
            w.start();
  if (!ok) {
    std::cerr << "sextant-mmv-example: " << w.error() << "\n";
    return 1;
  }
  std::cout << "writing " << w.path() << " for " << seconds << " s with " << workers << " workers" << std::endl;

  auto requests = *w.counter<std::uint64_t>("requests");
  auto bytes = *w.counter<std::uint64_t>("bytes");
  auto latency = *w.gauge<double>("latency");
  auto state = *w.string("state");
  state.set("running");

  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < workers; ++i) {
    threads.emplace_back([&, i] {
      auto mine = *w.counter<std::uint64_t>("worker.requests", i);
      std::vector<unsigned char> buffer(4096 * static_cast<std::size_t>(i + 1));
      std::uint64_t seed = static_cast<std::uint64_t>(i);
      while (!stop.load(std::memory_order_relaxed)) {
        auto t0 = std::chrono::steady_clock::now();
        for (auto& c : buffer) c = static_cast<unsigned char>(seed++);
        seed ^= hashBuffer(buffer);
        auto t1 = std::chrono::steady_clock::now();
        requests.inc();
        bytes.inc(buffer.size());
        mine.inc();
        latency.set(std::chrono::duration<double, std::micro>(t1 - t0).count());
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (auto& t : threads) t.join();
  state.set("done");
  std::cout << "requests " << requests.value() << ", bytes " << bytes.value() << std::endl;
  return 0;
}
