#include "tools/archive/ArchiveCodec.h"

#include <bit>
#include <limits>

namespace sextant::archive::codec {

namespace {

Failure damaged(std::string what) { return Failure{Error::LogRecord, std::move(what)}; }

// Float and double slots store the XOR with the previous bits, byte-reversed before the
// varint: a value that changes only in its high mantissa bits (any whole number held in a
// double) then has its set bits in the low bytes and encodes in 2-3 bytes, not 7-8.
std::uint64_t swap64(std::uint64_t v) {
  v = ((v & 0x00FF00FF00FF00FFull) << 8) | ((v >> 8) & 0x00FF00FF00FF00FFull);
  v = ((v & 0x0000FFFF0000FFFFull) << 16) | ((v >> 16) & 0x0000FFFF0000FFFFull);
  return (v << 32) | (v >> 32);
}
std::uint64_t swap32(std::uint64_t v) { return swap64(v) >> 32; }  // v < 2^32

bool isInteger(ValueType t) { return t == ValueType::I32 || t == ValueType::U32 || t == ValueType::I64 || t == ValueType::U64; }

}  // namespace

void putVarint(std::string& out, std::uint64_t v) {
  char bytes[10];
  out.append(bytes, putVarint(bytes, v));
}

bool ByteReader::varint(std::uint64_t& v) {
  v = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (pos_ == bytes_.size()) return false;
    const auto byte = static_cast<std::uint8_t>(bytes_[pos_++]);
    // The tenth byte holds bit 63 only.
    if (shift == 63 && byte > 1) return false;
    v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

bool ByteReader::take(std::size_t n, std::string_view& out) {
  if (n > remaining()) return false;
  out = bytes_.substr(pos_, n);
  pos_ += n;
  return true;
}

std::size_t Layout::slotCount() const {
  std::size_t n = 0;
  for (const LayoutEntry& e : entries) n += e.instances.size();
  return n;
}

void encodeLayout(const Layout& layout, std::string& out) {
  out.clear();
  putVarint(out, layout.entries.size());
  for (const LayoutEntry& e : layout.entries) {
    putVarint(out, e.pmid.raw());
    putVarint(out, static_cast<std::uint64_t>(e.type));
    putVarint(out, zigzag(e.status));
    if (e.status < 0) continue;
    putVarint(out, e.instances.size());
    std::int64_t previous = kNullInstance;
    for (std::int32_t inst : e.instances) {
      putVarint(out, zigzag(std::int64_t{inst} - previous));
      previous = inst;
    }
  }
}

Expected<Layout> decodeLayout(std::string_view blob) {
  ByteReader in(blob);
  std::uint64_t count = 0;
  if (!in.varint(count)) return damaged("layout: no entry count");
  // Each entry takes at least 3 bytes: a bad count cannot make us reserve much.
  if (count > in.remaining() / 3) return damaged("layout: " + std::to_string(count) + " entries do not fit");
  Layout layout;
  layout.entries.resize(static_cast<std::size_t>(count));
  for (std::size_t i = 0; i < layout.entries.size(); ++i) {
    LayoutEntry& e = layout.entries[i];
    const std::string where = "layout entry " + std::to_string(i);
    std::uint64_t pmid = 0, type = 0, status = 0;
    if (!in.varint(pmid) || !in.varint(type) || !in.varint(status)) return damaged(where + " is cut short");
    if (pmid > kNullId) return damaged(where + ": PMID out of range");
    if (type > static_cast<std::uint64_t>(ValueType::String)) return damaged(where + ": unknown type " + std::to_string(type));
    const std::int64_t st = unzigzag(status);
    if (st > 0 || st < std::numeric_limits<std::int32_t>::min()) return damaged(where + ": bad status");
    e.pmid = Pmid(static_cast<std::uint32_t>(pmid));
    e.type = static_cast<ValueType>(type);
    e.status = static_cast<int>(st);
    if (e.status < 0) continue;
    std::uint64_t n = 0;
    if (!in.varint(n)) return damaged(where + " has no instance count");
    if (n > in.remaining()) return damaged(where + ": " + std::to_string(n) + " instances do not fit");
    e.instances.resize(static_cast<std::size_t>(n));
    std::int64_t previous = kNullInstance;
    for (std::int32_t& inst : e.instances) {
      std::uint64_t delta = 0;
      if (!in.varint(delta)) return damaged(where + ": instance list is cut short");
      // A step between two 32-bit ids fits in 33 bits; checked first, the sum cannot overflow.
      const std::int64_t step = unzigzag(delta);
      constexpr std::int64_t kMaxStep = std::int64_t{1} << 33;
      const std::int64_t id = step < -kMaxStep || step > kMaxStep ? kMaxStep : previous + step;
      if (id < std::numeric_limits<std::int32_t>::min() || id > std::numeric_limits<std::int32_t>::max())
        return damaged(where + ": instance out of range");
      inst = static_cast<std::int32_t>(id);
      previous = id;
    }
  }
  if (!in.atEnd()) return damaged("layout: " + std::to_string(in.remaining()) + " bytes after the last entry");
  return layout;
}

Value valueOf(std::uint64_t bits, ValueType t) {
  switch (t) {
    case ValueType::I32: return static_cast<std::int32_t>(static_cast<std::int64_t>(bits));
    case ValueType::U32: return static_cast<std::uint32_t>(bits);
    case ValueType::I64: return static_cast<std::int64_t>(bits);
    case ValueType::U64: return bits;
    case ValueType::Float: return std::bit_cast<float>(static_cast<std::uint32_t>(bits));
    case ValueType::Double: return std::bit_cast<double>(bits);
    default: return std::string();
  }
}

void encodeRow(const Layout& layout, const Row& cur, const Row* prev, std::string& out) {
  // Written through a pointer into room for the longest row (10 bytes a varint, and each
  // string's text), then cut to what was used: no growth check per byte.
  std::size_t room = 0, slot = 0;
  for (const LayoutEntry& e : layout.entries) {
    room += e.instances.size() * 10;
    if (e.type == ValueType::String)  // only string slots: the others' text is never read
      for (std::size_t k = 0; k < e.instances.size(); ++k) room += cur.text[slot + k].size();
    slot += e.instances.size();
  }
  out.resize(room);
  char* at = out.data();
  slot = 0;
  for (const LayoutEntry& e : layout.entries) {
    for (std::size_t k = 0; k < e.instances.size(); ++k, ++slot) {
      const std::uint64_t base = prev ? prev->bits[slot] : 0;
      switch (e.type) {
        case ValueType::Float: at = putVarint(at, swap32(cur.bits[slot] ^ base)); break;
        case ValueType::Double: at = putVarint(at, swap64(cur.bits[slot] ^ base)); break;
        case ValueType::String: {
          // 0: the same text as the previous row (every keyframe string is written out).
          const std::string& text = cur.text[slot];
          if (prev && text == prev->text[slot]) {
            at = putVarint(at, 0);
          } else {
            at = putVarint(at, text.size() + 1);
            at = std::copy(text.begin(), text.end(), at);
          }
          break;
        }
        default:  // integers: the difference, modulo 2^64, as a signed number
          at = putVarint(at, zigzag(static_cast<std::int64_t>(cur.bits[slot] - base)));
          break;
      }
    }
  }
  out.resize(static_cast<std::size_t>(at - out.data()));
}

Expected<bool> decodeRow(const Layout& layout, std::string_view blob, const Row* prev, Row& out) {
  ByteReader in(blob);
  const std::size_t slots = layout.slotCount();
  if (prev && prev->bits.size() != slots) return damaged("sample row: previous row has another layout");
  out.resize(slots);
  std::size_t slot = 0;
  for (const LayoutEntry& e : layout.entries) {
    for (std::size_t k = 0; k < e.instances.size(); ++k, ++slot) {
      std::uint64_t v = 0;
      if (!in.varint(v)) return damaged("sample row is cut short at value " + std::to_string(slot));
      const std::uint64_t base = prev ? prev->bits[slot] : 0;
      if (isInteger(e.type)) {
        const std::uint64_t x = base + static_cast<std::uint64_t>(unzigzag(v));
        const auto sx = static_cast<std::int64_t>(x);
        if ((e.type == ValueType::I32 && (sx < std::numeric_limits<std::int32_t>::min() ||
                                          sx > std::numeric_limits<std::int32_t>::max())) ||
            (e.type == ValueType::U32 && x > std::numeric_limits<std::uint32_t>::max()))
          return damaged("sample row: value " + std::to_string(slot) + " overflows its 32-bit type");
        out.bits[slot] = x;
      } else if (e.type == ValueType::Float) {
        if (v > std::numeric_limits<std::uint32_t>::max()) return damaged("sample row: float " + std::to_string(slot) + " too wide");
        out.bits[slot] = swap32(v) ^ base;
      } else if (e.type == ValueType::Double) {
        out.bits[slot] = swap64(v) ^ base;
      } else {
        out.bits[slot] = 0;
        if (v == 0) {
          if (prev) {
            out.text[slot] = prev->text[slot];
          } else {
            out.text[slot].clear();
          }
          continue;
        }
        std::string_view text;
        if (v - 1 > in.remaining() || !in.take(static_cast<std::size_t>(v - 1), text))
          return damaged("sample row: string " + std::to_string(slot) + " runs past the end");
        out.text[slot].assign(text);
      }
    }
  }
  if (!in.atEnd()) return damaged("sample row: " + std::to_string(in.remaining()) + " bytes after the last value");
  return true;
}

namespace {

// A JSON reader just wide enough for LabelSet::toJson() text: one object whose values
// are kept as their JSON text (strings, numbers, literals, or nested arrays/objects).
class JsonScanner {
 public:
  explicit JsonScanner(std::string_view s) : s_(s) {}
  void skipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  bool eat(char c) {
    skipSpace();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool atEnd() {
    skipSpace();
    return pos_ == s_.size();
  }
  // A string literal, unescaped into `out` (\uXXXX outside ASCII becomes UTF-8).
  bool string(std::string& out) {
    out.clear();
    if (!eat('"')) return false;
    while (pos_ < s_.size()) {
      const char c = s_[pos_++];
      if (c == '"') return true;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ == s_.size()) return false;
      const char e = s_[pos_++];
      switch (e) {
        case '"': case '\\': case '/': out.push_back(e); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          if (s_.size() - pos_ < 4) return false;
          unsigned cp = 0;
          for (int i = 0; i < 4; ++i) {
            const char h = s_[pos_++];
            cp <<= 4;
            if (h >= '0' && h <= '9') cp |= static_cast<unsigned>(h - '0');
            else if (h >= 'a' && h <= 'f') cp |= static_cast<unsigned>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') cp |= static_cast<unsigned>(h - 'A' + 10);
            else return false;
          }
          if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
          } else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          } else {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          }
          break;
        }
        default: return false;
      }
    }
    return false;
  }
  // The text of one JSON value, whatever its kind.
  bool rawValue(std::string_view& out) {
    skipSpace();
    const std::size_t start = pos_;
    int depth = 0;
    bool inString = false;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (inString) {
        if (c == '\\') ++pos_;
        else if (c == '"') inString = false;
        ++pos_;
        if (!inString && depth == 0) break;
        continue;
      }
      if (depth == 0 && (c == ',' || c == '}' || c == ']')) break;
      if (c == '"') inString = true;
      else if (c == '{' || c == '[') ++depth;
      else if (c == '}' || c == ']') --depth;
      ++pos_;
      if (depth == 0 && (c == '}' || c == ']')) break;
    }
    if (inString || depth != 0 || pos_ > s_.size()) return false;
    std::size_t end = pos_;
    while (end > start && (s_[end - 1] == ' ' || s_[end - 1] == '\n' || s_[end - 1] == '\t' || s_[end - 1] == '\r')) --end;
    if (end == start) return false;
    out = s_.substr(start, end - start);
    return true;
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

Expected<LabelSet> decodeLabels(std::string_view json) {
  JsonScanner in(json);
  LabelSet set;
  if (!in.eat('{')) return damaged("labels: not a JSON object");
  if (in.eat('}')) {
    if (!in.atEnd()) return damaged("labels: text after the object");
    return set;
  }
  std::string name;
  do {
    std::string_view value;
    if (!in.string(name) || !in.eat(':') || !in.rawValue(value)) return damaged("labels: malformed JSON object");
    set.setJson(name, std::string(value));
  } while (in.eat(','));
  if (!in.eat('}') || !in.atEnd()) return damaged("labels: malformed JSON object");
  return set;
}

}  // namespace sextant::archive::codec
