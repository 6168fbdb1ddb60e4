#pragma once
// The REST front end's sockets: Poco's TCPServer on the REST port (and HTTPS on the TLS
// port, with Poco NetSSL over OpenSSL), each connection reading requests with Poco's
// HTTP message classes and handing them to WebApi.
//
// Concurrency: each connection is served on a thread from a bounded pool, behind a
// bounded queue of accepted connections; a keep-alive connection keeps its thread
// until it closes or stays idle for the timeout. Web contexts on this host go through
// the daemon's collector under the same mutex as the PDU front end.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/Collector.h"
#include "service/Config.h"
#include "service/Log.h"

namespace Poco {
class ThreadPool;
namespace Net {
class TCPServer;
}
}  // namespace Poco

namespace sextant::web {

class WebApi;
class WebContexts;
class OpenSockets;

class RestServer {
 public:
  // `hostName` is this host's name, `product` the server's name in error pages.
  RestServer(Collector& collector, std::mutex& collectorLock, service::Log& log, const service::Config& config,
             std::string hostName, std::string product);
  ~RestServer();
  RestServer(const RestServer&) = delete;
  RestServer& operator=(const RestServer&) = delete;

  // Binds the REST port (and the TLS port) and starts serving; a port in use is an
  // error naming it. Nothing to do when both ports are 0.
  Expected<bool> start();
  void stop();
  std::string describe() const;  // "http://0.0.0.0:44322, https://[::]:44323"

 private:
  Collector& collector_;
  std::mutex& collectorLock_;
  service::Log& log_;
  service::Config config_;
  std::string hostName_;
  std::unique_ptr<WebContexts> contexts_;
  std::unique_ptr<WebApi> api_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::unique_ptr<OpenSockets> open_;
  std::vector<std::unique_ptr<Poco::Net::TCPServer>> servers_;
  std::vector<std::string> bound_;
};

}  // namespace sextant::web
