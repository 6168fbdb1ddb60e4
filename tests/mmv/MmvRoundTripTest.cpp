// Sextant's writer (instrument/MmvWriter.h) -> Sextant's reader (core/mmv/MmvReader.h):
// what is registered comes back from parseMmv, and what is stored through the handles
// comes back from readValue on a read-only mapping of the same file, also while a
// thread keeps updating it.
#include <QtTest>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "core/mmv/MmvReader.h"
#include "instrument/MmvWriter.h"

using namespace sextant;
using namespace sextant::mmv;

namespace {

// A read-only shared mapping of a file, as the agent makes one.
class Mapping {
 public:
  explicit Mapping(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
      void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_SHARED, fd, 0);
      if (p != MAP_FAILED) base_ = static_cast<const std::uint8_t*>(p), size_ = static_cast<std::size_t>(st.st_size);
    }
    ::close(fd);
  }
  ~Mapping() {
    if (base_ != nullptr) ::munmap(const_cast<std::uint8_t*>(base_), size_);
  }
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  std::span<const std::uint8_t> bytes() const { return {base_, size_}; }

 private:
  const std::uint8_t* base_ = nullptr;
  std::size_t size_ = 0;
};

std::size_t metricIndex(const MmvLayout& l, const std::string& name) {
  for (std::size_t i = 0; i < l.metrics.size(); ++i)
    if (l.metrics[i].name == name) return i;
  return SIZE_MAX;
}

// The value of (metric, instance), or a string describing why there is none.
Value valueOf(std::span<const std::uint8_t> f, const MmvLayout& l, const std::string& name, std::int32_t inst) {
  const std::size_t m = metricIndex(l, name);
  for (const MmvValueRef& ref : l.values) {
    if (ref.metric != m || ref.instance != inst) continue;
    auto v = readValue(f, ref, l.metrics[m].type, 0);
    return v ? *v : Value("error " + std::to_string(static_cast<int>(v.error())));
  }
  return Value(std::string("missing"));
}

MetricSpec simple(const char* name, std::uint32_t item, Type type, Semantics sem) {
  MetricSpec m;
  m.name = name;
  m.item = item;
  m.type = type;
  m.semantics = sem;
  return m;
}

}  // namespace

class MmvRoundTripTest : public QObject {
  Q_OBJECT

 private slots:
  void everything_data() {
    QTest::addColumn<unsigned>("flags");
    QTest::newRow("no flags") << 0u;
    QTest::newRow("noprefix") << kFlagNoPrefix;
    QTest::newRow("process") << kFlagProcess;
    QTest::newRow("sentinel") << kFlagSentinel;
  }
  void everything() {
    QFETCH(unsigned, flags);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Writer w({.fileName = "roundtrip", .directory = dir.path().toStdString(), .cluster = 321, .flags = flags});
    QVERIFY(w.addIndom({.serial = 7, .instances = {{0, "red"}, {5, "green"}}, .shortHelp = "colours", .longHelp = "paint colours"}));
    const Units bytes = Units::space(SpaceScale::Byte);
    QVERIFY(w.addMetric({.name = "paint", .item = 2, .type = Type::I32, .semantics = Semantics::Instant, .units = bytes,
                         .indom = 7, .shortHelp = "paint used", .longHelp = ""}));
    QVERIFY(w.addMetric({.name = "requests", .item = 1, .type = Type::U64, .semantics = Semantics::Counter,
                         .units = Units::count(), .indom = 0, .shortHelp = "request count", .longHelp = "all requests"}));
    QVERIFY(w.addMetric(simple("u32", 3, Type::U32, Semantics::Discrete)));
    QVERIFY(w.addMetric(simple("i64", 4, Type::I64, Semantics::Instant)));
    QVERIFY(w.addMetric(simple("ratio", 5, Type::Double, Semantics::Instant)));
    QVERIFY(w.addMetric(simple("flt", 6, Type::Float, Semantics::Instant)));
    QVERIFY(w.addMetric(simple("status", 7, Type::String, Semantics::Discrete)));
    QVERIFY2(w.start(), w.error().c_str());

    w.gauge<std::int32_t>("paint", 0)->set(17);
    w.gauge<std::int32_t>("paint", 5)->set(-5);
    w.counter<std::uint64_t>("requests")->inc(1001);
    w.gauge<std::uint32_t>("u32")->set(4000000000u);
    w.gauge<std::int64_t>("i64")->set(-9000000000LL);
    w.gauge<double>("ratio")->set(0.25);
    w.gauge<float>("flt")->set(3.5f);
    w.string("status")->set("ok");

    Mapping map(w.path());
    QCOMPARE(map.bytes().size(), w.fileSize());
    auto parsed = parseMmv(map.bytes());
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.failure().message().c_str());
    const MmvLayout& l = *parsed;
    QCOMPARE(l.version, 2);
    QCOMPARE(l.flags, flags);
    QCOMPARE(l.cluster, 321);
    QCOMPARE(l.process, static_cast<std::int32_t>(::getpid()));
    QVERIFY(l.generation != 0);
    QCOMPARE(l.indoms.size(), std::size_t{1});
    QCOMPARE(l.indoms[0].serial, 7u);
    QCOMPARE(l.indoms[0].shortHelp, std::string("colours"));
    QCOMPARE(l.indoms[0].longHelp, std::string("paint colours"));
    QCOMPARE(l.indoms[0].instances.size(), std::size_t{2});
    QCOMPARE(l.indoms[0].instances[1].id, 5);
    QCOMPARE(l.indoms[0].instances[1].name, std::string("green"));
    QCOMPARE(l.metrics.size(), std::size_t{7});
    const MmvMetricInfo& paint = l.metrics.at(metricIndex(l, "paint"));
    QCOMPARE(paint.item, 2u);
    QCOMPARE(paint.type, MmvType::I32);
    QCOMPARE(paint.semantics, kSemInstant);
    QCOMPARE(paint.units, bytes.pack());
    QCOMPARE(paint.indom, 7u);
    QCOMPARE(paint.shortHelp, std::string("paint used"));
    const MmvMetricInfo& requests = l.metrics.at(metricIndex(l, "requests"));
    QCOMPARE(requests.units, 0x00100000u);
    QCOMPARE(requests.semantics, kSemCounter);
    QCOMPARE(requests.indom, 0u);
    QCOMPARE(requests.longHelp, std::string("all requests"));
    QCOMPARE(l.metrics.at(metricIndex(l, "u32")).semantics, kSemDiscrete);
    QCOMPARE(l.values.size(), std::size_t{8});
    for (const MmvValueRef& ref : l.values) QCOMPARE(ref.sentinel, (flags & kFlagSentinel) != 0);

    const auto f = map.bytes();
    QCOMPARE(valueOf(f, l, "paint", 0), Value(std::int32_t{17}));
    QCOMPARE(valueOf(f, l, "paint", 5), Value(std::int32_t{-5}));
    QCOMPARE(valueOf(f, l, "requests", kNullInstance), Value(std::uint64_t{1001}));
    QCOMPARE(valueOf(f, l, "u32", kNullInstance), Value(std::uint32_t{4000000000u}));
    QCOMPARE(valueOf(f, l, "i64", kNullInstance), Value(std::int64_t{-9000000000LL}));
    QCOMPARE(valueOf(f, l, "ratio", kNullInstance), Value(0.25));
    QCOMPARE(valueOf(f, l, "flt", kNullInstance), Value(3.5f));
    QCOMPARE(valueOf(f, l, "status", kNullInstance), Value(std::string("ok")));

    // Later stores are seen through the same mapping without re-parsing.
    w.string("status")->set("a longer status text");
    w.gauge<double>("ratio")->set(-1.5);
    QCOMPARE(valueOf(f, l, "status", kNullInstance), Value(std::string("a longer status text")));
    QCOMPARE(valueOf(f, l, "ratio", kNullInstance), Value(-1.5));
    if (flags & kFlagSentinel) {
      w.gauge<std::int32_t>("paint", 0)->clear();
      QCOMPARE(valueOf(f, l, "paint", 0), Value("error " + std::to_string(static_cast<int>(Error::Value))));
    }
  }

  // A counter incremented by a thread while the reader samples it: readings never go
  // backwards and the last one is the exact total.
  void liveCounter() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    Writer w({.fileName = "live", .directory = dir.path().toStdString(), .cluster = 9});
    QVERIFY(w.addMetric(simple("ticks", 1, Type::U64, Semantics::Counter)));
    QVERIFY2(w.start(), w.error().c_str());
    auto ticks = *w.counter<std::uint64_t>("ticks");
    Mapping map(w.path());
    auto l = parseMmv(map.bytes());
    QVERIFY(l.ok());
    std::atomic<bool> done{false};
    constexpr std::uint64_t kTotal = 2000000;
    std::thread writer([&] {
      for (std::uint64_t i = 0; i < kTotal; ++i) ticks.inc();
      done = true;
    });
    std::uint64_t last = 0;
    int backwards = 0;
    while (!done.load()) {
      auto v = readValue(map.bytes(), l->values.at(0), MmvType::U64, 0);
      const auto now = v ? std::get<std::uint64_t>(*v) : 0;
      if (now < last) ++backwards;
      last = now;
    }
    writer.join();
    QCOMPARE(backwards, 0);
    QCOMPARE(valueOf(map.bytes(), *l, "ticks", kNullInstance), Value(kTotal));
  }
};

QTEST_GUILESS_MAIN(MmvRoundTripTest)
#include "MmvRoundTripTest.moc"
