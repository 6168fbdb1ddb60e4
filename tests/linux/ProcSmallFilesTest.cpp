// The one-line and small sources: /proc/loadavg, /proc/uptime, /proc/swaps,
// pid_max, NUMA node names and utmp records.
#include <utmpx.h>

#include <QtTest>
#include <cstring>

#include "KernelFixture.h"
#include "backends/linux/ProcLoadavg.h"
#include "backends/linux/ProcSwaps.h"
#include "backends/linux/ProcUptime.h"
#include "backends/linux/SystemGroup.h"
#include "backends/linux/Utmp.h"

using namespace sextant;
using namespace sextant::linuxbe;

class ProcSmallFilesTest : public QObject {
  Q_OBJECT
 private slots:
  void loadavg_data();
  void loadavg();
  void loadavgMalformed_data();
  void loadavgMalformed();
  void uptime_data();
  void uptime();
  void uptimeMalformed_data();
  void uptimeMalformed();
  void swaps_data();
  void swaps();
  void swapsMalformed_data();
  void swapsMalformed();
  void pidMax_data();
  void pidMax();
  void numaNodes();
  void utmp_data();
  void utmp();
};

void ProcSmallFilesTest::loadavg_data() {
  QTest::addColumn<QString>("fixture");
  QTest::addColumn<double>("load1");
  QTest::addColumn<double>("load5");
  QTest::addColumn<double>("load15");
  QTest::addColumn<uint>("runnable");
  QTest::addColumn<uint>("nprocs");
  QTest::addColumn<uint>("lastPid");
  QTest::newRow("vm-2cpu") << "vm-2cpu" << 3.90 << 1.19 << 0.46 << 7u << 131u << 10163u;
  QTest::newRow("server-64cpu") << "server-64cpu" << 12.47 << 10.83 << 9.61 << 18u << 2143u << 987654u;
  QTest::newRow("arm-8cpu") << "arm-8cpu" << 0.52 << 0.58 << 0.59 << 1u << 312u << 4242u;
}

void ProcSmallFilesTest::loadavg() {
  QFETCH(QString, fixture);
  auto snap = parseProcLoadavg(testing::kernelFixtureText(fixture.toStdString() + "/proc/loadavg"));
  QVERIFY(snap.ok());
  QTEST(snap->load1, "load1");
  QTEST(snap->load5, "load5");
  QTEST(snap->load15, "load15");
  QTEST(uint(snap->runnable), "runnable");
  QTEST(uint(snap->nprocs), "nprocs");
  QTEST(uint(snap->lastPid), "lastPid");
}

void ProcSmallFilesTest::loadavgMalformed_data() {
  QTest::addColumn<QByteArray>("text");
  QTest::newRow("empty") << QByteArray("");
  QTest::newRow("truncated") << QByteArray("0.10 0.20 0.30 1/");
  QTest::newRow("no slash") << QByteArray("0.10 0.20 0.30 1 100 5\n");
  QTest::newRow("four fields") << QByteArray("0.10 0.20 0.30 1/100\n");
  QTest::newRow("bad load") << QByteArray("x 0.20 0.30 1/100 5\n");
  QTest::newRow("bad pid") << QByteArray("0.10 0.20 0.30 1/100 -5\n");
  QTest::newRow("pid too big") << QByteArray("0.10 0.20 0.30 1/100 99999999999\n");
}

void ProcSmallFilesTest::loadavgMalformed() {
  QFETCH(QByteArray, text);
  auto snap = parseProcLoadavg(text.toStdString());
  QVERIFY(!snap.ok());
  QVERIFY(snap.failure().detail.find("/proc/loadavg") == 0);
}

void ProcSmallFilesTest::uptime_data() {
  QTest::addColumn<QString>("fixture");
  QTest::addColumn<double>("up");
  QTest::addColumn<double>("idle");
  QTest::newRow("vm-2cpu") << "vm-2cpu" << 669.72 << 1096.47;
  QTest::newRow("server-64cpu") << "server-64cpu" << 1234567.89 << 78012345.67;
  QTest::newRow("arm-8cpu") << "arm-8cpu" << 86400.50 << 650000.25;
}

void ProcSmallFilesTest::uptime() {
  QFETCH(QString, fixture);
  auto snap = parseProcUptime(testing::kernelFixtureText(fixture.toStdString() + "/proc/uptime"));
  QVERIFY(snap.ok());
  QTEST(snap->uptime, "up");
  QTEST(snap->idle, "idle");
}

void ProcSmallFilesTest::uptimeMalformed_data() {
  QTest::addColumn<QByteArray>("text");
  QTest::newRow("empty") << QByteArray("");
  QTest::newRow("one field") << QByteArray("12.5\n");
  QTest::newRow("three fields") << QByteArray("12.5 3.0 1\n");
  QTest::newRow("negative") << QByteArray("-12.5 3.0\n");
  QTest::newRow("garbage") << QByteArray("up idle\n");
}

void ProcSmallFilesTest::uptimeMalformed() {
  QFETCH(QByteArray, text);
  QVERIFY(!parseProcUptime(text.toStdString()).ok());
}

void ProcSmallFilesTest::swaps_data() {
  QTest::addColumn<QString>("fixture");
  QTest::addColumn<QStringList>("paths");
  QTest::addColumn<QStringList>("types");
  QTest::addColumn<QList<quint64>>("sizes");
  QTest::addColumn<QList<quint64>>("used");
  QTest::addColumn<QList<int>>("priorities");
  QTest::newRow("vm-2cpu: none") << "vm-2cpu" << QStringList{} << QStringList{} << QList<quint64>{}
                                 << QList<quint64>{} << QList<int>{};
  QTest::newRow("server: partition and file")
      << "server-64cpu" << QStringList{"/dev/sda3", "/var/swapfile"} << QStringList{"partition", "file"}
      << QList<quint64>{8388604, 2097148} << QList<quint64>{524288, 12} << QList<int>{-2, -3};
  QTest::newRow("arm: none") << "arm-8cpu" << QStringList{} << QStringList{} << QList<quint64>{} << QList<quint64>{}
                             << QList<int>{};
}

void ProcSmallFilesTest::swaps() {
  QFETCH(QString, fixture);
  QFETCH(QStringList, paths);
  QFETCH(QStringList, types);
  QFETCH(QList<quint64>, sizes);
  QFETCH(QList<quint64>, used);
  QFETCH(QList<int>, priorities);
  auto snap = parseProcSwaps(testing::kernelFixtureText(fixture.toStdString() + "/proc/swaps"));
  QVERIFY(snap.ok());
  QCOMPARE(qsizetype(snap->devices.size()), paths.size());
  for (qsizetype i = 0; i < paths.size(); ++i) {
    const SwapDevice& d = snap->devices[std::size_t(i)];
    QCOMPARE(QString::fromStdString(d.path), paths[i]);
    QCOMPARE(QString::fromStdString(d.type), types[i]);
    QCOMPARE(quint64(d.sizeKb), sizes[i]);
    QCOMPARE(quint64(d.usedKb), used[i]);
    QCOMPARE(int(d.priority), priorities[i]);
  }
}

void ProcSmallFilesTest::swapsMalformed_data() {
  QTest::addColumn<QByteArray>("text");
  QTest::newRow("empty") << QByteArray("");
  QTest::newRow("no header") << QByteArray("/dev/sda3 partition 100 0 -2\n");
  QTest::newRow("missing priority") << QByteArray("Filename\tType\tSize\tUsed\tPriority\n/dev/sda3 partition 100 0\n");
  QTest::newRow("bad size") << QByteArray("Filename\tType\tSize\tUsed\tPriority\n/dev/sda3 partition big 0 -2\n");
  QTest::newRow("priority overflow")
      << QByteArray("Filename\tType\tSize\tUsed\tPriority\n/dev/sda3 partition 100 0 -99999999999\n");
  QTest::newRow("truncated") << QByteArray("Filename\tType\tSize\tUsed\tPriority\n/dev/sda3 parti");
}

void ProcSmallFilesTest::swapsMalformed() {
  QFETCH(QByteArray, text);
  auto snap = parseProcSwaps(text.toStdString());
  QVERIFY(!snap.ok());
  QVERIFY(snap.failure().detail.find("/proc/swaps") == 0);
}

void ProcSmallFilesTest::pidMax_data() {
  QTest::addColumn<QByteArray>("text");
  QTest::addColumn<bool>("ok");
  QTest::addColumn<uint>("value");
  QTest::newRow("vm-2cpu") << QByteArray::fromStdString(testing::kernelFixtureText("vm-2cpu/proc/sys/kernel/pid_max"))
                           << true << 32768u;
  QTest::newRow("server-64cpu")
      << QByteArray::fromStdString(testing::kernelFixtureText("server-64cpu/proc/sys/kernel/pid_max")) << true
      << 4194304u;
  QTest::newRow("empty") << QByteArray("") << false << 0u;
  QTest::newRow("word") << QByteArray("many\n") << false << 0u;
  QTest::newRow("too big") << QByteArray("4294967296\n") << false << 0u;
}

void ProcSmallFilesTest::pidMax() {
  QFETCH(QByteArray, text);
  QFETCH(bool, ok);
  auto v = parsePidMax(text.toStdString());
  QCOMPARE(v.ok(), ok);
  if (ok) QTEST(uint(*v), "value");
}

void ProcSmallFilesTest::numaNodes() {
  QCOMPARE(countNumaNodes({".", "..", "node0", "node1", "online", "possible", "has_cpu", "power"}), 2u);
  QCOMPARE(countNumaNodes({"node0"}), 1u);
  QCOMPARE(countNumaNodes({"online", "nodeX", "node"}), 0u);
}

namespace {
// utmp bytes from records of these types, as the C library would write them.
QByteArray utmpBytes(const QList<short>& types) {
  QByteArray out;
  for (short t : types) {
    struct utmpx rec;
    std::memset(&rec, 0, sizeof rec);
    rec.ut_type = t;
    if (t == USER_PROCESS) std::strncpy(rec.ut_user, "someone", sizeof rec.ut_user - 1);
    out.append(reinterpret_cast<const char*>(&rec), qsizetype(sizeof rec));
  }
  return out;
}
}  // namespace

void ProcSmallFilesTest::utmp_data() {
  QTest::addColumn<QByteArray>("bytes");
  QTest::addColumn<bool>("ok");
  QTest::addColumn<uint>("users");
  QTest::newRow("empty file: zero users") << QByteArray() << true << 0u;
  QTest::newRow("boot and login records only") << utmpBytes({BOOT_TIME, RUN_LVL, LOGIN_PROCESS}) << true << 0u;
  QTest::newRow("two sessions and a dead one")
      << utmpBytes({BOOT_TIME, USER_PROCESS, DEAD_PROCESS, USER_PROCESS}) << true << 2u;
  QTest::newRow("partial trailing record") << utmpBytes({USER_PROCESS, USER_PROCESS}).chopped(10) << true << 1u;
  QTest::newRow("shorter than one record") << QByteArray("garbage") << false << 0u;
}

void ProcSmallFilesTest::utmp() {
  QFETCH(QByteArray, bytes);
  QFETCH(bool, ok);
  auto users = countUtmpUsers(std::string_view(bytes.constData(), std::size_t(bytes.size())));
  QCOMPARE(users.ok(), ok);
  if (ok) QTEST(uint(*users), "users");
}

QTEST_GUILESS_MAIN(ProcSmallFilesTest)
#include "ProcSmallFilesTest.moc"
