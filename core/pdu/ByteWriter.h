#pragma once
// Big-endian PDU builder (PCP wire protocol spec, section 1.2): every integer in
// network order, strings as length + bytes + padding to a 4-byte boundary. Private to
// the codec.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "core/pdu/Pdu.h"

namespace sextant::pdu {

inline constexpr std::size_t pad4(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

// pmcd and libpcp fill string padding with '~' (spec 1.2); copying that makes our
// bytes identical to pmcd's captures. Readers never look at it.
inline constexpr std::uint8_t kPadByte = 0x7e;

class ByteWriter {
 public:
  // Starts a PDU: the header, with its length filled in by finish().
  ByteWriter(Type type, std::int32_t from, std::size_t expectedSize = 64) {
    buf_.resize(std::max<std::size_t>(expectedSize, 12));
    i32(0);
    i32(static_cast<std::int32_t>(type));
    i32(from);
  }

  void u8(std::uint8_t v) { *grow(1) = v; }
  void u16(std::uint16_t v) {
    std::uint8_t* p = grow(2);
    p[0] = static_cast<std::uint8_t>(v >> 8);
    p[1] = static_cast<std::uint8_t>(v);
  }
  void u32(std::uint32_t v) { store32(grow(4), v); }
  void i32(std::int32_t v) { u32(static_cast<std::uint32_t>(v)); }
  void u64(std::uint64_t v) {
    u32(static_cast<std::uint32_t>(v >> 32));
    u32(static_cast<std::uint32_t>(v));
  }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void raw(const void* data, std::size_t n) {
    if (n == 0) return;
    std::memcpy(grow(n), data, n);
  }
  void zeros(std::size_t n) { std::memset(grow(n), 0, n); }
  void padTo4(std::uint8_t fill = kPadByte) {
    if (const std::size_t n = pad4(used_) - used_; n != 0) std::memset(grow(n), fill, n);
  }
  // i32 length, the bytes, padding.
  void str(std::string_view s) {
    i32(static_cast<std::int32_t>(s.size()));
    raw(s.data(), s.size());
    padTo4();
  }

  std::size_t size() const { return used_; }
  Bytes finish() {
    buf_.resize(used_);
    store32(buf_.data(), static_cast<std::uint32_t>(used_));
    return std::move(buf_);
  }

 private:
  // The buffer is sized ahead (the expected size, then doubling) and written through a
  // cursor: a field costs a compare and a store, not a vector resize.
  std::uint8_t* grow(std::size_t n) {
    if (used_ + n > buf_.size()) buf_.resize(std::max(buf_.size() * 2, used_ + n));
    std::uint8_t* at = buf_.data() + used_;
    used_ += n;
    return at;
  }
  static void store32(std::uint8_t* p, std::uint32_t v) {
    p[0] = static_cast<std::uint8_t>(v >> 24);
    p[1] = static_cast<std::uint8_t>(v >> 16);
    p[2] = static_cast<std::uint8_t>(v >> 8);
    p[3] = static_cast<std::uint8_t>(v);
  }

  Bytes buf_;
  std::size_t used_ = 0;
};

}  // namespace sextant::pdu
