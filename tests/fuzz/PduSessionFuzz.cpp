// libFuzzer harness for the daemon's protocol logic: arbitrary bytes, as a client could
// send them, go through a Framer into a PduSession over this machine's real agents and
// the pmcd self agent. Whatever arrives, the session must answer or close without a
// crash, a leak or undefined behaviour, and every reply must be a well-formed PDU.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <mutex>

#include "core/Collector.h"
#include "core/Platform.h"
#include "core/pdu/Pdu.h"
#include "service/PduSession.h"
#include "service/SelfAgent.h"
#include "service/ServiceStats.h"

using namespace sextant;
using namespace sextant::service;

namespace {

struct World {
  Collector collector;
  std::mutex lock;
  ServiceStats stats;
  World() {
    for (auto& a : makePlatformAgents(PlatformOptions{})) (void)collector.addAgent(std::move(a));
    auto self = std::make_unique<SelfAgent>(stats, SelfFacts{"fuzzhost", "0", "UTC", ":Etc/UTC", 1});
    SelfAgent* s = self.get();
    (void)collector.addAgent(std::move(self));
    s->setCollector(&collector);
  }
};

World& world() {
  static World* w = new World;  // lives for the whole run, never destroyed
  return *w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  World& w = world();
  ConnectionFacts facts;
  facts.peer = "fuzz";
  facts.local = true;
  // Process values stay withheld: a fetch of domain 3 would read every process of the
  // machine on each input and slow the fuzzer to a crawl; the withholding path is
  // exercised instead.
  facts.procAllowed = false;
  PduSession session(w.collector, w.lock, w.stats, facts);
  (void)session.hello();
  // Most requests need a profile first, as real clients send one before fetching.
  (void)session.handle(pdu::encode(pdu::ProfilePdu{0, Profile{}}));

  pdu::Framer framer;
  // The first byte splits the input in two reads, so that reassembly is fuzzed too.
  const std::size_t split = size == 0 ? 0 : std::min<std::size_t>(size, data[0]);
  framer.feed(pdu::ByteView(data, split));
  bool fedRest = false;
  for (;;) {
    auto next = framer.next();
    if (!next) return 0;  // framing lost: the server closes the connection
    if (!next->has_value()) {
      if (fedRest) return 0;
      framer.feed(pdu::ByteView(data + split, size - split));
      fedRest = true;
      continue;
    }
    PduSession::Reply r = session.handle(**next);
    if (!r.bytes.empty()) {
      auto h = pdu::decodeHeader(r.bytes);
      if (!h || static_cast<std::size_t>(h->length) != r.bytes.size()) std::abort();
    }
    if (r.close) return 0;
  }
}
