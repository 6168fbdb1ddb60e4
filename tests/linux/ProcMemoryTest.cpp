// parseProcMeminfo and parseProcVmstat on recorded files and on malformed text.
#include <QtTest>

#include "KernelFixture.h"
#include "backends/linux/ProcMeminfo.h"
#include "backends/linux/ProcVmstat.h"

using namespace sextant;
using namespace sextant::linuxbe;

// A key and its expected number, or -1 for "the file does not have this key".
using Expectations = QList<QPair<QString, qint64>>;

// Compares each expected key with the snapshot's get(); a failure names the key.
template <class Snapshot>
void checkFields(const Snapshot& snap, const Expectations& expect) {
  for (const auto& [key, value] : expect) {
    auto got = snap.get(key.toStdString());
    if (value < 0) {
      QVERIFY2(!got.has_value(), qPrintable(key));
    } else {
      QVERIFY2(got.has_value(), qPrintable(key));
      QCOMPARE(qint64(*got), value);
    }
  }
}

class ProcMemoryTest : public QObject {
  Q_OBJECT
 private slots:
  void meminfo_data();
  void meminfo();
  void meminfoMalformed_data();
  void meminfoMalformed();
  void vmstat_data();
  void vmstat();
  void vmstatMalformed_data();
  void vmstatMalformed();
};

void ProcMemoryTest::meminfo_data() {
  QTest::addColumn<QString>("fixture");
  QTest::addColumn<int>("count");
  QTest::addColumn<Expectations>("expect");
  QTest::newRow("vm-2cpu") << "vm-2cpu" << 54
                           << Expectations{{"MemTotal", 24684092}, {"MemFree", 23652340}, {"MemAvailable", 23862360},
                                           {"Buffers", 2184}, {"Cached", 385676}, {"SwapTotal", 0},
                                           {"Hugepagesize", 2048}, {"HighTotal", -1}};
  QTest::newRow("server-64cpu") << "server-64cpu" << 51
                                << Expectations{{"MemTotal", 527988956}, {"HugePages_Total", 16384},
                                                {"HugePages_Free", 4096}, {"SwapTotal", 10485752},
                                                {"SwapFree", 9961452}, {"VmallocTotal", 34359738367ll},
                                                {"Active(file)", 30000000}, {"Percpu", 178176}};
  // A 4.4 kernel: no KReclaimable (4.20) or Percpu (4.16), but CMA lines.
  QTest::newRow("arm-8cpu") << "arm-8cpu" << 42
                            << Expectations{{"MemTotal", 3921232}, {"MemFree", 1523456}, {"CmaTotal", 16384},
                                            {"SwapTotal", 0}, {"KReclaimable", -1}, {"Percpu", -1},
                                            {"Inactive(anon)", 23456}};
}

void ProcMemoryTest::meminfo() {
  QFETCH(QString, fixture);
  QFETCH(Expectations, expect);
  auto text = [](const QString& name) { return testing::kernelFixtureText(name.toStdString() + "/proc/meminfo"); };
  // Parsed afresh, then lending it the storage of each recording's snapshot, as the
  // daemon does from one refresh to the next: longer, shorter, other names.
  for (const QString earlier : {"", "vm-2cpu", "server-64cpu", "arm-8cpu"}) {
    MeminfoSnapshot lent = earlier.isEmpty() ? MeminfoSnapshot{} : *parseProcMeminfo(text(earlier));
    auto snap = parseProcMeminfo(text(fixture), std::move(lent));
    QVERIFY2(snap.ok(), snap.ok() ? "" : snap.failure().message().c_str());
    QTEST(int(snap->fields.size()), "count");
    checkFields(*snap, expect);
  }
}

void ProcMemoryTest::meminfoMalformed_data() {
  QTest::addColumn<QByteArray>("text");
  QTest::newRow("empty") << QByteArray("");
  QTest::newRow("no MemTotal") << QByteArray("MemFree:  10 kB\n");
  QTest::newRow("no colon") << QByteArray("MemTotal:  10 kB\nMemFree 5 kB\n");
  QTest::newRow("missing value") << QByteArray("MemTotal:\n");
  QTest::newRow("non-number") << QByteArray("MemTotal:  ten kB\n");
  QTest::newRow("unknown unit") << QByteArray("MemTotal:  10 MB\n");
  QTest::newRow("extra field") << QByteArray("MemTotal:  10 kB x\n");
  QTest::newRow("truncated after colon") << QByteArray("MemTotal:  10 kB\nMemFr");
  QTest::newRow("garbage") << QByteArray("\xff\xfe:\x01\x02", 5);
}

void ProcMemoryTest::meminfoMalformed() {
  QFETCH(QByteArray, text);
  auto snap = parseProcMeminfo(std::string_view(text.constData(), std::size_t(text.size())));
  QVERIFY(!snap.ok());
  QVERIFY(snap.failure().detail.find("/proc/meminfo") == 0);
}

void ProcMemoryTest::vmstat_data() {
  QTest::addColumn<QString>("fixture");
  QTest::addColumn<Expectations>("expect");
  // A 6.x kernel: allocstall split per zone (4.10), workingset_refault split (5.9).
  QTest::newRow("vm-2cpu") << "vm-2cpu"
                           << Expectations{{"pgfault", 7380945}, {"numa_hit", 6695960}, {"nr_dirty", 12127},
                                           {"pswpin", 0}, {"allocstall", -1}, {"workingset_refault", -1}};
  QTest::newRow("server-64cpu") << "server-64cpu"
                                << Expectations{{"pswpin", 1103514}, {"pgsteal_kswapd", 2123483},
                                                {"oom_kill", 1645570}, {"numa_hit", 924941},
                                                {"pgalloc_normal", 1973022}, {"allocstall", -1}};
  // 4.4 without NUMA: one allocstall, per-zone pgsteal (merged in 4.8), no oom_kill (4.13).
  QTest::newRow("arm-8cpu") << "arm-8cpu"
                            << Expectations{{"allocstall", 1593}, {"workingset_refault", 2106}, {"pswpin", 0},
                                            {"pgalloc_normal", 1782}, {"pgsteal_kswapd", -1}, {"oom_kill", -1},
                                            {"numa_hit", -1}};
}

void ProcMemoryTest::vmstat() {
  QFETCH(QString, fixture);
  QFETCH(Expectations, expect);
  auto text = [](const QString& name) { return testing::kernelFixtureText(name.toStdString() + "/proc/vmstat"); };
  for (const QString earlier : {"", "vm-2cpu", "server-64cpu", "arm-8cpu"}) {
    VmstatSnapshot lent = earlier.isEmpty() ? VmstatSnapshot{} : *parseProcVmstat(text(earlier));
    auto snap = parseProcVmstat(text(fixture), std::move(lent));
    QVERIFY2(snap.ok(), snap.ok() ? "" : snap.failure().message().c_str());
    checkFields(*snap, expect);
  }
}

void ProcMemoryTest::vmstatMalformed_data() {
  QTest::addColumn<QByteArray>("text");
  QTest::newRow("empty") << QByteArray("");
  QTest::newRow("name only") << QByteArray("pgfault 5\npgmajfault\n");
  QTest::newRow("three fields") << QByteArray("pgfault 5 6\n");
  QTest::newRow("non-number") << QByteArray("pgfault many\n");
  QTest::newRow("negative") << QByteArray("pgfault -5\n");
  QTest::newRow("garbage") << QByteArray("\x01\x02\x03", 3);
}

void ProcMemoryTest::vmstatMalformed() {
  QFETCH(QByteArray, text);
  auto snap = parseProcVmstat(std::string_view(text.constData(), std::size_t(text.size())));
  QVERIFY(!snap.ok());
  QVERIFY(snap.failure().detail.find("/proc/vmstat") == 0);
}

QTEST_GUILESS_MAIN(ProcMemoryTest)
#include "ProcMemoryTest.moc"
