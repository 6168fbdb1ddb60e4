#include "service/ServiceStats.h"

#include <ctime>

namespace sextant::service {

void ServiceStats::count(Slots& slots, std::atomic<std::uint32_t>& total, std::int32_t type) {
  total.fetch_add(1, std::memory_order_relaxed);
  const std::int64_t slot = std::int64_t{type} - 0x7000;  // any 32-bit code may arrive
  if (slot >= 0 && slot < kTypeSlots) slots[static_cast<std::size_t>(slot)].fetch_add(1, std::memory_order_relaxed);
}

int ServiceStats::addClient() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  char buf[64] = {};
  // "Sun Nov 22 00:15:13 2026": pmcd.client.start_date uses ctime(3)'s layout.
  if (localtime_r(&now, &local)) std::strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Y", &local);
  std::lock_guard lock(clientsLock_);
  const int id = nextClient_++;
  clients_[id] = Client{id, {}, buf};
  return id;
}

void ServiceStats::removeClient(int id) {
  std::lock_guard lock(clientsLock_);
  clients_.erase(id);
}

void ServiceStats::setWhoami(int id, std::string whoami) {
  std::lock_guard lock(clientsLock_);
  if (auto it = clients_.find(id); it != clients_.end()) it->second.whoami = std::move(whoami);
}

std::vector<ServiceStats::Client> ServiceStats::clients() const {
  std::lock_guard lock(clientsLock_);
  std::vector<Client> out;
  out.reserve(clients_.size());
  for (const auto& [id, c] : clients_) out.push_back(c);
  return out;
}

std::uint32_t ServiceStats::numClients() const {
  std::lock_guard lock(clientsLock_);
  return static_cast<std::uint32_t>(clients_.size());
}

void ServiceStats::recordFetch(std::chrono::nanoseconds took) {
  const double micros = static_cast<double>(took.count()) / 1000.0;
  fetches_.fetch_add(1, std::memory_order_relaxed);
  fetchMicros_.fetch_add(static_cast<std::uint64_t>(took.count() / 1000), std::memory_order_relaxed);
  lastFetchMicros_.store(micros, std::memory_order_relaxed);
}

}  // namespace sextant::service
