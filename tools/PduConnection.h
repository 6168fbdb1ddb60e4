#pragma once
// One client connection to pmcd or sextantd speaking PCP's PDU protocol version 2
// (PCP wire protocol spec, section 1): connect, read the server's hello, send the
// version credential, then strictly one request and one reply at a time.
//
// Thread-compatible: one caller at a time. Poco exceptions stop here and become
// Failures; after a transport failure the connection stays broken and every later
// call fails with Error::Eof.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <Poco/Net/StreamSocket.h>

#include "core/Expected.h"
#include "core/pdu/Pdu.h"
#include "tools/HostSpec.h"

namespace sextant {

class PduConnection {
 public:
  // PCP's client defaults (spec 1.1): 5 s to connect, 10 s for every reply.
  struct Timeouts {
    std::chrono::milliseconds connect{5000};
    std::chrono::milliseconds request{10000};
  };

  // Resolves `spec.host` to every address it has (a name such as "localhost" may give
  // IPv4 and IPv6 ones), connects to the first that accepts, and does the handshake.
  // A failure's detail is a whole sentence: "cannot connect to h:44321: Connection refused".
  static Expected<std::unique_ptr<PduConnection>> open(const cli::HostSpec& spec, Timeouts timeouts);

  // The hello's feature flags (pdu::kFeatureLabels, ...).
  std::uint32_t features() const { return features_; }
  bool has(std::uint32_t feature) const { return (features_ & feature) != 0; }
  const std::string& peer() const { return peer_; }

  // Sends a PDU that has no reply (PROFILE).
  Expected<bool> send(const pdu::Bytes& pdu);
  // Sends a request and returns its reply. An ERROR reply with a negative code is a
  // Failure carrying that code; state-change notices (positive codes, spec 1.7) that
  // precede a reply are skipped.
  Expected<pdu::Bytes> request(const pdu::Bytes& pdu);
  // The reply to a request already sent with send(), as request() returns it: a client
  // can do other things while the server answers.
  Expected<pdu::Bytes> awaitReply();
  // The same without a copy: the reply is left in the connection's buffer, and the view
  // is good until the next reply is read.
  Expected<pdu::ByteView> awaitReplyView();

 private:
  PduConnection(Poco::Net::StreamSocket socket, std::string peer, Timeouts timeouts);
  Expected<pdu::ByteView> receive();
  Failure broken(Error code, const std::string& why);

  Poco::Net::StreamSocket socket_;
  std::string peer_;
  Timeouts timeouts_;
  // Replies from the server are not limited in size (a whole-namespace PMNS_NAMES is
  // about 74 KB, spec 1.4); this bound only stops a runaway stream.
  pdu::Framer framer_{64u << 20};
  std::uint32_t features_ = 0;
  bool broken_ = false;
};

}  // namespace sextant
