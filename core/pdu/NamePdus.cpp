// The PDUs that carry names: INSTANCE_REQ / INSTANCE, PMNS_NAMES, PMNS_IDS, PMNS_CHILD
// and PMNS_TRAVERSE (PCP wire protocol spec, sections 2.9 and 2.11-2.14).
#include "core/pdu/ByteReader.h"
#include "core/pdu/ByteWriter.h"
#include "core/pdu/Pdu.h"

namespace sextant::pdu {

Bytes encode(const InstanceReqPdu& m, std::int32_t from) {
  ByteWriter w(Type::InstanceReq, from, 32 + pad4(m.name.size()));
  w.u32(m.indom.raw());
  w.zeros(8);  // the unused legacy timestamp
  w.i32(m.inst);
  w.str(m.name);
  return w.finish();
}

Expected<InstanceReqPdu> decodeInstanceReq(ByteView pdu) {
  auto r = openPdu(pdu, Type::InstanceReq);
  if (!r) return r.failure();
  InstanceReqPdu m;
  m.indom = InDom(r->u32());
  r->skip(8);
  m.inst = r->i32();
  m.name = r->str();
  if (!r->ok()) return malformed(Type::InstanceReq, "namelen runs past the end");
  if (!r->atEnd()) return malformed(Type::InstanceReq, "trailing bytes after the name");
  return m;
}

Bytes encode(const InstancePdu& m, std::int32_t from) {
  std::size_t size = 20;
  for (const Instance& i : m.instances) size += 8 + pad4(i.name.size());
  ByteWriter w(Type::Instance, from, size);
  w.u32(m.indom.raw());
  w.i32(static_cast<std::int32_t>(m.instances.size()));
  for (const Instance& i : m.instances) {
    w.i32(i.id);
    w.str(i.name);
  }
  return w.finish();
}

Expected<InstancePdu> decodeInstance(ByteView pdu) {
  auto r = openPdu(pdu, Type::Instance);
  if (!r) return r.failure();
  InstancePdu m;
  m.indom = InDom(r->u32());
  const std::int32_t count = r->i32();
  if (!r->ok() || count < 0 || static_cast<std::size_t>(count) > r->remaining() / 8)
    return malformed(Type::Instance, "numinst " + std::to_string(count) + " does not fit the PDU");
  m.instances.reserve(static_cast<std::size_t>(count));
  for (std::int32_t i = 0; i < count; ++i) {
    Instance inst;
    inst.id = r->i32();
    inst.name = r->str();
    if (!r->ok()) return malformed(Type::Instance, "instance " + std::to_string(i) + " runs past the end");
    m.instances.push_back(std::move(inst));
  }
  if (!r->atEnd()) return malformed(Type::Instance, "trailing bytes after the instances");
  return m;
}

Bytes encode(const NamesPdu& m, std::int32_t from) {
  const bool withStatus = !m.status.empty();
  std::size_t size = 24, strBytes = 0;
  for (const std::string& name : m.names) {
    size += (withStatus ? 8 : 4) + pad4(name.size());
    strBytes += name.size() + 1;
  }
  ByteWriter w(Type::PmnsNames, from, size);
  // nstrbytes sizes the client's buffer: it must be the sum of strlen + 1 (spec 2.11).
  w.i32(static_cast<std::int32_t>(strBytes));
  w.i32(withStatus ? static_cast<std::int32_t>(m.names.size()) : 0);
  w.i32(static_cast<std::int32_t>(m.names.size()));
  for (std::size_t i = 0; i < m.names.size(); ++i) {
    if (withStatus) w.i32(i < m.status.size() ? m.status[i] : kLeafStatus);
    w.str(m.names[i]);
  }
  return w.finish();
}

Expected<NamesPdu> decodeNames(ByteView pdu) {
  auto r = openPdu(pdu, Type::PmnsNames);
  if (!r) return r.failure();
  const std::int32_t strBytes = r->i32();
  const std::int32_t numStatus = r->i32();
  const std::int32_t count = r->i32();
  if (!r->ok()) return malformed(Type::PmnsNames, "shorter than 24 bytes");
  const bool withStatus = numStatus != 0;
  if (withStatus && numStatus != count)
    return malformed(Type::PmnsNames, "numstatus " + std::to_string(numStatus) + " is neither 0 nor numnames");
  if (count < 0 || static_cast<std::size_t>(count) > r->remaining() / (withStatus ? 8 : 4))
    return malformed(Type::PmnsNames, "numnames " + std::to_string(count) + " does not fit the PDU");
  NamesPdu m;
  m.names.reserve(static_cast<std::size_t>(count));
  if (withStatus) m.status.reserve(static_cast<std::size_t>(count));
  std::size_t needed = 0;
  for (std::int32_t i = 0; i < count; ++i) {
    if (withStatus) m.status.push_back(r->i32());
    m.names.push_back(r->str());
    if (!r->ok()) return malformed(Type::PmnsNames, "name " + std::to_string(i) + " runs past the end");
    needed += m.names.back().size() + 1;
  }
  if (!r->atEnd()) return malformed(Type::PmnsNames, "trailing bytes after the names");
  // libpcp copies the names into a buffer of nstrbytes: too small is a protocol error.
  if (strBytes < 0 || static_cast<std::size_t>(strBytes) < needed)
    return malformed(Type::PmnsNames, "nstrbytes " + std::to_string(strBytes) + " is below " + std::to_string(needed));
  return m;
}

Bytes encode(const IdsPdu& m, std::int32_t from) {
  ByteWriter w(Type::PmnsIds, from, 20 + 4 * m.pmids.size());
  w.i32(m.status);
  w.i32(static_cast<std::int32_t>(m.pmids.size()));
  for (Pmid p : m.pmids) w.u32(p.raw());
  return w.finish();
}

Expected<IdsPdu> decodeIds(ByteView pdu) {
  auto r = openPdu(pdu, Type::PmnsIds);
  if (!r) return r.failure();
  IdsPdu m;
  m.status = r->i32();
  const std::int32_t count = r->i32();
  if (!r->ok()) return malformed(Type::PmnsIds, "shorter than 20 bytes");
  if (count < 0 || static_cast<std::size_t>(count) != r->remaining() / 4 || r->remaining() % 4 != 0)
    return malformed(Type::PmnsIds, "numids " + std::to_string(count) + " does not match the PDU length");
  m.pmids.reserve(static_cast<std::size_t>(count));
  for (std::int32_t i = 0; i < count; ++i) m.pmids.push_back(Pmid(r->u32()));
  return m;
}

Bytes encode(const NameReqPdu& m, std::int32_t from) {
  ByteWriter w(m.traverse ? Type::PmnsTraverse : Type::PmnsChild, from, 20 + pad4(m.name.size()));
  w.i32(m.traverse ? 0 : m.subtype);  // TRAVERSE's subtype is always 0 (spec 2.14)
  w.str(m.name);
  return w.finish();
}

Expected<NameReqPdu> decodeNameReq(ByteView pdu) {
  auto r = openPdu(pdu, Type::PmnsChild, Type::PmnsTraverse);
  if (!r) return r.failure();
  NameReqPdu m;
  m.traverse = ByteReader(pdu, 4).i32() == static_cast<std::int32_t>(Type::PmnsTraverse);
  const Type t = m.traverse ? Type::PmnsTraverse : Type::PmnsChild;
  m.subtype = r->i32();
  m.name = r->str();
  if (!r->ok()) return malformed(t, "namelen runs past the end");
  if (!r->atEnd()) return malformed(t, "trailing bytes after the name");
  if (m.traverse) m.subtype = 0;
  return m;
}

}  // namespace sextant::pdu
