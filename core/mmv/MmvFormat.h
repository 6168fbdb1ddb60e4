#pragma once
// The on-disk layout of PCP's MMV ("memory mapped values") files, versions 1, 2 and 3
// (MMV format spec, sections 4-11; PCP's mmv_dev.h describes the same bytes).
//
// Every field is in the writer's native byte order (spec section 2). The structs below
// have no padding and match the file byte for byte (checked by the static_asserts), so a
// writer may fill them and memcpy them into the mapping; a reader of untrusted bytes
// memcpys a record out after checking that it lies inside the file.
#include <cstddef>
#include <cstdint>

namespace sextant::mmv {

// "MMV" followed by a NUL; all four bytes are compared (spec section 5).
inline constexpr char kMagic[4] = {'M', 'M', 'V', '\0'};

inline constexpr std::int32_t kVersion1 = 1;  // names inline in metric and instance records
inline constexpr std::int32_t kVersion2 = 2;  // names in string slots (since PCP 3.11.4)
inline constexpr std::int32_t kVersion3 = 3;  // version 2 plus a labels section

// Header flags (spec section 11).
inline constexpr std::uint32_t kFlagNoPrefix = 0x1;  // names are mmv.<metric>, not mmv.<file>.<metric>
inline constexpr std::uint32_t kFlagProcess = 0x2;   // ignore the file unless PID `process` exists
inline constexpr std::uint32_t kFlagSentinel = 0x4;  // some value patterns mean "no value"

// Section types in the table of contents (spec section 6).
enum class Section : std::int32_t {
  Indoms = 1,
  Instances = 2,
  Metrics = 3,
  Values = 4,
  Strings = 5,
  Labels = 6,
};

// Metric type codes: PCP's PM_TYPE_* numbers plus ELAPSED (spec section 9).
// 7 and 8 (aggregates) are not valid in MMV files.
enum class MmvType : std::int32_t {
  NoSupport = -1,
  I32 = 0,
  U32 = 1,
  I64 = 2,
  U64 = 3,
  Float = 4,
  Double = 5,
  String = 6,
  Elapsed = 9,  // interval timer in microseconds, exported as a 64-bit counter
};

// Semantics codes (spec section 10). 0 is accepted and exported as counter, as pmdammv does.
inline constexpr std::int32_t kSemNone = 0;
inline constexpr std::int32_t kSemCounter = 1;
inline constexpr std::int32_t kSemInstant = 3;
inline constexpr std::int32_t kSemDiscrete = 4;

// Label flags (spec section 7.8): PCP's PM_LABEL_* values.
inline constexpr std::uint32_t kLabelIndom = 0x04;
inline constexpr std::uint32_t kLabelCluster = 0x08;
inline constexpr std::uint32_t kLabelItem = 0x10;
inline constexpr std::uint32_t kLabelInstances = 0x20;
inline constexpr std::uint32_t kLabelOptional = 0x80;

// Record sizes (spec section 1).
inline constexpr std::size_t kHeaderSize = 40;
inline constexpr std::size_t kTocSize = 16;
inline constexpr std::size_t kIndomSize = 32;
inline constexpr std::size_t kInstance1Size = 80;
inline constexpr std::size_t kInstance2Size = 24;
inline constexpr std::size_t kMetric1Size = 104;
inline constexpr std::size_t kMetric2Size = 48;
inline constexpr std::size_t kValueSize = 32;
inline constexpr std::size_t kStringSize = 256;
inline constexpr std::size_t kLabelSize = 256;

// Field sizes and limits (spec section 15).
inline constexpr std::size_t kNameSize1 = 64;     // v1 inline names: at most 63 bytes + NUL
inline constexpr std::size_t kLabelPayloadSize = 244;
inline constexpr std::size_t kMaxMetrics = 1023;  // pmdammv ignores a larger metrics section
inline constexpr std::size_t kMaxIndoms = 4194303;
inline constexpr std::size_t kMaxLabels = 255;
inline constexpr std::uint32_t kMaxItem = 1023;     // 10-bit PMID item
inline constexpr std::int32_t kMaxCluster = 4095;   // 12-bit PMID cluster; 0 = "choose for me"
inline constexpr std::int32_t kMinTocs = 2;         // metrics and values at least
inline constexpr std::int32_t kMaxTocs = 6;         // one per section type

// The "no indom" markers of a metric record's indom field (spec section 7.4).
inline constexpr std::uint32_t kNoIndom = 0;
inline constexpr std::uint32_t kNoIndomAlt = 0xFFFFFFFFu;

// With kFlagSentinel, an integer or ELAPSED value field whose 8 bytes are all 0xFF means
// "no value" (spec section 11; a 32-bit sentinel needs all 8 bytes too).
inline constexpr std::uint64_t kSentinelBits = 0xFFFFFFFFFFFFFFFFull;

// Offsets of fields a reader or writer touches individually.
inline constexpr std::size_t kHeaderGen1Offset = 8;
inline constexpr std::size_t kHeaderGen2Offset = 16;
inline constexpr std::size_t kValueExtraOffset = 8;  // within a value record

struct Header {
  char magic[4];
  std::int32_t version;
  std::uint64_t gen1;  // non-zero, written first
  std::uint64_t gen2;  // 0 while the file is built; set to gen1 last (release store)
  std::int32_t tocs;
  std::uint32_t flags;
  std::int32_t process;
  std::int32_t cluster;
};

struct Toc {
  std::int32_t type;  // a Section
  std::int32_t count;
  std::uint64_t offset;
};

struct Indom {
  std::uint32_t serial;  // never 0 or 0xFFFFFFFF
  std::uint32_t count;   // instances, contiguous from `offset`
  std::uint64_t offset;
  std::uint64_t shortHelp;  // string slot offset or 0
  std::uint64_t longHelp;
};

struct Instance1 {
  std::uint64_t indom;  // offset of the owning indom record
  std::uint32_t padding;
  std::int32_t internal;
  char external[kNameSize1];
};

struct Instance2 {
  std::uint64_t indom;
  std::uint32_t padding;
  std::int32_t internal;
  std::uint64_t external;  // string slot offset, non-zero
};

struct Metric1 {
  char name[kNameSize1];
  std::uint32_t item;
  std::int32_t type;       // an MmvType
  std::int32_t semantics;  // kSem*
  std::uint32_t units;     // pmUnits as a 32-bit number (spec section 10)
  std::int32_t indom;      // indom serial, or 0 / -1 for a singular metric
  std::uint32_t padding;
  std::uint64_t shortHelp;
  std::uint64_t longHelp;
};

struct Metric2 {
  std::uint64_t name;  // string slot offset, non-zero
  std::uint32_t item;
  std::int32_t type;
  std::int32_t semantics;
  std::uint32_t units;
  std::int32_t indom;
  std::uint32_t padding;
  std::uint64_t shortHelp;
  std::uint64_t longHelp;
};

struct ValueRecord {
  std::uint64_t value;   // pmAtomValue bits: 32-bit types in the first 4 bytes
  std::int64_t extra;    // STRING: string slot offset; ELAPSED: 0 or -(interval start µs)
  std::uint64_t metric;  // offset of the metric record
  std::uint64_t instance;  // offset of the instance record, 0 for a singular metric
};

struct StringSlot {
  char payload[kStringSize];  // NUL-terminated, at most 255 bytes
};

struct Label {
  std::uint32_t flags;     // kLabel*
  std::uint32_t identity;  // cluster, item or indom serial
  std::int32_t internal;   // instance id for kLabelInstances, else -1
  char payload[kLabelPayloadSize];  // compact JSON {"name":value}, NUL-terminated
};

static_assert(sizeof(Header) == kHeaderSize);
static_assert(offsetof(Header, gen1) == kHeaderGen1Offset && offsetof(Header, gen2) == kHeaderGen2Offset);
static_assert(sizeof(Toc) == kTocSize);
static_assert(sizeof(Indom) == kIndomSize);
static_assert(sizeof(Instance1) == kInstance1Size);
static_assert(sizeof(Instance2) == kInstance2Size);
static_assert(sizeof(Metric1) == kMetric1Size);
static_assert(sizeof(Metric2) == kMetric2Size);
static_assert(sizeof(ValueRecord) == kValueSize && offsetof(ValueRecord, extra) == kValueExtraOffset);
static_assert(sizeof(StringSlot) == kStringSize);
static_assert(sizeof(Label) == kLabelSize);

// Record sizes that depend on the version.
constexpr std::size_t instanceSize(std::int32_t version) { return version == kVersion1 ? kInstance1Size : kInstance2Size; }
constexpr std::size_t metricSize(std::int32_t version) { return version == kVersion1 ? kMetric1Size : kMetric2Size; }

}  // namespace sextant::mmv
