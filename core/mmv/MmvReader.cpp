// See MmvReader.h. Every record is copied out with memcpy only after its whole extent has
// been checked against the file size, so nothing here depends on the file's alignment
// or honesty; values are the one exception, read in place by an atomic load (spec 14).
#include "core/mmv/MmvReader.h"

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <cstring>
#include <optional>
#include <string_view>
#include <unordered_set>

namespace sextant::mmv {

namespace {

Failure bad(std::string detail) { return Failure{Error::Generic, std::move(detail)}; }

std::string str(std::uint64_t v) { return std::to_string(v); }

// True when [offset, offset + length) lies inside a file of `size` bytes (no overflow).
bool fits(std::uint64_t offset, std::uint64_t length, std::uint64_t size) {
  return offset <= size && length <= size - offset;
}

template <class T>
T load(std::span<const std::uint8_t> file, std::uint64_t offset) {
  T out;
  std::memcpy(&out, file.data() + offset, sizeof out);
  return out;
}

// A located section: `count` records of `recordSize` bytes from `offset`.
struct Range {
  std::uint64_t offset = 0;
  std::uint64_t count = 0;
  std::uint64_t recordSize = 0;
  bool present = false;
  std::uint64_t end() const { return offset + count * recordSize; }
  // The index of the record starting exactly at `at`, if any.
  std::optional<std::size_t> indexOf(std::uint64_t at) const {
    if (at < offset || at >= end() || (at - offset) % recordSize != 0) return std::nullopt;
    return static_cast<std::size_t>((at - offset) / recordSize);
  }
};

std::string_view sectionName(std::int32_t type) {
  switch (static_cast<Section>(type)) {
    case Section::Indoms: return "indoms";
    case Section::Instances: return "instances";
    case Section::Metrics: return "metrics";
    case Section::Values: return "values";
    case Section::Strings: return "strings";
    case Section::Labels: return "labels";
  }
  return "unknown";
}

bool knownType(std::int32_t t) { return (t >= -1 && t <= 6) || t == static_cast<std::int32_t>(MmvType::Elapsed); }

bool knownSemantics(std::int32_t s) {
  return s == kSemNone || s == kSemCounter || s == kSemInstant || s == kSemDiscrete;
}

class Parser {
 public:
  explicit Parser(std::span<const std::uint8_t> file) : file_(file), size_(file.size()) {}

  Expected<MmvLayout> run();

 private:
  std::optional<Failure> header();
  std::optional<Failure> toc();
  std::optional<Failure> indoms();
  std::optional<Failure> metrics();
  std::optional<Failure> values();
  std::optional<Failure> labels();

  // A NUL-terminated name in a fixed field at `offset` (checked to fit by the caller).
  std::optional<std::string> fixedString(std::uint64_t offset, std::size_t field) const {
    const auto* p = file_.data() + offset;
    const void* nul = std::memchr(p, 0, field);
    if (nul == nullptr) return std::nullopt;
    return std::string(reinterpret_cast<const char*>(p), static_cast<const std::uint8_t*>(nul) - p);
  }
  // A string slot at `offset` (0 = none, unless `required`); `what` names it in errors.
  std::optional<Failure> slot(std::uint64_t offset, const std::string& what, bool required, std::string& out) const;

  std::span<const std::uint8_t> file_;
  std::uint64_t size_;
  std::uint64_t tocs_ = 0;
  // For each record of the instances section: its indom (index into out_.indoms) and id.
  std::vector<std::pair<std::size_t, std::int32_t>> instanceOwner_;
  std::vector<bool> instanceOwned_;
  std::unordered_set<std::uint32_t> serials_;  // of the indoms seen so far
  MmvLayout out_;
  Range sections_[7];  // indexed by Section
  const Range& section(Section s) const { return sections_[static_cast<int>(s)]; }
};

std::optional<Failure> Parser::slot(std::uint64_t offset, const std::string& what, bool required,
                                    std::string& out) const {
  if (offset == 0) {
    if (required) return bad(what + ": no string offset");
    return std::nullopt;
  }
  if (!fits(offset, kStringSize, size_)) {
    return bad(what + ": string offset " + str(offset) + " outside the file (size " + str(size_) + ")");
  }
  auto s = fixedString(offset, kStringSize);
  if (!s) return bad(what + ": string at offset " + str(offset) + " is not NUL-terminated");
  out = std::move(*s);
  return std::nullopt;
}

std::optional<Failure> Parser::header() {
  // A writer creates the file, sizes it (zero-filled), then writes the header: until then
  // g1 is 0, which spec section 5 calls "still in flux", so it is retried, not refused.
  const auto head = file_.first(std::min<std::size_t>(file_.size(), kHeaderSize));
  if (std::all_of(head.begin(), head.end(), [](std::uint8_t b) { return b == 0; })) {
    return Failure{Error::Again, "file is being written (no header yet)"};
  }
  if (size_ < kHeaderSize) return bad("file of " + str(size_) + " bytes is shorter than the 40-byte header");
  const auto h = load<Header>(file_, 0);
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) return bad("bad magic (not an MMV file)");
  if (h.version < kVersion1 || h.version > kVersion3) return bad("version " + std::to_string(h.version) + " not supported");
  // g2 is re-read atomically: the writer publishes with a release store of g2 (spec 14).
  const std::uint64_t g2 = readGeneration(file_, kHeaderGen2Offset);
  if (h.gen1 == 0 || h.gen1 != g2) return Failure{Error::Again, "file is being written (generation numbers differ)"};
  if (h.cluster < 0 || h.cluster > kMaxCluster) return bad("cluster " + std::to_string(h.cluster) + " outside 0..4095");
  out_.version = h.version;
  out_.generation = h.gen1;
  out_.flags = h.flags;
  out_.process = h.process;
  out_.cluster = h.cluster;
  out_.size = size_;
  if (h.tocs < kMinTocs || h.tocs > kMaxTocs) {
    return bad("TOC count " + std::to_string(h.tocs) + " outside " + std::to_string(kMinTocs) + ".." + std::to_string(kMaxTocs));
  }
  tocs_ = static_cast<std::uint64_t>(h.tocs);
  if (!fits(kHeaderSize, tocs_ * kTocSize, size_)) {
    return bad("TOC of " + str(tocs_) + " entries extends past the end of the file (size " + str(size_) + ")");
  }
  return std::nullopt;
}


std::optional<Failure> Parser::toc() {
  const std::uint64_t tocEnd = kHeaderSize + tocs_ * kTocSize;
  for (std::uint64_t i = 0; i < tocs_; ++i) {
    const auto t = load<Toc>(file_, kHeaderSize + i * kTocSize);
    const std::string where = "TOC[" + str(i) + "]";
    if (t.type < static_cast<std::int32_t>(Section::Indoms) || t.type > static_cast<std::int32_t>(Section::Labels)) {
      return bad(where + ": unknown section type " + std::to_string(t.type));
    }
    Range& r = sections_[t.type];
    const std::string name = where + ": " + std::string(sectionName(t.type)) + " section";
    if (r.present) return bad(name + " appears twice");
    if (t.count < 0) return bad(name + ": negative count " + std::to_string(t.count));
    r.present = true;
    r.count = static_cast<std::uint64_t>(t.count);
    r.offset = t.offset;
    switch (static_cast<Section>(t.type)) {
      case Section::Indoms: r.recordSize = kIndomSize; break;
      case Section::Instances: r.recordSize = instanceSize(out_.version); break;
      case Section::Metrics: r.recordSize = metricSize(out_.version); break;
      case Section::Values: r.recordSize = kValueSize; break;
      case Section::Strings: r.recordSize = kStringSize; break;
      case Section::Labels: r.recordSize = kLabelSize; break;
    }
    // pmdammv's caps (spec sections 13 and 15), checked before anything is allocated.
    const std::uint64_t cap = t.type == static_cast<std::int32_t>(Section::Metrics) ? kMaxMetrics
                              : t.type == static_cast<std::int32_t>(Section::Indoms) ? kMaxIndoms
                              : t.type == static_cast<std::int32_t>(Section::Labels) ? kMaxLabels
                                                                                     : size_ / r.recordSize;
    if (r.count > cap) return bad(name + ": count " + str(r.count) + " exceeds the limit of " + str(cap));
    if (r.count == 0) continue;  // Speed writes empty sections with offset 0 (spec 6)
    if (!fits(r.offset, r.count * r.recordSize, size_)) {
      return bad(name + " (" + str(r.count) + " x " + str(r.recordSize) + " bytes at offset " + str(r.offset) +
                 ") extends past the end of the file (size " + str(size_) + ")");
    }
    if (r.offset < tocEnd) return bad(name + " at offset " + str(r.offset) + " overlaps the header or TOC");
  }
  if (!section(Section::Metrics).present) return bad("no metrics section in the TOC");
  if (!section(Section::Values).present) return bad("no values section in the TOC");
  // Sections must not overlap: a record read as two things is nonsense.
  for (int a = 1; a <= 6; ++a) {
    for (int b = a + 1; b <= 6; ++b) {
      const Range& x = sections_[a];
      const Range& y = sections_[b];
      if (x.count == 0 || y.count == 0) continue;
      if (x.offset < y.end() && y.offset < x.end()) {
        return bad(std::string(sectionName(a)) + " and " + std::string(sectionName(b)) + " sections overlap");
      }
    }
  }
  return std::nullopt;
}

std::optional<Failure> Parser::indoms() {
  const Range& r = section(Section::Indoms);
  const Range& inst = section(Section::Instances);
  instanceOwner_.assign(inst.count, {0, 0});
  instanceOwned_.assign(inst.count, false);
  out_.indoms.reserve(r.count);
  for (std::uint64_t i = 0; i < r.count; ++i) {
    const auto d = load<Indom>(file_, r.offset + i * kIndomSize);
    const std::string where = "indom " + str(i);
    if (d.serial == kNoIndom || d.serial == kNoIndomAlt) return bad(where + ": reserved serial " + str(d.serial));
    // A hash set, not a scan: the section may hold millions of records (spec 15).
    if (!serials_.insert(d.serial).second) return bad(where + ": serial " + str(d.serial) + " declared twice");
    MmvIndomInfo info;
    info.serial = d.serial;
    if (d.count > 0) {
      const auto first = inst.indexOf(d.offset);
      if (!first || *first + std::uint64_t{d.count} > inst.count) {
        return bad(where + " (serial " + str(d.serial) + "): " + str(d.count) + " instances at offset " +
                   str(d.offset) + " are not inside the instances section");
      }
      info.instances.reserve(d.count);
      for (std::uint64_t k = *first; k < *first + d.count; ++k) {
        const std::uint64_t at = inst.offset + k * inst.recordSize;
        const std::string iwhere = where + " instance " + str(k - *first);
        if (instanceOwned_[k]) return bad(iwhere + ": instance record at offset " + str(at) + " belongs to two indoms");
        MmvInstanceInfo ii;
        if (out_.version == kVersion1) {
          const auto rec = load<Instance1>(file_, at);
          ii.id = rec.internal;
          auto name = fixedString(at + offsetof(Instance1, external), kNameSize1);
          if (!name) return bad(iwhere + ": name not NUL-terminated within 64 bytes");
          ii.name = std::move(*name);
        } else {
          const auto rec = load<Instance2>(file_, at);
          ii.id = rec.internal;
          if (auto f = slot(rec.external, iwhere + " name", true, ii.name)) return f;
        }
        instanceOwned_[k] = true;
        instanceOwner_[k] = {out_.indoms.size(), ii.id};
        info.instances.push_back(std::move(ii));
      }
    }
    if (auto f = slot(d.shortHelp, where + " short help", false, info.shortHelp)) return f;
    if (auto f = slot(d.longHelp, where + " long help", false, info.longHelp)) return f;
    out_.indoms.push_back(std::move(info));
  }
  return std::nullopt;
}

std::optional<Failure> Parser::metrics() {
  const Range& r = section(Section::Metrics);
  out_.metrics.reserve(r.count);
  for (std::uint64_t i = 0; i < r.count; ++i) {
    const std::uint64_t at = r.offset + i * r.recordSize;
    std::string where = "metric " + str(i);
    MmvMetricInfo m;
    Metric2 rec{};  // the v1 record's fields after the name, in the same order
    if (out_.version == kVersion1) {
      auto name = fixedString(at, kNameSize1);
      if (!name) return bad(where + ": name not NUL-terminated within 64 bytes");
      m.name = std::move(*name);
      const auto v1 = load<Metric1>(file_, at);
      rec = Metric2{0, v1.item, v1.type, v1.semantics, v1.units, v1.indom, v1.padding, v1.shortHelp, v1.longHelp};
    } else {
      rec = load<Metric2>(file_, at);
      if (auto f = slot(rec.name, where + " name", true, m.name)) return f;
    }
    if (m.name.empty()) return bad(where + ": empty name");
    where += " (" + m.name + ")";
    if (rec.item > kMaxItem) return bad(where + ": item " + str(rec.item) + " exceeds 1023");
    if (!knownType(rec.type)) return bad(where + ": unknown type " + std::to_string(rec.type));
    if (!knownSemantics(rec.semantics)) return bad(where + ": unknown semantics " + std::to_string(rec.semantics));
    m.item = rec.item;
    m.type = static_cast<MmvType>(rec.type);
    m.semantics = rec.semantics;
    m.units = rec.units;
    const auto serial = static_cast<std::uint32_t>(rec.indom);
    if (serial != kNoIndom && serial != kNoIndomAlt) {
      if (serials_.count(serial) == 0) return bad(where + ": indom " + str(serial) + " is not declared");
      m.indom = serial;
    }
    if (auto f = slot(rec.shortHelp, where + " short help", false, m.shortHelp)) return f;
    if (auto f = slot(rec.longHelp, where + " long help", false, m.longHelp)) return f;
    out_.metrics.push_back(std::move(m));
  }
  return std::nullopt;
}

std::optional<Failure> Parser::values() {
  const Range& r = section(Section::Values);
  const Range& metrics = section(Section::Metrics);
  const Range& inst = section(Section::Instances);
  const bool sentinel = (out_.flags & kFlagSentinel) != 0;
  out_.values.reserve(r.count);
  for (std::uint64_t i = 0; i < r.count; ++i) {
    const std::uint64_t at = r.offset + i * kValueSize;
    const auto v = load<ValueRecord>(file_, at);
    std::string where = "value " + str(i);
    if (!fits(v.metric, 1, size_)) return bad(where + ": metric offset " + str(v.metric) + " outside the file (size " + str(size_) + ")");
    const auto mi = metrics.indexOf(v.metric);
    if (!mi) return bad(where + ": metric offset " + str(v.metric) + " is not a metric record");
    const MmvMetricInfo& m = out_.metrics[*mi];
    where += " (" + m.name + ")";
    MmvValueRef ref;
    ref.metric = *mi;
    ref.valueOffset = at;
    ref.sentinel = sentinel;
    if (m.indom != kNoIndom) {
      // Singular metrics ignore the instance field, as pmdammv does (spec 12, "Fetch").
      if (!fits(v.instance, 1, size_)) return bad(where + ": instance offset " + str(v.instance) + " outside the file (size " + str(size_) + ")");
      const auto ii = inst.indexOf(v.instance);
      if (!ii || !instanceOwned_[*ii]) return bad(where + ": instance offset " + str(v.instance) + " is not an instance record");
      const auto [owner, id] = instanceOwner_[*ii];
      if (out_.indoms[owner].serial != m.indom) {
        return bad(where + ": instance at offset " + str(v.instance) + " belongs to indom " + str(out_.indoms[owner].serial) +
                   ", not the metric's indom " + str(m.indom));
      }
      ref.instance = id;
    }
    if (m.type == MmvType::String) {
      const auto s = static_cast<std::uint64_t>(v.extra);
      if (v.extra <= 0 || !fits(s, kStringSize, size_)) {
        return bad(where + ": string offset " + std::to_string(v.extra) + " outside the file (size " + str(size_) + ")");
      }
      ref.stringOffset = s;
    }
    out_.values.push_back(ref);
  }
  return std::nullopt;
}

std::optional<Failure> Parser::labels() {
  const Range& r = section(Section::Labels);
  out_.labels.reserve(r.count);
  for (std::uint64_t i = 0; i < r.count; ++i) {
    const std::uint64_t at = r.offset + i * kLabelSize;
    const auto rec = load<Label>(file_, at);
    auto json = fixedString(at + offsetof(Label, payload), kLabelPayloadSize);
    if (!json) return bad("label " + str(i) + ": not NUL-terminated within 244 bytes");
    out_.labels.push_back(MmvLabelInfo{rec.flags, rec.identity, rec.internal, std::move(*json)});
  }
  return std::nullopt;
}

Expected<MmvLayout> Parser::run() {
  for (auto step : {&Parser::header, &Parser::toc, &Parser::indoms, &Parser::metrics, &Parser::values, &Parser::labels}) {
    if (auto f = (this->*step)()) return std::move(*f);
  }
  return std::move(out_);
}

// One naturally aligned 8-byte load that a concurrent writer cannot tear (spec 14); a
// misaligned slot (never written by a known writer) falls back to memcpy.
std::uint64_t atomicLoad64(const std::uint8_t* p) {
  if (reinterpret_cast<std::uintptr_t>(p) % alignof(std::uint64_t) == 0) {
    // The mapping is read-only; atomic_ref only loads through the pointer.
    auto& word = *reinterpret_cast<std::uint64_t*>(const_cast<std::uint8_t*>(p));
    return std::atomic_ref<std::uint64_t>(word).load(std::memory_order_acquire);
  }
  std::uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

template <class T>
T firstBytesAs(std::uint64_t bits) {
  T out;
  std::memcpy(&out, &bits, sizeof out);  // the slot's first sizeof(T) bytes, any endianness
  return out;
}

}  // namespace

static_assert(std::atomic_ref<std::uint64_t>::is_always_lock_free, "value slots need lock-free 64-bit loads");

Expected<MmvLayout> parseMmv(std::span<const std::uint8_t> file) { return Parser(file).run(); }

std::uint64_t readGeneration(std::span<const std::uint8_t> file, std::size_t offset) {
  if (!fits(offset, sizeof(std::uint64_t), file.size())) return 0;
  return atomicLoad64(file.data() + offset);
}

ValueType exportedType(MmvType type) {
  if (type == MmvType::Elapsed) return ValueType::I64;
  return static_cast<ValueType>(type);
}

Expected<Value> readValue(std::span<const std::uint8_t> file, const MmvValueRef& ref, MmvType type) {
  const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return readValue(file, ref, type, static_cast<std::int64_t>(now.count()));
}

Expected<Value> readValue(std::span<const std::uint8_t> file, const MmvValueRef& ref, MmvType type,
                          std::int64_t nowMicros) {
  if (!fits(ref.valueOffset, kValueSize, file.size())) {
    return bad("value record at offset " + str(ref.valueOffset) + " outside the file (size " + str(file.size()) + ")");
  }
  if (type == MmvType::NoSupport) return Error::AppVersion;
  const std::uint8_t* rec = file.data() + ref.valueOffset;
  if (type == MmvType::String) {
    if (!fits(ref.stringOffset, kStringSize, file.size())) {
      return bad("string slot at offset " + str(ref.stringOffset) + " outside the file (size " + str(file.size()) + ")");
    }
    // Copy out first: the writer may rewrite the slot meanwhile (spec 14 rule 6); the
    // last byte is forced to NUL as pmdammv does (spec 7.7).
    char buf[kStringSize];
    std::memcpy(buf, file.data() + ref.stringOffset, kStringSize);
    buf[kStringSize - 1] = '\0';
    std::string s(buf, std::strlen(buf));
    if (ref.sentinel && s.empty()) return Error::Value;
    return Value(std::move(s));
  }
  const std::uint64_t bits = atomicLoad64(rec);
  const bool integer = type == MmvType::I32 || type == MmvType::U32 || type == MmvType::I64 ||
                       type == MmvType::U64 || type == MmvType::Elapsed;
  if (ref.sentinel && integer && bits == kSentinelBits) return Error::Value;
  switch (type) {
    case MmvType::I32: return Value(firstBytesAs<std::int32_t>(bits));
    case MmvType::U32: return Value(firstBytesAs<std::uint32_t>(bits));
    case MmvType::I64: return Value(std::bit_cast<std::int64_t>(bits));
    case MmvType::U64: return Value(bits);
    case MmvType::Float: {
      const float f = firstBytesAs<float>(bits);
      if (ref.sentinel && f != f) return Error::Value;  // NaN (fixed in PCP 6.3.1, spec 11)
      return Value(f);
    }
    case MmvType::Double: {
      const double d = std::bit_cast<double>(bits);
      if (ref.sentinel && d != d) return Error::Value;
      return Value(d);
    }
    case MmvType::Elapsed: {
      // value + now + extra while an interval is open (extra = -start), spec section 9.
      // Unsigned arithmetic: hostile values wrap instead of overflowing.
      const auto extra = std::bit_cast<std::int64_t>(atomicLoad64(rec + kValueExtraOffset));
      std::uint64_t total = bits;
      if (extra < 0) total += static_cast<std::uint64_t>(nowMicros) + static_cast<std::uint64_t>(extra);
      return Value(std::bit_cast<std::int64_t>(total));
    }
    default: break;
  }
  return Failure{Error::Type, "unknown MMV type " + std::to_string(static_cast<std::int32_t>(type))};
}

}  // namespace sextant::mmv
