// parseDiskstats on recorded files and hand-made lines: the 14-, 18- and 20-field
// layouts, exact counters, and malformed lines that must be skipped, not guessed.
#include <QtTest>

#include "backends/linux/LinuxContext.h"
#include "backends/linux/ProcDiskstats.h"

using namespace sextant::linuxbe;

namespace {
std::string fixture(const char* rel) {
  auto text = readFile(std::string(SEXTANT_FIXTURES) + "/linux/" + rel);
  return text.value_or(std::string());
}
const DiskStats* byName(const DiskstatsSnapshot& s, const std::string& name) {
  for (const auto& d : s.devices)
    if (d.name == name) return &d;
  return nullptr;
}
}  // namespace

class ProcDiskstatsTest : public QObject {
  Q_OBJECT
 private slots:
  void recorded_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("devices");
    QTest::addColumn<QString>("name");
    QTest::addColumn<quint64>("readIos");
    QTest::addColumn<quint64>("writeSectors");
    QTest::addColumn<quint64>("timeInQueue");
    QTest::addColumn<bool>("hasDiscard");
    QTest::addColumn<bool>("hasFlush");
    QTest::addColumn<quint64>("flushIos");
    QTest::newRow("vm-2cpu vda (20 fields)") << "vm-2cpu/proc/diskstats" << 10 << "vda" << quint64(63375)
                                             << quint64(3316272) << quint64(43190) << true << true << quint64(3296);
    QTest::newRow("server nvme0n1") << "server-64cpu/proc/diskstats" << 13 << "nvme0n1" << quint64(1000)
                                    << quint64(160000) << quint64(1300) << true << true << quint64(50);
    QTest::newRow("server dm-0") << "server-64cpu/proc/diskstats" << 13 << "dm-0" << quint64(950) << quint64(155000)
                                 << quint64(1160) << true << true << quint64(0);
    QTest::newRow("arm mmcblk0p2 (14 fields)") << "arm-8cpu/proc/diskstats" << 6 << "mmcblk0p2" << quint64(23600)
                                               << quint64(399996) << quint64(179190) << false << false << quint64(0);
  }
  void recorded() {
    QFETCH(QString, file);
    QFETCH(int, devices);
    QFETCH(QString, name);
    QFETCH(quint64, readIos);
    QFETCH(quint64, writeSectors);
    QFETCH(quint64, timeInQueue);
    QFETCH(bool, hasDiscard);
    QFETCH(bool, hasFlush);
    QFETCH(quint64, flushIos);
    std::string text = fixture(file.toStdString().c_str());
    QVERIFY(!text.empty());
    DiskstatsSnapshot s = parseDiskstats(text);
    QCOMPARE(s.badLines, std::size_t(0));
    QCOMPARE(int(s.devices.size()), devices);
    const DiskStats* d = byName(s, name.toStdString());
    QVERIFY(d);
    QCOMPARE(quint64(d->readIos), readIos);
    QCOMPARE(quint64(d->writeSectors), writeSectors);
    QCOMPARE(quint64(d->timeInQueue), timeInQueue);
    QCOMPARE(d->discardIos.has_value(), hasDiscard);
    QCOMPARE(d->flushIos.has_value(), hasFlush);
    if (hasFlush) QCOMPARE(quint64(*d->flushIos), flushIos);
  }

  void layouts_data() {
    QTest::addColumn<QString>("line");
    QTest::addColumn<int>("devices");
    QTest::addColumn<int>("bad");
    QTest::addColumn<quint64>("ioTicks");
    QTest::addColumn<qint64>("discardSectors");  // -1: absent
    QTest::addColumn<qint64>("flushTicks");      // -1: absent
    QTest::newRow("14 fields") << "   8       0 sda 1 2 3 4 5 6 7 8 9 10 11" << 1 << 0 << quint64(10) << qint64(-1)
                               << qint64(-1);
    QTest::newRow("18 fields") << "   8       0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15" << 1 << 0 << quint64(10)
                               << qint64(14) << qint64(-1);
    QTest::newRow("20 fields") << "   8       0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17" << 1 << 0
                               << quint64(10) << qint64(14) << qint64(17);
    QTest::newRow("64-bit counter") << "8 0 sda 18446744073709551615 0 0 0 0 0 0 0 0 0 0" << 1 << 0 << quint64(0)
                                    << qint64(-1) << qint64(-1);
    QTest::newRow("old 7-field partition line") << "   8    1 sda1 1 2 3 4" << 0 << 1 << quint64(0) << qint64(-1)
                                                << qint64(-1);
    QTest::newRow("19 fields") << "8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16" << 0 << 1 << quint64(0)
                               << qint64(-1) << qint64(-1);
    QTest::newRow("letters in a counter") << "8 0 sda 1 2 x 4 5 6 7 8 9 10 11" << 0 << 1 << quint64(0) << qint64(-1)
                                          << qint64(-1);
    QTest::newRow("negative counter") << "8 0 sda 1 2 -3 4 5 6 7 8 9 10 11" << 0 << 1 << quint64(0) << qint64(-1)
                                      << qint64(-1);
    QTest::newRow("overflow") << "8 0 sda 18446744073709551616 2 3 4 5 6 7 8 9 10 11" << 0 << 1 << quint64(0)
                              << qint64(-1) << qint64(-1);
    QTest::newRow("bad major") << "x 0 sda 1 2 3 4 5 6 7 8 9 10 11" << 0 << 1 << quint64(0) << qint64(-1)
                               << qint64(-1);
    QTest::newRow("empty") << "" << 0 << 0 << quint64(0) << qint64(-1) << qint64(-1);
    QTest::newRow("garbage") << "\x01\x02 hello (world)" << 0 << 1 << quint64(0) << qint64(-1) << qint64(-1);
  }
  void layouts() {
    QFETCH(QString, line);
    QFETCH(int, devices);
    QFETCH(int, bad);
    QFETCH(quint64, ioTicks);
    QFETCH(qint64, discardSectors);
    QFETCH(qint64, flushTicks);
    DiskstatsSnapshot s = parseDiskstats(line.toStdString());
    QCOMPARE(int(s.devices.size()), devices);
    QCOMPARE(int(s.badLines), bad);
    if (devices == 0) return;
    const DiskStats& d = s.devices.front();
    QCOMPARE(d.name, std::string("sda"));
    QCOMPARE(quint64(d.ioTicks), ioTicks);
    QCOMPARE(d.discardSectors ? qint64(*d.discardSectors) : qint64(-1), discardSectors);
    QCOMPARE(d.flushTicks ? qint64(*d.flushTicks) : qint64(-1), flushTicks);
  }

  void goodLinesSurviveBadOnes() {
    DiskstatsSnapshot s = parseDiskstats("8 0 sda 1 2 3 4 5 6 7 8 9 10 11\nbroken line\n8 16 sdb 1 2 3 4 5 6 7 8 9 10 11\n");
    QCOMPARE(s.devices.size(), std::size_t(2));
    QCOMPARE(s.badLines, std::size_t(1));
    QCOMPARE(s.devices[1].name, std::string("sdb"));
    QCOMPARE(s.devices[1].minor, 16u);
  }

  void scheduler_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("active");
    QTest::newRow("mq") << "[mq-deadline] kyber bfq none\n" << "mq-deadline";
    QTest::newRow("last") << "mq-deadline kyber [bfq] none\n" << "bfq";
    QTest::newRow("no brackets") << "none\n" << "none";
    QTest::newRow("empty") << "" << "";
    QTest::newRow("unclosed") << "[none mq-deadline" << "[none";
  }
  void scheduler() {
    QFETCH(QString, text);
    QFETCH(QString, active);
    QCOMPARE(QString::fromStdString(schedulerName(text.toStdString())), active);
  }
};

QTEST_GUILESS_MAIN(ProcDiskstatsTest)
#include "ProcDiskstatsTest.moc"
