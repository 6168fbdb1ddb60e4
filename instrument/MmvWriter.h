#pragma once
// Application instrumentation through a memory-mapped values (MMV) file, the format
// PCP's mmv agent and sextantd read (mmv-format spec). Register metrics, start(), then
// update through handles: an increment is one relaxed atomic add into the mapping and
// a set is one relaxed atomic store: no lock, no system call, safe from any thread.
//
//   sextant::mmv::Writer w({.fileName = "myapp"});
//   w.addMetric({.name = "requests", .item = 1, .type = Type::U64,
//                .semantics = Semantics::Counter, .units = Units::count()});
//   if (!w.start()) std::cerr << w.error();
//   auto requests = *w.counter<std::uint64_t>("requests");
//   requests.inc();
//
// The file is version 2 (names and help in 256-byte string slots), written as the spec's
// section 14 asks: unlink, create exclusively, size, map, fill with g2 = 0, publish g2 = g1.
// The structure never changes after start(); only values do.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/Descriptor.h"
#include "core/Units.h"
#include "core/mmv/MmvFormat.h"

namespace sextant::mmv {

// The types this library writes: every MmvType but NoSupport and Elapsed.
using Type = MmvType;
// Semantics: sextant::Semantics (core/Descriptor.h), PCP's PM_SEM_* numbers as in the file.

inline constexpr std::int32_t kNoInstance = -1;  // the instance argument of a singular metric

struct InstanceSpec {
  std::int32_t id = 0;  // the PCP instance number
  std::string name;     // 1..255 bytes, unique within the domain
};

struct IndomSpec {
  std::uint32_t serial = 0;  // 1..2047 (spec 12: larger serials alias other domains)
  std::vector<InstanceSpec> instances;
  std::string shortHelp;  // each help text at most 255 bytes
  std::string longHelp;
};

struct MetricSpec {
  std::string name;        // letters, digits, '_' and '.', starting with a letter; 1..255 bytes
  std::uint32_t item = 0;  // PMID item, 0..1023, unique in the file
  Type type = Type::U64;
  Semantics semantics = Semantics::Counter;
  Units units;
  std::uint32_t indom = 0;  // serial of a registered domain, 0 for a singular metric
  std::string shortHelp;
  std::string longHelp;
};

struct WriterOptions {
  std::string fileName;   // the file's name in the directory: the second part of mmv.<file>.<metric>
  std::string directory;  // empty: mmvDirectory()
  std::uint32_t cluster = 0;  // PMID cluster 1..4095 (2047 with domains); 0 lets the reader choose
  std::uint32_t flags = 0;    // kFlag* bits of MmvFormat.h: NoPrefix, Process, Sentinel
};

// Where MMV files live: $PCP_TMP_DIR/mmv, PCP_TMP_DIR taken from the environment, else
// from PCP's configuration file ($PCP_CONF, else /etc/pcp.conf), else /var/tmp; the
// order PCP's own libraries use (spec section 3).
std::string mmvDirectory();

template <class T>
concept MmvInteger = std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::uint32_t> ||
                     std::is_same_v<T, std::int64_t> || std::is_same_v<T, std::uint64_t>;
template <class T>
concept MmvNumber = MmvInteger<T> || std::is_same_v<T, float> || std::is_same_v<T, double>;

template <MmvNumber T>
constexpr Type typeOf() {
  if constexpr (std::is_same_v<T, std::int32_t>) return Type::I32;
  else if constexpr (std::is_same_v<T, std::uint32_t>) return Type::U32;
  else if constexpr (std::is_same_v<T, std::int64_t>) return Type::I64;
  else if constexpr (std::is_same_v<T, std::uint64_t>) return Type::U64;
  else if constexpr (std::is_same_v<T, float>) return Type::Float;
  else return Type::Double;
}

// A counter's value slot. Copyable, trivially cheap; valid while its Writer lives.
template <MmvInteger T>
class Counter {
 public:
  Counter() = default;
  // Safe from any number of threads: one atomic add (a locked instruction).
  void inc(T n = 1) const noexcept { std::atomic_ref<T>(*slot_).fetch_add(n, std::memory_order_relaxed); }
  // For a counter only one thread updates: a relaxed load and store, no locked
  // instruction, so about as cheap as libpcp_mmv's mmv_inc (a plain +=). Readers still
  // never see a torn value; increments from two threads at once could be lost.
  void incSingleWriter(T n = 1) const noexcept {
    std::atomic_ref<T> v(*slot_);
    v.store(v.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  T value() const noexcept { return std::atomic_ref<T>(*slot_).load(std::memory_order_relaxed); }

 private:
  friend class Writer;
  explicit Counter(T* slot) : slot_(slot) {}
  T* slot_ = nullptr;
};

// An instantaneous or discrete value's slot.
template <MmvNumber T>
class Gauge {
 public:
  Gauge() = default;
  void set(T v) const noexcept { std::atomic_ref<T>(*slot_).store(v, std::memory_order_relaxed); }
  void inc(T n = 1) const noexcept requires MmvInteger<T> {
    std::atomic_ref<T>(*slot_).fetch_add(n, std::memory_order_relaxed);
  }
  void dec(T n = 1) const noexcept requires MmvInteger<T> {
    std::atomic_ref<T>(*slot_).fetch_sub(n, std::memory_order_relaxed);
  }
  T value() const noexcept { return std::atomic_ref<T>(*slot_).load(std::memory_order_relaxed); }
  // With kFlagSentinel: "no value" (all 8 bytes of the slot set, spec 11; for float
  // and double readers from PCP 6.3.1 on also accept NaN).
  void clear() const noexcept {
    std::atomic_ref<std::uint64_t>(*reinterpret_cast<std::uint64_t*>(slot_))
        .store(~std::uint64_t{0}, std::memory_order_relaxed);
  }

 private:
  friend class Writer;
  explicit Gauge(T* slot) : slot_(slot) {}
  T* slot_ = nullptr;
};

// A string value: a 256-byte slot. Not atomic (as in PCP): a reader may see a mix of the
// old and new text while set() runs, always NUL-terminated. Callers that set the same
// string from several threads must serialise those calls themselves.
class StringValue {
 public:
  StringValue() = default;
  void set(std::string_view text) const noexcept;  // truncated to 255 bytes
  std::string value() const;

 private:
  friend class Writer;
  StringValue(char* slot, std::uint64_t* length) : slot_(slot), length_(length) {}
  char* slot_ = nullptr;
  std::uint64_t* length_ = nullptr;  // the value field: the text's length, as libpcp_mmv keeps it
};

class Writer {
 public:
  explicit Writer(WriterOptions options);
  ~Writer();  // unmaps; removes the file when kFlagProcess is set (spec 14 rule 9)
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Registration, before start(). False (and error() says why) on invalid input.
  bool addIndom(IndomSpec indom);
  bool addMetric(MetricSpec metric);
  // Creates and publishes the file. False with error() on failure.
  bool start();

  bool started() const { return base_ != nullptr; }
  const std::string& error() const { return error_; }
  std::string path() const;  // directory/fileName
  std::size_t fileSize() const { return size_; }

  // Handles, after start(): nothing when the metric or instance is unknown or its type
  // differs from T (Counter needs an integer type).
  template <MmvInteger T>
  std::optional<Counter<T>> counter(std::string_view metric, std::int32_t instance = kNoInstance) {
    if (void* slot = valueSlot(metric, instance, typeOf<T>())) return Counter<T>(static_cast<T*>(slot));
    return std::nullopt;
  }
  template <MmvNumber T>
  std::optional<Gauge<T>> gauge(std::string_view metric, std::int32_t instance = kNoInstance) {
    if (void* slot = valueSlot(metric, instance, typeOf<T>())) return Gauge<T>(static_cast<T*>(slot));
    return std::nullopt;
  }
  std::optional<StringValue> string(std::string_view metric, std::int32_t instance = kNoInstance);

  // The value record of (metric, instance) if the metric has type `type`; its first 8
  // bytes are the value (the C API's handle). Null when unknown or not started.
  void* valueSlot(std::string_view metric, std::int32_t instance, Type type);
  // The string slot of a STRING value record returned by valueSlot().
  char* stringSlot(const void* valueRecord) const;

 private:
  struct Placement {
    std::int32_t instance = kNoInstance;
    std::uint64_t valueOffset = 0;
  };
  bool fail(std::string why);
  bool validateAll();
  std::size_t layoutSize() const;
  void writeImage(std::byte* base, std::uint64_t generation, std::int32_t pid);

  WriterOptions options_;
  std::vector<IndomSpec> indoms_;
  std::vector<MetricSpec> metrics_;
  std::vector<std::vector<Placement>> placements_;  // per metric, after start()
  std::string error_;
  std::byte* base_ = nullptr;
  std::size_t size_ = 0;
  std::string path_;
};

}  // namespace sextant::mmv
