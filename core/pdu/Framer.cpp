// PDU framing, the header, type names and the hello's V1 error numbering.
#include <algorithm>
#include <cstring>

#include "core/pdu/ByteReader.h"
#include "core/pdu/Pdu.h"

namespace sextant::pdu {

const char* typeName(Type t) {
  switch (t) {
    case Type::Error: return "ERROR";
    case Type::Result: return "RESULT";
    case Type::Profile: return "PROFILE";
    case Type::Fetch: return "FETCH";
    case Type::DescReq: return "DESC_REQ";
    case Type::Desc: return "DESC";
    case Type::InstanceReq: return "INSTANCE_REQ";
    case Type::Instance: return "INSTANCE";
    case Type::TextReq: return "TEXT_REQ";
    case Type::Text: return "TEXT";
    case Type::Creds: return "CREDS";
    case Type::PmnsIds: return "PMNS_IDS";
    case Type::PmnsNames: return "PMNS_NAMES";
    case Type::PmnsChild: return "PMNS_CHILD";
    case Type::PmnsTraverse: return "PMNS_TRAVERSE";
    case Type::Attr: return "ATTR";
    case Type::LabelReq: return "LABEL_REQ";
    case Type::Label: return "LABEL";
    case Type::HighresFetch: return "HIGHRES_FETCH";
    case Type::HighresResult: return "HIGHRES_RESULT";
    case Type::DescIds: return "DESC_IDS";
    case Type::Descs: return "DESCS";
  }
  return "UNKNOWN";
}

// Spec 3.11: V2 codes (<= -12345) travel in the hello shifted by 11345; the client
// adds the offset back to anything <= -1000.
namespace {
constexpr std::int32_t kV1Offset = 11345;
}
std::int32_t toV1(std::int32_t code) { return code <= -12345 ? code + kV1Offset : code; }
std::int32_t fromV1(std::int32_t code) { return code <= -1000 && code > -12345 ? code - kV1Offset : code; }

Expected<Header> decodeHeader(ByteView pdu) {
  if (pdu.size() < kHeaderSize)
    return Failure{Error::Ipc, "PDU of " + std::to_string(pdu.size()) + " bytes is shorter than its header"};
  ByteReader r(pdu);
  Header h;
  h.length = r.i32();
  h.type = r.i32();
  h.from = r.i32();
  if (h.length < static_cast<std::int32_t>(kHeaderSize))
    return Failure{Error::Ipc, "PDU length " + std::to_string(h.length) + " is below the header size"};
  return h;
}

// Drops the bytes already taken only once they are most of what is buffered, so that
// taking n PDUs from one read costs O(total) rather than O(n * total).
void Framer::compact() {
  if (pos_ == 0 || pos_ < end_ / 2) return;
  std::memmove(buf_.data(), buf_.data() + pos_, end_ - pos_);
  end_ -= pos_;
  pos_ = 0;
}

void Framer::feed(ByteView bytes) {
  auto to = room(bytes.size());
  if (!bytes.empty()) std::memcpy(to.data(), bytes.data(), bytes.size());
  commit(bytes.size());
}

std::span<std::uint8_t> Framer::room(std::size_t n) {
  compact();
  if (buf_.size() - end_ < n) buf_.resize(end_ + n);  // grows only: the room is zeroed once
  room_ = n;
  return {buf_.data() + end_, n};
}

void Framer::commit(std::size_t k) {
  end_ += std::min(k, room_);
  room_ = 0;
}

Expected<std::optional<ByteView>> Framer::nextView() {
  if (buffered() < kHeaderSize) return std::optional<ByteView>();
  // The length word is signed on the wire (spec 1.3); a negative one is as bad as 11.
  const auto length = static_cast<std::int32_t>(ByteReader::load32(buf_.data() + pos_));
  if (length < static_cast<std::int32_t>(kHeaderSize))
    return Failure{Error::Ipc, "PDU length " + std::to_string(length) + " is below the 12-byte header"};
  const auto len = static_cast<std::size_t>(length);
  if (len > max_)
    return Failure{Error::TooBig, "PDU length " + std::to_string(len) + " exceeds the limit of " + std::to_string(max_)};
  if (buffered() < len) return std::optional<ByteView>();
  const ByteView pdu(buf_.data() + pos_, len);
  pos_ += len;  // the bytes stay until feed() or room() drops them
  return std::optional<ByteView>(pdu);
}

Expected<std::optional<Bytes>> Framer::next() {
  auto view = nextView();
  if (!view) return view.failure();
  if (!*view) return std::optional<Bytes>();
  return std::optional<Bytes>(Bytes((*view)->begin(), (*view)->end()));
}

}  // namespace sextant::pdu
