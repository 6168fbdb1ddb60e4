// The per-process parsers on recorded /proc/<pid>/ files and hand-made text: stat
// with awkward command names, status, statm, cmdline, instance names and ttys.
#include <QtTest>

#include "backends/linux/LinuxContext.h"
#include "backends/linux/ProcPid.h"

using namespace sextant::linuxbe;

namespace {
std::string fixture(const std::string& rel) {
  return readFile(std::string(SEXTANT_FIXTURES) + "/linux/" + rel).value_or(std::string());
}
}  // namespace

class ProcPidTest : public QObject {
  Q_OBJECT
 private slots:
  void recordedStat_data() {
    QTest::addColumn<QString>("dir");
    QTest::addColumn<int>("pid");
    QTest::addColumn<QString>("comm");
    QTest::addColumn<QString>("state");
    QTest::addColumn<qint64>("ppid");
    QTest::addColumn<quint64>("utime");
    QTest::addColumn<quint64>("stime");
    QTest::addColumn<qint64>("nice");
    QTest::addColumn<quint64>("startTime");
    QTest::addColumn<quint64>("vsize");
    QTest::addColumn<qint64>("rss");
    QTest::addColumn<qint64>("processor");
    QTest::newRow("vm pmcd") << "vm-2cpu/proc/4498" << 4498 << "pmcd" << "S" << qint64(1) << quint64(2) << quint64(11)
                             << qint64(0) << quint64(17363) << quint64(14508032) << qint64(2075) << qint64(0);
    QTest::newRow("vm kthreadd") << "vm-2cpu/proc/2" << 2 << "kthreadd" << "S" << qint64(0) << quint64(0)
                                 << quint64(0) << qint64(0) << quint64(25) << quint64(0) << qint64(0) << qint64(0);
    QTest::newRow("server systemd") << "server-64cpu/proc/1" << 1 << "systemd" << "S" << qint64(0) << quint64(4567)
                                    << quint64(8910) << qint64(0) << quint64(4) << quint64(173879296) << qint64(3280)
                                    << qint64(17);
    QTest::newRow("server comm with ') ('") << "server-64cpu/proc/4321" << 4321 << "my) (worker" << "R" << qint64(1)
                                            << quint64(250) << quint64(50) << qint64(5) << quint64(500000)
                                            << quint64(2457600000) << qint64(125000) << qint64(63);
    QTest::newRow("server kworker") << "server-64cpu/proc/88" << 88 << "kworker/3:1H-kblockd" << "I" << qint64(2)
                                    << quint64(0) << quint64(37) << qint64(-20) << quint64(300) << quint64(0)
                                    << qint64(0) << qint64(3);
  }
  void recordedStat() {
    QFETCH(QString, dir);
    QFETCH(int, pid);
    QFETCH(QString, comm);
    QFETCH(QString, state);
    QFETCH(qint64, ppid);
    QFETCH(quint64, utime);
    QFETCH(quint64, stime);
    QFETCH(qint64, nice);
    QFETCH(quint64, startTime);
    QFETCH(quint64, vsize);
    QFETCH(qint64, rss);
    QFETCH(qint64, processor);
    auto st = parsePidStat(fixture(dir.toStdString() + "/stat"));
    QVERIFY(st);
    QCOMPARE(st->pid, pid);
    QCOMPARE(QString::fromStdString(st->comm), comm);
    QCOMPARE(QString(QChar(st->state)), state);
    QCOMPARE(qint64(st->ppid), ppid);
    QCOMPARE(quint64(st->utime), utime);
    QCOMPARE(quint64(st->stime), stime);
    QCOMPARE(qint64(st->nice), nice);
    QCOMPARE(quint64(st->startTime), startTime);
    QCOMPARE(quint64(st->vsizeBytes), vsize);
    QCOMPARE(qint64(st->rssPages), rss);
    QVERIFY(st->processor);
    QCOMPARE(qint64(*st->processor), processor);
  }

  void badStat_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("empty") << "";
    QTest::newRow("no parentheses") << "1 init S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 4 100 10";
    QTest::newRow("no pid") << "(init) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 4 100 10";
    QTest::newRow("too few fields") << "1 (init) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 4 100";
    QTest::newRow("letter in utime") << "1 (init) S 0 1 1 0 -1 0 0 0 0 0 x 0 0 0 20 0 1 0 4 100 10";
    QTest::newRow("two-letter state") << "1 (init) SS 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 4 100 10";
    QTest::newRow("reversed parentheses") << "1 )init( S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 4 100 10";
  }
  void badStat() {
    QFETCH(QString, text);
    QVERIFY(!parsePidStat(text.toStdString()));
  }

  void shortStatHasNoProcessor() {
    // 22 fields after the name (up to rss), as before Linux 2.2.8.
    auto st = parsePidStat("7 (a b) S 1 7 7 0 -1 0 3 0 4 0 5 6 0 0 20 0 1 0 40 8192 2");
    QVERIFY(st);
    QCOMPARE(st->comm, std::string("a b"));
    QCOMPARE(st->majFlt, std::uint64_t(4));
    QCOMPARE(st->rssPages, std::int64_t(2));
    QVERIFY(!st->processor);
  }

  void status_data() {
    QTest::addColumn<QString>("dir");
    QTest::addColumn<uint>("uid");
    QTest::addColumn<uint>("euid");
    QTest::addColumn<uint>("gid");
    QTest::addColumn<uint>("egid");
    QTest::addColumn<qint64>("vmRss");   // -1: absent
    QTest::addColumn<qint64>("vmSwap");  // -1: absent
    QTest::addColumn<quint64>("threads");
    QTest::addColumn<quint64>("voluntary");
    QTest::newRow("vm pmcd") << "vm-2cpu/proc/4498" << 0u << 0u << 0u << 0u << qint64(8380) << qint64(0) << quint64(1)
                             << quint64(4168);
    QTest::newRow("server worker") << "server-64cpu/proc/4321" << 4000000u << 1001u << 1000u << 1002u << qint64(500000)
                                   << qint64(0) << quint64(12) << quint64(10);
    QTest::newRow("server systemd") << "server-64cpu/proc/1" << 0u << 0u << 0u << 0u << qint64(13120) << qint64(12)
                                    << quint64(1) << quint64(98765);
    QTest::newRow("kernel thread: no Vm lines") << "server-64cpu/proc/88" << 0u << 0u << 0u << 0u << qint64(-1)
                                                << qint64(-1) << quint64(1) << quint64(5000);
  }
  void status() {
    QFETCH(QString, dir);
    QFETCH(uint, uid);
    QFETCH(uint, euid);
    QFETCH(uint, gid);
    QFETCH(uint, egid);
    QFETCH(qint64, vmRss);
    QFETCH(qint64, vmSwap);
    QFETCH(quint64, threads);
    QFETCH(quint64, voluntary);
    std::string text = fixture(dir.toStdString() + "/status");
    QVERIFY(!text.empty());
    PidStatus st = parsePidStatus(text);
    QCOMPARE(st.uid.value_or(99999), uid);
    QCOMPARE(st.euid.value_or(99999), euid);
    QCOMPARE(st.gid.value_or(99999), gid);
    QCOMPARE(st.egid.value_or(99999), egid);
    QCOMPARE(st.vmRss ? qint64(*st.vmRss) : qint64(-1), vmRss);
    QCOMPARE(st.vmSwap ? qint64(*st.vmSwap) : qint64(-1), vmSwap);
    QCOMPARE(quint64(st.threads.value_or(0)), threads);
    QCOMPARE(quint64(st.voluntaryCtxt.value_or(0)), voluntary);
  }

  void badStatus() {
    PidStatus st = parsePidStatus("Uid:\t1000\nGid:\tx\t0\t0\t0\nVmRSS:\tlots kB\nThreads:\n\x01\x02\n");
    QVERIFY(!st.uid);  // one number is not a real and effective pair
    QVERIFY(!st.gid);
    QVERIFY(!st.vmRss);
    QVERIFY(!st.threads);
  }

  void statm() {
    auto m = parsePidStatm(fixture("vm-2cpu/proc/4498/statm"));
    QVERIFY(m);
    QCOMPARE(m->size, std::uint64_t(3542));
    QCOMPARE(m->resident, std::uint64_t(2095));
    QCOMPARE(m->shared, std::uint64_t(1695));
    QCOMPARE(m->data, std::uint64_t(333));
    QVERIFY(!parsePidStatm("1 2 3 4 5"));
    QVERIFY(!parsePidStatm("1 2 3 4 5 x 7"));
    QVERIFY(!parsePidStatm(""));
  }

  void cmdline_data() {
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("psargs");
    QTest::addColumn<QString>("instance");
    QTest::newRow("two args") << QByteArray("/sbin/init\0splash\0", 18) << QStringList{"/sbin/init", "splash"}
                              << "/sbin/init splash" << "000001 /sbin/init";
    QTest::newRow("kernel thread") << QByteArray() << QStringList{} << "(kworker/3:1H-kblockd)"
                                   << "000001 (kworker/3:1H-kblockd)";
    QTest::newRow("no final NUL") << QByteArray("bash", 4) << QStringList{"bash"} << "bash" << "000001 bash";
    QTest::newRow("rewritten argv0 with blanks") << QByteArray("postgres: writer process\0", 25)
                                                 << QStringList{"postgres: writer process"}
                                                 << "postgres: writer process" << "000001 postgres:";
    QTest::newRow("empty argument") << QByteArray("a\0\0b\0", 5) << QStringList{"a", "", "b"} << "a  b"
                                    << "000001 a";
  }
  void cmdline() {
    QFETCH(QByteArray, raw);
    QFETCH(QStringList, args);
    QFETCH(QString, psargs);
    QFETCH(QString, instance);
    auto parsed = parseCmdline(std::string_view(raw.constData(), std::size_t(raw.size())));
    QStringList got;
    for (const auto& a : parsed) got << QString::fromStdString(a);
    QCOMPARE(got, args);
    QCOMPARE(QString::fromStdString(psArgs(parsed, "kworker/3:1H-kblockd")), psargs);
    QCOMPARE(QString::fromStdString(processInstanceName(1, parsed, "kworker/3:1H-kblockd")), instance);
  }

  void instanceNames() {
    QCOMPARE(processInstanceName(4321, {"/opt/app/bin/worker", "--threads"}, "x"), std::string("004321 /opt/app/bin/worker"));
    QCOMPARE(processInstanceName(4194303, {"a"}, "x"), std::string("4194303 a"));
  }

  void tty_data() {
    QTest::addColumn<qint64>("nr");
    QTest::addColumn<QString>("name");
    QTest::newRow("none") << qint64(0) << "?";
    QTest::newRow("pts/0") << qint64(34816) << "pts/0";
    QTest::newRow("pts/3") << qint64(34819) << "pts/3";
    QTest::newRow("pts/300") << qint64((137 << 8) | 44) << "pts/300";
    QTest::newRow("tty1") << qint64(1025) << "tty1";
    QTest::newRow("ttyS0") << qint64(1088) << "ttyS0";
    QTest::newRow("unknown major") << qint64(5 << 8) << "?";
    QTest::newRow("negative") << qint64(-1) << "?";
  }
  void tty() {
    QFETCH(qint64, nr);
    QFETCH(QString, name);
    QCOMPARE(QString::fromStdString(ttyName(nr)), name);
  }
};

QTEST_GUILESS_MAIN(ProcPidTest)
#include "ProcPidTest.moc"
