// parseNetDev on recorded files and hand-made lines, and the sysfs attribute parsers.
#include <QtTest>

#include "backends/linux/LinuxContext.h"
#include "backends/linux/ProcNetDev.h"

using namespace sextant::linuxbe;

namespace {
const NetDevStats* byName(const NetDevSnapshot& s, const std::string& name) {
  for (const auto& i : s.interfaces)
    if (i.name == name) return &i;
  return nullptr;
}
const char* kHeader =
    "Inter-|   Receive                                                |  Transmit\n"
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier "
    "compressed\n";
}  // namespace

class ProcNetDevTest : public QObject {
  Q_OBJECT
 private slots:
  void recorded_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("name");
    QTest::addColumn<quint64>("rxBytes");
    QTest::addColumn<quint64>("rxMulticast");
    QTest::addColumn<quint64>("txBytes");
    QTest::addColumn<quint64>("txPackets");
    QTest::addColumn<quint64>("txCollisions");
    QTest::newRow("vm eth0") << "vm-2cpu" << 4 << "eth0" << quint64(70160507) << quint64(0) << quint64(70203)
                             << quint64(794) << quint64(0);
    QTest::newRow("vm lo") << "vm-2cpu" << 4 << "lo" << quint64(3767) << quint64(0) << quint64(3767) << quint64(39)
                           << quint64(0);
    QTest::newRow("server bond0") << "server-64cpu" << 7 << "bond0" << quint64(18641975319) << quint64(2334)
                                  << quint64(2358024679) << quint64(4580245) << quint64(0);
    QTest::newRow("server vlan") << "server-64cpu" << 7 << "eth0.100" << quint64(555555555) << quint64(77)
                                 << quint64(333333333) << quint64(222222) << quint64(0);
    QTest::newRow("server veth (long name, no blank)") << "server-64cpu" << 7 << "veth1a2b3c4" << quint64(1048576)
                                                       << quint64(0) << quint64(2097152) << quint64(2048) << quint64(7);
    QTest::newRow("arm wlan0") << "arm-8cpu" << 3 << "wlan0" << quint64(734003200) << quint64(3456)
                               << quint64(52428800) << quint64(98765) << quint64(0);
  }
  void recorded() {
    QFETCH(QString, file);
    QFETCH(int, count);
    QFETCH(QString, name);
    QFETCH(quint64, rxBytes);
    QFETCH(quint64, rxMulticast);
    QFETCH(quint64, txBytes);
    QFETCH(quint64, txPackets);
    QFETCH(quint64, txCollisions);
    auto text = readFile(std::string(SEXTANT_FIXTURES) + "/linux/" + file.toStdString() + "/proc/net/dev");
    QVERIFY(text);
    NetDevSnapshot s = parseNetDev(*text);
    QCOMPARE(s.badLines, std::size_t(0));
    QCOMPARE(int(s.interfaces.size()), count);
    const NetDevStats* i = byName(s, name.toStdString());
    QVERIFY(i);
    QCOMPARE(quint64(i->rxBytes), rxBytes);
    QCOMPARE(quint64(i->rxMulticast), rxMulticast);
    QCOMPARE(quint64(i->txBytes), txBytes);
    QCOMPARE(quint64(i->txPackets), txPackets);
    QCOMPARE(quint64(i->txCollisions), txCollisions);
  }

  void lines_data() {
    QTest::addColumn<QString>("line");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("name");
    QTest::addColumn<quint64>("rxBytes");
    QTest::addColumn<quint64>("txCompressed");
    QTest::newRow("plain") << "  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16" << 1 << "eth0" << quint64(1)
                           << quint64(16);
    QTest::newRow("glued first counter") << "eth0:123456789 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16" << 1 << "eth0"
                                         << quint64(123456789) << quint64(16);
    QTest::newRow("alias with colon") << "eth0:1: 5 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16" << 1 << "eth0:1"
                                      << quint64(5) << quint64(16);
    QTest::newRow("15 counters") << "eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15" << 0 << "" << quint64(0)
                                 << quint64(0);
    QTest::newRow("17 counters") << "eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17" << 0 << "" << quint64(0)
                                 << quint64(0);
    QTest::newRow("no colon") << "eth0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16" << 0 << "" << quint64(0) << quint64(0);
    QTest::newRow("no name") << ": 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16" << 0 << "" << quint64(0) << quint64(0);
    QTest::newRow("letters") << "eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x" << 0 << "" << quint64(0) << quint64(0);
    QTest::newRow("negative") << "eth0: -1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16" << 0 << "" << quint64(0)
                              << quint64(0);
  }
  void lines() {
    QFETCH(QString, line);
    QFETCH(int, count);
    QFETCH(QString, name);
    QFETCH(quint64, rxBytes);
    QFETCH(quint64, txCompressed);
    NetDevSnapshot s = parseNetDev(std::string(kHeader) + line.toStdString() + "\n");
    QCOMPARE(int(s.interfaces.size()), count);
    QCOMPARE(int(s.badLines), 1 - count);
    if (count == 0) return;
    QCOMPARE(QString::fromStdString(s.interfaces[0].name), name);
    QCOMPARE(quint64(s.interfaces[0].rxBytes), rxBytes);
    QCOMPARE(quint64(s.interfaces[0].txCompressed), txCompressed);
  }

  void headerOnly() {
    NetDevSnapshot s = parseNetDev(kHeader);
    QCOMPARE(s.interfaces.size(), std::size_t(0));
    QCOMPARE(s.badLines, std::size_t(0));
  }

  void speed_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("mbits");  // -1: none
    QTest::newRow("1000") << "1000\n" << qint64(1000);
    QTest::newRow("unknown") << "-1\n" << qint64(-1);
    QTest::newRow("empty") << "" << qint64(-1);
    QTest::newRow("garbage") << "fast\n" << qint64(-1);
  }
  void speed() {
    QFETCH(QString, text);
    QFETCH(qint64, mbits);
    auto v = parseSpeedMbits(text.toStdString());
    QCOMPARE(v ? qint64(*v) : qint64(-1), mbits);
  }

  void attributes() {
    QCOMPARE(parseDuplex("full\n").value_or(0), 2u);
    QCOMPARE(parseDuplex("half\n").value_or(0), 1u);
    QVERIFY(!parseDuplex("unknown\n"));
    QCOMPARE(parseNetFlags("0x1003\n").value_or(0), 0x1003u);
    QCOMPARE(parseNetFlags("0x9").value_or(0), 0x9u);
    QVERIFY(!parseNetFlags("1003"));
    QVERIFY(!parseNetFlags("0xzz"));
    QVERIFY(!parseNetFlags(""));
  }
};

QTEST_GUILESS_MAIN(ProcNetDevTest)
#include "ProcNetDevTest.moc"
