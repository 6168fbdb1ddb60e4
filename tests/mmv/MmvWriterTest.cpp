// The MMV writer (instrument/MmvWriter.h, include/sextant/mmv.h): the bytes of the file
// against the format spec (header, TOC, records, values of every type), flags, the
// directory rules, registration errors, and exact sums of increments from several threads.
#include <unistd.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <cstring>
#include <atomic>
#include <thread>
#include <vector>

#include "core/mmv/MmvReader.h"
#include "instrument/MmvWriter.h"
#include "sextant/mmv.h"

using namespace sextant;
using namespace sextant::mmv;

namespace {

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

template <class Record>
Record at(const QByteArray& file, std::uint64_t offset) {
  Record r{};
  const QByteArrayView bytes(file);
  if (offset + sizeof r <= static_cast<std::uint64_t>(bytes.size()))
    std::memcpy(&r, bytes.data() + offset, sizeof r);
  return r;
}

QString text(const QByteArray& file, std::uint64_t offset) {
  if (offset == 0 || offset + kStringSize > static_cast<std::uint64_t>(file.size())) return "<none>";
  return QString::fromUtf8(file.constData() + offset, static_cast<int>(::strnlen(file.constData() + offset, kStringSize)));
}

// Restores an environment variable when the test ends.
class EnvGuard {
 public:
  explicit EnvGuard(const char* name) : name_(name), had_(qEnvironmentVariableIsSet(name)), old_(qgetenv(name)) {}
  ~EnvGuard() { had_ ? qputenv(name_, old_) : qunsetenv(name_); }

 private:
  const char* name_;
  bool had_;
  QByteArray old_;
};

MetricSpec metric(std::string name, std::uint32_t item, Type type, Semantics sem = Semantics::Instant,
                  std::uint32_t indom = 0) {
  MetricSpec m;
  m.name = std::move(name);
  m.item = item;
  m.type = type;
  m.semantics = sem;
  m.indom = indom;
  return m;
}

}  // namespace

class MmvWriterTest : public QObject {
  Q_OBJECT

 private slots:
  // A file with a domain, help texts and two metrics, checked field by field.
  void layout() {
    QTemporaryDir dir;
    Writer w({.fileName = "demo", .directory = dir.path().toStdString(), .cluster = 42, .flags = 0});
    QVERIFY(w.addIndom({.serial = 7, .instances = {{0, "red"}, {1, "green"}}, .shortHelp = "colours", .longHelp = {}}));
    MetricSpec requests = metric("requests", 1, Type::U64, Semantics::Counter);
    requests.units = Units::count();
    requests.shortHelp = "request count";
    requests.longHelp = "requests served since start";
    QVERIFY(w.addMetric(requests));
    MetricSpec paint = metric("paint", 2, Type::I32, Semantics::Instant, 7);
    paint.units = Units::space(SpaceScale::Byte);
    QVERIFY(w.addMetric(paint));
    QVERIFY2(w.start(), w.error().c_str());
    QCOMPARE(QString::fromStdString(w.path()), dir.filePath("demo"));

    const QByteArray f = readAll(dir.filePath("demo"));
    // 40 header + 5 TOC + 1 indom + 2 instances + 2 metrics + 3 values + 9 strings.
    const std::size_t strings = 2 + 2 + 1 + 2;  // names of instances and metrics, 3 help texts
    QCOMPARE(f.size(), qsizetype(40 + 5 * 16 + 32 + 2 * 24 + 2 * 48 + 3 * 32 + strings * 256));
    QCOMPARE(static_cast<std::size_t>(f.size()), w.fileSize());

    auto h = at<Header>(f, 0);
    QCOMPARE(QByteArray(h.magic, 4), QByteArray("MMV\0", 4));
    QCOMPARE(h.version, 2);
    QVERIFY(h.gen1 != 0);
    QCOMPARE(h.gen2, h.gen1);
    QCOMPARE(h.tocs, 5);
    QCOMPARE(h.flags, 0u);
    QCOMPARE(h.process, static_cast<std::int32_t>(::getpid()));
    QCOMPARE(h.cluster, 42);

    const std::int32_t types[] = {1, 2, 3, 4, 5};
    const std::int32_t counts[] = {1, 2, 2, 3, static_cast<std::int32_t>(strings)};
    const std::uint64_t offsets[] = {120, 152, 200, 296, 392};
    for (int i = 0; i < 5; ++i) {
      auto t = at<Toc>(f, 40 + 16 * i);
      QCOMPARE(t.type, types[i]);
      QCOMPARE(t.count, counts[i]);
      QCOMPARE(t.offset, offsets[i]);
    }

    auto indom = at<Indom>(f, 120);
    QCOMPARE(indom.serial, 7u);
    QCOMPARE(indom.count, 2u);
    QCOMPARE(indom.offset, 152u);
    QCOMPARE(text(f, indom.shortHelp), QString("colours"));
    QCOMPARE(indom.longHelp, 0u);

    auto red = at<Instance2>(f, 152), green = at<Instance2>(f, 176);
    QCOMPARE(red.indom, 120u);
    QCOMPARE(red.internal, 0);
    QCOMPARE(text(f, red.external), QString("red"));
    QCOMPARE(green.indom, 120u);
    QCOMPARE(green.internal, 1);
    QCOMPARE(text(f, green.external), QString("green"));
    // Strings in libpcp_mmv's order: instance names first, then metric names.
    QCOMPARE(red.external, 392u);
    QCOMPARE(green.external, 392u + 256);

    auto m0 = at<Metric2>(f, 200), m1 = at<Metric2>(f, 248);
    QCOMPARE(text(f, m0.name), QString("requests"));
    QCOMPARE(m0.item, 1u);
    QCOMPARE(m0.type, 3);
    QCOMPARE(m0.semantics, 1);
    QCOMPARE(m0.units, 0x00100000u);
    QCOMPARE(m0.indom, 0);
    QCOMPARE(m0.padding, 0u);
    QCOMPARE(text(f, m0.shortHelp), QString("request count"));
    QCOMPARE(text(f, m0.longHelp), QString("requests served since start"));
    QCOMPARE(text(f, m1.name), QString("paint"));
    QCOMPARE(m1.item, 2u);
    QCOMPARE(m1.type, 0);
    QCOMPARE(m1.semantics, 3);
    QCOMPARE(m1.units, 0x10000000u);
    QCOMPARE(m1.indom, 7);
    QCOMPARE(m1.shortHelp, 0u);
    QCOMPARE(m1.longHelp, 0u);

    auto v0 = at<ValueRecord>(f, 296), v1 = at<ValueRecord>(f, 328), v2 = at<ValueRecord>(f, 360);
    QCOMPARE(v0.metric, 200u);
    QCOMPARE(v0.instance, 0u);
    QCOMPARE(v1.metric, 248u);
    QCOMPARE(v1.instance, 152u);
    QCOMPARE(v2.metric, 248u);
    QCOMPARE(v2.instance, 176u);
    QCOMPARE(v0.value, 0u);
    QCOMPARE(v0.extra, 0);
  }

  // Every type: what a handle stores is what the value slot holds, in the spec's encoding.
  void everyType() {
    QTemporaryDir dir;
    Writer w({.fileName = "types", .directory = dir.path().toStdString(), .cluster = 5, .flags = 0});
    const Type types[] = {Type::I32, Type::U32, Type::I64, Type::U64, Type::Float, Type::Double, Type::String};
    const char* names[] = {"i32", "u32", "i64", "u64", "f", "d", "s"};
    for (std::uint32_t i = 0; i < 7; ++i) QVERIFY(w.addMetric(metric(names[i], i + 1, types[i])));
    QVERIFY2(w.start(), w.error().c_str());
    w.gauge<std::int32_t>("i32")->set(-5);
    w.gauge<std::uint32_t>("u32")->set(4000000000u);
    w.gauge<std::int64_t>("i64")->set(-1234567890123);
    w.gauge<std::uint64_t>("u64")->set(18000000000000000000ull);
    w.gauge<float>("f")->set(3.5f);
    w.gauge<double>("d")->set(0.25);
    w.string("s")->set("ok");
    QCOMPARE(w.string("s")->value(), std::string("ok"));
    // Wrong type or unknown names give no handle.
    QVERIFY(!w.gauge<double>("i32"));
    QVERIFY(!w.counter<std::uint64_t>("nothing"));
    QVERIFY(!w.counter<std::uint64_t>("u64", 3));

    const QByteArray f = readAll(dir.filePath("types"));
    const std::uint64_t values = at<Toc>(f, 40 + 16).offset;  // TOC: metrics, values, strings
    auto raw = [&](int i) { return f.mid(static_cast<qsizetype>(values + 32 * i), 8); };
    QCOMPARE(raw(0), QByteArray("\xfb\xff\xff\xff\0\0\0\0", 8));  // upper half untouched (spec 9)
    QCOMPARE(raw(1), QByteArray("\x00\x28\x6b\xee\0\0\0\0", 8));
    std::int64_t i64 = 0;
    std::memcpy(&i64, raw(2).constData(), 8);
    QCOMPARE(i64, std::int64_t{-1234567890123});
    std::uint64_t u64 = 0;
    std::memcpy(&u64, raw(3).constData(), 8);
    QCOMPARE(u64, 18000000000000000000ull);
    QCOMPARE(raw(4), QByteArray("\0\0\x60\x40\0\0\0\0", 8));
    QCOMPARE(raw(5), QByteArray("\0\0\0\0\0\0\xd0\x3f", 8));
    auto s = at<ValueRecord>(f, values + 32 * 6);
    QCOMPARE(s.value, 2u);  // the length, as libpcp_mmv keeps it
    QCOMPARE(text(f, static_cast<std::uint64_t>(s.extra)), QString("ok"));
    // Type codes in the metric records.
    const std::uint64_t metrics = at<Toc>(f, 40).offset;
    for (int i = 0; i < 7; ++i) QCOMPARE(at<Metric2>(f, metrics + 48 * i).type, static_cast<std::int32_t>(types[i]));

    // A shorter string clears the rest of the slot; a long one is cut at 255 bytes.
    auto str = *w.string("s");
    str.set("abcdef");
    str.set("xy");
    QCOMPARE(readAll(dir.filePath("types")).mid(static_cast<qsizetype>(s.extra), 8), QByteArray("xy\0\0\0\0\0\0", 8));
    str.set(std::string(300, 'z'));
    QCOMPARE(str.value(), std::string(255, 'z'));
    QCOMPARE(readAll(dir.filePath("types")).at(static_cast<qsizetype>(s.extra) + 255), '\0');
  }

  // Instances: one value record per instance, each handle its own slot.
  void instances() {
    QTemporaryDir dir;
    Writer w({.fileName = "inst", .directory = dir.path().toStdString(), .cluster = 6, .flags = 0});
    QVERIFY(w.addIndom({.serial = 3, .instances = {{10, "ten"}, {20, "twenty"}, {30, "thirty"}}, .shortHelp = {}, .longHelp = {}}));
    QVERIFY(w.addMetric(metric("hits", 1, Type::U32, Semantics::Counter, 3)));
    QVERIFY(w.start());
    w.counter<std::uint32_t>("hits", 10)->inc(1);
    w.counter<std::uint32_t>("hits", 20)->inc(2);
    w.counter<std::uint32_t>("hits", 30)->inc(3);
    QVERIFY(!w.counter<std::uint32_t>("hits"));  // singular lookup of a metric with instances
    QVERIFY(!w.counter<std::uint32_t>("hits", 40));

    const QByteArray f = readAll(dir.filePath("inst"));
    auto layout = parseMmv(std::span(reinterpret_cast<const std::uint8_t*>(f.constData()), static_cast<std::size_t>(f.size())));
    QVERIFY2(layout.ok(), layout.ok() ? "" : layout.failure().detail.c_str());
    QCOMPARE(layout->indoms.size(), std::size_t{1});
    QCOMPARE(layout->indoms[0].instances.size(), std::size_t{3});
    QCOMPARE(layout->indoms[0].instances[1].name, std::string("twenty"));
    QCOMPARE(layout->values.size(), std::size_t{3});
    for (int i = 0; i < 3; ++i) {
      QCOMPARE(layout->values[i].instance, 10 * (i + 1));
      QCOMPARE(at<std::uint32_t>(f, layout->values[i].valueOffset), static_cast<std::uint32_t>(i + 1));
    }
  }

  void flags_data() {
    QTest::addColumn<std::uint32_t>("flags");
    QTest::newRow("none") << 0u;
    QTest::newRow("noprefix") << kFlagNoPrefix;
    QTest::newRow("process") << kFlagProcess;
    QTest::newRow("sentinel") << kFlagSentinel;
    QTest::newRow("all") << (kFlagNoPrefix | kFlagProcess | kFlagSentinel);
  }
  // The header carries the flags; with PROCESS the file goes away with the writer.
  void flags() {
    QFETCH(std::uint32_t, flags);
    QTemporaryDir dir;
    const QString path = dir.filePath("flagged");
    {
      Writer w({.fileName = "flagged", .directory = dir.path().toStdString(), .cluster = 0, .flags = flags});
      QVERIFY(w.addMetric(metric("x", 0, Type::I64)));
      QVERIFY(w.start());
      QCOMPARE(at<Header>(readAll(path), 0).flags, flags);
      if (flags & kFlagSentinel) {
        w.gauge<std::int64_t>("x")->clear();
        QCOMPARE(readAll(path).mid(static_cast<qsizetype>(at<Toc>(readAll(path), 56).offset), 8), QByteArray(8, '\xff'));
      }
    }
    QCOMPARE(QFile::exists(path), !(flags & kFlagProcess));
  }

  // PCP_TMP_DIR from the environment, else PCP_TMP_DIR= in $PCP_CONF, else /var/tmp.
  void directory() {
    EnvGuard tmpGuard("PCP_TMP_DIR"), confGuard("PCP_CONF");
    QTemporaryDir dir;
    qputenv("PCP_TMP_DIR", dir.path().toUtf8());
    QCOMPARE(QString::fromStdString(mmvDirectory()), dir.path() + "/mmv");
    {
      Writer w({.fileName = "placed", .directory = {}, .cluster = 9, .flags = 0});
      QVERIFY(w.addMetric(metric("x", 1, Type::U64)));
      QVERIFY2(w.start(), w.error().c_str());
      QCOMPARE(QString::fromStdString(w.path()), dir.path() + "/mmv/placed");
      QVERIFY(QFile::exists(dir.path() + "/mmv/placed"));
    }
    qunsetenv("PCP_TMP_DIR");
    const QString conf = dir.filePath("pcp.conf");
    QFile c(conf);
    QVERIFY(c.open(QIODevice::WriteOnly));
    c.write("# comment\nPCP_TMPFILE_DIR=/elsewhere\nPCP_TMP_DIR=/from/conf\n");
    c.close();
    qputenv("PCP_CONF", conf.toUtf8());
    QCOMPARE(QString::fromStdString(mmvDirectory()), QString("/from/conf/mmv"));
    qputenv("PCP_TMP_DIR", "/from/env");  // the environment wins over the file, as in libpcp
    QCOMPARE(QString::fromStdString(mmvDirectory()), QString("/from/env/mmv"));
    qunsetenv("PCP_TMP_DIR");
    qputenv("PCP_CONF", dir.filePath("missing.conf").toUtf8());
    QCOMPARE(QString::fromStdString(mmvDirectory()), QString("/var/tmp/mmv"));
  }

  // Four threads incrementing one counter: not one increment lost.
  void threads() {
    QTemporaryDir dir;
    Writer w({.fileName = "busy", .directory = dir.path().toStdString(), .cluster = 8, .flags = 0});
    QVERIFY(w.addMetric(metric("n", 1, Type::U64, Semantics::Counter)));
    QVERIFY(w.addMetric(metric("g", 2, Type::I32, Semantics::Instant)));
    QVERIFY(w.start());
    auto n = *w.counter<std::uint64_t>("n");
    auto g = *w.gauge<std::int32_t>("g");
    constexpr int kPerThread = 250000;
    std::vector<std::thread> pool;
    for (int t = 0; t < 4; ++t)
      pool.emplace_back([&] {
        for (int i = 0; i < kPerThread; ++i) {
          n.inc();
          g.inc(2);
          g.dec();
        }
      });
    for (auto& t : pool) t.join();
    QCOMPARE(n.value(), std::uint64_t{4 * kPerThread});
    QCOMPARE(g.value(), 4 * kPerThread);
    const QByteArray f = readAll(dir.filePath("busy"));
    QCOMPARE(at<std::uint64_t>(f, at<Toc>(f, 56).offset), std::uint64_t{4 * kPerThread});
  }

  // One writer thread with the lock-free increment while another thread reads: the
  // reader sees a count that never goes backwards and the final sum is exact.
  void singleWriter() {
    QTemporaryDir dir;
    Writer w({.fileName = "solo", .directory = dir.path().toStdString(), .cluster = 9, .flags = 0});
    QVERIFY(w.addMetric(metric("n", 1, Type::U64, Semantics::Counter)));
    QVERIFY(w.start());
    auto n = *w.counter<std::uint64_t>("n");
    constexpr std::uint64_t kTimes = 1000000;
    std::atomic<bool> done{false};
    bool monotonic = true;
    std::thread reader([&] {
      std::uint64_t last = 0;
      while (!done.load()) {
        const std::uint64_t v = n.value();
        if (v < last) monotonic = false;
        last = v;
      }
    });
    for (std::uint64_t i = 0; i < kTimes; ++i) n.incSingleWriter(3);
    done = true;
    reader.join();
    QVERIFY(monotonic);
    QCOMPARE(n.value(), 3 * kTimes);
  }

  void refused_data() {
    QTest::addColumn<int>("step");
    QTest::addColumn<QString>("error");
    QTest::newRow("bad name") << 0 << "metric name \"9lives\"";
    QTest::newRow("dash") << 1 << "metric name \"a-b\"";
    QTest::newRow("item") << 2 << "item 1024 is above 1023";
    QTest::newRow("same item") << 3 << "item 1 already used by a";
    QTest::newRow("same name") << 4 << "a: registered twice";
    QTest::newRow("no indom") << 5 << "instance domain 4 is not registered";
    QTest::newRow("serial") << 6 << "serial 2048 is outside 1..2047";
    QTest::newRow("empty indom") << 7 << "has no instances";
    QTest::newRow("duplicate instance") << 8 << "repeats an id or name";
    QTest::newRow("help") << 9 << "help text longer than 255 bytes";
    QTest::newRow("cluster") << 10 << "cluster 3000 is above 2047";
    QTest::newRow("file name") << 11 << "is not a valid metric name component";
    QTest::newRow("after start") << 12 << "metric added after start()";
  }
  void refused() {
    QFETCH(int, step);
    QFETCH(QString, error);
    QTemporaryDir dir;
    WriterOptions o{.fileName = step == 11 ? "bad-name" : "ok", .directory = dir.path().toStdString(),
                    .cluster = step == 10 ? 3000u : 1u, .flags = 0};
    Writer w(o);
    QVERIFY(w.addMetric(metric("a", 1, Type::U64)));
    bool added = true, started = true;
    switch (step) {
      case 0: added = w.addMetric(metric("9lives", 2, Type::U64)); break;
      case 1: added = w.addMetric(metric("a-b", 2, Type::U64)); break;
      case 2: added = w.addMetric(metric("b", 1024, Type::U64)); break;
      case 3: added = w.addMetric(metric("b", 1, Type::U64)); break;
      case 4: added = w.addMetric(metric("a", 2, Type::U64)); break;
      case 5: QVERIFY(w.addMetric(metric("b", 2, Type::U64, Semantics::Instant, 4))); started = w.start(); break;
      case 6: added = w.addIndom({.serial = 2048, .instances = {{0, "x"}}, .shortHelp = {}, .longHelp = {}}); break;
      case 7: added = w.addIndom({.serial = 2, .instances = {}, .shortHelp = {}, .longHelp = {}}); break;
      case 8: added = w.addIndom({.serial = 2, .instances = {{0, "x"}, {0, "y"}}, .shortHelp = {}, .longHelp = {}}); break;
      case 9: {
        MetricSpec m = metric("b", 2, Type::U64);
        m.longHelp = std::string(256, 'h');
        added = w.addMetric(m);
        break;
      }
      case 10: QVERIFY(w.addIndom({.serial = 2, .instances = {{0, "x"}}, .shortHelp = {}, .longHelp = {}})); started = w.start(); break;
      case 11: started = w.start(); break;
      case 12: QVERIFY(w.start()); added = w.addMetric(metric("b", 2, Type::U64)); break;
    }
    QVERIFY(!(added && started));
    QVERIFY2(QString::fromStdString(w.error()).contains(error), w.error().c_str());
    if (step == 5 || step == 10 || step == 11) QVERIFY(!QFile::exists(dir.filePath(step == 11 ? "bad-name" : "ok")));
  }

  // The C interface writes the same file and its inline updates land in the slots.
  void cApi() {
    QTemporaryDir dir;
    const QByteArray d = dir.path().toUtf8();
    sextant_mmv* m = sextant_mmv_create("capi", d.constData(), 77, SEXTANT_MMV_NOPREFIX);
    QVERIFY(m);
    QCOMPARE(sextant_mmv_add_indom(m, 2, "cpus", nullptr), 0);
    QCOMPARE(sextant_mmv_add_instance(m, 2, 0, "cpu0"), 0);
    QCOMPARE(sextant_mmv_add_instance(m, 2, 1, "cpu1"), 0);
    QCOMPARE(sextant_mmv_add_instance(m, 9, 0, "x"), -1);
    QVERIFY(QString(sextant_mmv_error(m)).contains("instance domain 9"));
    QCOMPARE(sextant_mmv_add_metric(m, "ops", 1, SEXTANT_MMV_U64, SEXTANT_MMV_COUNTER, SEXTANT_MMV_UNITS(0, 0, 1, 0, 0, 0),
                                    0, "operations", nullptr), 0);
    QCOMPARE(sextant_mmv_add_metric(m, "load", 2, SEXTANT_MMV_DOUBLE, SEXTANT_MMV_INSTANT, 0, 2, nullptr, nullptr), 0);
    QCOMPARE(sextant_mmv_add_metric(m, "ms", 3, SEXTANT_MMV_I32, SEXTANT_MMV_INSTANT, SEXTANT_MMV_UNITS(0, 1, 0, 0, 2, 0),
                                    0, nullptr, nullptr), 0);
    QCOMPARE(sextant_mmv_add_metric(m, "name", 4, SEXTANT_MMV_STRING, SEXTANT_MMV_DISCRETE, 0, 0, nullptr, nullptr), 0);
    QCOMPARE(sextant_mmv_add_metric(m, "ops", 5, SEXTANT_MMV_U64, SEXTANT_MMV_COUNTER, 0, 0, nullptr, nullptr), -1);
    QCOMPARE(sextant_mmv_start(m), 0);
    QCOMPARE(QString(sextant_mmv_path(m)), dir.filePath("capi"));
    sextant_mmv_value* ops = sextant_mmv_lookup(m, "ops", SEXTANT_MMV_NO_INSTANCE);
    QVERIFY(ops);
    sextant_mmv_inc_u64(ops, 5);
    sextant_mmv_inc_u64(ops, 1);
    sextant_mmv_set_double(sextant_mmv_lookup(m, "load", 1), 1.5);
    sextant_mmv_set_i32(sextant_mmv_lookup(m, "ms", SEXTANT_MMV_NO_INSTANCE), -7);
    QCOMPARE(sextant_mmv_set_string(m, sextant_mmv_lookup(m, "name", SEXTANT_MMV_NO_INSTANCE), "hello"), 0);
    QCOMPARE(sextant_mmv_set_string(m, ops, "no"), -1);
    QVERIFY(!sextant_mmv_lookup(m, "load", 5));

    const QByteArray f = readAll(dir.filePath("capi"));
    QCOMPARE(at<Header>(f, 0).flags, kFlagNoPrefix);
    QCOMPARE(at<Header>(f, 0).cluster, 77);
    auto layout = parseMmv(std::span(reinterpret_cast<const std::uint8_t*>(f.constData()), static_cast<std::size_t>(f.size())));
    QVERIFY(layout.ok());
    QCOMPARE(layout->metrics.size(), std::size_t{4});
    QCOMPARE(layout->metrics[2].units, 0x01002000u);  // millisec (spec 10)
    QCOMPARE(layout->metrics[0].shortHelp, std::string("operations"));
    QCOMPARE(layout->indoms[0].shortHelp, std::string("cpus"));
    QCOMPARE(at<std::uint64_t>(f, layout->values[0].valueOffset), std::uint64_t{6});
    QCOMPARE(at<double>(f, layout->values[2].valueOffset), 1.5);  // load[cpu1]
    QCOMPARE(at<std::int32_t>(f, layout->values[3].valueOffset), -7);
    QCOMPARE(text(f, layout->values[4].stringOffset), QString("hello"));
    sextant_mmv_destroy(m);
  }
};

QTEST_GUILESS_MAIN(MmvWriterTest)
#include "MmvWriterTest.moc"
