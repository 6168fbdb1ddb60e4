#pragma once
// The bytes inside an archive's BLOB and JSON columns (docs/archive-format.md, "Blobs"):
// varints, the layout a sample row follows, the sample rows, and label sets. Pure
// functions over bytes. Every decode is checked: a damaged blob is Error::LogRecord
// with a one-line reason, never a read outside the blob.
#include <cstddef>
#include <bit>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/Descriptor.h"
#include "core/Expected.h"
#include "core/Ids.h"
#include "core/Labels.h"
#include "core/Value.h"

namespace sextant::archive::codec {

// LEB128 as protobuf writes it: 7 bits a byte, least significant first, high bit set on
// every byte but the last. At most 10 bytes for 64 bits.
void putVarint(std::string& out, std::uint64_t v);
// The same into a buffer with room for 10 bytes; returns the end of what was written.
inline char* putVarint(char* at, std::uint64_t v) {
  while (v >= 0x80) {
    *at++ = static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  *at++ = static_cast<char>(v);
  return at;
}

// Signed to unsigned so that small magnitudes of either sign stay short (protobuf's sint64).
constexpr std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ (v < 0 ? ~std::uint64_t{0} : std::uint64_t{0});
}
constexpr std::int64_t unzigzag(std::uint64_t u) {
  return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

// A cursor over a blob; every read fails instead of passing the end.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}
  bool varint(std::uint64_t& v);
  bool take(std::size_t n, std::string_view& out);
  std::size_t remaining() const { return bytes_.size() - pos_; }
  bool atEnd() const { return pos_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

// One metric's part of a sample row: either an error status and no values, or one value
// slot per instance, in this order.
struct LayoutEntry {
  Pmid pmid;
  ValueType type = ValueType::NoSupport;
  int status = 0;
  std::vector<std::int32_t> instances;
  bool operator==(const LayoutEntry&) const = default;
};

struct Layout {
  std::vector<LayoutEntry> entries;
  std::size_t slotCount() const;
  bool operator==(const Layout&) const = default;
};

// Replaces `out` with the layout's bytes.
void encodeLayout(const Layout& layout, std::string& out);
Expected<Layout> decodeLayout(std::string_view blob);

// The values of one sample row, one slot per (entry, instance) of its layout in order.
// A number is kept as its 64-bit pattern (valueBits); a string in `text`.
struct Row {
  std::vector<std::uint64_t> bits;
  std::vector<std::string> text;
  void resize(std::size_t n) {
    bits.resize(n);
    text.resize(n);
  }
};

// The slot pattern of a number of type `t` (the Value must hold that type): integers
// sign- or zero-extended to 64 bits, float and double their IEEE bits.
inline std::uint64_t valueBits(const Value& v) {
  switch (v.index()) {
    case 0: return static_cast<std::uint64_t>(static_cast<std::int64_t>(*std::get_if<std::int32_t>(&v)));
    case 1: return *std::get_if<std::uint32_t>(&v);
    case 2: return static_cast<std::uint64_t>(*std::get_if<std::int64_t>(&v));
    case 3: return *std::get_if<std::uint64_t>(&v);
    case 4: return std::bit_cast<std::uint32_t>(*std::get_if<float>(&v));
    case 5: return std::bit_cast<std::uint64_t>(*std::get_if<double>(&v));
    default: return 0;
  }
}
// The Value of a numeric slot; strings are in Row::text.
Value valueOf(std::uint64_t bits, ValueType t);

// Replaces `out` with `cur` encoded against `prev` (nullptr: a keyframe, absolute values).
// `prev` must follow the same layout.
void encodeRow(const Layout& layout, const Row& cur, const Row* prev, std::string& out);
// Decodes `blob` into `out` (resized to the layout), against `prev` for a delta row or
// nullptr for a keyframe. `out` must not be `prev`. On failure `out` is unspecified.
Expected<bool> decodeRow(const Layout& layout, std::string_view blob, const Row* prev, Row& out);

// Label sets as stored: LabelSet::toJson() text, read back by this parser of flat JSON
// objects (values kept as their JSON text, as LabelSet holds them).
Expected<LabelSet> decodeLabels(std::string_view json);

}  // namespace sextant::archive::codec
