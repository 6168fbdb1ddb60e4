// libFuzzer harness for the PDU codec (core/pdu/Pdu.h). The input is a byte stream as
// it would arrive on a socket: a Framer cuts it into PDUs, and every decoder is tried
// on every PDU. A decoder may reject its input; it must never crash, hang, read out of
// bounds or leak (run under ASan and UBSan).
//
// Whenever a decode succeeds the message is encoded again, and that encoding must
// decode and re-encode to the same bytes: our encodings are canonical, so a mismatch
// is a codec bug and aborts.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "core/pdu/Pdu.h"

using namespace sextant;
using namespace sextant::pdu;

namespace {

[[noreturn]] void mismatch(const char* what) {
  std::fprintf(stderr, "PDU round trip mismatch: %s\n", what);
  std::abort();
}

// decode -> encode -> decode -> encode: both encodings equal.
template <class Decode, class Encode>
void roundTrip(const char* what, ByteView pdu, Decode decode, Encode encode) {
  auto first = decode(pdu);
  if (!first) return;
  const Bytes once = encode(*first);
  auto second = decode(ByteView(once));
  if (!second) mismatch(what);
  if (encode(*second) != once) mismatch(what);
}

// Every value read as every type must fail cleanly or give a value; values that read
// as their block's own type go through encodeResult and must come back identical.
void checkResult(const WireResult& r) {
  FetchResult fetched;
  for (const WireValueSet& s : r.sets) {
    ValueSet out;
    out.pmid = s.pmid;
    out.status = s.numval < 0 ? s.numval : 0;
    for (const WireValue& v : s.values) {
      for (int t = -1; t <= 8; ++t) (void)interpret(v, static_cast<ValueType>(t));
      auto value = interpret(v, v.inSitu ? ValueType::U32 : static_cast<ValueType>(v.blockType));
      if (value) out.values.push_back({v.inst, *value});
    }
    fetched.sets.push_back(std::move(out));
  }
  for (bool highres : {false, true}) {
    const Bytes once = encodeResult(fetched, highres);
    auto back = decodeResult(ByteView(once));
    if (!back || back->sets.size() != fetched.sets.size()) mismatch("encodeResult");
    FetchResult again;
    for (const WireValueSet& s : back->sets) {
      ValueSet out;
      out.pmid = s.pmid;
      out.status = s.numval < 0 ? s.numval : 0;
      for (const WireValue& v : s.values) {
        auto value = interpret(v, v.inSitu ? ValueType::U32 : static_cast<ValueType>(v.blockType));
        if (!value) mismatch("encodeResult value");
        out.values.push_back({v.inst, *value});
      }
      again.sets.push_back(std::move(out));
    }
    if (encodeResult(again, highres) != once) mismatch("encodeResult bytes");
  }
}

// The typed decode takes exactly what the copying one takes, and, every set read as
// one type, gives each value as interpretInto() reads it from the copy: a set with any
// value not of that type has status Error::Conv and no values.
void checkValues(ByteView pdu) {
  auto copied = decodeResult(pdu);
  FetchResult typed;
  for (int t = -1; t <= 8; ++t) {
    const std::vector<ValueType> types(copied ? copied->sets.size() : 0, static_cast<ValueType>(t));
    if (decodeResultValues(pdu, types, typed).ok() != copied.ok()) mismatch("decodeResultValues acceptance");
    if (!copied) return;
    if (typed.sets.size() != copied->sets.size()) mismatch("decodeResultValues sets");
    for (std::size_t i = 0; i < typed.sets.size(); ++i) {
      const ValueSet& a = typed.sets[i];
      const WireValueSet& b = copied->sets[i];
      if (a.pmid != b.pmid) mismatch("decodeResultValues pmid");
      std::vector<InstanceValue> expected;
      int status = b.numval < 0 ? b.numval : 0;
      for (const WireValue& v : b.values) {
        Value y;
        if (interpretInto(v, static_cast<ValueType>(t), y)) {
          status = static_cast<int>(Error::Conv);
          expected.clear();
          break;
        }
        expected.push_back({v.inst, y});
      }
      if (a.status != status || a.values.size() != expected.size()) mismatch("decodeResultValues set");
      for (std::size_t k = 0; k < expected.size(); ++k)
        if (a.values[k].inst != expected[k].inst || formatValue(a.values[k].value) != formatValue(expected[k].value))
          mismatch("decodeResultValues value");
    }
  }
}

void tryEveryDecoder(ByteView pdu) {
  (void)decodeHeader(pdu);
  auto enc = [](const auto& m) { return encode(m, 7); };
  roundTrip("ERROR", pdu, decodeError, enc);
  roundTrip("CREDS", pdu, decodeCreds, enc);
  roundTrip("PROFILE", pdu, decodeProfile, enc);
  roundTrip("FETCH", pdu, decodeFetch, enc);
  roundTrip("DESC_REQ", pdu, decodeDescReq, enc);
  roundTrip("DESC", pdu, decodeDesc, enc);
  roundTrip("DESC_IDS", pdu, decodeDescIds, enc);
  roundTrip("DESCS", pdu, decodeDescs, enc);
  roundTrip("INSTANCE_REQ", pdu, decodeInstanceReq, enc);
  roundTrip("INSTANCE", pdu, decodeInstance, enc);
  roundTrip("TEXT_REQ", pdu, decodeTextReq, enc);
  roundTrip("TEXT", pdu, decodeText, enc);
  roundTrip("PMNS_NAMES", pdu, decodeNames, enc);
  roundTrip("PMNS_IDS", pdu, decodeIds, enc);
  roundTrip("PMNS_CHILD/TRAVERSE", pdu, decodeNameReq, enc);
  roundTrip("LABEL_REQ", pdu, decodeLabelReq, enc);
  roundTrip("LABEL", pdu, decodeLabel, enc);
  roundTrip("ATTR", pdu, decodeAttr, enc);
  roundTrip("RESULT", pdu, decodeResult, [](const WireResult& r) { return encodeStore(r.sets, 7); });
  if (auto r = decodeResult(pdu)) checkResult(*r);
  checkValues(pdu);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  // Whole input at once, and again in small uneven pieces: both framers must agree.
  Framer whole, pieces;
  whole.feed(input);
  std::size_t fed = 0, step = 1;
  while (true) {
    auto a = whole.next();
    if (!a) break;  // a framing error: the connection would be closed
    if (!*a) break;
    Expected<std::optional<Bytes>> b = std::optional<Bytes>();
    while (true) {
      b = pieces.next();
      if (!b || *b || fed == size) break;
      const std::size_t n = std::min(step, size - fed);
      pieces.feed(input.subspan(fed, n));
      fed += n;
      step = step % 7 + 1;
    }
    if (!b || !*b || **b != **a) mismatch("Framer pieces");
    tryEveryDecoder(ByteView(**a));
  }
  // Every decoder also sees the raw input, so inputs the framer rejects still reach them.
  tryEveryDecoder(input);
  return 0;
}
