// The fixed-layout PDUs: ERROR, CREDS, DESC_REQ, DESC, DESC_IDS, DESCS, TEXT_REQ,
// TEXT, LABEL_REQ and ATTR (PCP wire protocol spec, sections 2.2-2.3, 2.7-2.8, 2.10,
// 2.15-2.16, 3.4).
#include "core/pdu/ByteReader.h"
#include "core/pdu/ByteWriter.h"
#include "core/pdu/Pdu.h"

namespace sextant::pdu {
namespace {

constexpr std::size_t kDescSize = 20;
constexpr std::int32_t kMaxCreds = 1024;        // spec 1.4
constexpr std::int32_t kDescIdsMarker = -1;     // spec 2.8

std::string n(std::size_t v) { return std::to_string(v); }

void putDesc(ByteWriter& w, const Descriptor& d) {
  // A failed DESCS entry is PM_ID_NULL with every other field zero (spec 2.8).
  if (d.pmid.isNull()) {
    w.u32(kNullId);
    w.zeros(16);
    return;
  }
  w.u32(d.pmid.raw());
  w.i32(static_cast<std::int32_t>(d.type));
  w.u32(d.indom.raw());
  w.i32(static_cast<std::int32_t>(d.semantics));
  w.u32(d.units.pack());
}

Descriptor getDesc(ByteReader& r) {
  Descriptor d;
  d.pmid = Pmid(r.u32());
  d.type = static_cast<ValueType>(r.i32());
  d.indom = InDom(r.u32());
  d.semantics = static_cast<Semantics>(r.i32());
  d.units = Units::unpack(r.u32());
  return d;
}

// A count of `unit`-byte items must fit in what is left; checked before reserving so a
// forged count cannot make us allocate.
bool countFits(const ByteReader& r, std::int32_t count, std::size_t unit) {
  return r.ok() && count >= 0 && static_cast<std::size_t>(count) <= r.remaining() / unit;
}

}  // namespace

// ---------------------------------------------------------------- ERROR

Bytes encode(const ErrorPdu& m, std::int32_t from) {
  ByteWriter w(Type::Error, from, 20);
  w.i32(m.code);
  if (m.features) w.u32(*m.features);
  return w.finish();
}

Expected<ErrorPdu> decodeError(ByteView pdu) {
  auto r = openPdu(pdu, Type::Error);
  if (!r) return r.failure();
  if (pdu.size() != 16 && pdu.size() != 20) return malformed(Type::Error, "length " + n(pdu.size()) + " is neither 16 nor 20");
  ErrorPdu m;
  m.code = r->i32();
  if (pdu.size() == 20) m.features = r->u32();
  return m;
}

// ---------------------------------------------------------------- CREDS

Bytes encode(const CredsPdu& m, std::int32_t from) {
  ByteWriter w(Type::Creds, from, 16 + 4 * m.creds.size());
  w.i32(static_cast<std::int32_t>(m.creds.size()));
  for (std::uint32_t c : m.creds) w.u32(c);
  return w.finish();
}

Expected<CredsPdu> decodeCreds(ByteView pdu) {
  auto r = openPdu(pdu, Type::Creds);
  if (!r) return r.failure();
  const std::int32_t count = r->i32();
  if (!countFits(*r, count, 4) || count > kMaxCreds) return malformed(Type::Creds, "bad numcreds " + std::to_string(count));
  CredsPdu m;
  m.creds.reserve(static_cast<std::size_t>(count));
  for (std::int32_t i = 0; i < count; ++i) m.creds.push_back(r->u32());
  if (!r->atEnd()) return malformed(Type::Creds, "length does not match numcreds");
  return m;
}

// ---------------------------------------------------------------- descriptors

Bytes encode(const DescReqPdu& m, std::int32_t from) {
  ByteWriter w(Type::DescReq, from, 16);
  w.u32(m.pmid.raw());
  return w.finish();
}

Expected<DescReqPdu> decodeDescReq(ByteView pdu) {
  auto r = openPdu(pdu, Type::DescReq);
  if (!r) return r.failure();
  if (pdu.size() != 16) return malformed(Type::DescReq, "length " + n(pdu.size()) + " is not 16");
  return DescReqPdu{Pmid(r->u32())};
}

Bytes encode(const DescPdu& m, std::int32_t from) {
  ByteWriter w(Type::Desc, from, 32);
  putDesc(w, m.desc);
  return w.finish();
}

Expected<DescPdu> decodeDesc(ByteView pdu) {
  auto r = openPdu(pdu, Type::Desc);
  if (!r) return r.failure();
  if (pdu.size() != kHeaderSize + kDescSize) return malformed(Type::Desc, "length " + n(pdu.size()) + " is not 32");
  return DescPdu{getDesc(*r)};
}

Bytes encode(const DescIdsPdu& m, std::int32_t from) {
  ByteWriter w(Type::DescIds, from, 20 + 4 * m.pmids.size());
  w.i32(kDescIdsMarker);
  w.i32(static_cast<std::int32_t>(m.pmids.size()));
  for (Pmid p : m.pmids) w.u32(p.raw());
  return w.finish();
}

Expected<DescIdsPdu> decodeDescIds(ByteView pdu) {
  auto r = openPdu(pdu, Type::DescIds);
  if (!r) return r.failure();
  const std::int32_t marker = r->i32();
  const std::int32_t count = r->i32();
  if (!r->ok()) return malformed(Type::DescIds, "truncated");
  if (marker != kDescIdsMarker) return malformed(Type::DescIds, "marker " + std::to_string(marker) + " is not -1");
  if (!countFits(*r, count, 4)) return malformed(Type::DescIds, "numids " + std::to_string(count) + " does not fit the PDU");
  DescIdsPdu m;
  m.pmids.reserve(static_cast<std::size_t>(count));
  for (std::int32_t i = 0; i < count; ++i) m.pmids.push_back(Pmid(r->u32()));
  if (!r->atEnd()) return malformed(Type::DescIds, "length does not match numids");
  return m;
}

Bytes encode(const DescsPdu& m, std::int32_t from) {
  ByteWriter w(Type::Descs, from, 16 + kDescSize * m.descs.size());
  w.i32(static_cast<std::int32_t>(m.descs.size()));
  for (const Descriptor& d : m.descs) putDesc(w, d);
  return w.finish();
}

Expected<DescsPdu> decodeDescs(ByteView pdu) {
  auto r = openPdu(pdu, Type::Descs);
  if (!r) return r.failure();
  const std::int32_t count = r->i32();
  if (!countFits(*r, count, kDescSize)) return malformed(Type::Descs, "numdescs " + std::to_string(count) + " does not fit the PDU");
  DescsPdu m;
  m.descs.reserve(static_cast<std::size_t>(count));
  for (std::int32_t i = 0; i < count; ++i) m.descs.push_back(getDesc(*r));
  if (!r->atEnd()) return malformed(Type::Descs, "length does not match numdescs");
  return m;
}

// ---------------------------------------------------------------- help text

Bytes encode(const TextReqPdu& m, std::int32_t from) {
  ByteWriter w(Type::TextReq, from, 20);
  w.u32(m.ident);
  w.i32(m.flags);
  return w.finish();
}

Expected<TextReqPdu> decodeTextReq(ByteView pdu) {
  auto r = openPdu(pdu, Type::TextReq);
  if (!r) return r.failure();
  if (pdu.size() != 20) return malformed(Type::TextReq, "length " + n(pdu.size()) + " is not 20");
  TextReqPdu m;
  m.ident = r->u32();
  m.flags = r->i32();
  return m;
}

Bytes encode(const TextPdu& m, std::int32_t from) {
  ByteWriter w(Type::Text, from, 20 + pad4(m.text.size()));
  w.u32(m.ident);
  w.str(m.text);
  return w.finish();
}

Expected<TextPdu> decodeText(ByteView pdu) {
  auto r = openPdu(pdu, Type::Text);
  if (!r) return r.failure();
  TextPdu m;
  m.ident = r->u32();
  m.text = r->str();
  if (!r->ok()) return malformed(Type::Text, "buflen runs past the end");
  if (!r->atEnd()) return malformed(Type::Text, "trailing bytes after the text");
  return m;
}

// ---------------------------------------------------------------- LABEL_REQ

Bytes encode(const LabelReqPdu& m, std::int32_t from) {
  ByteWriter w(Type::LabelReq, from, 20);
  w.u32(m.ident);
  w.i32(m.type);
  return w.finish();
}

Expected<LabelReqPdu> decodeLabelReq(ByteView pdu) {
  auto r = openPdu(pdu, Type::LabelReq);
  if (!r) return r.failure();
  if (pdu.size() != 20) return malformed(Type::LabelReq, "length " + n(pdu.size()) + " is not 20");
  LabelReqPdu m;
  m.ident = r->u32();
  m.type = r->i32();
  return m;
}

// ---------------------------------------------------------------- ATTR

Bytes encode(const AttrPdu& m, std::int32_t from) {
  // The value is sent bare: no NUL, no padding (spec 2.16).
  ByteWriter w(Type::Attr, from, 16 + m.value.size());
  w.i32(m.attr);
  w.raw(m.value.data(), m.value.size());
  return w.finish();
}

Expected<AttrPdu> decodeAttr(ByteView pdu) {
  auto r = openPdu(pdu, Type::Attr);
  if (!r) return r.failure();
  AttrPdu m;
  m.attr = r->i32();
  if (!r->ok()) return malformed(Type::Attr, "shorter than 16 bytes");
  ByteView rest = r->bytes(r->remaining());
  m.value.assign(rest.begin(), rest.end());
  return m;
}

}  // namespace sextant::pdu
