// The real sextantd over real sockets: the handshake bytes, bad input of every kind
// (each answered with PCP's error or a logged disconnect while a second, well-behaved
// client keeps being served), the connection limit, host rules and their reload on
// SIGHUP, configuration and start-up errors, and a clean stop on SIGTERM.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <QDeadlineTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

#include "core/pdu/Pdu.h"
#include "tests/TestProcess.h"

using namespace sextant;

namespace {

const QString kDaemon = QStringLiteral(SEXTANT_BIN "/sextantd");

bool canBind(quint16 port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_ANY);
  const bool ok = fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  if (fd >= 0) ::close(fd);
  return ok;
}

// Below Linux's ephemeral range so outgoing connections cannot take it (spec 9.1).
quint16 freePort() {
  for (int i = 0; i < 200; ++i) {
    auto p = static_cast<quint16>(QRandomGenerator::global()->bounded(20000, 32000));
    if (canBind(p)) return p;
  }
  return 0;
}

// A raw protocol client over POSIX sockets.
class Client {
 public:
  ~Client() { close(); }
  bool connectTcp(quint16 port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  bool connectUnix(const QString& path) {
    fd_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    const QByteArray p = path.toLocal8Bit();
    if (p.size() >= qsizetype(sizeof a.sun_path)) return false;
    std::memcpy(a.sun_path, p.constData(), std::size_t(p.size()));
    return fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool send(const pdu::Bytes& b) {
    std::size_t done = 0;
    while (done < b.size()) {
      const ssize_t n = ::send(fd_, b.data() + done, b.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return false;
      done += std::size_t(n);
    }
    return true;
  }
  // Exactly n bytes, or fewer if the server closed or nothing came within the time.
  pdu::Bytes read(std::size_t n, int timeoutMs = 10000) {
    pdu::Bytes out;
    QDeadlineTimer deadline(timeoutMs);
    while (out.size() < n && !deadline.hasExpired()) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, int(std::max<qint64>(1, deadline.remainingTime()))) <= 0) break;
      std::uint8_t buf[4096];
      const ssize_t got = ::recv(fd_, buf, std::min(sizeof buf, n - out.size()), 0);
      if (got <= 0) {
        eof_ = true;
        break;
      }
      out.insert(out.end(), buf, buf + got);
    }
    return out;
  }
  pdu::Bytes readPdu(int timeoutMs = 10000) {
    pdu::Bytes h = read(12, timeoutMs);
    if (h.size() < 12) return h;
    auto header = pdu::decodeHeader(h);
    if (!header || header->length < 12) return h;
    pdu::Bytes rest = read(std::size_t(header->length) - 12, timeoutMs);
    h.insert(h.end(), rest.begin(), rest.end());
    return h;
  }
  // True once the server has closed the connection (within the time).
  bool closedByServer(int timeoutMs = 15000) {
    read(1 << 20, timeoutMs);
    return eof_;
  }
  // Reads the hello and sends CREDS, as every PCP client does first.
  pdu::Bytes handshake() {
    pdu::Bytes hello = readPdu();
    send(pdu::encode(pdu::CredsPdu{{0x01020000}}, 4321));
    return hello;
  }
  // A name lookup answered: the connection is being served.
  bool answers() {
    if (!send(pdu::encode(pdu::NamesPdu{{"hinv.ncpu"}, {}}))) return false;
    auto ids = pdu::decodeIds(readPdu());
    return ids.ok() && ids->status == 1;
  }

 private:
  int fd_ = -1;
  bool eof_ = false;
};

std::int32_t be32(const pdu::Bytes& b, std::size_t at) {
  if (b.size() < at + 4) return 999999;
  return static_cast<std::int32_t>(std::uint32_t{b[at]} << 24 | std::uint32_t{b[at + 1]} << 16 |
                                   std::uint32_t{b[at + 2]} << 8 | b[at + 3]);
}

class Daemon {
 public:
  ~Daemon() { stop(); }
  QString dir() const { return dir_.path(); }
  QString socketPath() const { return dir_.filePath("s.sock"); }
  QString configPath() const { return dir_.filePath("sextantd.ini"); }
  QString log() const {
    QFile f(dir_.filePath("daemon.log"));
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
  }
  void writeConfig(const QString& text) {
    QFile f(configPath());
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text.toUtf8());
  }
  bool start(const QString& config = {}) {
    if (!config.isEmpty()) writeConfig(config);
    for (int attempt = 0; attempt < 5; ++attempt) {
      port_ = freePort();
      // No REST front end: its default port may be taken by another test's daemon.
      QStringList args{"--foreground", "--pdu-port", QString::number(port_), "--rest-port", "0", "--socket",
                       socketPath(), "--log", dir_.filePath("daemon.log")};
      if (QFile::exists(configPath())) args << "--config" << configPath();
      p_.setProcessChannelMode(QProcess::MergedChannels);
      p_.start(kDaemon, args);
      if (!p_.waitForStarted(5000)) return false;
      QDeadlineTimer deadline(20000);
      while (!deadline.hasExpired() && p_.state() == QProcess::Running) {
        Client c;
        if (c.connectTcp(port_)) return true;
        p_.waitForFinished(50);
      }
      stop();
    }
    return false;
  }
  void stop() {
    if (p_.state() == QProcess::NotRunning) return;
    p_.terminate();
    if (!p_.waitForFinished(10000)) p_.kill();
    p_.waitForFinished(2000);
  }
  // Waits until the log holds `text` (log lines are written as events happen).
  bool logShows(const QString& text, int timeoutMs = 15000) {
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
      if (log().contains(text)) return true;
      QThread::msleep(20);
    }
    return false;
  }
  quint16 port() const { return port_; }
  QProcess& process() { return p_; }

 private:
  QTemporaryDir dir_;
  QProcess p_;
  quint16 port_ = 0;
};

// sextantd run to completion (bad flags, bad config, port in use): exit code and stderr.
sextant::test::Run runDaemon(const QStringList& args) {
  sextant::test::RunOptions options;
  options.timeoutMs = 20000;
  return sextant::test::run(kDaemon, args, options);
}

}  // namespace

class DaemonTest : public QObject {
  Q_OBJECT

 private:
  Daemon daemon_;

 private slots:
  void initTestCase() {
    QVERIFY2(QFile::exists(kDaemon), "sextantd has not been built");
    QVERIFY2(daemon_.start("[limits]\nmax_clients = 20\n"), qPrintable(daemon_.log()));
  }

  void helloBytes() {
    Client c;
    QVERIFY(c.connectTcp(daemon_.port()));
    const pdu::Bytes expected{0, 0, 0, 0x14, 0, 0, 0x70, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x01, 0x0e, 0x00};
    QCOMPARE(c.readPdu(), expected);
  }

  void fetchOverTcpAndUnixSocket() {
    for (bool unixSocket : {false, true}) {
      Client c;
      QVERIFY(unixSocket ? c.connectUnix(daemon_.socketPath()) : c.connectTcp(daemon_.port()));
      QCOMPARE(c.handshake().size(), std::size_t{20});
      QVERIFY(c.answers());
      c.send(pdu::encode(pdu::ProfilePdu{0, Profile{}}));
      c.send(pdu::encode(pdu::FetchPdu{0, {Pmid::make(60, 0, 32), Pmid::make(3, 8, 99)}, true}));
      auto res = pdu::decodeResult(c.readPdu());
      QVERIFY(res.ok());
      QCOMPARE(res->sets.size(), std::size_t{2});
      QCOMPARE(static_cast<long>(res->sets[0].values.at(0).word), sysconf(_SC_NPROCESSORS_ONLN));
      // Both are local clients: proc.nprocs is served.
      QCOMPARE(res->sets[1].numval, 1);
    }
  }

  void oversizedPduDisconnects() {
    Client good, bad;
    QVERIFY(good.connectTcp(daemon_.port()));
    good.handshake();
    QVERIFY(bad.connectTcp(daemon_.port()));
    bad.handshake();
    bad.send(pdu::Bytes{0, 1, 0x11, 0x70, 0, 0, 0x70, 0x0e, 0, 0, 0, 0});  // declares 70 000 bytes
    QVERIFY(bad.closedByServer());
    QVERIFY2(daemon_.logShows("PDU length 70000 exceeds the limit of 65536"), qPrintable(daemon_.log()));
    QVERIFY(good.answers());
  }

  void garbageLengthDisconnects() {
    Client good, bad;
    QVERIFY(good.connectTcp(daemon_.port()));
    good.handshake();
    QVERIFY(bad.connectTcp(daemon_.port()));
    bad.handshake();
    bad.send(pdu::Bytes{0, 0, 0, 5, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4});
    QVERIFY(bad.closedByServer());
    QVERIFY2(daemon_.logShows("PDU length 5 is below"), qPrintable(daemon_.log()));
    QVERIFY(good.answers());
  }

  void malformedBodyIsAnsweredAndKept() {
    Client c;
    QVERIFY(c.connectTcp(daemon_.port()));
    c.handshake();
    pdu::Bytes f = pdu::encode(pdu::FetchPdu{0, {Pmid::make(60, 0, 32)}, false});
    f[27] = 200;  // 200 PMIDs claimed, 1 present
    c.send(f);
    QCOMPARE(be32(c.readPdu(), 12), -12366);
    QVERIFY(c.answers());
    QVERIFY2(daemon_.logShows("malformed FETCH PDU"), qPrintable(daemon_.log()));
  }

  void disconnectMidPdu() {
    Client good, bad;
    QVERIFY(good.connectTcp(daemon_.port()));
    good.handshake();
    QVERIFY(bad.connectTcp(daemon_.port()));
    bad.handshake();
    bad.send(pdu::Bytes{0, 0, 0, 40, 0, 0, 0x70, 0x0e, 0, 0, 0, 0, 0, 0});
    QThread::msleep(100);
    bad.close();
    QVERIFY2(daemon_.logShows("disconnected in the middle of a PDU (14 bytes unread)"), qPrintable(daemon_.log()));
    QVERIFY(good.answers());
  }

  void unknownTypeIsIpcErrorAndKept() {
    Client c;
    QVERIFY(c.connectTcp(daemon_.port()));
    c.handshake();
    c.send(pdu::Bytes{0, 0, 0, 16, 0, 0, 0x70, 0x99, 0, 0, 0, 0, 1, 2, 3, 4});
    const pdu::Bytes reply = c.readPdu();
    QCOMPARE(reply.size(), std::size_t{16});
    QCOMPARE(be32(reply, 12), -12366);
    QVERIFY(c.answers());
  }

  void oddCredsVersionsAreAccepted_data() {
    QTest::addColumn<quint32>("word");
    QTest::newRow("version 1") << quint32(0x01010000);
    QTest::newRow("version 3") << quint32(0x01030000);
    QTest::newRow("version 0") << quint32(0x01000000);
  }
  void oddCredsVersionsAreAccepted() {
    QFETCH(quint32, word);
    Client c;
    QVERIFY(c.connectTcp(daemon_.port()));
    c.readPdu();
    c.send(pdu::encode(pdu::CredsPdu{{word}}));
    QVERIFY(c.answers());
  }

  void credsAskingForTlsIsClosed() {
    Client good, bad;
    QVERIFY(good.connectTcp(daemon_.port()));
    good.handshake();
    QVERIFY(bad.connectTcp(daemon_.port()));
    bad.readPdu();
    bad.send(pdu::encode(pdu::CredsPdu{{0x01020001}}));
    QVERIFY(bad.closedByServer());
    QVERIFY(daemon_.logShows("were not offered"));
    QVERIFY(good.answers());
  }

  void silentClientIsDropped() {
    Daemon d;
    QVERIFY2(d.start("[limits]\nhandshake_timeout = 1\nidle_timeout = 2\n"), qPrintable(d.log()));
    Client good, silent, idle;
    QVERIFY(good.connectTcp(d.port()));
    good.handshake();
    QVERIFY(silent.connectTcp(d.port()));
    QVERIFY(idle.connectTcp(d.port()));
    idle.handshake();
    QVERIFY(silent.closedByServer());
    QVERIFY(idle.closedByServer());
    QVERIFY2(d.logShows("silent for 1 s before its handshake; disconnected"), qPrintable(d.log()));
    QVERIFY(d.logShows("silent for 2 s; disconnected"));
    // The well-behaved client spoke within its own timeout, so it is still served.
    Client fresh;
    QVERIFY(fresh.connectTcp(d.port()));
    fresh.handshake();
    QVERIFY(fresh.answers());
  }

  void connectionLimit() {
    Daemon d;
    QVERIFY2(d.start("[limits]\nmax_clients = 2\n"), qPrintable(d.log()));
    Client a, b, c;
    QVERIFY(a.connectTcp(d.port()));
    a.handshake();
    QVERIFY(b.connectTcp(d.port()));
    b.handshake();
    QVERIFY(a.answers());
    QVERIFY(b.answers());
    QVERIFY(c.connectTcp(d.port()));
    const pdu::Bytes hello = c.readPdu();
    QCOMPARE(hello.size(), std::size_t{20});
    QCOMPARE(be32(hello, 12), -1043);  // PM_ERR_CONNLIMIT in V1 numbering
    QCOMPARE(be32(hello, 16), 0);
    QVERIFY(c.closedByServer());
    QVERIFY(d.logShows("limit of 2 clients reached"));
    QVERIFY(a.answers());
    a.close();
    // A place is free again once a client leaves.
    QDeadlineTimer deadline(15000);
    bool served = false;
    while (!served && !deadline.hasExpired()) {
      Client again;
      QVERIFY(again.connectTcp(d.port()));
      served = be32(again.handshake(), 12) == 0 && again.answers();
      if (!served) QThread::msleep(50);
    }
    QVERIFY(served);
  }

  void deniedHostAndReloadOnSighup() {
    Daemon d;
    QVERIFY2(d.start("[access]\nallow = 10.0.0.0/8\n"), qPrintable(d.log()));
    {
      Client c;
      QVERIFY(c.connectTcp(d.port()));
      const pdu::Bytes hello = c.readPdu();
      QCOMPARE(be32(hello, 12), -1042);  // PM_ERR_PERMISSION in V1 numbering
      QVERIFY(c.closedByServer());
      QVERIFY(d.logShows("refused by the access rules"));
    }
    {
      // The Unix socket is not subject to host lists.
      Client u;
      QVERIFY(u.connectUnix(d.socketPath()));
      QCOMPARE(be32(u.handshake(), 12), 0);
      QVERIFY(u.answers());
    }
    d.writeConfig("[access]\nallow = 127.0.0.1, ::1\ndeny = 192.0.2.0/24\n");
    ::kill(pid_t(d.process().processId()), SIGHUP);
    QVERIFY2(d.logShows("configuration reloaded"), qPrintable(d.log()));
    Client c;
    QVERIFY(c.connectTcp(d.port()));
    QCOMPARE(be32(c.handshake(), 12), 0);
    QVERIFY(c.answers());

    d.writeConfig("[access]\ndeny = 127.0.0.1\n");
    ::kill(pid_t(d.process().processId()), SIGHUP);
    QDeadlineTimer deadline(15000);
    std::int32_t status = 0;
    while (status == 0 && !deadline.hasExpired()) {
      Client e;
      QVERIFY(e.connectTcp(d.port()));
      status = be32(e.readPdu(), 12);
    }
    QCOMPARE(status, -1042);
    QVERIFY(c.answers());  // connections admitted before the reload keep being served
  }

  void badReloadKeepsTheOldSettings() {
    Daemon d;
    QVERIFY(d.start("[limits]\nmax_clients = 5\n"));
    d.writeConfig("[limits]\nmax_clients = many\n");
    ::kill(pid_t(d.process().processId()), SIGHUP);
    QVERIFY2(d.logShows("reload failed, keeping the previous settings"), qPrintable(d.log()));
    QVERIFY(d.log().contains("line 2"));
    Client c;
    QVERIFY(c.connectTcp(d.port()));
    QCOMPARE(be32(c.handshake(), 12), 0);
    QVERIFY(c.answers());
  }

  void badConfigLineExits2_data() {
    QTest::addColumn<QString>("config");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown key") << "[server]\n\nprot = 5\n" << "line 3: unknown key 'prot' in [server]";
    QTest::newRow("bad port") << "[server]\npdu_port = 99999\n" << "line 2: pdu_port: '99999' is not a port";
    QTest::newRow("unknown section") << "# comment\n[sever]\n" << "line 2: unknown section [sever]";
    QTest::newRow("no equals sign") << "[access]\ndeny 10.0.0.1\n" << "line 2: expected 'key = value'";
    QTest::newRow("bad address") << "[access]\nallow = 10.0.0.300\n" << "line 2: '10.0.0.300' is not an IPv4 or IPv6";
    QTest::newRow("bad proc rule") << "[access]\nproc_values = some\n" << "line 2: 'some' is not one of local, all, none";
  }
  void badConfigLineExits2() {
    QFETCH(QString, config);
    QFETCH(QString, message);
    QTemporaryDir dir;
    QFile f(dir.filePath("bad.ini"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(config.toUtf8());
    f.close();
    auto r = runDaemon({"--foreground", "--config", f.fileName()});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QCOMPARE(r.err.count('\n'), 1);  // one line
  }

  void badFlagExits2_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown flag") << QStringList{"--frobnicate"} << "--frobnicate: unknown option";
    QTest::newRow("bad port") << QStringList{"--pdu-port", "x"} << "--pdu-port: 'x' is not a port";
    QTest::newRow("missing value") << QStringList{"--rest-port"} << "--rest-port: needs a value";
  }
  void badFlagExits2() {
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    auto r = runDaemon(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
  }

  void portInUseIsAClearError() {
    QTemporaryDir dir;
    auto r = runDaemon({"--foreground", "--pdu-port", QString::number(daemon_.port()), "--rest-port", "0",
                        "--socket", dir.filePath("other.sock")});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("port " + QString::number(daemon_.port()) + " is already in use (is pmcd running?)"),
             qPrintable(r.err));
  }

  void sigtermExitsZero() {
    Daemon d;
    QVERIFY(d.start());
    Client c;
    QVERIFY(c.connectTcp(d.port()));
    c.handshake();
    QVERIFY(c.answers());
    // A connected, idle client must not hold the daemon up.
    d.process().terminate();
    QVERIFY(d.process().waitForFinished(10000));
    QCOMPARE(d.process().exitStatus(), QProcess::NormalExit);
    QCOMPARE(d.process().exitCode(), 0);
    QVERIFY(d.log().contains("stopping on SIGTERM"));
    QVERIFY(!QFile::exists(d.socketPath()));
  }

  void cleanupTestCase() {
    // Nothing above crashed the shared daemon.
    QCOMPARE(daemon_.process().state(), QProcess::Running);
  }
};

QTEST_GUILESS_MAIN(DaemonTest)
#include "DaemonTest.moc"
