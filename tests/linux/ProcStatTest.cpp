// parseProcStat on recorded /proc/stat files and on malformed text.
#include <QtTest>

#include "KernelFixture.h"
#include "backends/linux/ProcStat.h"

using namespace sextant;
using namespace sextant::linuxbe;

class ProcStatTest : public QObject {
  Q_OBJECT
 private slots:
  void fixtures_data();
  void fixtures();
  void olderKernels_data();
  void olderKernels();
  void malformed_data();
  void malformed();
  void missingCounters();
};

void ProcStatTest::fixtures_data() {
  QTest::addColumn<QString>("fixture");
  QTest::addColumn<int>("ncpu");
  QTest::addColumn<quint64>("user");
  QTest::addColumn<quint64>("guest");
  QTest::addColumn<quint64>("idle");
  QTest::addColumn<int>("lastCpu");
  QTest::addColumn<quint64>("lastCpuIdle");
  QTest::addColumn<quint64>("intr");
  QTest::addColumn<quint64>("ctxt");
  QTest::addColumn<qint64>("btime");
  QTest::addColumn<quint64>("processes");
  QTest::addColumn<quint64>("running");
  QTest::addColumn<quint64>("blocked");
  // The kernel sums the aggregate line at a slightly different moment from the per-CPU
  // lines, so a recording of a live system may be off by a tick; built cases are exact.
  QTest::addColumn<bool>("exactSum");
  QTest::newRow("vm-2cpu") << "vm-2cpu" << 2 << quint64(17027) << quint64(0) << quint64(109647) << 1 << quint64(52894)
                           << quint64(261939) << quint64(481291) << qint64(1795304284) << quint64(10158) << quint64(7)
                           << quint64(0) << false;
  QTest::newRow("server-64cpu") << "server-64cpu" << 64 << quint64(6474592) << quint64(74080) << quint64(320203616) << 63
                                << quint64(5006363) << quint64(9876543210ull) << quint64(123456789012ull)
                                << qint64(1700000000) << quint64(4567890) << quint64(18) << quint64(2) << true;
  QTest::newRow("arm-8cpu") << "arm-8cpu" << 8 << quint64(176400) << quint64(0) << quint64(7012000) << 7
                            << quint64(873000) << quint64(45678901) << quint64(87654321) << qint64(1500000000)
                            << quint64(123456) << quint64(3) << quint64(1) << true;
}

void ProcStatTest::fixtures() {
  QFETCH(QString, fixture);
  auto text = [](const char* name) { return testing::kernelFixtureText(std::string(name) + "/proc/stat"); };
  // Parsed afresh, then lending it the storage of a reading with more CPUs and of one
  // with fewer, as the daemon does from one refresh to the next.
  for (const char* earlier : {"", "server-64cpu", "vm-2cpu"}) {
    StatSnapshot lent = *earlier ? *parseProcStat(text(earlier)) : StatSnapshot{};
    auto snap = parseProcStat(text(fixture.toUtf8().constData()), std::move(lent));
    QVERIFY2(snap.ok(), snap.ok() ? "" : snap.failure().message().c_str());
    QTEST(int(snap->cpus.size()), "ncpu");
    QCOMPARE(snap->all.present, kCpuFieldCount);
    QTEST(quint64(*snap->all.get(CpuField::User)), "user");
    QTEST(quint64(*snap->all.get(CpuField::Guest)), "guest");
    QTEST(quint64(*snap->all.get(CpuField::Idle)), "idle");
    QTEST(int(snap->cpus.back().cpu), "lastCpu");
    QTEST(quint64(*snap->cpus.back().times.get(CpuField::Idle)), "lastCpuIdle");
    QTEST(quint64(*snap->intr), "intr");
    QTEST(quint64(*snap->ctxt), "ctxt");
    QTEST(qint64(*snap->btime), "btime");
    QTEST(quint64(*snap->processes), "processes");
    QTEST(quint64(*snap->procsRunning), "running");
    QTEST(quint64(*snap->procsBlocked), "blocked");
    QFETCH(bool, exactSum);
    for (std::size_t f = 0; f < kCpuFieldCount; ++f) {
      std::uint64_t sum = 0;
      for (const auto& c : snap->cpus) sum += c.times.ticks[f];
      if (exactSum) QCOMPARE(sum, snap->all.ticks[f]);
      else QVERIFY(sum + snap->cpus.size() >= snap->all.ticks[f] && sum <= snap->all.ticks[f] + snap->cpus.size());
    }
  }
}

void ProcStatTest::olderKernels_data() {
  QTest::addColumn<QString>("text");
  QTest::addColumn<int>("present");
  QTest::addColumn<bool>("hasIoWait");
  QTest::addColumn<bool>("hasSteal");
  QTest::addColumn<bool>("hasGuestNice");
  QTest::newRow("2.4: four columns") << "cpu  10 20 30 40\ncpu0 10 20 30 40\n" << 4 << false << false << false;
  QTest::newRow("2.6.0: seven columns") << "cpu  1 2 3 4 5 6 7\ncpu0 1 2 3 4 5 6 7\n" << 7 << true << false << false;
  QTest::newRow("2.6.11: steal") << "cpu  1 2 3 4 5 6 7 8\n" << 8 << true << true << false;
  QTest::newRow("2.6.33: guest_nice") << "cpu  1 2 3 4 5 6 7 8 9 10\n" << 10 << true << true << true;
  QTest::newRow("future: extra column ignored") << "cpu  1 2 3 4 5 6 7 8 9 10 11\n" << 10 << true << true << true;
}

void ProcStatTest::olderKernels() {
  QFETCH(QString, text);
  QFETCH(int, present);
  auto snap = parseProcStat(text.toStdString());
  QVERIFY(snap.ok());
  QCOMPARE(int(snap->all.present), present);
  QTEST(snap->all.get(CpuField::IoWait).has_value(), "hasIoWait");
  QTEST(snap->all.get(CpuField::Steal).has_value(), "hasSteal");
  QTEST(snap->all.get(CpuField::GuestNice).has_value(), "hasGuestNice");
  QCOMPARE(*snap->all.get(CpuField::User), snap->all.ticks[0]);
}

void ProcStatTest::malformed_data() {
  QTest::addColumn<QByteArray>("text");
  QTest::newRow("empty") << QByteArray("");
  QTest::newRow("no aggregate line") << QByteArray("cpu0 1 2 3 4\nctxt 5\n");
  QTest::newRow("aggregate too short") << QByteArray("cpu  1 2 3\n");
  QTest::newRow("non-number") << QByteArray("cpu  1 2 x 4\n");
  QTest::newRow("negative") << QByteArray("cpu  -1 2 3 4\n");
  QTest::newRow("bad cpu label") << QByteArray("cpu  1 2 3 4\ncpuX 1 2 3 4\n");
  QTest::newRow("truncated per-cpu line") << QByteArray("cpu  1 2 3 4\ncpu0 5 6 7");
  QTest::newRow("overflow") << QByteArray("cpu  1 2 3 99999999999999999999999\n");
  QTest::newRow("binary garbage") << QByteArray("\x01\x02\xff\xfe cpu\x00 1", 12);
}

void ProcStatTest::malformed() {
  QFETCH(QByteArray, text);
  auto snap = parseProcStat(std::string_view(text.constData(), std::size_t(text.size())));
  QVERIFY(!snap.ok());
  QVERIFY(snap.failure().detail.find("/proc/stat") == 0);
}

void ProcStatTest::missingCounters() {
  // A file with only CPU lines parses; the counters it lacks stay absent, not zero.
  auto snap = parseProcStat("cpu  1 2 3 4 5 6 7 8 9 10\nintr\nctxt abc\n");
  QVERIFY(snap.ok());
  QVERIFY(!snap->intr.has_value());
  QVERIFY(!snap->ctxt.has_value());
  QVERIFY(!snap->btime.has_value());
  QVERIFY(snap->cpus.empty());
}

QTEST_GUILESS_MAIN(ProcStatTest)
#include "ProcStatTest.moc"
