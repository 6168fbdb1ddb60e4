// LABEL: sets of labels as JSON text plus an index into it (PCP wire protocol spec,
// sections 2.15 and 4).
#include <algorithm>

#include "core/pdu/ByteReader.h"
#include "core/pdu/ByteWriter.h"
#include "core/pdu/Pdu.h"

namespace sextant::pdu {
namespace {

// Limits of the index's field widths and of the client's decoder (spec 1.4, 4.2).
constexpr std::size_t kMaxLabels = 254;
constexpr std::size_t kMaxJson = 65534;
constexpr std::size_t kMaxName = 255;
constexpr std::size_t kSetHeader = 16, kIndexEntry = 8;

struct IndexEntry {
  std::uint16_t nameOffset;
  std::uint8_t nameLen;
  std::uint16_t valueOffset;
  std::uint16_t valueLen;
};

// One set's compact JSON and its index. Labels that would overflow the index's 16-bit
// offsets or the 254-label limit are left out rather than sent corrupt.
struct EncodedSet {
  std::string json;
  std::vector<IndexEntry> index;
};

EncodedSet encodeSet(const LabelSet& set) {
  EncodedSet e;
  if (set.empty()) return e;  // pmcd sends nlabels 0 with json_len 0
  e.json = "{";
  for (const auto& [name, value] : set.entries()) {
    if (e.index.size() == kMaxLabels) break;
    if (name.size() > kMaxName) continue;
    // name in quotes, a colon, the value, a comma or the closing brace
    if (e.json.size() + name.size() + value.size() + 4 > kMaxJson) break;
    if (e.index.size() > 0) e.json += ',';
    e.json += '"';
    const std::size_t nameAt = e.json.size();
    e.json += name;
    e.json += "\":";
    const std::size_t valueAt = e.json.size();
    e.json += value;
    e.index.push_back({static_cast<std::uint16_t>(nameAt), static_cast<std::uint8_t>(name.size()),
                       static_cast<std::uint16_t>(valueAt), static_cast<std::uint16_t>(value.size())});
  }
  e.json += '}';
  return e;
}

}  // namespace

Bytes encode(const LabelPdu& m, std::int32_t from) {
  // Sets in instance order, as pmcd keeps them.
  std::vector<const std::pair<std::int32_t, LabelSet>*> order;
  order.reserve(m.sets.size());
  for (const auto& s : m.sets) order.push_back(&s);
  std::stable_sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->first < b->first; });

  std::vector<EncodedSet> sets;
  sets.reserve(order.size());
  std::size_t indexEnd = 28, jsonBytes = 0;
  for (const auto* s : order) {
    sets.push_back(encodeSet(s->second));
    indexEnd += kSetHeader + kIndexEntry * sets.back().index.size();
    jsonBytes += sets.back().json.size();
  }
  ByteWriter w(Type::Label, from, indexEnd + jsonBytes);
  w.u32(m.ident);
  w.i32(m.type);
  w.i32(0);
  w.i32(static_cast<std::int32_t>(sets.size()));
  // Each index entry's flags carry the level bit of the request (spec 4.3).
  const auto flags = static_cast<std::uint8_t>(m.type & 0xff);
  std::size_t jsonAt = indexEnd;
  for (std::size_t i = 0; i < sets.size(); ++i) {
    w.i32(order[i]->first);
    w.i32(static_cast<std::int32_t>(sets[i].index.size()));
    w.i32(static_cast<std::int32_t>(jsonAt));
    w.i32(static_cast<std::int32_t>(sets[i].json.size()));
    for (const IndexEntry& e : sets[i].index) {
      w.u16(e.nameOffset);
      w.u8(e.nameLen);
      w.u8(flags);
      w.u16(e.valueOffset);
      w.u16(e.valueLen);
    }
    jsonAt += sets[i].json.size();
  }
  // The JSON goes unpadded, as pmcd 6.0.3 sends it (spec 2.15).
  for (const EncodedSet& s : sets) w.raw(s.json.data(), s.json.size());
  return w.finish();
}

Expected<LabelPdu> decodeLabel(ByteView pdu) {
  auto r = openPdu(pdu, Type::Label);
  if (!r) return r.failure();
  LabelPdu m;
  m.ident = r->u32();
  m.type = r->i32();
  r->skip(4);
  const std::int32_t nsets = r->i32();
  if (!r->ok()) return malformed(Type::Label, "shorter than 28 bytes");
  if (nsets < 0 || static_cast<std::size_t>(nsets) > r->remaining() / kSetHeader)
    return malformed(Type::Label, "nsets " + std::to_string(nsets) + " does not fit the PDU");
  m.sets.reserve(static_cast<std::size_t>(nsets));
  for (std::int32_t i = 0; i < nsets; ++i) {
    const std::string where = "set " + std::to_string(i);
    const std::int32_t inst = r->i32();
    const std::int32_t nlabels = r->i32();
    const std::int32_t jsonOffset = r->i32();
    const std::int32_t jsonLen = r->i32();
    if (!r->ok()) return malformed(Type::Label, where + " runs past the end");
    if (nlabels < 0 || static_cast<std::size_t>(nlabels) > r->remaining() / kIndexEntry)
      return malformed(Type::Label, where + ": nlabels " + std::to_string(nlabels) + " does not fit the PDU");
    if (jsonOffset < 0 || jsonLen < 0 || static_cast<std::size_t>(jsonOffset) > pdu.size() ||
        static_cast<std::size_t>(jsonLen) > pdu.size() - static_cast<std::size_t>(jsonOffset))
      return malformed(Type::Label, where + ": JSON at " + std::to_string(jsonOffset) + " length " +
                                        std::to_string(jsonLen) + " is outside the PDU");
    const std::string_view json(reinterpret_cast<const char*>(pdu.data()) + jsonOffset, static_cast<std::size_t>(jsonLen));
    LabelSet set;
    for (std::int32_t j = 0; j < nlabels; ++j) {
      const std::size_t nameOffset = r->u16();
      const std::size_t nameLen = r->u8();
      r->skip(1);  // flags: the level is known from the PDU's type
      const std::size_t valueOffset = r->u16();
      const std::size_t valueLen = r->u16();
      if (!r->ok()) return malformed(Type::Label, where + " index runs past the end");
      if (nameOffset > json.size() || nameLen > json.size() - nameOffset || valueOffset > json.size() ||
          valueLen > json.size() - valueOffset)
        return malformed(Type::Label, where + ": label " + std::to_string(j) + " points outside its JSON");
      set.setJson(std::string(json.substr(nameOffset, nameLen)), std::string(json.substr(valueOffset, valueLen)));
    }
    m.sets.emplace_back(inst, std::move(set));
  }
  return m;
}

}  // namespace sextant::pdu
