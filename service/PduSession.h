#pragma once
// The PCP PDU protocol logic of one client connection, without sockets (PCP wire
// protocol spec, sections 1.5-2.17 and the dispatch table of 8.1): it takes one whole
// PDU as a Framer delivers it and returns the reply. Being independent of I/O it is
// unit-tested request by request and driven by the fuzzer.
//
// Every request is handled under the shared collector lock: agents keep state between
// fetches (previous snapshots, caches) and are not thread-safe, many connections are
// served at once, and Collector::refresh (called first) may rebuild the name space.
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "core/Collector.h"
#include "core/pdu/Pdu.h"
#include "service/ServiceStats.h"

namespace sextant::service {

// What the server knows about the peer when it accepts the connection.
struct ConnectionFacts {
  std::string peer;         // for log lines: "127.0.0.1:40112", "local socket (uid 1000)"
  bool local = false;       // Unix socket, or TCP from a loopback address
  bool unixSocket = false;
  std::optional<std::uint32_t> uid, gid;  // the peer's credentials (Unix socket only)
  bool procAllowed = false;  // may see per-process values (domain 3)
};

class PduSession {
 public:
  struct Reply {
    pdu::Bytes bytes;   // zero or one PDU to send
    bool close = false;  // close the connection after sending `bytes`
    std::string log;     // a notable event to log (malformed PDU and why); empty if none
  };

  PduSession(Collector& collector, std::mutex& collectorLock, ServiceStats& stats, ConnectionFacts facts);
  ~PduSession();
  PduSession(const PduSession&) = delete;
  PduSession& operator=(const PduSession&) = delete;

  // The server's first PDU: the 20-byte hello accepting the connection (spec 1.5).
  pdu::Bytes hello();
  // The hello refusing it: `code` (V2 numbering, e.g. Error::Permission) goes out in
  // PCP's V1 numbering (spec 3.11); the caller closes the connection after sending.
  static pdu::Bytes refusal(Error code);

  // Handles one whole PDU (header included).
  Reply handle(pdu::ByteView pdu);

  // True once the client has sent its CREDS (or, tolerantly, any valid first request):
  // the server then switches from the short handshake timeout to the idle timeout.
  bool handshakeDone() const { return handshakeDone_; }
  const std::string& whoami() const { return whoami_; }
  int clientId() const { return clientId_; }
  const ConnectionFacts& facts() const { return facts_; }

 private:
  Reply dispatch(const pdu::Header& h, pdu::ByteView pdu);
  Reply onCreds(pdu::ByteView pdu);
  Reply onProfile(pdu::ByteView pdu);
  Reply onFetch(pdu::ByteView pdu);
  Reply onDescReq(pdu::ByteView pdu);
  Reply onDescIds(pdu::ByteView pdu);
  Reply onInstanceReq(pdu::ByteView pdu);
  Reply onTextReq(pdu::ByteView pdu);
  Reply onNames(pdu::ByteView pdu);
  Reply onIds(pdu::ByteView pdu);
  Reply onNameReq(pdu::ByteView pdu);
  Reply onLabelReq(pdu::ByteView pdu);
  Reply onStore(pdu::ByteView pdu);

  Reply send(pdu::Bytes bytes);
  Reply error(int code, std::string log = {});
  Reply malformed(std::int32_t type, const Failure& why);
  bool hidden(unsigned domain) const;  // values of this domain are withheld from this client

  Collector& collector_;
  std::mutex& lock_;
  ServiceStats& stats_;
  ConnectionFacts facts_;
  int clientId_;
  bool handshakeDone_ = false;
  std::map<std::int32_t, Profile> profiles_;  // per client context number (spec 2.4)
  std::string whoami_;
  FetchResult scratch_;  // the last fetch's sets, kept so the next one need not allocate
};

}  // namespace sextant::service
