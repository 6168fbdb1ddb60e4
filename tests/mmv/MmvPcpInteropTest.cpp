// Files written by Sextant's instrumentation library, read by the real PCP: Debian's
// `mmvdump` must decode every record and value, and a private pmcd with PCP's mmv agent
// (pmda_mmv.so, domain 70) must serve the metrics with their types, units, instances
// and current values. Both sides use a private PCP_TMP_DIR. A missing PCP component
// fails the test, naming it.
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "../TestProcess.h"
#include "../service/TestDaemon.h"
#include "instrument/MmvWriter.h"

using namespace sextant;
using namespace sextant::mmv;
using sextant::test::pcpConf;
using sextant::test::run;

namespace {

// The file every test writes: a domain with two instances and one metric of each type.
bool describe(Writer& w) {
  MetricSpec requests{.name = "requests", .item = 1, .type = Type::U64, .semantics = Semantics::Counter,
                      .units = Units::count(), .indom = 0, .shortHelp = "request count", .longHelp = "all requests"};
  MetricSpec paint{.name = "paint", .item = 2, .type = Type::I32, .semantics = Semantics::Instant,
                   .units = Units::space(SpaceScale::Byte), .indom = 7, .shortHelp = {}, .longHelp = {}};
  MetricSpec status{.name = "status", .item = 3, .type = Type::String, .semantics = Semantics::Discrete,
                    .units = Units::none(), .indom = 0, .shortHelp = {}, .longHelp = {}};
  MetricSpec ratio{.name = "ratio", .item = 4, .type = Type::Double, .semantics = Semantics::Instant,
                   .units = Units::none(), .indom = 0, .shortHelp = {}, .longHelp = {}};
  MetricSpec level{.name = "level", .item = 5, .type = Type::Float, .semantics = Semantics::Instant,
                   .units = Units::time(TimeScale::Millisec), .indom = 0, .shortHelp = {}, .longHelp = {}};
  MetricSpec total{.name = "total", .item = 6, .type = Type::I64, .semantics = Semantics::Counter,
                   .units = Units::space(SpaceScale::KByte), .indom = 0, .shortHelp = {}, .longHelp = {}};
  MetricSpec small{.name = "small", .item = 7, .type = Type::U32, .semantics = Semantics::Discrete,
                   .units = Units::count(), .indom = 0, .shortHelp = {}, .longHelp = {}};
  return w.addIndom({.serial = 7, .instances = {{0, "red"}, {1, "green"}}, .shortHelp = "colours", .longHelp = {}}) &&
         w.addMetric(requests) && w.addMetric(paint) && w.addMetric(status) && w.addMetric(ratio) &&
         w.addMetric(level) && w.addMetric(total) && w.addMetric(small) && w.start();
}

void fill(Writer& w) {
  w.counter<std::uint64_t>("requests")->inc(1000);
  w.counter<std::uint64_t>("requests")->inc();
  w.gauge<std::int32_t>("paint", 0)->set(17);
  w.gauge<std::int32_t>("paint", 1)->set(-5);
  w.string("status")->set("ok");
  w.gauge<double>("ratio")->set(0.25);
  w.gauge<float>("level")->set(3.5f);
  w.counter<std::int64_t>("total")->inc(-42);
  w.gauge<std::uint32_t>("small")->set(4000000000u);
}

QString mmvdumpProgram() {
  QString dir = pcpConf("PCP_PMDAS_DIR") + "/mmv/mmvdump";
  if (QFile::exists(dir)) return dir;
  return QStandardPaths::findExecutable("mmvdump");
}

}  // namespace

class MmvPcpInteropTest : public QObject {
  Q_OBJECT

 private slots:
  // mmvdump decodes the header, every metric record and every value.
  void mmvdumpReadsOurFile() {
    const QString mmvdump = mmvdumpProgram();
    QVERIFY2(!mmvdump.isEmpty(), "PCP's mmvdump is not installed (PCP_PMDAS_DIR/mmv/mmvdump, package pcp)");
    QTemporaryDir dir;
    Writer w({.fileName = "interop", .directory = dir.path().toStdString(), .cluster = 42, .flags = kFlagProcess});
    QVERIFY2(describe(w), w.error().c_str());
    fill(w);
    auto r = run(mmvdump, {QString::fromStdString(w.path())});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));

    auto field = [&](const QString& name) {
      auto m = QRegularExpression("^" + name + "\\s*= (.*)$", QRegularExpression::MultilineOption).match(r.out);
      return m.hasMatch() ? m.captured(1).trimmed() : QString("<missing>");
    };
    QCOMPARE(field("Version"), QString("2"));
    QCOMPARE(field("TOC count"), QString("5"));
    QCOMPARE(field("Cluster"), QString("42"));
    QCOMPARE(field("Flags"), QString("0x2 (process)"));

    // Metric records: "[item/offset] name" then "type=... (0xT), sem=... (0xS), pad=0x0".
    QMap<QString, QString> types, units;
    const QRegularExpression metricRe("^  \\[(\\d+)/\\d+\\] (\\S+)\\n\\s+type=.*\\((0x[0-9a-f]+)\\), sem=.*\\((0x[0-9a-f]+)\\), pad=0x0\\n\\s+units=(.*)$",
                                      QRegularExpression::MultilineOption);
    for (auto it = metricRe.globalMatch(r.out); it.hasNext();) {
      auto m = it.next();
      types[m.captured(2)] = m.captured(1) + " " + m.captured(3) + " " + m.captured(4);
      units[m.captured(2)] = m.captured(5);
    }
    QCOMPARE(types.value("requests"), QString("1 0x3 0x1"));
    QCOMPARE(types.value("paint"), QString("2 0x0 0x3"));
    QCOMPARE(types.value("status"), QString("3 0x6 0x4"));
    QCOMPARE(types.value("ratio"), QString("4 0x5 0x3"));
    QCOMPARE(types.value("level"), QString("5 0x4 0x3"));
    QCOMPARE(types.value("total"), QString("6 0x2 0x1"));
    QCOMPARE(types.value("small"), QString("7 0x1 0x4"));
    QCOMPARE(units.value("requests"), QString("count"));
    QCOMPARE(units.value("paint"), QString("byte"));
    QCOMPARE(units.value("level"), QString("millisec"));
    QCOMPARE(units.value("total"), QString("Kbyte"));

    // Values: "[item/offset] name = value" or "name[id or "inst"] = value".
    QMap<QString, QString> values;
    const QRegularExpression valueRe("^  \\[\\d+/\\d+\\] (\\S+(?:\\[\\d+ or \"\\w+\"\\])?) = (.*)$",
                                     QRegularExpression::MultilineOption);
    for (auto it = valueRe.globalMatch(r.out); it.hasNext();) {
      auto m = it.next();
      values[m.captured(1)] = m.captured(2);
    }
    QCOMPARE(values.value("requests"), QString("1001"));
    QCOMPARE(values.value("paint[0 or \"red\"]"), QString("17"));
    QCOMPARE(values.value("paint[1 or \"green\"]"), QString("-5"));
    QCOMPARE(values.value("status"), QString("\"ok\""));
    QCOMPARE(values.value("ratio"), QString("0.250000"));
    QCOMPARE(values.value("level"), QString("3.500000"));
    QCOMPARE(values.value("total"), QString("-42"));
    QCOMPARE(values.value("small"), QString("4000000000"));
    QVERIFY2(r.out.contains("shorttext=request count") && r.out.contains("helptext=all requests") &&
                 r.out.contains("shorttext=colours"),
             qPrintable(r.out));
  }

  // A real pmcd with PCP's mmv agent serves our metrics; values follow updates.
  void pmcdServesOurFile() {
    const QString pmdas = pcpConf("PCP_PMDAS_DIR");
    const QString dso = pmdas + "/mmv/pmda_mmv.so";
    QVERIFY2(!pmdas.isEmpty() && QFile::exists(dso), "PCP's mmv agent is not installed (PCP_PMDAS_DIR/mmv/pmda_mmv.so)");
    const QString pminfo = QStandardPaths::findExecutable("pminfo");
    QVERIFY2(!pminfo.isEmpty(), "PCP's pminfo is not installed");

    QTemporaryDir tmp;  // the private PCP_TMP_DIR of both sides
    QVERIFY(QDir(tmp.path()).mkpath("mmv"));
    const QByteArray oldTmp = qgetenv("PCP_TMP_DIR");
    const bool hadTmp = qEnvironmentVariableIsSet("PCP_TMP_DIR");
    qputenv("PCP_TMP_DIR", tmp.path().toUtf8());
    Writer w({.fileName = "interop", .directory = {}, .cluster = 42, .flags = kFlagProcess});
    const bool described = describe(w);
    hadTmp ? qputenv("PCP_TMP_DIR", oldTmp) : qunsetenv("PCP_TMP_DIR");
    QVERIFY2(described, w.error().c_str());
    QCOMPARE(QString::fromStdString(w.path()), tmp.path() + "/mmv/interop");
    fill(w);

    sextant::test::TestDaemon pmcd;
    QVERIFY2(pmcd.startPmcd({"mmv\t70\tdso\tmmv_init\t" + dso}, {"PCP_TMP_DIR=" + tmp.path()}), qPrintable(pmcd.error()));
    auto r = run(pminfo, {"-h", pmcd.hostSpec(), "-dfT", "mmv.interop"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err + pmcd.diagnostics()));

    // Split pminfo's output into one block per metric.
    QMap<QString, QString> block;
    QString current;
    for (const QString& line : r.out.split('\n')) {
      if (line.startsWith("mmv.")) current = line.trimmed();
      else if (!current.isEmpty()) block[current] += line.trimmed() + "\n";
    }
    auto has = [&](const QString& metric, const QString& text) {
      return block.value(metric).contains(text);
    };
    QVERIFY2(block.size() == 7, qPrintable(r.out));
    QVERIFY2(has("mmv.interop.requests", "Data Type: 64-bit unsigned int  InDom: PM_INDOM_NULL 0xffffffff"), qPrintable(r.out));
    QVERIFY2(has("mmv.interop.requests", "Semantics: counter  Units: count"), qPrintable(r.out));
    QVERIFY2(has("mmv.interop.requests", "value 1001"), qPrintable(r.out));
    QVERIFY2(has("mmv.interop.requests", "Help:\nall requests"), qPrintable(r.out));
    QVERIFY2(has("mmv.interop.paint", "Data Type: 32-bit int  InDom: 70.86023 0x11815007"), qPrintable(r.out));
    QVERIFY2(has("mmv.interop.paint", "Semantics: instant  Units: byte"), qPrintable(r.out));
    QVERIFY2(has("mmv.interop.paint", "inst [0 or \"red\"] value 17"), qPrintable(r.out));
    QVERIFY2(has("mmv.interop.paint", "inst [1 or \"green\"] value -5"), qPrintable(r.out));
    QVERIFY2(has("mmv.interop.status", "Data Type: string") && has("mmv.interop.status", "value \"ok\""), qPrintable(r.out));
    QVERIFY2(has("mmv.interop.ratio", "Data Type: double") && has("mmv.interop.ratio", "value 0.25"), qPrintable(r.out));
    QVERIFY2(has("mmv.interop.level", "Data Type: float") && has("mmv.interop.level", "Units: millisec") &&
                 has("mmv.interop.level", "value 3.5"),
             qPrintable(r.out));
    QVERIFY2(has("mmv.interop.total", "Data Type: 64-bit int") && has("mmv.interop.total", "Units: Kbyte") &&
                 has("mmv.interop.total", "value -42"),
             qPrintable(r.out));
    QVERIFY2(has("mmv.interop.small", "Data Type: 32-bit unsigned int") && has("mmv.interop.small", "Semantics: discrete") &&
                 has("mmv.interop.small", "value 4000000000"),
             qPrintable(r.out));

    // Updates through the handles are what the next fetch sees.
    w.counter<std::uint64_t>("requests")->inc(99);
    w.string("status")->set("changed");
    r = run(pminfo, {"-h", pmcd.hostSpec(), "-f", "mmv.interop.requests", "mmv.interop.status"});
    QVERIFY2(r.out.contains("value 1100") && r.out.contains("value \"changed\""), qPrintable(r.out + r.err));
  }
};

QTEST_GUILESS_MAIN(MmvPcpInteropTest)
#include "MmvPcpInteropTest.moc"
