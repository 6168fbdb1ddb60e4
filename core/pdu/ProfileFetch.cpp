// PROFILE and FETCH / HIGHRES_FETCH (PCP wire protocol spec, sections 2.4 and 2.5).
#include "core/pdu/ByteReader.h"
#include "core/pdu/ByteWriter.h"
#include "core/pdu/Pdu.h"

namespace sextant::pdu {
namespace {

// PCP's profile states, as they travel (spec 2.4): the names are PCP's and read
// backwards. PM_PROFILE_INCLUDE 0 = "every instance except those listed";
// PM_PROFILE_EXCLUDE 1 = "only those listed".
constexpr std::int32_t kAllButListed = 0;
constexpr std::int32_t kOnlyListed = 1;
constexpr std::size_t kProfileEntrySize = 16;

}  // namespace

Bytes encode(const ProfilePdu& m, std::int32_t from) {
  const auto& rules = m.profile.rules();
  std::size_t insts = 0;
  for (const auto& [indom, rule] : rules) insts += rule.insts.size();
  ByteWriter w(Type::Profile, from, 28 + kProfileEntrySize * rules.size() + 4 * insts);
  w.i32(m.ctxid);
  w.i32(m.profile.includeByDefault() ? kAllButListed : kOnlyListed);
  w.i32(static_cast<std::int32_t>(rules.size()));
  w.i32(0);
  for (const auto& [indom, rule] : rules) {
    w.u32(indom.raw());
    w.i32(rule.include ? kOnlyListed : kAllButListed);
    w.i32(static_cast<std::int32_t>(rule.insts.size()));
    w.i32(0);
  }
  for (const auto& [indom, rule] : rules)
    for (std::int32_t inst : rule.insts) w.i32(inst);
  return w.finish();
}

Expected<ProfilePdu> decodeProfile(ByteView pdu) {
  auto r = openPdu(pdu, Type::Profile);
  if (!r) return r.failure();
  ProfilePdu m;
  m.ctxid = r->i32();
  const std::int32_t global = r->i32();
  const std::int32_t numprof = r->i32();
  r->skip(4);
  if (!r->ok()) return malformed(Type::Profile, "shorter than 28 bytes");
  if (numprof < 0 || static_cast<std::size_t>(numprof) > r->remaining() / kProfileEntrySize)
    return malformed(Type::Profile, "numprof " + std::to_string(numprof) + " does not fit the PDU");
  // pmcd treats any state other than PM_PROFILE_INCLUDE as "only listed" (__pmInProfile).
  m.profile.setIncludeByDefault(global == kAllButListed);

  struct Entry {
    InDom indom;
    bool onlyListed;
    std::size_t count;
  };
  std::vector<Entry> entries;
  entries.reserve(static_cast<std::size_t>(numprof));
  for (std::int32_t i = 0; i < numprof; ++i) {
    InDom indom(r->u32());
    std::int32_t state = r->i32();
    std::int32_t count = r->i32();
    r->skip(4);
    if (count < 0) return malformed(Type::Profile, "negative numinst");
    entries.push_back({indom, state != kAllButListed, static_cast<std::size_t>(count)});
  }
  std::size_t total = 0;
  for (const Entry& e : entries) total += e.count;  // each <= 2^31, at most 4096 entries: no overflow
  if (total != r->remaining() / 4 || r->remaining() % 4 != 0)
    return malformed(Type::Profile, "instance counts do not match the PDU length");
  for (const Entry& e : entries) {
    std::set<std::int32_t> insts;
    for (std::size_t i = 0; i < e.count; ++i) insts.insert(r->i32());
    if (e.onlyListed)
      m.profile.include(e.indom, std::move(insts));
    else
      m.profile.exclude(e.indom, std::move(insts));
  }
  return m;
}

Bytes encode(const FetchPdu& m, std::int32_t from) {
  ByteWriter w(m.highres ? Type::HighresFetch : Type::Fetch, from, 28 + 4 * m.pmids.size());
  w.i32(m.ctxid);
  w.zeros(8);  // the unused legacy timestamp
  w.i32(static_cast<std::int32_t>(m.pmids.size()));
  for (Pmid p : m.pmids) w.u32(p.raw());
  return w.finish();
}

Expected<FetchPdu> decodeFetch(ByteView pdu) {
  auto r = openPdu(pdu, Type::Fetch, Type::HighresFetch);
  if (!r) return r.failure();
  FetchPdu m;
  m.highres = ByteReader(pdu, 4).i32() == static_cast<std::int32_t>(Type::HighresFetch);
  const Type t = m.highres ? Type::HighresFetch : Type::Fetch;
  m.ctxid = r->i32();
  r->skip(8);
  const std::int32_t count = r->i32();
  if (!r->ok()) return malformed(t, "shorter than 28 bytes");
  if (count < 0 || static_cast<std::size_t>(count) != r->remaining() / 4 || r->remaining() % 4 != 0)
    return malformed(t, "numpmid " + std::to_string(count) + " does not match the PDU length");
  m.pmids.reserve(static_cast<std::size_t>(count));
  for (std::int32_t i = 0; i < count; ++i) m.pmids.push_back(Pmid(r->u32()));
  return m;
}

}  // namespace sextant::pdu
