#pragma once
// Private collectors for tests: a real PCP pmcd or pmproxy, or sextantd, on free
// loopback ports, with their sockets and logs in a temporary directory so they never
// meet the system's own pmcd and pmproxy. Self-contained (Qt Core and POSIX sockets)
// so any test area can include it.
//
//   TestDaemon pmcd;
//   QVERIFY2(pmcd.startPmcd(), qPrintable(pmcd.error()));
//   run("pminfo", {"-h", pmcd.hostSpec(), "-f", "hinv.ncpu"});
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include <QDeadlineTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>
#include <QThread>

namespace sextant::test {

// A value of PCP's configuration (/etc/pcp.conf, or $PCP_CONF): PCP_BINADM_DIR,
// PCP_PMDAS_DIR, PCP_VAR_DIR... Empty when PCP is not installed.
inline QString pcpConf(const QString& key) {
  QString path = qEnvironmentVariable("PCP_CONF", "/etc/pcp.conf");
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly | QIODevice::Text)) return {};
  while (!f.atEnd()) {
    QString line = QString::fromUtf8(f.readLine()).trimmed();
    if (line.startsWith('#')) continue;
    qsizetype eq = line.indexOf('=');
    if (eq > 0 && line.left(eq) == key) {
      QString value = line.mid(eq + 1);
      if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.mid(1, value.size() - 2);
      return value;
    }
  }
  return {};
}

// True if something accepts TCP connections on 127.0.0.1:port.
inline bool acceptsConnections(quint16 port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// True if a listener could bind `port` on every IPv4 and IPv6 address right now.
inline bool portIsFree(quint16 port) {
  auto tryBind = [port](int family) {
    int fd = ::socket(family, SOCK_STREAM, 0);
    if (fd < 0) return family == AF_INET6;  // no IPv6 on this machine: nothing to clash with
    bool ok;
    if (family == AF_INET) {
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_port = htons(port);
      a.sin_addr.s_addr = htonl(INADDR_ANY);
      ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    } else {
      int only = 1;
      ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof only);
      sockaddr_in6 a{};
      a.sin6_family = AF_INET6;
      a.sin6_port = htons(port);
      a.sin6_addr = in6addr_any;
      ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    }
    ::close(fd);
    return ok;
  };
  return tryBind(AF_INET) && tryBind(AF_INET6);
}

// A port nobody uses, below Linux's ephemeral range (32768-60999) so that outgoing
// connections cannot take it between the check and the daemon's bind (spec 9.1).
inline quint16 freePort() {
  for (int attempt = 0; attempt < 200; ++attempt) {
    auto port = static_cast<quint16>(QRandomGenerator::global()->bounded(20000, 32000));
    if (portIsFree(port)) return port;
  }
  return 0;
}

class TestDaemon {
 public:
  TestDaemon() = default;
  TestDaemon(const TestDaemon&) = delete;
  TestDaemon& operator=(const TestDaemon&) = delete;
  ~TestDaemon() { stop(); }

  // A real pmcd from PCP's installation, with only in-process agents (pmcd and linux)
  // so it never touches the system pmcd's agent sockets (spec 9.3). `agents`: more
  // pmcd.conf agent lines (e.g. the mmv DSO); `env`: NAME=VALUE settings for pmcd.
  bool startPmcd(const QStringList& agents = {}, const QStringList& env = {}) {
    const QString binadm = pcpConf("PCP_BINADM_DIR"), pmdas = pcpConf("PCP_PMDAS_DIR");
    const QString pmcd = binadm + "/pmcd";
    if (binadm.isEmpty() || !QFile::exists(pmcd)) return fail("PCP's pmcd is not installed (no PCP_BINADM_DIR/pmcd)");
    if (!dir_.isValid()) return fail("no temporary directory");
    const QString conf = dir_.filePath("pmcd.conf");
    QFile f(conf);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Text)) return fail("cannot write " + conf);
    f.write(QString("pmcd\t2\tdso\tpmcd_init\t%1/pmcd/pmda_pmcd.so\n"
                    "linux\t60\tdso\tlinux_init\t%1/linux/pmda_linux.so\n%2\n"
                    "[access]\nallow \".*\" : all;\n")
                .arg(pmdas, agents.isEmpty() ? QString() : agents.join('\n') + '\n')
                .toUtf8());
    f.close();
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty()) user = ::geteuid() == 0 ? "root" : QString();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("PCP_RUN_DIR", dir_.path());  // pmcd.pid and friends stay private
    for (const QString& kv : env) environment.insert(kv.section('=', 0, 0), kv.section('=', 1));
    return launch(pmcd, environment, [&](quint16 port) {
      QStringList args{"-f", "-A", "-p", QString::number(port), "-s", dir_.filePath("pmcd.socket"),
                       "-c", conf, "-l", logPath()};
      if (!user.isEmpty()) args << "-U" << user;  // run as ourselves: no switch to the pcp account
      return args;
    });
  }

  // sextantd from the build, `program` its path; `extra` are added to its arguments.
  // Its REST front end is switched off (--rest-port 0) unless `extra` names a REST
  // port: its default, pmproxy's 44322, may be taken by another daemon.
  bool startSextantd(const QString& program, const QStringList& extra = {}) {
    if (!QFile::exists(program)) return fail(program + " has not been built");
    if (!dir_.isValid()) return fail("no temporary directory");
    const bool restGiven = std::any_of(extra.begin(), extra.end(), [](const QString& a) {
      return a == "--rest-port" || a.startsWith("--rest-port=");
    });
    return launch(program, QProcessEnvironment::systemEnvironment(), [&](quint16 port) {
      QStringList args{"--foreground", "--pdu-port", QString::number(port), "--log", logPath()};
      if (!restGiven) args << "--rest-port" << "0";
      return args + extra;
    });
  }

  // sextantd with its REST API on a second free port (restPort()), listening on
  // loopback only and without a Unix socket unless `extra` says otherwise (a later
  // flag wins). Ready when both ports accept connections.
  bool startSextantdRest(const QString& program, const QStringList& extra = {}) {
    if (!QFile::exists(program)) return fail(program + " has not been built");
    if (!dir_.isValid()) return fail("no temporary directory");
    return launch(program, QProcessEnvironment::systemEnvironment(), [&](quint16 port) {
      do restPort_ = freePort();
      while (restPort_ == port);
      QStringList args{"--foreground", "--pdu-port", QString::number(port), "--rest-port",
                       QString::number(restPort_), "--listen", "127.0.0.1", "--socket", "", "--log", logPath()};
      return args + extra;
    });
  }

  // A real pmproxy from PCP's installation serving only its REST API (/pmapi and
  // /metrics) on port() (= restPort()): no Redis, series, search or discovery, its pid
  // file and socket in the private directory. Its contexts reach a pmcd through the
  // hostspec of each request, e.g. a private pmcd's hostSpec().
  bool startPmproxy() {
    const QString pmproxy = pcpConf("PCP_BINADM_DIR") + "/pmproxy";
    if (pcpConf("PCP_BINADM_DIR").isEmpty() || !QFile::exists(pmproxy))
      return fail("PCP's pmproxy is not installed (no PCP_BINADM_DIR/pmproxy; Debian package pcp)");
    if (!dir_.isValid()) return fail("no temporary directory");
    const QString conf = dir_.filePath("pmproxy.conf");
    QFile f(conf);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Text)) return fail("cannot write " + conf);
    f.write("[pmproxy]\npcp.enabled = true\nhttp.enabled = true\nredis.enabled = false\nsecure.enabled = false\n"
            "[redis]\nenabled = false\n[discover]\nenabled = false\n[pmsearch]\nenabled = false\n"
            "[pmseries]\nenabled = false\n");
    f.close();
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty()) user = ::geteuid() == 0 ? "root" : QString();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("PCP_RUN_DIR", dir_.path());
    return launch(pmproxy, environment, [&](quint16 port) {
      restPort_ = port;
      QStringList args{"-f", "-A", "-p", QString::number(port), "-s", dir_.filePath("pmproxy.socket"),
                       "-c", conf, "-l", logPath()};
      if (!user.isEmpty()) args << "-U" << user;
      return args;
    });
  }

  void stop() {
    if (process_.state() == QProcess::NotRunning) return;
    process_.terminate();
    if (!process_.waitForFinished(5000)) {
      process_.kill();
      process_.waitForFinished(2000);
    }
  }

  bool running() const { return process_.state() == QProcess::Running; }
  qint64 pid() const { return process_.processId(); }
  quint16 port() const { return port_; }
  // The HTTP port: startSextantdRest's REST port, or pmproxy's port. 0 if none.
  quint16 restPort() const { return restPort_; }
  QString hostSpec() const { return "127.0.0.1:" + QString::number(port_); }
  QString directory() const { return dir_.path(); }
  QString logPath() const { return dir_.filePath("daemon.log"); }
  QString error() const { return error_; }
  // The daemon's log and its own output, for a failure message.
  QString diagnostics() const {
    QString text;
    for (const QString& name : {logPath(), dir_.filePath("output.log")}) {
      QFile f(name);
      if (f.open(QIODevice::ReadOnly)) text += QString::fromUtf8(f.readAll());
    }
    return text;
  }

 private:
  bool fail(const QString& why) {
    error_ = why;
    return false;
  }

  // Starts the daemon on a free port and waits until it accepts connections. If it
  // dies first (another process took the port in between), tries another port.
  template <class ArgsFor>
  bool launch(const QString& program, const QProcessEnvironment& env, ArgsFor argsFor) {
    for (int attempt = 0; attempt < 5; ++attempt) {
      restPort_ = 0;
      port_ = freePort();
      if (port_ == 0) return fail("no free port found");
      process_.setProcessEnvironment(env);
      // Output goes to a file: a pipe nobody reads would block a chatty daemon.
      process_.setProcessChannelMode(QProcess::MergedChannels);
      process_.setStandardOutputFile(dir_.filePath("output.log"));
      process_.setWorkingDirectory(dir_.path());
      process_.start(program, argsFor(port_));
      if (!process_.waitForStarted(5000)) return fail("cannot start " + program + ": " + process_.errorString());
      QDeadlineTimer deadline(20000);
      auto ready = [this] { return acceptsConnections(port_) && (restPort_ == 0 || acceptsConnections(restPort_)); };
      while (!deadline.hasExpired() && process_.state() == QProcess::Running && !ready()) process_.waitForFinished(100);
      if (process_.state() == QProcess::Running && ready()) return true;
      if (process_.state() == QProcess::Running) {
        stop();
        return fail(program + " did not accept connections on port " + QString::number(port_) +
                    (restPort_ ? " and " + QString::number(restPort_) : QString()) + " within 20 s\n" +
                    diagnostics());
      }
      error_ = program + " exited (status " + QString::number(process_.exitCode()) + ")\n" + diagnostics();
    }
    return false;
  }

  QTemporaryDir dir_;
  QProcess process_;
  quint16 port_ = 0;
  quint16 restPort_ = 0;
  QString error_;
};

}  // namespace sextant::test
