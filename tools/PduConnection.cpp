#include "tools/PduConnection.h"

#include <unistd.h>

#include <cstdio>
#include <typeinfo>
#include <vector>

#include <Poco/Exception.h>
#include <Poco/Net/DNS.h>
#include <Poco/Net/HostEntry.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Timespan.h>

namespace sextant {
namespace {

// The most one read takes from the socket: a typical reply whole (a fetch of a few
// hundred values is a few KB), a whole-namespace PMNS_NAMES (about 74 KB) in two.
constexpr std::size_t kReadSize = 64 * 1024;

Poco::Timespan span(std::chrono::milliseconds ms) { return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(ms.count()) * 1000); }

// Poco's socket exceptions carry the address as their message and the reason as
// their name ("Connection refused", "Timeout"); the generic ones carry the reason in
// the message.
std::string reason(const Poco::Exception& e) {
  if (typeid(e) == typeid(Poco::Net::NetException) || typeid(e) == typeid(Poco::IOException)) return e.displayText();
  return e.name();
}

Expected<std::vector<Poco::Net::IPAddress>> resolve(const std::string& host) {
  Poco::Net::IPAddress literal;
  if (Poco::Net::IPAddress::tryParse(host, literal)) return std::vector<Poco::Net::IPAddress>{literal};
  try {
    auto addresses = Poco::Net::DNS::hostByName(host).addresses();
    if (addresses.empty()) return Failure{Error::Generic, "cannot resolve host '" + host + "': no address"};
    return std::vector<Poco::Net::IPAddress>(addresses.begin(), addresses.end());
  } catch (const Poco::Exception& e) {
    return Failure{Error::Generic, "cannot resolve host '" + host + "': " + reason(e)};
  }
}

}  // namespace

PduConnection::PduConnection(Poco::Net::StreamSocket socket, std::string peer, Timeouts timeouts)
    : socket_(std::move(socket)), peer_(std::move(peer)), timeouts_(timeouts) {}

Expected<std::unique_ptr<PduConnection>> PduConnection::open(const cli::HostSpec& spec, Timeouts timeouts) {
  auto addresses = resolve(spec.host);
  if (!addresses) return addresses.failure();
  const std::string peer = spec.toString();

  // As libpcp does (spec 1.1), every address is tried; the first that accepts wins.
  std::string lastError = "no address";
  std::unique_ptr<PduConnection> conn;
  for (const auto& address : *addresses) {
    try {
      Poco::Net::StreamSocket socket;
      socket.connect(Poco::Net::SocketAddress(address, spec.port), span(timeouts.connect));
      // Requests are small and strictly alternate with replies: Nagle's algorithm would
      // hold a FETCH that follows a PROFILE until the (absent) reply's ACK.
      socket.setNoDelay(true);
      socket.setReceiveTimeout(span(timeouts.request));
      socket.setSendTimeout(span(timeouts.request));
      conn.reset(new PduConnection(std::move(socket), peer, timeouts));
      break;
    } catch (const Poco::Exception& e) {
      lastError = reason(e);
    }
  }
  if (!conn) return Failure{Error::Generic, "cannot connect to " + peer + ": " + lastError};

  // The hello: a 20-byte ERROR PDU with the feature word (spec 1.5). A 16-byte ERROR
  // is a pre-version-2 server, which libpcp also rejects.
  auto hello = conn->receive();
  if (!hello) return Failure{hello.error(), "no greeting from " + hello.failure().detail};
  auto header = pdu::decodeHeader(*hello);
  if (!header || header->type != static_cast<std::int32_t>(pdu::Type::Error))
    return Failure{Error::Ipc, peer + " did not greet as a PCP collector"};
  auto greeting = pdu::decodeError(*hello);
  if (!greeting || !greeting->features)
    return Failure{Error::Ipc, peer + " did not greet as a PCP collector (protocol version 2)"};
  if (greeting->code != 0) {
    Error code = static_cast<Error>(pdu::fromV1(greeting->code));
    return Failure{code, peer + " refused the connection: " + errorMessage(static_cast<int>(code))};
  }
  conn->features_ = *greeting->features & 0xFFFFu;

  // The version credential: type 1, protocol 2, no security features asked for.
  pdu::CredsPdu creds;
  creds.creds.push_back(1u << 24 | 2u << 16);
  if (auto sent = conn->send(pdu::encode(creds, static_cast<std::int32_t>(::getpid()))); !sent)
    return Failure{sent.error(), "lost " + peer + " during the handshake: " + sent.failure().message()};
  return conn;
}

Failure PduConnection::broken(Error code, const std::string& why) {
  broken_ = true;
  try {
    socket_.close();
  } catch (const Poco::Exception&) {
    // Already closed or reset: nothing left to release.
  }
  return Failure{code, peer_ + ": " + why};
}

Expected<bool> PduConnection::send(const pdu::Bytes& pdu) {
  if (broken_) return Failure{Error::Eof, peer_};
  try {
    std::size_t done = 0;
    while (done < pdu.size()) {
      int n = socket_.sendBytes(pdu.data() + done, static_cast<int>(pdu.size() - done));
      if (n <= 0) return broken(Error::Eof, "connection closed while sending");
      done += static_cast<std::size_t>(n);
    }
  } catch (const Poco::TimeoutException&) {
    return broken(Error::Timeout, "timed out sending a request");
  } catch (const Poco::Exception& e) {
    return broken(Error::Eof, reason(e));
  }
  return true;
}

Expected<pdu::ByteView> PduConnection::receive() {
  if (broken_) return Failure{Error::Eof, peer_};
  for (;;) {
    auto next = framer_.nextView();
    if (!next) return broken(next.error(), "bad reply: " + next.failure().detail);
    if (*next) return **next;
    int n = 0;
    try {
      // Straight into the framer: a reply is not copied on its way in.
      auto room = framer_.room(kReadSize);
      n = socket_.receiveBytes(room.data(), static_cast<int>(room.size()));
    } catch (const Poco::TimeoutException&) {
      char limit[32];
      std::snprintf(limit, sizeof limit, "%g", static_cast<double>(timeouts_.request.count()) / 1000);
      return broken(Error::Timeout, std::string("no reply within ") + limit + " s");
    } catch (const Poco::Exception& e) {
      return broken(Error::Eof, reason(e));
    }
    if (n <= 0) return broken(Error::Eof, "connection closed by the server");
    framer_.commit(static_cast<std::size_t>(n));
  }
}

Expected<pdu::Bytes> PduConnection::request(const pdu::Bytes& pdu) {
  if (auto sent = send(pdu); !sent) return sent.failure();
  return awaitReply();
}

Expected<pdu::Bytes> PduConnection::awaitReply() {
  auto reply = awaitReplyView();
  if (!reply) return reply.failure();
  return pdu::Bytes(reply->begin(), reply->end());
}

Expected<pdu::ByteView> PduConnection::awaitReplyView() {
  for (;;) {
    auto reply = receive();
    if (!reply) return reply;
    auto header = pdu::decodeHeader(*reply);
    if (!header) return broken(Error::Ipc, "bad reply header");
    if (header->type != static_cast<std::int32_t>(pdu::Type::Error)) return reply;
    auto error = pdu::decodeError(*reply);
    if (!error) return broken(Error::Ipc, "bad ERROR reply: " + error.failure().detail);
    if (error->code > 0) continue;  // "PMCD state changes": the reply follows (spec 1.7)
    if (error->code < 0) return Failure{static_cast<Error>(error->code), {}};
    return reply;  // status 0: a store acknowledgement
  }
}

}  // namespace sextant
