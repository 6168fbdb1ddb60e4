// RESULT and HIGHRES_RESULT: value sets, in-situ values and value blocks (PCP wire
// protocol spec, sections 2.6, 2.17, 3.8 and 3.10).
#include <algorithm>
#include <bit>
#include <chrono>
#include <cstring>
#include <type_traits>

#include "core/pdu/ByteReader.h"
#include "core/pdu/ByteWriter.h"
#include "core/pdu/Pdu.h"

namespace sextant::pdu {
namespace {

constexpr std::size_t kResultPreamble = 24;   // header, i32 sec, i32 usec, numpmid
constexpr std::size_t kHighresPreamble = 32;  // header, numpmid, i64 sec, i64 nsec
constexpr std::uint32_t kMaxVlen = 0xFFFFFF;  // 24-bit field (spec 1.4)
constexpr std::int32_t kInSitu = 0, kDptr = 1, kSptr = 2;

bool inSituType(const Value& v) { return v.index() <= 1; }  // int32_t or uint32_t

// Payload bytes of a value in a block; strings carry their NUL (spec 3.8) and are cut
// so that vlen fits its 24 bits.
std::size_t payloadSize(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return std::min<std::size_t>(s->size(), kMaxVlen - 5) + 1;
  if (v.index() <= 1 || std::holds_alternative<float>(v)) return 4;
  return 8;
}

std::uint32_t inSituWord(const Value& v) {
  if (const auto* i = std::get_if<std::int32_t>(&v)) return static_cast<std::uint32_t>(*i);
  if (const auto* u = std::get_if<std::uint32_t>(&v)) return *u;
  return 0;
}

void putBlock(ByteWriter& w, const Value& v) {
  const std::size_t payload = payloadSize(v);
  w.u32(static_cast<std::uint32_t>(valueTypeOf(v)) << 24 | static_cast<std::uint32_t>(4 + payload));
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>) {
          w.raw(x.data(), payload - 1);
          w.u8(0);
        } else if constexpr (std::is_same_v<T, float>) {
          w.u32(std::bit_cast<std::uint32_t>(x));
        } else if constexpr (std::is_same_v<T, double>) {
          w.u64(std::bit_cast<std::uint64_t>(x));
        } else if constexpr (sizeof(T) == 8) {
          w.u64(static_cast<std::uint64_t>(x));
        } else {
          w.u32(static_cast<std::uint32_t>(x));
        }
      },
      v);
  w.padTo4();  // pmcd and libpcp pad blocks with '~' too (observed)
}

bool setInSitu(const ValueSet& s) {
  for (const auto& iv : s.values)
    if (!inSituType(iv.value)) return false;
  return true;
}

}  // namespace

Bytes encodeResult(const FetchResult& r, bool highres, std::int32_t from) {
  // First pass: sizes, so the block offsets are known before anything is written and
  // the buffer is allocated once.
  const std::size_t preamble = highres ? kHighresPreamble : kResultPreamble;
  std::size_t setBytes = 0, blockBytes = 0;
  for (const ValueSet& s : r.sets) {
    setBytes += 8;
    if (s.status < 0 || s.values.empty()) continue;
    setBytes += 4 + 8 * s.values.size();
    if (!setInSitu(s))
      for (const auto& iv : s.values) blockBytes += pad4(4 + payloadSize(iv.value));
  }
  ByteWriter w(highres ? Type::HighresResult : Type::Result, from, preamble + setBytes + blockBytes);

  using namespace std::chrono;
  const auto ns = duration_cast<nanoseconds>(r.timestamp.time_since_epoch()).count();
  std::int64_t sec = ns / 1'000'000'000, nsec = ns % 1'000'000'000;
  if (nsec < 0) {  // before 1970: keep the fraction positive
    sec -= 1;
    nsec += 1'000'000'000;
  }
  if (highres) {
    w.i32(static_cast<std::int32_t>(r.sets.size()));
    w.i64(sec);
    w.i64(nsec);
  } else {
    w.i32(static_cast<std::int32_t>(sec));
    w.i32(static_cast<std::int32_t>(nsec / 1000));
    w.i32(static_cast<std::int32_t>(r.sets.size()));
  }

  // Blocks follow the last value set, contiguous, in value order (spec 2.6 rules 1-3).
  std::size_t blockAt = preamble + setBytes;
  for (const ValueSet& s : r.sets) {
    w.u32(s.pmid.raw());
    if (s.status < 0) {
      w.i32(s.status);
      continue;
    }
    w.i32(static_cast<std::int32_t>(s.values.size()));
    if (s.values.empty()) continue;  // numval 0: no valfmt word (spec 8.2, 6)
    const bool inSitu = setInSitu(s);
    w.i32(inSitu ? kInSitu : kDptr);
    for (const auto& iv : s.values) {
      w.i32(iv.inst);
      if (inSitu) {
        w.u32(inSituWord(iv.value));
      } else {
        w.u32(static_cast<std::uint32_t>(blockAt / 4));
        blockAt += pad4(4 + payloadSize(iv.value));
      }
    }
  }
  for (const ValueSet& s : r.sets) {
    if (s.status < 0 || s.values.empty() || setInSitu(s)) continue;
    for (const auto& iv : s.values) putBlock(w, iv.value);
  }
  return w.finish();
}

Bytes encodeStore(const std::vector<WireValueSet>& sets, std::int32_t from) {
  auto payloadOf = [](const WireValue& v) { return std::min<std::size_t>(v.payload.size(), kMaxVlen - 4); };
  std::size_t setBytes = 0, blockBytes = 0;
  for (const WireValueSet& s : sets) {
    setBytes += 8;
    if (s.numval < 0 || s.values.empty()) continue;
    setBytes += 4 + 8 * s.values.size();
    if (s.valfmt != kInSitu)
      for (const WireValue& v : s.values) blockBytes += pad4(4 + payloadOf(v));
  }
  ByteWriter w(Type::Result, from, kResultPreamble + setBytes + blockBytes);
  w.zeros(8);  // pmStore sends a zero timestamp (spec 2.17)
  w.i32(static_cast<std::int32_t>(sets.size()));
  std::size_t blockAt = kResultPreamble + setBytes;
  for (const WireValueSet& s : sets) {
    w.u32(s.pmid.raw());
    if (s.numval < 0) {
      w.i32(s.numval);
      continue;
    }
    w.i32(static_cast<std::int32_t>(s.values.size()));
    if (s.values.empty()) continue;
    const std::int32_t valfmt = s.valfmt == kSptr ? kSptr : s.valfmt == kInSitu ? kInSitu : kDptr;
    w.i32(valfmt);
    for (const WireValue& v : s.values) {
      w.i32(v.inst);
      if (valfmt == kInSitu) {
        w.u32(v.word);
      } else {
        w.u32(static_cast<std::uint32_t>(blockAt / 4));
        blockAt += pad4(4 + payloadOf(v));
      }
    }
  }
  for (const WireValueSet& s : sets) {
    if (s.numval < 0 || s.values.empty() || s.valfmt == kInSitu) continue;
    for (const WireValue& v : s.values) {
      const std::size_t n = payloadOf(v);
      w.u32(std::uint32_t{v.blockType} << 24 | static_cast<std::uint32_t>(4 + n));
      w.raw(v.payload.data(), n);
      w.padTo4();  // pmcd and libpcp pad blocks with '~' too (observed)
    }
  }
  return w.finish();
}

Expected<WireResult> decodeResult(ByteView pdu) {
  WireResult m;
  if (auto ok = decodeResultInto(pdu, m); !ok) return ok.failure();
  return m;
}

namespace {

// The preamble of a RESULT or HIGHRES_RESULT; `body` is left at the first value set.
struct ResultHead {
  Type type = Type::Result;
  std::int64_t seconds = 0;
  std::int64_t nanoseconds = 0;
  std::size_t numpmid = 0;
  ByteReader body;
};

Expected<ResultHead> openResult(ByteView pdu) {
  auto r = openPdu(pdu, Type::Result, Type::HighresResult);
  if (!r) return r.failure();
  const bool highres = ByteReader(pdu, 4).i32() == static_cast<std::int32_t>(Type::HighresResult);
  ResultHead h{highres ? Type::HighresResult : Type::Result, 0, 0, 0, *r};
  std::int32_t numpmid = 0;
  if (highres) {
    numpmid = h.body.i32();
    h.seconds = h.body.i64();
    h.nanoseconds = h.body.i64();
  } else {
    h.seconds = h.body.i32();
    const std::int32_t usec = h.body.i32();
    h.nanoseconds = std::int64_t{usec} * 1000;
    numpmid = h.body.i32();
  }
  if (!h.body.ok()) return malformed(h.type, "shorter than its preamble");
  if (h.nanoseconds < 0 || h.nanoseconds >= 1'000'000'000) return malformed(h.type, "timestamp fraction out of range");
  // Each value set is at least 8 bytes: a forged count cannot make us reserve more.
  if (numpmid < 0 || static_cast<std::size_t>(numpmid) > h.body.remaining() / 8)
    return malformed(h.type, "numpmid " + std::to_string(numpmid) + " does not fit the PDU");
  h.numpmid = static_cast<std::size_t>(numpmid);
  return h;
}

// One value set's head; `r` is left at its (instance, word) pairs.
struct SetHead {
  Pmid pmid;
  std::int32_t numval = 0;
  std::int32_t valfmt = 0;
  std::size_t count() const { return numval > 0 ? static_cast<std::size_t>(numval) : 0; }
};

// Why set `i`'s head is malformed; out of line, as only a bad PDU comes here.
enum class SetFault { PastEnd, Valfmt, Numval };
[[gnu::cold, gnu::noinline]] bool badSet(Failure& why, Type t, SetFault f, std::size_t i, std::int32_t n) {
  switch (f) {
    case SetFault::PastEnd: why = malformed(t, "value set " + std::to_string(i) + " runs past the end"); break;
    case SetFault::Valfmt: why = malformed(t, "valfmt " + std::to_string(n) + " is not 0, 1 or 2"); break;
    case SetFault::Numval: why = malformed(t, "numval " + std::to_string(n) + " does not fit the PDU"); break;
  }
  return false;
}

// Reads set `i`'s head and checks that its pairs are all there: false, with `why`, if not.
inline bool readSet(ByteReader& r, std::size_t i, Type t, SetHead& s, Failure& why) {
  s.pmid = Pmid(r.u32());
  s.numval = r.i32();
  s.valfmt = 0;
  if (!r.ok()) [[unlikely]]
    return badSet(why, t, SetFault::PastEnd, i, 0);
  if (s.numval <= 0) return true;  // an error code or no values: no valfmt (spec 2.6)
  s.valfmt = r.i32();
  if (!r.ok()) [[unlikely]]
    return badSet(why, t, SetFault::PastEnd, i, 0);
  if (s.valfmt != kInSitu && s.valfmt != kDptr && s.valfmt != kSptr) [[unlikely]]
    return badSet(why, t, SetFault::Valfmt, i, s.valfmt);
  if (static_cast<std::size_t>(s.numval) > r.remaining() / 8) [[unlikely]]
    return badSet(why, t, SetFault::Numval, i, s.numval);
  return true;
}

// The value blocks of one RESULT, checked as they are met (spec 2.6, layout rules 1-3):
// each inside the PDU after the value sets, and together tiling the rest exactly.
class BlockCheck {
 public:
  BlockCheck(ByteView pdu, std::size_t start, Type t) : pdu_(pdu), start_(start), type_(t) {}

  // The header word (type and vlen) of the block at byte `off`; 0, which no block has
  // (vlen is at least 4), if it is not one, and failure() says why.
  std::uint32_t at(std::size_t off) {
    if (off < start_ || off > pdu_.size() || pdu_.size() - off < 4) [[unlikely]]
      return fail(Fault::Offset, off);
    const std::uint32_t head = ByteReader::load32(pdu_.data() + off);
    const std::size_t vlen = head & kMaxVlen;
    if (vlen < 4) [[unlikely]]
      return fail(Fault::Vlen, vlen);
    if (pad4(vlen) > pdu_.size() - off) [[unlikely]]
      return fail(Fault::PastEnd, off);
    bytes_ += pad4(vlen);
    if (bytes_ > pdu_.size() - start_) [[unlikely]]
      return fail(Fault::Overlap, 0);
    inOrder_ = inOrder_ && off >= lastEnd_;
    lastEnd_ = off + pad4(vlen);
    return head;
  }
  const Failure& failure() const { return why_; }

  // After every block was met: they fill the rest exactly and no two overlap. Blocks
  // in order overlap none; otherwise `each(f)` must call f(offset) for every block again.
  template <class Each>
  Expected<bool> finish(Each&& each) const {
    if (bytes_ != pdu_.size() - start_) return malformed(type_, "value blocks do not fill the PDU exactly");
    if (inOrder_) return true;
    std::vector<std::pair<std::size_t, std::size_t>> spans;  // offset, padded length
    each([&](std::size_t off) { spans.emplace_back(off, pad4(ByteReader::load32(pdu_.data() + off) & kMaxVlen)); });
    std::sort(spans.begin(), spans.end());
    for (std::size_t i = 1; i < spans.size(); ++i)
      if (spans[i].first < spans[i - 1].first + spans[i - 1].second)
        return malformed(type_, "value blocks overlap (two values share one block)");
    return true;
  }

 private:
  ByteView pdu_;
  std::size_t start_;
  Type type_;
  std::size_t bytes_ = 0;    // padded lengths of the blocks met so far
  std::size_t lastEnd_ = 0;  // where the block met last ends
  bool inOrder_ = true;      // every block after the one before (pmcd writes them so)
  Failure why_;

  enum class Fault { Offset, Vlen, PastEnd, Overlap };
  // Out of line, as only a bad PDU comes here.
  [[gnu::cold, gnu::noinline]] std::uint32_t fail(Fault f, std::size_t n) {
    switch (f) {
      case Fault::Offset: why_ = malformed(type_, "value block offset " + std::to_string(n) + " is outside the value blocks"); break;
      case Fault::Vlen: why_ = malformed(type_, "vlen " + std::to_string(n) + " is below 4"); break;
      case Fault::PastEnd: why_ = malformed(type_, "value block at " + std::to_string(n) + " runs past the end"); break;
      case Fault::Overlap: why_ = malformed(type_, "value blocks overlap or exceed the PDU"); break;
    }
    return 0;
  }
};

// A string value's bytes into `out`. The payload carries a NUL (spec 3.8), sometimes
// followed by more zeros (a store). Out of line, as most values are numbers.
[[gnu::noinline]] void assignText(ByteView p, Value& out) {
  const auto* c = reinterpret_cast<const char*>(p.data());
  const auto* nul = p.empty() ? nullptr : static_cast<const char*>(std::memchr(c, 0, p.size()));
  const std::size_t n = nul ? static_cast<std::size_t>(nul - c) : p.size();
  // Assigned into a string already there, so that its storage is reused.
  if (auto* text = std::get_if<std::string>(&out)) text->assign(c, n);
  else out.emplace<std::string>(c, n);
}

// A value's bytes as `type`: nullptr, or why they are not one.
inline const char* interpretBytes(bool inSitu, std::uint32_t word, std::uint8_t blockType, ByteView p, ValueType type,
                                  Value& out) {
  if (inSitu) {
    switch (type) {
      case ValueType::I32: out = static_cast<std::int32_t>(word); return nullptr;
      case ValueType::U32: out = word; return nullptr;
      // Old agents sent FLOAT in situ; libpcp still reads it (spec 3.8).
      case ValueType::Float: out = std::bit_cast<float>(word); return nullptr;
      default: return "an in-situ value";
    }
  }
  if (blockType != 0 && blockType != static_cast<std::uint32_t>(type)) return "a block of another type";
  constexpr const char* kWrongLength = "a block of the wrong length";
  switch (type) {
    case ValueType::I32:
    case ValueType::U32:
    case ValueType::Float: {
      if (p.size() != 4) return kWrongLength;
      const std::uint32_t x = ByteReader::load32(p.data());
      if (type == ValueType::I32) out = static_cast<std::int32_t>(x);
      else if (type == ValueType::U32) out = x;
      else out = std::bit_cast<float>(x);
      return nullptr;
    }
    case ValueType::I64:
    case ValueType::U64:
    case ValueType::Double: {
      if (p.size() != 8) return kWrongLength;
      const std::uint64_t x = std::uint64_t{ByteReader::load32(p.data())} << 32 | ByteReader::load32(p.data() + 4);
      if (type == ValueType::I64) out = static_cast<std::int64_t>(x);
      else if (type == ValueType::U64) out = x;
      else out = std::bit_cast<double>(x);
      return nullptr;
    }
    case ValueType::String: assignText(p, out); return nullptr;
    default: return "a value";
  }
}

}  // namespace

Expected<bool> decodeResultInto(ByteView pdu, WireResult& m) {
  auto head = openResult(pdu);
  if (!head) return head.failure();
  const Type t = head->type;
  ByteReader& r = head->body;
  m.highres = t == Type::HighresResult;
  m.seconds = head->seconds;
  m.nanoseconds = head->nanoseconds;
  m.sets.resize(head->numpmid);
  SetHead set;
  Failure why;
  for (std::size_t i = 0; i < m.sets.size(); ++i) {
    if (!readSet(r, i, t, set, why)) return why;
    WireValueSet& s = m.sets[i];
    s.pmid = set.pmid;
    s.numval = set.numval;
    s.valfmt = set.valfmt;
    s.values.resize(set.count());  // the values kept keep their payloads' storage
    const std::uint8_t* pair = r.bytes(8 * s.values.size()).data();
    for (WireValue& v : s.values) {
      v.inst = static_cast<std::int32_t>(ByteReader::load32(pair));
      v.word = ByteReader::load32(pair + 4);
      pair += 8;
      v.inSitu = s.valfmt == kInSitu;
      v.blockType = 0;
      if (v.inSitu) v.payload.clear();  // a block's payload is overwritten below
    }
  }
  BlockCheck blocks(pdu, r.pos(), t);
  for (auto& s : m.sets)
    for (WireValue& v : s.values) {
      if (v.inSitu) continue;
      const std::uint32_t block = blocks.at(std::size_t{v.word} * 4);
      if (!block) return blocks.failure();
      v.blockType = static_cast<std::uint8_t>(block >> 24);
    }
  auto tiled = blocks.finish([&](auto&& f) {
    for (const auto& s : m.sets)
      for (const WireValue& v : s.values)
        if (!v.inSitu) f(std::size_t{v.word} * 4);
  });
  if (!tiled) return tiled;
  // Payloads are copied only once all is checked, so that values sharing one block
  // cannot multiply the memory used.
  for (auto& s : m.sets)
    for (WireValue& v : s.values) {
      if (v.inSitu) continue;
      const std::size_t at = std::size_t{v.word} * 4;
      // resize and memcpy: a payload of the size it had last time costs no more than the copy.
      v.payload.resize((ByteReader::load32(pdu.data() + at) & kMaxVlen) - 4);
      std::memcpy(v.payload.data(), pdu.data() + at + 4, v.payload.size());
    }
  return true;
}

Expected<bool> decodeResultValues(ByteView pdu, std::span<const ValueType> types, FetchResult& out) {
  auto head = openResult(pdu);
  if (!head) return head.failure();
  const Type t = head->type;
  // First the sets' heads alone, to learn where the value blocks begin.
  ByteReader r = head->body;
  SetHead set;
  Failure why;
  for (std::size_t i = 0; i < head->numpmid; ++i) {
    if (!readSet(r, i, t, set, why)) return why;
    r.skip(8 * set.count());
  }
  // Then each value, read as its set's type once its block is checked. The heads are
  // known good now: they are read again without the checks.
  BlockCheck blocks(pdu, r.pos(), t);
  using std::chrono::system_clock;
  out.timestamp = Timestamp(std::chrono::duration_cast<system_clock::duration>(
      std::chrono::seconds(head->seconds) + std::chrono::nanoseconds(head->nanoseconds)));
  out.sets.resize(head->numpmid);
  const std::uint8_t* at = pdu.data() + head->body.pos();
  for (std::size_t i = 0; i < out.sets.size(); ++i) {
    ValueSet& s = out.sets[i];
    s.pmid = Pmid(ByteReader::load32(at));
    const auto numval = static_cast<std::int32_t>(ByteReader::load32(at + 4));
    at += 8;
    s.status = numval < 0 ? numval : 0;
    s.values.resize(numval > 0 ? static_cast<std::size_t>(numval) : 0);
    if (s.values.empty()) continue;
    const bool inSitu = static_cast<std::int32_t>(ByteReader::load32(at)) == kInSitu;
    at += 4;
    const ValueType type = i < types.size() ? types[i] : ValueType::NoSupport;
    bool readable = true;
    for (InstanceValue& v : s.values) {
      v.inst = static_cast<std::int32_t>(ByteReader::load32(at));
      const std::uint32_t word = ByteReader::load32(at + 4);
      at += 8;
      if (inSitu) {
        readable = readable && !interpretBytes(true, word, 0, {}, type, v.value);
        continue;
      }
      const std::size_t off = std::size_t{word} * 4;
      const std::uint32_t block = blocks.at(off);
      if (!block) return blocks.failure();
      readable = readable && !interpretBytes(false, word, static_cast<std::uint8_t>(block >> 24),
                                             pdu.subspan(off + 4, (block & kMaxVlen) - 4), type, v.value);
    }
    if (!readable) {
      s.status = static_cast<int>(Error::Conv);
      s.values.clear();
    }
  }
  return blocks.finish([&](auto&& f) {
    ByteReader again = head->body;
    for (std::size_t i = 0; i < head->numpmid; ++i) {
      readSet(again, i, t, set, why);
      const std::uint8_t* pair = again.bytes(8 * set.count()).data();
      if (set.valfmt == kInSitu) continue;
      for (std::size_t k = 0; k < set.count(); ++k) f(std::size_t{ByteReader::load32(pair + 8 * k + 4)} * 4);
    }
  });
}

const char* interpretInto(const WireValue& v, ValueType type, Value& out) {
  return interpretBytes(v.inSitu, v.word, v.blockType, v.payload, type, out);
}

Expected<Value> interpret(const WireValue& v, ValueType type) {
  Value out;
  if (const char* why = interpretInto(v, type, out))
    return Failure{Error::Conv, std::string(why) + " for " + std::string(typeName(type))};
  return out;
}

WireValue toWire(std::int32_t inst, const Value& v) {
  WireValue w;
  w.inst = inst;
  if (const auto* i = std::get_if<std::int32_t>(&v)) {
    w.word = static_cast<std::uint32_t>(*i);
    return w;
  }
  if (const auto* u = std::get_if<std::uint32_t>(&v)) {
    w.word = *u;
    return w;
  }
  w.inSitu = false;
  w.blockType = static_cast<std::uint8_t>(valueTypeOf(v));
  auto put = [&](std::uint64_t x, int bytes) {
    for (int k = bytes - 1; k >= 0; --k) w.payload.push_back(static_cast<std::uint8_t>(x >> (8 * k)));
  };
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>) {
          w.payload.assign(x.begin(), x.end());
          w.payload.push_back(0);
        } else if constexpr (std::is_same_v<T, float>) {
          put(std::bit_cast<std::uint32_t>(x), 4);
        } else if constexpr (std::is_same_v<T, double>) {
          put(std::bit_cast<std::uint64_t>(x), 8);
        } else {
          put(static_cast<std::uint64_t>(x), static_cast<int>(sizeof(T)));
        }
      },
      v);
  return w;
}

}  // namespace sextant::pdu
