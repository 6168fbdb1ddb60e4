#pragma once
// PCP's PDU protocol, version 2: the messages a client and pmcd (or sextantd)
// exchange over TCP or a Unix socket, and their exact byte encodings
// (PCP wire protocol spec, sections 1-4). Pure functions over bytes: no sockets here,
// so both the daemon and the client use them and the fuzzer can reach every decoder.
//
// Every decoder takes one whole PDU (header included, as PduFramer delivers it),
// checks every length and count against the PDU's size, and returns Error::Ipc with a
// detail naming the problem when the bytes are malformed. Encoders produce the exact
// layouts the spec gives (lengths exact, strings padded to 4 bytes).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/Agent.h"
#include "core/Descriptor.h"
#include "core/Expected.h"
#include "core/Labels.h"
#include "core/Profile.h"
#include "core/Value.h"

namespace sextant::pdu {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

enum class Type : std::int32_t {
  Error = 0x7000,  // also the server's hello ("start")
  Result = 0x7001,
  Profile = 0x7002,
  Fetch = 0x7003,
  DescReq = 0x7004,
  Desc = 0x7005,
  InstanceReq = 0x7006,
  Instance = 0x7007,
  TextReq = 0x7008,
  Text = 0x7009,
  Creds = 0x700c,
  PmnsIds = 0x700d,
  PmnsNames = 0x700e,
  PmnsChild = 0x700f,
  PmnsTraverse = 0x7010,
  Attr = 0x7011,
  LabelReq = 0x7012,
  Label = 0x7013,
  HighresFetch = 0x7014,
  HighresResult = 0x7015,
  DescIds = 0x7016,
  Descs = 0x7017,
};
const char* typeName(Type t);  // "FETCH", "HIGHRES_RESULT", ... or "UNKNOWN"

inline constexpr std::size_t kHeaderSize = 12;
inline constexpr std::size_t kDefaultMaxPdu = 65536;  // pmcd's limit for client PDUs (spec 1.4)

// Hello feature flags (spec 1.5).
inline constexpr std::uint32_t kFeatureLabels = 0x0200;
inline constexpr std::uint32_t kFeatureHighres = 0x0400;
inline constexpr std::uint32_t kFeatureDescs = 0x0800;
// Protocol version 2, "licensed" 1, LABELS|HIGHRES|DESCS.
inline constexpr std::uint32_t kHelloFeatureWord = 0x02010000u | kFeatureLabels | kFeatureHighres | kFeatureDescs;

// TEXT_REQ flags (spec 2.10).
inline constexpr std::int32_t kTextOneLine = 1, kTextHelp = 2, kTextPmid = 4, kTextInDom = 8;
// PMNS_NAMES status values (spec 2.11).
inline constexpr std::int32_t kLeafStatus = 0, kNonLeafStatus = 1;

struct Header {
  std::int32_t length = 0;
  std::int32_t type = 0;  // raw: may be a code this codec does not know
  std::int32_t from = 0;
};

// ---------------------------------------------------------------- framing

// Reassembles PDUs from a byte stream: feed whatever arrived, take whole PDUs out.
// A declared length below 12 or above the limit is a framing error (the connection
// cannot be resynchronised and must be closed).
class Framer {
 public:
  explicit Framer(std::size_t maxPdu = kDefaultMaxPdu) : max_(maxPdu) {}
  void feed(ByteView bytes);
  // Room for up to `n` bytes to be read straight into the buffer, as feed() without
  // the copy; commit(k) then takes the first k of them as fed. Good until the next call
  // of any other member.
  std::span<std::uint8_t> room(std::size_t n);
  void commit(std::size_t k);
  // The next whole PDU, nothing if more bytes are needed, or a Failure (Error::Ipc
  // for a bad length, Error::TooBig for one over the limit).
  Expected<std::optional<Bytes>> next();
  // The same without a copy: a view into the framer's buffer, good until the next call
  // of feed(), room(), next() or nextView().
  Expected<std::optional<ByteView>> nextView();
  std::size_t buffered() const { return end_ - pos_; }

 private:
  void compact();

  std::size_t max_;
  Bytes buf_;             // bytes [pos_, end_) are fed and not yet taken; the rest is room
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  std::size_t room_ = 0;  // what the last room() gave, until commit()
};

Expected<Header> decodeHeader(ByteView pdu);  // needs >= 12 bytes; checks length >= 12

// ---------------------------------------------------------------- messages

// ERROR: a status reply (16 bytes), or the server hello (20 bytes, with features).
struct ErrorPdu {
  std::int32_t code = 0;                // 0 ok, < 0 PM_ERR_* (V2 numbering), > 0 state-change flags
  std::optional<std::uint32_t> features;  // set only in the hello
};
// The hello carries a refusal in PCP's old V1 numbering (spec 3.11): helpers.
std::int32_t toV1(std::int32_t code);
std::int32_t fromV1(std::int32_t code);

struct CredsPdu {
  std::vector<std::uint32_t> creds;  // version credential: 1 << 24 | 2 << 16 | flags
};

struct ProfilePdu {
  std::int32_t ctxid = 0;
  Profile profile;
};

struct FetchPdu {
  std::int32_t ctxid = 0;
  std::vector<Pmid> pmids;
  bool highres = false;  // HIGHRES_FETCH rather than FETCH
};

// A value as it travels: 32-bit integers in situ, everything else in a block whose
// type byte may be 0 ("don't care"). interpret() turns it into a Value once the
// descriptor's type is known.
struct WireValue {
  std::int32_t inst = kNullInstance;
  bool inSitu = true;
  std::uint32_t word = 0;       // the in-situ value
  std::uint8_t blockType = 0;   // the block's vtype
  Bytes payload;                // the block's payload (vlen - 4 bytes)
};
Expected<Value> interpret(const WireValue& v, ValueType type);
// The same into `out` (a string's storage is reused): nullptr, or why the bytes are not
// a value of `type` (an Error::Conv).
const char* interpretInto(const WireValue& v, ValueType type, Value& out);
// The wire form of a value to store: 32-bit integers in situ, the rest in a block of
// their type (big-endian; strings with their NUL), as pmStore sends them.
WireValue toWire(std::int32_t inst, const Value& v);

struct WireValueSet {
  Pmid pmid;
  std::int32_t numval = 0;  // < 0: an error code for this metric
  std::int32_t valfmt = 0;
  std::vector<WireValue> values;
};

// RESULT or HIGHRES_RESULT, as decoded (the client side, and a store request on the
// server side).
struct WireResult {
  bool highres = false;
  std::int64_t seconds = 0;
  std::int64_t nanoseconds = 0;
  std::vector<WireValueSet> sets;
};

struct DescReqPdu {
  Pmid pmid;
};
struct DescPdu {
  Descriptor desc;
};
struct DescIdsPdu {
  std::vector<Pmid> pmids;
};
struct DescsPdu {
  std::vector<Descriptor> descs;  // a failed entry has a null pmid and zero fields
};

struct InstanceReqPdu {
  InDom indom;
  std::int32_t inst = kNullInstance;  // an id to name, or kNullInstance
  std::string name;                   // a name to look up, or empty
};
struct InstancePdu {
  InDom indom;
  std::vector<Instance> instances;  // an entry's name may be empty (id answers)
};

struct TextReqPdu {
  std::uint32_t ident = 0;  // a Pmid or an InDom, per the flags
  std::int32_t flags = 0;
};
struct TextPdu {
  std::uint32_t ident = 0;
  std::string text;
};

// PMNS_NAMES: a lookup request (names only), or a reply (to TRAVERSE, CHILD, IDS).
struct NamesPdu {
  std::vector<std::string> names;
  std::vector<std::int32_t> status;  // empty, or one per name (CHILD subtype 1)
};
// PMNS_IDS: a lookup reply (status = number resolved), or a reverse-lookup request.
struct IdsPdu {
  std::int32_t status = 0;
  std::vector<Pmid> pmids;
};
// PMNS_CHILD or PMNS_TRAVERSE request.
struct NameReqPdu {
  bool traverse = false;
  std::int32_t subtype = 0;  // CHILD: 1 asks for leaf/non-leaf status
  std::string name;
};

struct LabelReqPdu {
  std::uint32_t ident = 0;
  std::int32_t type = 0;  // a LabelLevel bit
};
struct LabelPdu {
  std::uint32_t ident = 0;
  std::int32_t type = 0;
  // One set per instance for INSTANCES (inst = instance id), else at most one set
  // with inst = kNullInstance.
  std::vector<std::pair<std::int32_t, LabelSet>> sets;
};

struct AttrPdu {
  std::int32_t attr = 0;
  std::string value;
};

// ---------------------------------------------------------------- encoders
// `from` goes in the header: 0 from a server; a client's context number (or its PID
// in CREDS).

Bytes encode(const ErrorPdu& m, std::int32_t from = 0);
Bytes encode(const CredsPdu& m, std::int32_t from = 0);
Bytes encode(const ProfilePdu& m, std::int32_t from = 0);
Bytes encode(const FetchPdu& m, std::int32_t from = 0);
// A RESULT (highres false) or HIGHRES_RESULT from a fetch. 32-bit integers go in
// situ, every other value in a block typed by its Value alternative (the collector
// guarantees it matches the descriptor); a set with status < 0 carries that error.
Bytes encodeResult(const FetchResult& r, bool highres, std::int32_t from = 0);
// A store request (RESULT from the client, spec 2.17).
Bytes encodeStore(const std::vector<WireValueSet>& sets, std::int32_t from = 0);
Bytes encode(const DescReqPdu& m, std::int32_t from = 0);
Bytes encode(const DescPdu& m, std::int32_t from = 0);
Bytes encode(const DescIdsPdu& m, std::int32_t from = 0);
Bytes encode(const DescsPdu& m, std::int32_t from = 0);
Bytes encode(const InstanceReqPdu& m, std::int32_t from = 0);
Bytes encode(const InstancePdu& m, std::int32_t from = 0);
Bytes encode(const TextReqPdu& m, std::int32_t from = 0);
Bytes encode(const TextPdu& m, std::int32_t from = 0);
Bytes encode(const NamesPdu& m, std::int32_t from = 0);
Bytes encode(const IdsPdu& m, std::int32_t from = 0);
Bytes encode(const NameReqPdu& m, std::int32_t from = 0);
Bytes encode(const LabelReqPdu& m, std::int32_t from = 0);
Bytes encode(const LabelPdu& m, std::int32_t from = 0);
Bytes encode(const AttrPdu& m, std::int32_t from = 0);

// ---------------------------------------------------------------- decoders
// Each checks the header's type and exact length rules, then every field.

Expected<ErrorPdu> decodeError(ByteView pdu);
Expected<CredsPdu> decodeCreds(ByteView pdu);
Expected<ProfilePdu> decodeProfile(ByteView pdu);
Expected<FetchPdu> decodeFetch(ByteView pdu);  // FETCH or HIGHRES_FETCH
Expected<WireResult> decodeResult(ByteView pdu);  // RESULT or HIGHRES_RESULT
// The same into `out`, whose sets, values and payloads keep their storage from one
// decode to the next (a client fetching the same metrics allocates nothing). After a
// failure `out` holds no meaningful result.
Expected<bool> decodeResultInto(ByteView pdu, WireResult& out);
// The same checks, but each value read straight from `pdu` as its set's type (set i as
// types[i]), for a client that knows its metrics: no payload is copied. A set whose
// values are not of its type, or that has none in `types`, gets status Error::Conv and
// no values; each set's pmid is the PDU's. Sets and values keep their storage from one
// decode to the next. After a failure `out` holds no meaningful result.
Expected<bool> decodeResultValues(ByteView pdu, std::span<const ValueType> types, FetchResult& out);
Expected<DescReqPdu> decodeDescReq(ByteView pdu);
Expected<DescPdu> decodeDesc(ByteView pdu);
Expected<DescIdsPdu> decodeDescIds(ByteView pdu);
Expected<DescsPdu> decodeDescs(ByteView pdu);
Expected<InstanceReqPdu> decodeInstanceReq(ByteView pdu);
Expected<InstancePdu> decodeInstance(ByteView pdu);
Expected<TextReqPdu> decodeTextReq(ByteView pdu);
Expected<TextPdu> decodeText(ByteView pdu);
Expected<NamesPdu> decodeNames(ByteView pdu);
Expected<IdsPdu> decodeIds(ByteView pdu);
Expected<NameReqPdu> decodeNameReq(ByteView pdu);  // PMNS_CHILD or PMNS_TRAVERSE
Expected<LabelReqPdu> decodeLabelReq(ByteView pdu);
Expected<LabelPdu> decodeLabel(ByteView pdu);
Expected<AttrPdu> decodeAttr(ByteView pdu);

}  // namespace sextant::pdu
