// Registration, validation and the version-2 file image (mmv-format spec, sections 4-7, 14).
#include "instrument/MmvWriter.h"

#include <algorithm>
#include <cstring>

#include "instrument/MmvFile.h"

namespace sextant::mmv {

namespace {

constexpr std::size_t kMaxText = kStringSize - 1;  // payload of a string slot
constexpr std::uint32_t kMaxSerial = 2047;         // spec 12: larger serials alias other domains
constexpr std::uint32_t kMaxClusterWithIndoms = 2047;

// A name pmdammv accepts as part of a PMNS name (spec 12): letters, digits, '_' and '.',
// starting with a letter.
bool validName(std::string_view name) {
  if (name.empty() || name.size() > kMaxText) return false;
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!letter(name.front()) || name.back() == '.') return false;
  return std::all_of(name.begin(), name.end(),
                     [&](char c) { return letter(c) || (c >= '0' && c <= '9') || c == '_' || c == '.'; });
}

template <class Record>
void put(std::byte* base, std::uint64_t offset, const Record& r) {
  std::memcpy(base + offset, &r, sizeof r);
}

void putText(std::byte* base, std::uint64_t offset, std::string_view text) {
  // An empty view may have a null data(), which memcpy must not be given.
  if (!text.empty()) std::memcpy(base + offset, text.data(), std::min(text.size(), kMaxText));
}

}  // namespace

void StringValue::set(std::string_view text) const noexcept {
  // Bytes first, then the terminator, then the rest cleared: whatever a concurrent reader
  // sees is NUL-terminated within the slot (byte 255 is never written). Spec 14 rule 6.
  const std::size_t n = std::min(text.size(), kMaxText);
  if (n > 0) std::memcpy(slot_, text.data(), n);
  std::memset(slot_ + n, 0, kStringSize - n);
  std::atomic_ref<std::uint64_t>(*length_).store(n, std::memory_order_relaxed);
}

std::string StringValue::value() const { return std::string(slot_, ::strnlen(slot_, kMaxText)); }

Writer::Writer(WriterOptions options) : options_(std::move(options)) {
  if (options_.directory.empty()) options_.directory = mmvDirectory();
}

Writer::~Writer() {
  if (!base_) return;
  detail::unmap(base_, size_);
  if (options_.flags & kFlagProcess) detail::removeFile(path_);
}

std::string Writer::path() const { return options_.directory + "/" + options_.fileName; }

bool Writer::fail(std::string why) {
  error_ = std::move(why);
  return false;
}

bool Writer::addIndom(IndomSpec indom) {
  if (started()) return fail("instance domain added after start()");
  if (indom.serial == 0 || indom.serial > kMaxSerial)
    return fail("instance domain serial " + std::to_string(indom.serial) + " is outside 1..2047");
  for (const auto& d : indoms_)
    if (d.serial == indom.serial) return fail("instance domain " + std::to_string(indom.serial) + " added twice");
  // An empty domain is served properly only from PCP 7.0 on (spec 17, item 11).
  if (indom.instances.empty()) return fail("instance domain " + std::to_string(indom.serial) + " has no instances");
  for (std::size_t i = 0; i < indom.instances.size(); ++i) {
    const auto& inst = indom.instances[i];
    if (inst.name.empty() || inst.name.size() > kMaxText)
      return fail("instance name \"" + inst.name + "\" must be 1..255 bytes");
    if (inst.id < 0) return fail("instance \"" + inst.name + "\" has a negative id");
    for (std::size_t j = 0; j < i; ++j)
      if (indom.instances[j].id == inst.id || indom.instances[j].name == inst.name)
        return fail("instance \"" + inst.name + "\" repeats an id or name in domain " + std::to_string(indom.serial));
  }
  if (indom.shortHelp.size() > kMaxText || indom.longHelp.size() > kMaxText)
    return fail("help text of domain " + std::to_string(indom.serial) + " is longer than 255 bytes");
  indoms_.push_back(std::move(indom));
  return true;
}

bool Writer::addMetric(MetricSpec metric) {
  if (started()) return fail("metric added after start()");
  if (!validName(metric.name))
    return fail("metric name \"" + metric.name +
                "\" must be 1..255 letters, digits, '_' or '.', starting with a letter");
  if (metric.item > kMaxItem) return fail(metric.name + ": item " + std::to_string(metric.item) + " is above 1023");
  switch (metric.type) {
    case Type::I32: case Type::U32: case Type::I64: case Type::U64:
    case Type::Float: case Type::Double: case Type::String:
      break;
    default:
      return fail(metric.name + ": unsupported type");
  }
  switch (metric.semantics) {
    case Semantics::Counter: case Semantics::Instant: case Semantics::Discrete:
      break;
    default:
      return fail(metric.name + ": unknown semantics");
  }
  if (metric.shortHelp.size() > kMaxText || metric.longHelp.size() > kMaxText)
    return fail(metric.name + ": help text longer than 255 bytes");
  if (metrics_.size() >= kMaxMetrics) return fail("more than 1023 metrics in one file");
  for (const auto& m : metrics_) {
    if (m.name == metric.name) return fail(metric.name + ": registered twice");
    if (m.item == metric.item) return fail(metric.name + ": item " + std::to_string(metric.item) + " already used by " + m.name);
  }
  metrics_.push_back(std::move(metric));
  return true;
}

// Checks that need the whole registry: domains referenced, cluster range, file name.
bool Writer::validateAll() {
  const auto& name = options_.fileName;
  if (name.empty() || name.size() > kMaxText || name.front() == '.' || name.find('/') != std::string::npos)
    return fail("file name \"" + name + "\" must be a plain name not starting with '.'");
  if (!(options_.flags & kFlagNoPrefix) && !validName(name))
    return fail("file name \"" + name + "\" is not a valid metric name component (letters, digits, '_', '.')");
  if (options_.flags & ~(kFlagNoPrefix | kFlagProcess | kFlagSentinel)) return fail("unknown flags");
  const std::uint32_t maxCluster = indoms_.empty() ? static_cast<std::uint32_t>(kMaxCluster) : kMaxClusterWithIndoms;
  if (options_.cluster > maxCluster) return fail("cluster " + std::to_string(options_.cluster) + " is above " + std::to_string(maxCluster));
  if (metrics_.empty()) return fail("no metrics registered");
  for (const auto& m : metrics_) {
    if (m.indom == 0) continue;
    if (std::none_of(indoms_.begin(), indoms_.end(), [&](const IndomSpec& d) { return d.serial == m.indom; }))
      return fail(m.name + ": instance domain " + std::to_string(m.indom) + " is not registered");
  }
  return true;
}

namespace {

// Section offsets and counts of one file, in the order libpcp_mmv writes them (spec 4).
struct Layout {
  std::size_t tocs = 0, instances = 0, values = 0, strings = 0;
  std::uint64_t indomAt = 0, instanceAt = 0, metricAt = 0, valueAt = 0, stringAt = 0, end = 0;
};

Layout layoutOf(const std::vector<IndomSpec>& indoms, const std::vector<MetricSpec>& metrics) {
  Layout l;
  auto domainSize = [&](std::uint32_t serial) -> std::size_t {
    for (const auto& d : indoms)
      if (d.serial == serial) return d.instances.size();
    return 1;
  };
  for (const auto& d : indoms) {
    l.instances += d.instances.size();
    l.strings += !d.shortHelp.empty() + !d.longHelp.empty();
  }
  l.strings += l.instances + metrics.size();  // every name
  for (const auto& m : metrics) {
    std::size_t n = m.indom ? domainSize(m.indom) : 1;
    l.values += n;
    if (m.type == Type::String) l.strings += n;
    l.strings += !m.shortHelp.empty() + !m.longHelp.empty();
  }
  l.tocs = 3 + (indoms.empty() ? 0 : 2);  // metrics, values, strings (+ indoms, instances)
  l.indomAt = kHeaderSize + l.tocs * kTocSize;
  l.instanceAt = l.indomAt + indoms.size() * kIndomSize;
  l.metricAt = l.instanceAt + l.instances * kInstance2Size;
  l.valueAt = l.metricAt + metrics.size() * kMetric2Size;
  l.stringAt = l.valueAt + l.values * kValueSize;
  l.end = l.stringAt + l.strings * kStringSize;
  return l;
}

}  // namespace

std::size_t Writer::layoutSize() const { return layoutOf(indoms_, metrics_).end; }

bool Writer::start() {
  if (started()) return fail("already started");
  if (!validateAll()) return false;
  const std::string file = path();
  size_ = layoutSize();
  std::string why;
  std::byte* base = detail::createMapped(options_.directory, file, size_, why);
  if (!base) return fail(why);
  path_ = file;
  writeImage(base, detail::freshGeneration(), detail::processId());
  base_ = base;
  return true;
}

// Spec 14, writer rules 3 and 4: g1 first (g2 is still 0 from ftruncate's zero fill),
// then everything else, then g2 = g1 as a release store so that no earlier write can be
// seen after it.
void Writer::writeImage(std::byte* base, std::uint64_t generation, std::int32_t pid) {
  const Layout l = layoutOf(indoms_, metrics_);
  std::uint64_t nextString = l.stringAt;
  auto text = [&](std::string_view s, bool always = false) -> std::uint64_t {
    if (s.empty() && !always) return 0;
    std::uint64_t at = nextString;
    nextString += kStringSize;
    putText(base, at, s);
    return at;
  };

  Header h{};
  std::memcpy(h.magic, kMagic, sizeof h.magic);
  h.version = kVersion2;
  h.gen1 = generation;
  h.gen2 = 0;
  h.tocs = static_cast<std::int32_t>(l.tocs);
  h.flags = options_.flags;
  h.process = pid;
  h.cluster = static_cast<std::int32_t>(options_.cluster);
  put(base, 0, h);

  std::uint64_t tocAt = kHeaderSize;
  auto toc = [&](Section s, std::size_t count, std::uint64_t offset) {
    put(base, tocAt, Toc{static_cast<std::int32_t>(s), static_cast<std::int32_t>(count), offset});
    tocAt += kTocSize;
  };
  if (!indoms_.empty()) {
    toc(Section::Indoms, indoms_.size(), l.indomAt);
    toc(Section::Instances, l.instances, l.instanceAt);
  }
  toc(Section::Metrics, metrics_.size(), l.metricAt);
  toc(Section::Values, l.values, l.valueAt);
  toc(Section::Strings, l.strings, l.stringAt);

  // String slots in libpcp_mmv's order (spec 7.7): instance names, metric names, string
  // values, metric help, indom help.
  std::vector<std::uint64_t> indomOffset(indoms_.size()), firstInstance(indoms_.size());
  std::uint64_t instAt = l.instanceAt;
  for (std::size_t d = 0; d < indoms_.size(); ++d) {
    indomOffset[d] = l.indomAt + d * kIndomSize;
    firstInstance[d] = instAt;
    for (const auto& inst : indoms_[d].instances) {
      put(base, instAt, Instance2{indomOffset[d], 0, inst.id, text(inst.name, true)});
      instAt += kInstance2Size;
    }
  }
  std::vector<std::uint64_t> metricName(metrics_.size());
  for (std::size_t m = 0; m < metrics_.size(); ++m) metricName[m] = text(metrics_[m].name, true);

  placements_.assign(metrics_.size(), {});
  std::uint64_t valueAt = l.valueAt;
  for (std::size_t m = 0; m < metrics_.size(); ++m) {
    const MetricSpec& spec = metrics_[m];
    const std::uint64_t metricAt = l.metricAt + m * kMetric2Size;
    auto addValue = [&](std::int32_t instance, std::uint64_t instanceAt) {
      ValueRecord v{};
      v.metric = metricAt;
      v.instance = instanceAt;
      if (spec.type == Type::String) v.extra = static_cast<std::int64_t>(text({}, true));
      put(base, valueAt, v);
      placements_[m].push_back({instance, valueAt});
      valueAt += kValueSize;
    };
    if (spec.indom == 0) {
      addValue(kNoInstance, 0);
    } else {
      std::size_t d = 0;
      while (indoms_[d].serial != spec.indom) ++d;
      for (std::size_t i = 0; i < indoms_[d].instances.size(); ++i)
        addValue(indoms_[d].instances[i].id, firstInstance[d] + i * kInstance2Size);
    }
  }
  for (std::size_t m = 0; m < metrics_.size(); ++m) {
    const MetricSpec& spec = metrics_[m];
    Metric2 r{};
    r.name = metricName[m];
    r.item = spec.item;
    r.type = static_cast<std::int32_t>(spec.type);
    r.semantics = static_cast<std::int32_t>(spec.semantics);
    r.units = spec.units.pack();
    r.indom = static_cast<std::int32_t>(spec.indom);
    r.shortHelp = text(spec.shortHelp);
    r.longHelp = text(spec.longHelp);
    put(base, l.metricAt + m * kMetric2Size, r);
  }
  for (std::size_t d = 0; d < indoms_.size(); ++d) {
    const IndomSpec& spec = indoms_[d];
    Indom r{spec.serial, static_cast<std::uint32_t>(spec.instances.size()), firstInstance[d], 0, 0};
    r.shortHelp = text(spec.shortHelp);
    r.longHelp = text(spec.longHelp);
    put(base, indomOffset[d], r);
  }

  auto* gen2 = reinterpret_cast<std::uint64_t*>(base + kHeaderGen2Offset);
  std::atomic_ref<std::uint64_t>(*gen2).store(generation, std::memory_order_release);
}

void* Writer::valueSlot(std::string_view metric, std::int32_t instance, Type type) {
  if (!started()) return nullptr;
  for (std::size_t m = 0; m < metrics_.size(); ++m) {
    if (metrics_[m].name != metric) continue;
    if (metrics_[m].type != type) return nullptr;
    for (const auto& p : placements_[m])
      if (p.instance == instance) return base_ + p.valueOffset;
    return nullptr;
  }
  return nullptr;
}

char* Writer::stringSlot(const void* valueRecord) const {
  std::int64_t extra = 0;
  std::memcpy(&extra, static_cast<const std::byte*>(valueRecord) + kValueExtraOffset, sizeof extra);
  if (extra <= 0 || static_cast<std::size_t>(extra) + kStringSize > size_) return nullptr;
  return reinterpret_cast<char*>(base_ + extra);
}

std::optional<StringValue> Writer::string(std::string_view metric, std::int32_t instance) {
  void* record = valueSlot(metric, instance, Type::String);
  if (!record) return std::nullopt;
  return StringValue(stringSlot(record), static_cast<std::uint64_t*>(record));
}

}  // namespace sextant::mmv
