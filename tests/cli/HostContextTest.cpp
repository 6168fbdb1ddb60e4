// sextant -h HOST[:PORT]: the CLI over PCP's PDU protocol, against a real pmcd and
// against sextantd, each started privately on a free loopback port. The output must
// be what the same commands print locally and what PCP's own pminfo prints.
//
// Connection failures exit with status 1 and one line on stderr; a malformed host
// specification is a usage error, status 2.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>
#include <thread>

#include "tests/TestProcess.h"
#include "tests/service/TestDaemon.h"

using sextant::test::memTotalKb;
using sextant::test::onlineCpus;
using sextant::test::Run;
using sextant::test::run;
using sextant::test::sampleLines;
using sextant::test::TestDaemon;

namespace {

Run sextantCli(const QStringList& args, const QStringList& env = {}) {
  sextant::test::RunOptions options;
  options.env = env;
  return run(QStringLiteral(SEXTANT_BIN "/sextant"), args, options);
}

// A one-connection TCP server on 127.0.0.1 that plays a misbehaving collector: it
// sends `greeting` (possibly nothing), then holds the connection until the client
// goes or `holdMs` pass.
class FakeServer {
 public:
  FakeServer(QByteArray greeting, int holdMs) : greeting_(std::move(greeting)), holdMs_(holdMs) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&a), len) != 0 || ::listen(fd_, 1) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      return;
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeServer() {
    if (thread_.joinable()) thread_.join();
    if (fd_ >= 0) ::close(fd_);
  }
  quint16 port() const { return port_; }

 private:
  void serve() {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 20000) != 1) return;
    int c = ::accept(fd_, nullptr, nullptr);
    if (c < 0) return;
    if (!greeting_.isEmpty()) (void)!::write(c, greeting_.constData(), static_cast<size_t>(greeting_.size()));
    pollfd q{c, POLLIN, 0};
    char buf[256];
    while (::poll(&q, 1, holdMs_) == 1 && ::read(c, buf, sizeof buf) > 0) {
    }
    ::close(c);
  }
  QByteArray greeting_;
  int holdMs_;
  int fd_ = -1;
  quint16 port_ = 0;
  std::thread thread_;
};

QByteArray words(std::initializer_list<quint32> ws) {
  QByteArray out;
  for (quint32 w : ws) {
    char b[4] = {char(w >> 24), char(w >> 16), char(w >> 8), char(w)};
    out.append(b, 4);
  }
  return out;
}

const QStringList kComparedMetrics = {"hinv.ncpu", "kernel.all.load", "mem.util.free", "network.interface.in.bytes",
                                      "kernel.all.cpu.user"};

}  // namespace

class HostContextTest : public QObject {
  Q_OBJECT

  TestDaemon pmcd_;
  TestDaemon sextantd_;
  bool pmcdUp_ = false;
  bool sextantdUp_ = false;

  // The daemon a data row names, verified to be up.
  TestDaemon* daemon(const QString& which) {
    if (which == "pmcd") return pmcdUp_ ? &pmcd_ : nullptr;
    return sextantdUp_ ? &sextantd_ : nullptr;
  }
  QString whyDown(const QString& which) {
    return which == "pmcd" ? "private pmcd did not start: " + pmcd_.error()
                           : "private sextantd did not start: " + sextantd_.error();
  }
  static void addDaemons() {
    QTest::addColumn<QString>("which");
    QTest::newRow("pmcd") << "pmcd";
    QTest::newRow("sextantd") << "sextantd";
  }

#define DAEMON_OR_FAIL()                                    \
  QFETCH(QString, which);                                   \
  TestDaemon* d = daemon(which);                            \
  QVERIFY2(d != nullptr, qPrintable(whyDown(which)));       \
  const QString host = d->hostSpec()

 private slots:
  void initTestCase() {
    pmcdUp_ = pmcd_.startPmcd();
    sextantdUp_ = sextantd_.startSextantd(QStringLiteral(SEXTANT_BIN "/sextantd"),
                                          {"--socket", sextantd_.directory() + "/sextantd.socket"});
  }

  void ncpuMatchesSystem_data() { addDaemons(); }
  void ncpuMatchesSystem() {
    DAEMON_OR_FAIL();
    const int cpus = onlineCpus();
    QVERIFY(cpus > 0);
    Run r = sextantCli({"info", "-f", "hinv.ncpu", "-h", host});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(r.out, QString("\nhinv.ncpu\n    value %1\n").arg(cpus));
  }

  void descriptorLayout_data() { addDaemons(); }
  void descriptorLayout() {
    DAEMON_OR_FAIL();
    Run r = sextantCli({"-h", host, "info", "-d", "kernel.all.load"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(r.out, QString("\nkernel.all.load\n    Data Type: float  InDom: 60.2 0xf000002\n"
                            "    Semantics: instant  Units: none\n"));
  }

  // The same words as PCP's own pminfo against the same daemon: descriptors, PMIDs,
  // one-line and long help, labels.
  void sameAsPminfo_data() {
    QTest::addColumn<QString>("which");
    QTest::addColumn<QStringList>("flags");
    for (const char* w : {"pmcd", "sextantd"}) {
      QTest::addRow("%s -dm", w) << w << QStringList{"-dm"};
      QTest::addRow("%s -tT", w) << w << QStringList{"-tT"};
      QTest::addRow("%s -l", w) << w << QStringList{"-l"};
    }
  }
  void sameAsPminfo() {
    DAEMON_OR_FAIL();
    QFETCH(QStringList, flags);
    // pminfo first: a client asking instance labels after pminfo -l has gone once
    // crashed pmcd 6.0.3 (see HostContext::instanceLabels); this order keeps that in view.
    Run pcp = run("pminfo", QStringList{"-h", host} + flags + kComparedMetrics);
    QVERIFY2(pcp.exitCode == 0, qPrintable("PCP's pminfo is needed for this test: " + pcp.err));
    Run ours = sextantCli(QStringList{"info", "-h", host} + flags + kComparedMetrics);
    QVERIFY2(ours.exitCode == 0, qPrintable(ours.err));
    QCOMPARE(ours.out, pcp.out);
  }

  // Stable values, byte for byte against pminfo.
  void stableValuesAsPminfo_data() { addDaemons(); }
  void stableValuesAsPminfo() {
    DAEMON_OR_FAIL();
    const QStringList names{"hinv.ncpu", "mem.physmem", "hinv.pagesize", "hinv.machine", "hinv.cpu.vendor", "pmcd.hostname"};
    Run pcp = run("pminfo", QStringList{"-h", host, "-f"} + names);
    QVERIFY2(pcp.exitCode == 0, qPrintable("PCP's pminfo is needed for this test: " + pcp.err));
    Run ours = sextantCli(QStringList{"info", "-h", host, "-f"} + names);
    QVERIFY2(ours.exitCode == 0, qPrintable(ours.err));
    QCOMPARE(ours.out, pcp.out);
  }

  // The whole name space: every name the daemon serves, in its order.
  void wholeNamespace_data() { addDaemons(); }
  void wholeNamespace() {
    DAEMON_OR_FAIL();
    Run pcp = run("pminfo", {"-h", host});
    QVERIFY2(pcp.exitCode == 0, qPrintable("PCP's pminfo is needed for this test: " + pcp.err));
    // libpcp adds two client-side metrics of its own to every name space listing.
    QString expected = pcp.out;
    expected.remove(QRegularExpression("^event\\.(flags|missed)\n", QRegularExpression::MultilineOption));
    QVERIFY(expected != pcp.out);
    Run ours = sextantCli({"info", "-h", host});
    QVERIFY2(ours.exitCode == 0, qPrintable(ours.err));
    QVERIFY(ours.out.count('\n') > 200);
    QCOMPARE(ours.out, expected);
    Run kernel = sextantCli({"info", "-h", host, "kernel.all"});
    QCOMPARE(kernel.exitCode, 0);
    for (const auto& n : kernel.out.split('\n', Qt::SkipEmptyParts)) QVERIFY2(n.startsWith("kernel.all."), qPrintable(n));
  }

  void fetchJson_data() { addDaemons(); }
  void fetchJson() {
    DAEMON_OR_FAIL();
    Run r = sextantCli({"fetch", "--json", "-h", host, "kernel.all.load", "hinv.ncpu", "mem.physmem", "no.such"});
    QCOMPARE(r.exitCode, 2);  // the unknown name
    QJsonParseError error;
    QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString() + ": " + r.out));
    QVERIFY(doc.object().value("timestamp").toDouble() > 1.5e9);
    QJsonArray metrics = doc.object().value("metrics").toArray();
    QCOMPARE(metrics.size(), 4);

    QJsonObject load = metrics[0].toObject();
    QCOMPARE(load.value("pmid").toString(), QString("60.2.0"));
    QCOMPARE(load.value("type").toString(), QString("float"));
    QJsonArray insts = load.value("instances").toArray();
    QCOMPARE(insts.size(), 3);
    const int ids[] = {1, 5, 15};
    for (int i = 0; i < 3; ++i) {
      QJsonObject o = insts[i].toObject();
      QCOMPARE(o.value("id").toInt(-1), ids[i]);
      QCOMPARE(o.value("name").toString(), QString("%1 minute").arg(ids[i]));
      QVERIFY(o.value("value").toDouble(-1) >= 0);
    }
    QCOMPARE(metrics[1].toObject().value("instances").toArray().at(0).toObject().value("value").toInt(), onlineCpus());
    QJsonObject physmem = metrics[2].toObject();
    QCOMPARE(physmem.value("units").toString(), QString("Kbyte"));
    QCOMPARE(physmem.value("instances").toArray().at(0).toObject().value("value").toInteger(), memTotalKb());
    QCOMPARE(metrics[3].toObject().value("error").toString(), QString("Unknown metric name"));
  }

  // Counter rates over the wire: the host line is the daemon's pmcd.hostname, and
  // every line has a utilisation between 0 and the number of CPUs.
  void watchRates_data() { addDaemons(); }
  void watchRates() {
    DAEMON_OR_FAIL();
    const int cpus = onlineCpus();
    Run name = run("pminfo", {"-h", host, "-f", "pmcd.hostname"});
    auto m = QRegularExpression("value \"([^\"]+)\"").match(name.out);
    QVERIFY2(m.hasMatch(), qPrintable("pmcd.hostname from pminfo: " + name.out + name.err));
    Run r = sextantCli({"watch", "-h", host, "-s", "2", "-t", "0.3", "kernel.all.cpu.user"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("\nhost:      " + m.captured(1) + "\n"), qPrintable(r.out));
    QVERIFY(r.out.contains("units:     millisec (converting to time utilization)\n"));
    auto lines = sampleLines(r.out);
    QCOMPARE(lines.size(), 2);
    for (const auto& fields : lines) {
      QCOMPARE(fields.size(), 2);
      bool ok = false;
      double v = fields[1].toDouble(&ok);
      QVERIFY2(ok && v >= 0 && v <= cpus * 1.1, qPrintable(fields[1]));
    }
  }

  void watchInstanceColumns_data() { addDaemons(); }
  void watchInstanceColumns() {
    DAEMON_OR_FAIL();
    Run r = sextantCli({"watch", "-h", host, "-s", "2", "-t", "0.2", "kernel.all.load"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QRegularExpression("\ntime +1 minute +5 minute +15 minute\n")));
    auto lines = sampleLines(r.out);
    QCOMPARE(lines.size(), 2);
    for (const auto& fields : lines) QCOMPARE(fields.size(), 4);
  }

  // Name forms of the host: a name with every address, IPv6 in brackets, the port
  // from $PMCD_PORT.
  void hostForms_data() {
    QTest::addColumn<QString>("which");
    QTest::addColumn<QString>("form");
    for (const char* w : {"pmcd", "sextantd"}) {
      QTest::addRow("%s localhost:PORT", w) << w << "localhost:%1";
      QTest::addRow("%s [::1]:PORT", w) << w << "[::1]:%1";
      QTest::addRow("%s PMCD_PORT", w) << w << "127.0.0.1";
    }
  }
  void hostForms() {
    DAEMON_OR_FAIL();
    QFETCH(QString, form);
    const QString port = QString::number(d->port());
    const QString spec = form.contains("%1") ? form.arg(port) : form;
    Run r = sextantCli({"info", "-f", "-h", spec, "hinv.ncpu"}, {"PMCD_PORT=" + port + ",44321"});
    QVERIFY2(r.exitCode == 0, qPrintable(host + ": " + r.err));
    QCOMPARE(r.out, QString("\nhinv.ncpu\n    value %1\n").arg(onlineCpus()));
  }

  void unknownNamesOverTheWire_data() { addDaemons(); }
  void unknownNamesOverTheWire() {
    DAEMON_OR_FAIL();
    Run one = sextantCli({"info", "-h", host, "no.such.metric"});
    QCOMPARE(one.exitCode, 2);
    QCOMPARE(one.err, QString("Error: no.such.metric: Unknown metric name\n"));
    Run nonLeaf = sextantCli({"watch", "-h", host, "-s", "1", "hinv.ncpu", "kernel.all"});
    QCOMPARE(nonLeaf.exitCode, 2);
    QCOMPARE(nonLeaf.err, QString("sextant: kernel.all: not a single metric (see sextant info kernel.all)\n"));
    Run mixed = sextantCli({"fetch", "-h", host, "hinv.ncpu", "nosuch"});
    QCOMPARE(mixed.exitCode, 2);
    QCOMPARE(mixed.err, QString("sextant: nosuch: Unknown metric name\n"));
  }

  void connectionFailures_data() {
    QTest::addColumn<QByteArray>("greeting");
    QTest::addColumn<int>("holdMs");
    QTest::addColumn<QString>("message");  // after "sextant: ", %1 the host:port
    QTest::newRow("closes at once") << QByteArray() << 0
                                    << "no greeting from %1: connection closed by the server";
    QTest::newRow("silent") << QByteArray() << 5000 << "no greeting from %1: no reply within 0.5 s";
    QTest::newRow("version 1 hello") << words({16, 0x7000, 0, 0}) << 2000
                                     << "%1 did not greet as a PCP collector (protocol version 2)";
    QTest::newRow("refused (V1 code)") << words({20, 0x7000, 0, quint32(-1042), 0}) << 2000
                                       << "%1 refused the connection: No permission to perform requested operation";
    QTest::newRow("not PCP") << QByteArray("HTTP/1.1 400 Bad Request\r\n\r\n") << 2000 << "no greeting from %1: bad reply";
  }
  void connectionFailures() {
    QFETCH(QByteArray, greeting);
    QFETCH(int, holdMs);
    QFETCH(QString, message);
    FakeServer server(greeting, holdMs);
    QVERIFY(server.port() != 0);
    const QString host = "127.0.0.1:" + QString::number(server.port());
    Run r = sextantCli({"info", "-h", host, "hinv.ncpu"}, {"PMCD_REQUEST_TIMEOUT=0.5"});
    QCOMPARE(r.exitCode, 1);
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY2(r.err.startsWith("sextant: " + message.arg(host)), qPrintable(r.err));
  }

  void unreachable() {
    const quint16 port = sextant::test::freePort();
    QVERIFY(port != 0);
    Run refused = sextantCli({"info", "-h", "127.0.0.1:" + QString::number(port), "hinv.ncpu"});
    QCOMPARE(refused.exitCode, 1);
    QCOMPARE(refused.err, QString("sextant: cannot connect to 127.0.0.1:%1: Connection refused\n").arg(port));
    Run unknown = sextantCli({"fetch", "-h", "no-such-host.invalid", "hinv.ncpu"});
    QCOMPARE(unknown.exitCode, 1);
    QCOMPARE(unknown.err.count('\n'), 1);
    QVERIFY2(unknown.err.startsWith("sextant: cannot resolve host 'no-such-host.invalid': "), qPrintable(unknown.err));
  }

  void usageErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("bad port") << QStringList{"info", "-h", "h:port"}
                              << "sextant: bad host specification 'h:port': port must be a number from 1 to 65535 "
                                 "(see sextant --help)\n";
    QTest::newRow("-L and -h") << QStringList{"-L", "info", "-h", "h"}
                               << "sextant: -L and -h cannot be used together (see sextant --help)\n";
    QTest::newRow("-h and -a") << QStringList{"info", "-h", "h", "-a", "x"}
                               << "sextant: -h and -a cannot be used together (see sextant --help)\n";
  }
  void usageErrors() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    Run r = sextantCli(args);
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err, message);
  }

  void cleanupTestCase() {
    pmcd_.stop();
    sextantd_.stop();
  }
};

QTEST_GUILESS_MAIN(HostContextTest)
#include "HostContextTest.moc"
