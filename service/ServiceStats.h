#pragma once
// The daemon's own counters, shared by every connection thread and read by the
// self-metrics agent (pmcd.pdu_in.*, pmcd.numclients, pmcd.client.whoami, fetch
// latency). Counters are atomics; the client table has its own mutex.
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace sextant::service {

class ServiceStats {
 public:
  // One slot per PDU type code 0x7000..0x7017 (pmcd counts the same way).
  static constexpr int kTypeSlots = 0x18;

  void countIn(std::int32_t type) { count(in_, inTotal_, type); }
  void countOut(std::int32_t type) { count(out_, outTotal_, type); }
  std::uint32_t in(int slot) const { return in_[static_cast<std::size_t>(slot)].load(std::memory_order_relaxed); }
  std::uint32_t out(int slot) const { return out_[static_cast<std::size_t>(slot)].load(std::memory_order_relaxed); }
  std::uint32_t inTotal() const { return inTotal_.load(std::memory_order_relaxed); }
  std::uint32_t outTotal() const { return outTotal_.load(std::memory_order_relaxed); }

  struct Client {
    int id = 0;
    std::string whoami;     // what the client stored into pmcd.client.whoami
    std::string startDate;  // ctime(3) style, as pmcd.client.start_date
  };
  // Registers a connection; the id is its instance in pmcd.client.* (indom 2.6).
  int addClient();
  void removeClient(int id);
  void setWhoami(int id, std::string whoami);
  std::vector<Client> clients() const;
  std::uint32_t numClients() const;

  void recordFetch(std::chrono::nanoseconds took);
  std::uint64_t fetchCount() const { return fetches_.load(std::memory_order_relaxed); }
  std::uint64_t fetchMicros() const { return fetchMicros_.load(std::memory_order_relaxed); }
  double lastFetchMicros() const { return lastFetchMicros_.load(std::memory_order_relaxed); }

  // A configuration reload (SIGHUP): bumps pmcd.seqnum and pmcd.sighups.
  void noteReload() { reloads_.fetch_add(1, std::memory_order_relaxed); }
  std::uint32_t reloads() const { return reloads_.load(std::memory_order_relaxed); }

 private:
  using Slots = std::array<std::atomic<std::uint32_t>, kTypeSlots>;
  static void count(Slots& slots, std::atomic<std::uint32_t>& total, std::int32_t type);

  Slots in_{};
  Slots out_{};
  std::atomic<std::uint32_t> inTotal_{0}, outTotal_{0};
  std::atomic<std::uint64_t> fetches_{0}, fetchMicros_{0};
  std::atomic<double> lastFetchMicros_{0.0};
  std::atomic<std::uint32_t> reloads_{0};

  mutable std::mutex clientsLock_;
  std::map<int, Client> clients_;
  int nextClient_ = 1;
};

}  // namespace sextant::service
