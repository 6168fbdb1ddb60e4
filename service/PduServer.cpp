#include "service/PduServer.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Net/TCPServerParams.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>

#include <array>
#include <cerrno>
#include <filesystem>

#include "core/pdu/Pdu.h"
#include "service/PduSession.h"

namespace sextant::service {
namespace {

using Poco::Net::StreamSocket;

// Threads in the pool: the ceiling of concurrent connections whatever max_clients
// says, plus room for the short-lived threads that send a refusal hello.
constexpr int kPoolThreads = 512;
constexpr int kAcceptQueue = 64;

bool sendAll(StreamSocket& s, const pdu::Bytes& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const int n = s.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent));
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

class PduConnection final : public Poco::Net::TCPServerConnection {
 public:
  PduConnection(const StreamSocket& s, std::shared_ptr<ServerShared> shared, bool unixSocket)
      : TCPServerConnection(s), shared_(std::move(shared)), unix_(unixSocket) {}

  void run() override {
    ++shared_->active;
    const int fd = socket().impl()->sockfd();
    shared_->track(fd, true);
    try {
      serve();
    } catch (const Poco::Exception& e) {
      shared_->log.line(facts_.peer + ": connection error: " + e.displayText());
    } catch (const std::exception& e) {
      shared_->log.line(facts_.peer + ": connection error: " + e.what());
    }
    shared_->track(fd, false);
    --shared_->active;
  }

 private:
  void identify(const Config& cfg) {
    StreamSocket& s = socket();
    if (unix_) {
      facts_.unixSocket = facts_.local = true;
      ucred cred{};
      socklen_t len = sizeof cred;
      // SO_PEERCRED: the connecting process's credentials, from the kernel (unix(7)).
      if (::getsockopt(s.impl()->sockfd(), SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0) {
        facts_.uid = cred.uid;
        facts_.gid = cred.gid;
        facts_.peer = "local socket (pid " + std::to_string(cred.pid) + ", uid " + std::to_string(cred.uid) + ")";
      } else {
        facts_.peer = "local socket";
      }
    } else {
      const auto peer = s.peerAddress();
      address_ = peer.host().toString();
      facts_.peer = peer.toString();
      // A loopback peer runs on this machine and could read /proc itself.
      facts_.local = isLoopback(address_);
    }
    facts_.procAllowed = cfg.access.procAllowed(facts_.local);
  }

  void serve() {
    const Config cfg = shared_->settings();
    identify(cfg);
    StreamSocket& s = socket();
    const Poco::Timespan sendTimeout(static_cast<long>(cfg.idleTimeout.count()), 0);
    s.setSendTimeout(sendTimeout);

    // Access rules first: a refusal is a hello carrying the error (spec 1.5, 3.11).
    if (!unix_) {
      if (cfg.access.admit(address_) != 0) {
        shared_->log.line(facts_.peer + ": connection refused by the access rules");
        sendAll(s, PduSession::refusal(Error::Permission));
        return;
      }
    }
    if (shared_->active.load() > cfg.access.maxClients) {
      shared_->log.line(facts_.peer + ": connection refused: limit of " + std::to_string(cfg.access.maxClients) +
                        " clients reached");
      sendAll(s, PduSession::refusal(Error::ConnLimit));
      return;
    }

    PduSession session(shared_->collector, shared_->collectorLock, shared_->stats, facts_);
    if (!sendAll(s, session.hello())) return;
    pdu::Framer framer(cfg.maxPdu);
    std::array<std::uint8_t, 16384> buf{};
    std::chrono::seconds timeoutSet{-1};
    for (;;) {
      const auto timeout = session.handshakeDone() ? cfg.idleTimeout : cfg.handshakeTimeout;
      if (timeout != timeoutSet) {  // a system call: only when the timeout changes
        s.setReceiveTimeout(Poco::Timespan(static_cast<long>(timeout.count()), 0));
        timeoutSet = timeout;
      }
      int n = 0;
      try {
        n = s.receiveBytes(buf.data(), static_cast<int>(buf.size()));
      } catch (const Poco::Net::ConnectionResetException&) {
        n = 0;  // clients close without a goodbye PDU (spec 1.7); a reset is the same
      } catch (const Poco::TimeoutException&) {
        shared_->log.line(facts_.peer + ": silent for " + std::to_string(timeout.count()) + " s" +
                          (session.handshakeDone() ? "" : " before its handshake") + "; disconnected");
        return;
      }
      if (n <= 0) {
        if (framer.buffered() > 0)
          shared_->log.line(facts_.peer + ": disconnected in the middle of a PDU (" +
                            std::to_string(framer.buffered()) + " bytes unread)");
        return;
      }
      framer.feed(pdu::ByteView(buf.data(), static_cast<std::size_t>(n)));
      for (;;) {
        auto next = framer.next();
        if (!next) {
          // A bad or oversized length: the stream cannot be resynchronised (spec 1.4).
          shared_->log.line(facts_.peer + ": " + next.failure().message() + "; disconnected");
          return;
        }
        if (!next->has_value()) break;
        PduSession::Reply reply = session.handle(**next);
        if (!reply.log.empty()) shared_->log.line(facts_.peer + ": " + reply.log);
        if (!reply.bytes.empty() && !sendAll(s, reply.bytes)) return;
        if (reply.close) return;
      }
    }
  }

  std::shared_ptr<ServerShared> shared_;
  bool unix_;
  ConnectionFacts facts_;
  std::string address_;
};

class PduConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
 public:
  PduConnectionFactory(std::shared_ptr<ServerShared> shared, bool unixSocket)
      : shared_(std::move(shared)), unix_(unixSocket) {}
  Poco::Net::TCPServerConnection* createConnection(const StreamSocket& s) override {
    return new PduConnection(s, shared_, unix_);
  }

 private:
  std::shared_ptr<ServerShared> shared_;
  bool unix_;
};

bool inUse(const Poco::Exception& e) {
  return e.code() == EADDRINUSE || e.message().find("in use") != std::string::npos ||
         e.displayText().find("in use") != std::string::npos;
}

}  // namespace

void ServerShared::track(int fd, bool open) {
  std::lock_guard lock(fdsLock);
  if (open) fds.insert(fd);
  else fds.erase(fd);
}

void ServerShared::shutdownAll() {
  std::lock_guard lock(fdsLock);
  for (int fd : fds) ::shutdown(fd, SHUT_RDWR);
}

PduServer::PduServer(Collector& collector, std::mutex& collectorLock, ServiceStats& stats, Log& log, Config config)
    : shared_(std::make_shared<ServerShared>(collector, collectorLock, stats, log, std::move(config))) {}

PduServer::~PduServer() { stop(); }

Expected<bool> PduServer::start() {
  pool_ = std::make_unique<Poco::ThreadPool>(2, kPoolThreads, 60);
  if (auto r = listenTcp(); !r) return r;
  if (auto r = listenUnix(); !r) return r;
  for (auto& s : servers_) s->start();
  return true;
}

Expected<bool> PduServer::listenTcp() {
  const Config cfg = shared_->settings();
  const auto port = static_cast<Poco::UInt16>(cfg.pduPort);
  auto add = [&](Poco::Net::ServerSocket socket, std::string what) {
    auto params = new Poco::Net::TCPServerParams;
    params->setMaxThreads(kPoolThreads);
    params->setMaxQueued(kAcceptQueue);
    servers_.push_back(std::make_unique<Poco::Net::TCPServer>(new PduConnectionFactory(shared_, false), *pool_,
                                                              socket, params));
    endpoints_.push_back(std::move(what));
  };
  const std::string portText = std::to_string(cfg.pduPort);
  try {
    if (!cfg.listen.empty()) {
      Poco::Net::SocketAddress at(cfg.listen, port);
      Poco::Net::ServerSocket s;
      if (at.family() == Poco::Net::SocketAddress::IPv6) s.bind6(at, true, true, true);
      else s.bind(at, true, false);
      s.listen(kAcceptQueue);
      add(s, at.toString());
      return true;
    }
    Poco::Net::ServerSocket v4;
    v4.bind(Poco::Net::SocketAddress("0.0.0.0", port), true, false);
    v4.listen(kAcceptQueue);
    add(v4, "0.0.0.0:" + portText);
  } catch (const Poco::Exception& e) {
    if (inUse(e)) return Failure{Error::Generic, "port " + portText + " is already in use (is pmcd running?)"};
    return Failure{Error::Generic, "cannot listen on port " + portText + ": " + e.displayText()};
  }
  try {
    // IPv6 on its own socket (IPV6_V6ONLY) beside the IPv4 one; a host without IPv6
    // is served on IPv4 only.
    Poco::Net::ServerSocket v6;
    v6.bind6(Poco::Net::SocketAddress("::", port), true, false, true);
    v6.listen(kAcceptQueue);
    add(v6, "[::]:" + portText);
  } catch (const Poco::Exception& e) {
    if (inUse(e)) return Failure{Error::Generic, "port " + portText + " is already in use on IPv6 (is pmcd running?)"};
    shared_->log.line("IPv6 not available (" + e.displayText() + "); serving IPv4 only");
  }
  return true;
}

Expected<bool> PduServer::listenUnix() {
  const Config cfg = shared_->settings();
  if (cfg.socketPath.empty()) return true;
  const std::string& path = cfg.socketPath;
  auto fail = [&](const std::string& why) -> Expected<bool> {
    // The default socket lives in a system directory: without the right to create it
    // the daemon still serves TCP. A socket the user asked for must work.
    if (cfg.socketExplicit) return Failure{Error::Generic, "socket " + path + ": " + why};
    shared_->log.line("no local socket at " + path + " (" + why + "); serving TCP only");
    return true;
  };
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (std::filesystem::exists(path, ec)) {
    // A socket file left by a daemon that died is removed; a live one is an error.
    try {
      StreamSocket probe;
      probe.connect(Poco::Net::SocketAddress(Poco::Net::SocketAddress::UNIX_LOCAL, path));
      return fail("it is already in use (is another sextantd running?)");
    } catch (const Poco::Exception&) {
      std::filesystem::remove(path, ec);
    }
  }
  try {
    Poco::Net::ServerSocket s;
    s.bind(Poco::Net::SocketAddress(Poco::Net::SocketAddress::UNIX_LOCAL, path), false);
    s.listen(kAcceptQueue);
    // Any local user may connect, as over loopback TCP; what they see is decided per
    // connection from the peer's credentials and the access rules.
    ::chmod(path.c_str(), 0666);
    auto params = new Poco::Net::TCPServerParams;
    params->setMaxThreads(kPoolThreads);
    params->setMaxQueued(kAcceptQueue);
    servers_.push_back(
        std::make_unique<Poco::Net::TCPServer>(new PduConnectionFactory(shared_, true), *pool_, s, params));
    endpoints_.push_back("socket " + path);
    socketPath_ = path;
  } catch (const Poco::Exception& e) {
    return fail(e.displayText());
  }
  return true;
}

void PduServer::stop() {
  for (auto& s : servers_) s->stop();
  servers_.clear();
  // Wake every connection thread blocked in a read so that the pool can be joined now
  // rather than after the idle timeout.
  shared_->shutdownAll();
  if (pool_) {
    pool_->joinAll();
    pool_.reset();
  }
  if (!socketPath_.empty()) {
    std::error_code ec;
    std::filesystem::remove(socketPath_, ec);
    socketPath_.clear();
  }
}

void PduServer::reload(const Config& config) { shared_->setSettings(config); }

std::string PduServer::describe() const {
  std::string out;
  for (const auto& e : endpoints_) out += (out.empty() ? "" : ", ") + e;
  return out;
}

}  // namespace sextant::service
