#pragma once
// A pure, bounds-checked reader of MMV files (MMV format spec; core/mmv/MmvFormat.h).
//
// parseMmv() checks the whole structure once, when a file is (re)mapped, and describes it;
// readValue() then fetches one current value from the mapping without re-parsing. Neither
// ever reads outside the span it is given, whatever the bytes say: a malformed file gives a
// Failure whose detail is one line naming the problem (the MMV agent logs it verbatim).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/Expected.h"
#include "core/Value.h"
#include "core/mmv/MmvFormat.h"

namespace sextant::mmv {

struct MmvInstanceInfo {
  std::int32_t id = 0;  // the PCP internal instance number
  std::string name;
};

struct MmvIndomInfo {
  std::uint32_t serial = 0;
  std::vector<MmvInstanceInfo> instances;  // in file order
  std::string shortHelp;  // empty when the file has none
  std::string longHelp;
};

struct MmvMetricInfo {
  std::string name;  // as in the file, without the mmv.<file>. prefix
  std::uint32_t item = 0;  // 0..1023 (checked)
  MmvType type = MmvType::NoSupport;
  std::int32_t semantics = kSemCounter;  // as in the file: 0, 1, 3 or 4 (checked)
  std::uint32_t units = 0;  // pmUnits bits, pad byte preserved (spec section 10)
  std::uint32_t indom = 0;  // serial of an indom in MmvLayout::indoms, 0 when singular
  std::string shortHelp;
  std::string longHelp;
};

// Where one value lives. Offsets are from the start of the file and were checked by
// parseMmv against the file it parsed; readValue checks them again against its span.
struct MmvValueRef {
  std::size_t metric = 0;  // index into MmvLayout::metrics
  std::int32_t instance = kNullInstance;  // internal id, kNullInstance for a singular metric
  std::uint64_t valueOffset = 0;  // the value record: 8-byte value slot, then `extra`
  std::uint64_t stringOffset = 0;  // STRING metrics: the 256-byte slot holding the value
  bool sentinel = false;  // the file has kFlagSentinel: all-ones / empty mean "no value"
};

struct MmvLabelInfo {
  std::uint32_t flags = 0;  // kLabel*
  std::uint32_t identity = 0;
  std::int32_t internal = kNullInstance;
  std::string json;  // {"name":value}
};

struct MmvLayout {
  std::int32_t version = 0;
  std::uint64_t generation = 0;  // g1 (== g2); compare to notice a rewritten file
  std::uint32_t flags = 0;       // kFlag*; unknown bits kept
  std::int32_t process = 0;
  std::int32_t cluster = 0;      // 0..4095 (checked); 0 = "choose one for me"
  std::uint64_t size = 0;        // the file size that was parsed
  std::vector<MmvMetricInfo> metrics;  // in file order
  std::vector<MmvIndomInfo> indoms;
  std::vector<MmvValueRef> values;     // one per value record, in file order
  std::vector<MmvLabelInfo> labels;
};

// Validates and describes an MMV file. Failures: Error::Again ("file is being written")
// while the generation pair is zero or unequal, or the header is still all zero bytes; Error::Generic with a one-line detail for
// anything malformed ("metric 3: indom 9 is not declared"). Structure that pmdammv would
// merely skip is refused as a whole here, so a file is either fully served or not at all;
// duplicate names or items are not checked (naming is the agent's business).
Expected<MmvLayout> parseMmv(std::span<const std::uint8_t> file);

// Reads a generation word (gen1 or gen2 offset) with an atomic load, 0 if out of range:
// the agent's cheap "has the file changed" check before each request.
std::uint64_t readGeneration(std::span<const std::uint8_t> file, std::size_t offset);

// The current value of one record, as the PCP type pmdammv exports (exportedType):
// 32/64-bit integers, float and double with a single aligned atomic load (never torn),
// strings copied up to their NUL within the slot (at most 255 bytes), ELAPSED as
// value + now + extra while an interval is open (spec section 9). With `ref.sentinel`, the
// sentinel patterns of spec section 11 give Error::Value. NoSupport gives Error::AppVersion;
// offsets outside `file` give Error::Generic.
Expected<Value> readValue(std::span<const std::uint8_t> file, const MmvValueRef& ref, MmvType type,
                          std::int64_t nowMicros);
// As above with now = the system clock in microseconds since the epoch.
Expected<Value> readValue(std::span<const std::uint8_t> file, const MmvValueRef& ref, MmvType type);

// The PCP type a metric of this MMV type is served as (ELAPSED -> I64).
ValueType exportedType(MmvType type);

}  // namespace sextant::mmv
