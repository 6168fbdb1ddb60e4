#pragma once
// Bounds-checked big-endian reader over one PDU. A read past the end never touches
// memory: it returns zero and marks the reader failed, and the failure is sticky, so a
// decoder can read a group of fields and check ok() once. Private to the codec.
#include <cstdint>
#include <string>

#include "core/pdu/ByteWriter.h"
#include "core/pdu/Pdu.h"

namespace sextant::pdu {

class ByteReader {
 public:
  explicit ByteReader(ByteView bytes, std::size_t pos = 0) : bytes_(bytes), pos_(pos) {
    if (pos_ > bytes_.size()) fail();
  }

  bool ok() const { return ok_; }
  std::size_t pos() const { return pos_; }
  std::size_t size() const { return bytes_.size(); }
  std::size_t remaining() const { return ok_ ? bytes_.size() - pos_ : 0; }
  bool atEnd() const { return ok_ && pos_ == bytes_.size(); }

  std::uint8_t u8() {
    const std::uint8_t* p = take(1);
    return p ? p[0] : 0;
  }
  std::uint16_t u16() {
    const std::uint8_t* p = take(2);
    return p ? static_cast<std::uint16_t>(p[0] << 8 | p[1]) : 0;
  }
  std::uint32_t u32() {
    const std::uint8_t* p = take(4);
    return p ? load32(p) : 0;
  }
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  std::uint64_t u64() {
    std::uint64_t hi = u32();
    return hi << 32 | u32();
  }
  std::int64_t i64() { return static_cast<std::int64_t>(u64()); }
  void skip(std::size_t n) { (void)take(n); }

  // n raw bytes (an empty view, and failed, if they are not all there).
  ByteView bytes(std::size_t n) {
    const std::uint8_t* p = take(n);
    return p ? ByteView(p, n) : ByteView();
  }
  // A padded string: i32 length, bytes, padding to 4. A negative length or one that
  // runs past the end fails.
  std::string str() {
    std::int32_t len = i32();
    if (!ok_ || len < 0 || pad4(static_cast<std::size_t>(len)) > remaining()) {
      fail();
      return {};
    }
    ByteView b = bytes(static_cast<std::size_t>(len));
    skip(pad4(b.size()) - b.size());
    return std::string(b.begin(), b.end());
  }

  static std::uint32_t load32(const std::uint8_t* p) {
    return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
  }

 private:
  const std::uint8_t* take(std::size_t n) {
    if (!ok_ || n > bytes_.size() - pos_) {
      fail();
      return nullptr;
    }
    const std::uint8_t* p = bytes_.data() + pos_;
    pos_ += n;
    return p;
  }
  void fail() {
    ok_ = false;
    pos_ = bytes_.size();
  }

  ByteView bytes_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

// The detail every malformed-PDU failure carries: "FETCH: numpmid 9 exceeds the PDU".
inline Failure malformed(Type type, const std::string& what) {
  return Failure{Error::Ipc, std::string(typeName(type)) + ": " + what};
}
inline Failure malformed(std::int32_t type, const std::string& what) { return malformed(static_cast<Type>(type), what); }

// Checks the header of a whole PDU (length field = bytes given, type one of `a`/`b`)
// and returns a reader positioned after it.
inline Expected<ByteReader> openPdu(ByteView pdu, Type a, Type b) {
  auto h = decodeHeader(pdu);
  if (!h) return h.failure();
  if (h->type != static_cast<std::int32_t>(a) && h->type != static_cast<std::int32_t>(b))
    return malformed(a, "wrong PDU type " + std::string(typeName(static_cast<Type>(h->type))));
  if (static_cast<std::size_t>(h->length) != pdu.size())
    return malformed(h->type, "header length " + std::to_string(h->length) + " but " + std::to_string(pdu.size()) + " bytes");
  return ByteReader(pdu, kHeaderSize);
}
inline Expected<ByteReader> openPdu(ByteView pdu, Type t) { return openPdu(pdu, t, t); }


}  // namespace sextant::pdu
