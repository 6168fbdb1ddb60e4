#pragma once
// The PDU front end's sockets: TCP on IPv4 and IPv6 (or one --listen address) and a
// local Unix socket, each served by a Poco TCPServer.
//
// Concurrency model: one thread per connection, taken from one bounded Poco::ThreadPool
// shared by every listener, behind a bounded accept queue. The per-client code is
// plain blocking reads and writes that mirror the protocol's strict request/reply
// discipline (spec 1.7); a slow or silent client only ever blocks its own thread, and
// is dropped by its receive timeout. Resources stay bounded by the pool, the queue and
// the configured connection limit (clients over it get PCP's PM_ERR_CONNLIMIT hello).
// Fetches from all threads go through one mutex around the Collector (see PduSession).
#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "core/Collector.h"
#include "service/Config.h"
#include "service/Log.h"
#include "service/ServiceStats.h"

namespace Poco {
class ThreadPool;
namespace Net {
class TCPServer;
}
}  // namespace Poco

namespace sextant::service {

// What every connection thread shares.
struct ServerShared {
  ServerShared(Collector& c, std::mutex& lock, ServiceStats& s, Log& l, Config cfg)
      : collector(c), collectorLock(lock), stats(s), log(l), config(std::move(cfg)) {}
  Collector& collector;
  std::mutex& collectorLock;  // shared with every front end
  ServiceStats& stats;
  Log& log;
  std::atomic<unsigned> active{0};  // connections being served

  Config settings() const {
    std::lock_guard lock(configLock);
    return config;
  }
  void setSettings(Config c) {
    std::lock_guard lock(configLock);
    config = std::move(c);
  }
  // Open connection sockets, so that stop() can shut them down.
  void track(int fd, bool open);
  void shutdownAll();

 private:
  mutable std::mutex configLock;
  Config config;
  std::mutex fdsLock;
  std::set<int> fds;
};

class PduServer {
 public:
  // `collectorLock` guards `collector` across every front end.
  PduServer(Collector& collector, std::mutex& collectorLock, ServiceStats& stats, Log& log, Config config);
  ~PduServer();
  PduServer(const PduServer&) = delete;
  PduServer& operator=(const PduServer&) = delete;

  // Binds every socket and starts serving. A port in use is an error naming it.
  Expected<bool> start();
  void stop();
  // New access rules, limits and timeouts for connections from now on.
  void reload(const Config& config);

  // "IPv4 0.0.0.0:44321, IPv6 [::]:44321, socket /run/sextant/sextantd.socket"
  std::string describe() const;

 private:
  Expected<bool> listenTcp();
  Expected<bool> listenUnix();

  std::shared_ptr<ServerShared> shared_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::vector<std::unique_ptr<Poco::Net::TCPServer>> servers_;
  std::vector<std::string> endpoints_;
  std::string socketPath_;  // bound socket file, removed at stop
};

}  // namespace sextant::service
