#include "service/web/RestServer.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/ThreadPool.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <filesystem>

#include "core/CollectorContext.h"
#include "service/web/WebApi.h"
#include "service/web/WebContexts.h"
#include "tools/HostContext.h"
#include "tools/archive/ArchiveContext.h"

namespace sextant::web {

// Open connections, so that stop() can end the idle keep-alive ones at once.
class OpenSockets {
 public:
  void track(const Poco::Net::StreamSocket& s, bool open) {
    std::lock_guard lock(lock_);
    if (open) sockets_.push_back(s);
    else std::erase(sockets_, s);
  }
  void shutdownAll() {
    std::lock_guard lock(lock_);
    for (auto& s : sockets_) {
      try {
        s.shutdown();
      } catch (const Poco::Exception&) {  // already closed by the peer
      }
    }
  }

 private:
  std::mutex lock_;
  std::vector<Poco::Net::StreamSocket> sockets_;
};

namespace {

constexpr std::size_t kMaxBody = 1 << 20;  // POST bodies (store values, derive configs)
constexpr const char* kAllowHeaders = "Accept, Accept-Language, Content-Language, Content-Type";

bool inUse(const Poco::Exception& e) {
  return e.code() == EADDRINUSE || e.displayText().find("in use") != std::string::npos;
}

// A status line's words as RFC 9110 gives them, which pmproxy sends ("URI Too Long"
// where Poco has the older "Request-URI Too Large").
std::string_view reasonPhrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 414: return "URI Too Long";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return Poco::Net::HTTPResponse::getReasonForStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  }
}

// One connection: requests read and answered in turn with Poco's HTTP message classes.
// Unlike Poco's HTTPServerConnection, nothing polls the socket before each request (a
// poll there costs four system calls in this Poco); the blocking read of the next
// request waits instead, bounded by the socket's timeout.
class WebConnection final : public Poco::Net::TCPServerConnection {
 public:
  WebConnection(const Poco::Net::StreamSocket& s, WebApi& api, Poco::Net::HTTPServerParams::Ptr params,
                std::size_t maxUrl, OpenSockets& open)
      : TCPServerConnection(s), api_(api), params_(std::move(params)), maxUrl_(maxUrl), open_(open) {}

  void run() override {
    open_.track(socket(), true);
    socket().setReceiveTimeout(params_->getKeepAliveTimeout());
    socket().setSendTimeout(params_->getTimeout());
    socket().setNoDelay(true);
    Poco::Net::HTTPServerSession session(socket(), params_);
    try {
      for (;;) {
        Poco::Net::HTTPServerResponseImpl unused(session);  // the request needs one; replies are written below
        Poco::Net::HTTPServerRequestImpl request(unused, session, params_);
        send(request, answer(request));
        if (!request.getKeepAlive()) break;
      }
    } catch (const Poco::Net::NoMessageException&) {  // the client closed between requests
    } catch (const Poco::Net::MessageException&) {    // not HTTP: nothing sensible to answer
    } catch (const Poco::Exception&) {                // timeout, reset, shutdown by stop()
    }
    open_.track(socket(), false);
  }

 private:
  Response answer(Poco::Net::HTTPServerRequest& in) {
    const std::string& uri = in.getURI();
    if (uri.size() >= maxUrl_) return api_.htmlError(414, "webapi", "request URL too long");
    Request q;
    q.method = in.getMethod();
    const auto mark = uri.find('?');
    q.path = uri.substr(0, mark);
    if (mark != std::string::npos) q.params = Params::parse(std::string_view(uri).substr(mark + 1));
    q.origin = in.get("Origin", "");
    q.requestMethod = in.get("Access-Control-Request-Method", "");
    q.requestHeaders = in.has("Access-Control-Request-Headers");
    if (q.method == "POST") {
      std::istream& body = in.stream();
      char buf[8192];
      while (body && q.body.size() < kMaxBody) {
        body.read(buf, sizeof buf);
        q.body.append(buf, static_cast<std::size_t>(body.gcount()));
      }
    }
    try {
      return api_.handle(q);
    } catch (const std::exception& e) {  // never across the front end (STYLE.md)
      Response r;
      r.status = 500;
      r.body = "{\"message\":\"internal error\",\"success\":false}\r\n";
      return r;
    }
  }

  // The reply in one write: status line and headers in pmproxy's order (spec section 2),
  // then the body (none for HEAD, whose headers still give its length). Poco's response
  // class would cost a fifth of a small request's time in header maps and streams.
  void send(const Poco::Net::HTTPServerRequest& in, const Response& r) {
    std::string& out = reply_;
    out.clear();
    out += in.getVersion();
    out += ' ';
    out += std::to_string(r.status);
    out += ' ';
    out += reasonPhrase(r.status);
    out += in.getKeepAlive() ? "\r\nConnection: Keep-Alive\r\n" : "\r\nConnection: Close\r\n";
    if (r.cors) {
      out += "Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Headers: ";
      out += kAllowHeaders;
      out += "\r\nAccess-Control-Max-Age: 86400\r\n";
    }
    for (const auto& [name, value] : r.headers) out.append(name).append(": ").append(value).append("\r\n");
    out.append("Content-Length: ").append(std::to_string(r.body.size())).append("\r\n");
    if (!r.contentType.empty()) out.append("Content-Type: ").append(r.contentType).append("\r\n");
    out.append("Date: ").append(httpDate()).append("\r\n\r\n");
    if (in.getMethod() != Poco::Net::HTTPRequest::HTTP_HEAD) out += r.body;
    socket().sendBytes(out.data(), static_cast<int>(out.size()));
  }

  // The Date header's text, made once a second.
  const std::string& httpDate() {
    const std::time_t now = std::time(nullptr);
    if (now != dateSecond_) {
      dateSecond_ = now;
      date_ = Poco::DateTimeFormatter::format(Poco::Timestamp::fromEpochTime(now), Poco::DateTimeFormat::HTTP_FORMAT);
    }
    return date_;
  }

  WebApi& api_;
  Poco::Net::HTTPServerParams::Ptr params_;
  std::size_t maxUrl_;
  OpenSockets& open_;
  std::string reply_;  // kept from one reply to the next for its capacity
  std::time_t dateSecond_ = 0;
  std::string date_;
};

class WebConnections final : public Poco::Net::TCPServerConnectionFactory {
 public:
  WebConnections(WebApi& api, Poco::Net::HTTPServerParams::Ptr params, std::size_t maxUrl, OpenSockets& open)
      : api_(api), params_(std::move(params)), maxUrl_(maxUrl), open_(open) {}
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& s) override {
    return new WebConnection(s, api_, params_, maxUrl_, open_);
  }

 private:
  WebApi& api_;
  Poco::Net::HTTPServerParams::Ptr params_;
  std::size_t maxUrl_;
  OpenSockets& open_;
};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

RestServer::RestServer(Collector& collector, std::mutex& collectorLock, service::Log& log,
                       const service::Config& config, std::string hostName, std::string product)
    : collector_(collector),
      collectorLock_(collectorLock),
      log_(log),
      config_(config),
      hostName_(std::move(hostName)),
      open_(std::make_unique<OpenSockets>()) {
  // This host, named any way a client may name it, is the daemon's own collector;
  // anything else is a PCP host reached over PDUs (pmcd, or another sextantd).
  WebContexts::Opener open = [this](const std::string& spec) -> Expected<std::unique_ptr<Context>> {
    const std::string h = lower(spec);
    const std::string ownPort = ":" + std::to_string(config_.pduPort);
    if (h == "localhost" || h == "local:" || h.empty() || h == lower(hostName_) || h == "localhost" + ownPort ||
        h == "127.0.0.1" + ownPort || h == "local:" + ownPort)
      return std::unique_ptr<Context>(std::make_unique<CollectorContext>(collector_, &collectorLock_, hostName_));
    auto parsed = cli::parseHostSpec(spec);
    if (!parsed) return Failure{Error::Generic, parsed.failure().detail};
    auto host = HostContext::open(*parsed);
    if (!host) return Failure{host.error(), host.failure().detail};
    return std::unique_ptr<Context>(std::move(*host));
  };
  // Archives only from the directories the daemon records to or [rest] archive_dirs
  // names: archivename comes from any web client.
  std::vector<std::filesystem::path> allowed;
  for (const auto& dir : config_.rest.archiveDirs) allowed.push_back(dir);
  for (const auto& record : config_.records) allowed.push_back(service::archiveDirectory(record, hostName_));
  WebContexts::Opener openArchive = [allowed](const std::string& path) -> Expected<std::unique_ptr<Context>> {
    std::error_code ec;
    const auto file = std::filesystem::weakly_canonical(path, ec);
    const bool inside = !ec && std::any_of(allowed.begin(), allowed.end(), [&](const std::filesystem::path& dir) {
      std::error_code dirError;
      const auto d = std::filesystem::weakly_canonical(dir, dirError);
      if (dirError) return false;
      auto [end, at] = std::mismatch(d.begin(), d.end(), file.begin(), file.end());
      return end == d.end() && at != file.end();
    });
    if (!inside) return Failure{Error::Permission, "archive " + path + ": not in a directory sextantd serves archives from ([rest] archive_dirs)"};
    auto archive = archive::ArchiveContext::open(path);
    if (!archive) return archive.failure();
    return std::unique_ptr<Context>(std::move(*archive));
  };
  contexts_ = std::make_unique<WebContexts>(std::move(open), config_.rest.maxContexts, std::move(openArchive));
  api_ = std::make_unique<WebApi>(*contexts_, std::move(product));
}

RestServer::~RestServer() { stop(); }

Expected<bool> RestServer::start() {
  const auto& rest = config_.rest;
  if (config_.restPort == 0 && rest.tlsPort == 0) return true;
  // Small stacks: a keep-alive connection holds its thread, and there may be hundreds.
  pool_ = std::make_unique<Poco::ThreadPool>(2, static_cast<int>(rest.threads), 60, 256 * 1024);
  auto params = [&] {
    auto p = new Poco::Net::HTTPServerParams;
    p->setMaxThreads(static_cast<int>(rest.threads));
    p->setMaxQueued(static_cast<int>(rest.queue));
    p->setKeepAlive(true);
    p->setMaxKeepAliveRequests(0);  // unlimited
    p->setKeepAliveTimeout(Poco::Timespan(static_cast<long>(rest.timeout.count()), 0));
    p->setTimeout(Poco::Timespan(static_cast<long>(rest.timeout.count()), 0));
    p->setServerName(hostName_);
    return p;
  };
  auto serve = [&](Poco::Net::ServerSocket socket, const std::string& what) {
    Poco::Net::HTTPServerParams::Ptr p = params();
    servers_.push_back(std::make_unique<Poco::Net::TCPServer>(new WebConnections(*api_, p, rest.maxUrl, *open_),
                                                              *pool_, socket, p));
    bound_.push_back(what);
  };
  // The same addresses as the PDU port: --listen, else every IPv4 and IPv6 address.
  auto bindAll = [&](int port, const std::string& scheme, auto makeSocket) -> Expected<bool> {
    const std::string portText = std::to_string(port);
    std::vector<std::pair<std::string, bool>> where;  // address, IPv6
    if (!config_.listen.empty()) {
      where.emplace_back(config_.listen, Poco::Net::SocketAddress(config_.listen, 0).family() ==
                                             Poco::Net::SocketAddress::IPv6);
    } else {
      where = {{"0.0.0.0", false}, {"::", true}};
    }
    for (const auto& [addr, v6] : where) {
      try {
        Poco::Net::ServerSocket s = makeSocket();
        const Poco::Net::SocketAddress at(addr, static_cast<Poco::UInt16>(port));
        if (v6) s.bind6(at, true, false, true);
        else s.bind(at, true, false);
        s.listen(static_cast<int>(rest.queue));
        serve(s, scheme + "://" + (v6 ? "[" + addr + "]" : addr) + ":" + portText);
      } catch (const Poco::Exception& e) {
        if (inUse(e)) return Failure{Error::Generic, scheme + " port " + portText + " is already in use (is pmproxy running?)"};
        if (v6 && config_.listen.empty()) {
          log_.line("IPv6 not available for " + scheme + " (" + e.displayText() + "); IPv4 only");
          continue;
        }
        return Failure{Error::Generic, "cannot listen on " + scheme + " port " + portText + ": " + e.displayText()};
      }
    }
    return true;
  };
  if (config_.restPort != 0) {
    if (auto r = bindAll(config_.restPort, "http", [] { return Poco::Net::ServerSocket(); }); !r) return r;
  }
  if (rest.tlsPort != 0) {
    Poco::Net::Context::Ptr tls;
    Poco::Net::initializeSSL();
    try {
      tls = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, rest.tlsKey, rest.tlsCert, "",
                                   Poco::Net::Context::VERIFY_NONE);
    } catch (const Poco::Exception& e) {
      return Failure{Error::Generic, "cannot use the TLS certificate or key: " + e.displayText()};
    }
    if (auto r = bindAll(rest.tlsPort, "https", [&] { return Poco::Net::SecureServerSocket(tls); }); !r) return r;
  }
  for (auto& s : servers_) s->start();
  return true;
}

void RestServer::stop() {
  for (auto& s : servers_) s->stop();
  if (open_) open_->shutdownAll();  // idle keep-alive connections end now, not at their timeout
  servers_.clear();
  if (pool_) pool_->joinAll();
}

std::string RestServer::describe() const {
  std::string out;
  for (const auto& b : bound_) out += (out.empty() ? "" : ", ") + b;
  return out;
}

}  // namespace sextant::web
