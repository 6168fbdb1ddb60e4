// sextantd's configuration and access rules: the ini parser line by line, the command
// line, the documented sample file, and address matching for allow/deny lists.
#include <QtTest>

#include <fstream>
#include <sstream>

#include "service/Access.h"
#include "service/Config.h"

using namespace sextant;
using namespace sextant::service;

class ConfigTest : public QObject {
  Q_OBJECT

 private slots:
  void sampleFileParsesToTheDefaults() {
    std::ifstream in(SEXTANT_FIXTURES "/../../service/sextantd.ini");
    QVERIFY(in.good());
    std::stringstream text;
    text << in.rdbuf();
    auto c = parseConfig(text.str());
    QVERIFY2(c.ok(), c.ok() ? "" : c.failure().detail.c_str());
    const Config d;
    QCOMPARE(c->pduPort, d.pduPort);
    QCOMPARE(c->restPort, d.restPort);
    QCOMPARE(c->listen, d.listen);
    QCOMPARE(c->socketPath, d.socketPath);
    QVERIFY(!c->socketExplicit);
    QCOMPARE(c->logFile, d.logFile);
    QCOMPARE(c->maxPdu, d.maxPdu);
    QCOMPARE(c->access.maxClients, d.access.maxClients);
    QCOMPARE(c->handshakeTimeout, d.handshakeTimeout);
    QCOMPARE(c->idleTimeout, d.idleTimeout);
    QVERIFY(c->access.allow.empty());
    QVERIFY(c->access.deny.empty());
    QVERIFY(c->access.proc == ProcAccess::Local);
    QVERIFY(c->records.empty());  // recording is asked for, never a default
  }

  void settings() {
    auto c = parseConfig(
        "; comment\n[server]\npdu_port=2000\n  listen = ::1  \nsocket =\nmax_pdu = 4096\n"
        "[limits]\nmax_clients = 3\nidle_timeout = 9\nhandshake_timeout = 2\n"
        "[access]\nallow = 10.0.0.0/8, 127.0.0.1\nallow = ::1\ndeny = 10.1.0.0/16\nproc_values = none\n");
    QVERIFY2(c.ok(), c.ok() ? "" : c.failure().detail.c_str());
    QCOMPARE(c->pduPort, 2000);
    QCOMPARE(c->listen, std::string("::1"));
    QCOMPARE(c->socketPath, std::string());
    QCOMPARE(c->maxPdu, std::size_t{4096});
    QCOMPARE(c->access.maxClients, 3u);
    QCOMPARE(c->idleTimeout.count(), 9);
    QCOMPARE(c->handshakeTimeout.count(), 2);
    QCOMPARE(c->access.allow.size(), std::size_t{3});
    QCOMPARE(c->access.deny.size(), std::size_t{1});
    QVERIFY(c->access.proc == ProcAccess::None);
  }

  void errorsNameTheLine_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("detail");
    QTest::newRow("outside a section") << "pdu_port = 1\n" << "line 1: 'pdu_port = 1' is outside any [section]";
    QTest::newRow("unknown section") << "\n[x]\n" << "line 2: unknown section [x]";
    QTest::newRow("unclosed section") << "[server\n" << "line 1: bad section header '[server'";
    QTest::newRow("unknown key") << "[limits]\nmax = 1\n" << "line 2: unknown key 'max' in [limits]";
    QTest::newRow("key of another section") << "[server]\nmax_clients = 1\n" << "line 2: unknown key 'max_clients' in [server]";
    QTest::newRow("port zero") << "[server]\npdu_port = 0\n" << "line 2: pdu_port: '0' is not a port (1-65535)";
    QTest::newRow("port text") << "[server]\nrest_port = http\n" << "line 2: rest_port: 'http' is not a port (1-65535, or 0 for none)";
    QTest::newRow("small pdu") << "[server]\nmax_pdu = 10\n" << "line 2: '10' is not a PDU size (1024-16777216 bytes)";
    QTest::newRow("no clients") << "[limits]\nmax_clients = 0\n" << "line 2: '0' is not a client count (1-100000)";
    QTest::newRow("timeout") << "[limits]\nidle_timeout = 5s\n" << "line 2: '5s' is not a number of seconds (1-604800)";
    QTest::newRow("address") << "[access]\ndeny = 1.2.3\n" << "line 2: '1.2.3' is not an IPv4 or IPv6 address";
    QTest::newRow("prefix") << "[access]\ndeny = 1.2.3.4/33\n" << "line 2: prefix length too long in '1.2.3.4/33'";
    QTest::newRow("prefix text") << "[access]\nallow = ::1/x\n" << "line 2: bad prefix length in '::1/x'";
    QTest::newRow("proc") << "[access]\nproc_values = yes\n" << "line 2: 'yes' is not one of local, all, none";
    QTest::newRow("record unknown key") << "[record]\nmetrics = a\nrate = 1\n" << "line 3: unknown key 'rate' in [record]";
    QTest::newRow("record named unknown key") << "[record x]\nmetrics = a\nkeep = 1\n"
                                              << "line 3: unknown key 'keep' in [record x]";
    QTest::newRow("record no metrics") << "[record]\ninterval = 1s\n[server]\n"
                                       << "line 1: [record] needs a 'metrics =' line";
    QTest::newRow("record no metrics at end") << "[record a]\nmetrics = x\n\n[record b]\ninterval = 1\n"
                                              << "line 4: [record b] needs a 'metrics =' line";
    QTest::newRow("record bad metric") << "[record]\nmetrics = kernel.all.load, kernel..cpu\n"
                                       << "line 2: 'kernel..cpu' is not a metric name";
    QTest::newRow("record bad interval") << "[record]\nmetrics = a\ninterval = 5x\n"
                                         << "line 3: bad interval '5x': unknown unit 'x' (use ms, s, min or h)";
    QTest::newRow("record zero interval") << "[record]\nmetrics = a\ninterval = 0\n"
                                          << "line 3: bad interval '0': must be greater than zero";
    QTest::newRow("record long interval") << "[record]\nmetrics = a\ninterval = 2 days\n"
                                          << "line 3: bad interval '2 days': unknown unit 'days' (use ms, s, min or h)";
    QTest::newRow("record sub-millisecond") << "[record]\nmetrics = a\ninterval = 0.0001\n"
                                            << "line 3: bad interval '0.0001': shorter than a millisecond";
    QTest::newRow("record relative directory") << "[record]\nmetrics = a\ndirectory = archives\n"
                                               << "line 3: 'archives' is not an absolute directory";
    QTest::newRow("record keep_days") << "[record]\nmetrics = a\nkeep_days = -1\n"
                                      << "line 3: '-1' is not a number of days (0-36500, 0 keeps every archive)";
    QTest::newRow("record twice") << "[record]\nmetrics = a\n[record]\nmetrics = b\n" << "line 3: [record] appears twice";
    QTest::newRow("record name twice") << "[record x]\nmetrics = a\n[record  x ]\nmetrics = b\n"
                                       << "line 3: [record x] appears twice";
    QTest::newRow("record bad name") << "[record a/b]\n" << "line 1: bad recorder name 'a/b' (letters, digits, '_', '-', '.')";
    QTest::newRow("record shared directory")
        << "[record a]\nmetrics = x\ndirectory = /d\n[record b]\nmetrics = y\ndirectory = /d\n"
        << "line 4: [record b] writes to the directory of [record a] (/d)";
    QTest::newRow("recorder section") << "[recorder]\n" << "line 1: unknown section [recorder]";
  }
  void errorsNameTheLine() {
    QFETCH(QString, text);
    QFETCH(QString, detail);
    auto c = parseConfig(text.toStdString());
    QVERIFY(!c.ok());
    QCOMPARE(QString::fromStdString(c.failure().detail), detail);
  }

  // [record] sections: each key, the defaults, several named sections in file order.
  void recordSections() {
    auto c = parseConfig(
        "[record]\nmetrics = kernel.all.load, mem.util\nmetrics = disk.all.read\n"
        "[server]\npdu_port = 2000\n"
        "[record fast]\nmetrics = hinv.ncpu kernel.all.cpu.user\ninterval = 250ms\ndirectory = /srv/arch\n"
        "keep_days = 0\n");
    QVERIFY2(c.ok(), c.ok() ? "" : c.failure().detail.c_str());
    QCOMPARE(c->pduPort, 2000);
    QCOMPARE(c->records.size(), std::size_t{2});
    const RecordSettings& main = c->records[0];
    QCOMPARE(main.name, std::string());
    QCOMPARE(main.metrics, (std::vector<std::string>{"kernel.all.load", "mem.util", "disk.all.read"}));
    const RecordSettings defaults;
    QCOMPARE(main.interval, defaults.interval);
    QCOMPARE(main.keepDays, defaults.keepDays);
    QCOMPARE(main.directory, std::string());
    QCOMPARE(archiveDirectory(main, "db1"), std::string(kDefaultArchiveDir) + "/db1");
    const RecordSettings& fast = c->records[1];
    QCOMPARE(fast.name, std::string("fast"));
    QCOMPARE(fast.metrics, (std::vector<std::string>{"hinv.ncpu", "kernel.all.cpu.user"}));
    QCOMPARE(fast.interval, std::chrono::milliseconds(250));
    QCOMPARE(fast.keepDays, 0u);
    QCOMPARE(archiveDirectory(fast, "db1"), std::string("/srv/arch"));
    RecordSettings named;
    named.name = "slow";
    QCOMPARE(archiveDirectory(named, "db1"), std::string(kDefaultArchiveDir) + "/db1/slow");
    auto units = parseConfig("[record]\nmetrics = a\ninterval = 1.5min\n");
    QVERIFY(units.ok());
    QCOMPARE(units->records[0].interval, std::chrono::milliseconds(90000));
  }

  // The sample file documents every [record] key (commented out: nothing is recorded
  // unless asked), and its example section parses once uncommented.
  void sampleFileDocumentsRecording() {
    std::ifstream in(SEXTANT_FIXTURES "/../../service/sextantd.ini");
    QVERIFY(in.good());
    std::string line, example;
    bool inExample = false;
    while (std::getline(in, line)) {
      if (line == "# [record]") inExample = true;
      if (inExample && line.rfind("# ", 0) == 0 && (line[2] == '[' || line.find(" =") != std::string::npos))
        example += line.substr(2) + "\n";
    }
    for (const char* key : {"metrics = ", "interval = ", "directory =", "keep_days = "})
      QVERIFY2(example.find(key) != std::string::npos, key);
    auto c = parseConfig(example);
    QVERIFY2(c.ok(), c.ok() ? "" : c.failure().detail.c_str());
    QCOMPARE(c->records.size(), std::size_t{2});
    QCOMPARE(c->records[0].interval, std::chrono::milliseconds(60000));
    QCOMPARE(c->records[0].keepDays, RecordSettings{}.keepDays);
  }

  void commandLine() {
    auto cl = parseCommandLine({"--foreground", "--pdu-port", "3000", "--rest-port=3001", "--listen", "127.0.0.1",
                                "--socket=", "--log", "/tmp/x.log", "--config", "a.ini"});
    QVERIFY(cl.ok());
    QVERIFY(cl->foreground);
    QCOMPARE(cl->configFile, std::string("a.ini"));
    Config c = *parseConfig("[server]\npdu_port = 9\nlisten = ::\n");
    applyCommandLine(*cl, c);
    QCOMPARE(c.pduPort, 3000);  // the command line wins
    QCOMPARE(c.restPort, 3001);
    QCOMPARE(c.listen, std::string("127.0.0.1"));
    QCOMPARE(c.socketPath, std::string());
    QCOMPARE(c.logFile, std::string("/tmp/x.log"));
    QVERIFY(parseCommandLine({"--help"})->help);
    QCOMPARE(QString::fromStdString(parseCommandLine({"--verbose"}).failure().detail),
             QString("--verbose: unknown option (see --help)"));
    QCOMPARE(QString::fromStdString(parseCommandLine({"--log"}).failure().detail), QString("--log: needs a value"));
  }

  void addressRules_data() {
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("matches");
    QTest::newRow("exact v4") << "127.0.0.1" << "127.0.0.1" << true;
    QTest::newRow("other v4") << "127.0.0.1" << "127.0.0.2" << false;
    QTest::newRow("v4 block") << "10.0.0.0/8" << "10.200.3.4" << true;
    QTest::newRow("outside v4 block") << "10.0.0.0/8" << "11.0.0.1" << false;
    QTest::newRow("odd prefix inside") << "192.168.4.0/22" << "192.168.7.255" << true;
    QTest::newRow("odd prefix outside") << "192.168.4.0/22" << "192.168.8.0" << false;
    QTest::newRow("mapped v4") << "127.0.0.1" << "::ffff:127.0.0.1" << true;
    QTest::newRow("v6 exact") << "::1" << "::1" << true;
    QTest::newRow("v6 vs v4") << "::1" << "127.0.0.1" << false;
    QTest::newRow("v6 block") << "fd00::/8" << "fd12:3456::1" << true;
    QTest::newRow("outside v6 block") << "fd00::/8" << "fe80::1" << false;
    QTest::newRow("everyone") << "*" << "203.0.113.9" << true;
    QTest::newRow("garbage address") << "*" << "not-an-address" << false;
  }
  // The [rest] section and the flags that go with it; HTTPS needs both PEM files.
  void restSettings() {
    auto c = parseConfig("[server]\nrest_port = 0\n[rest]\nthreads = 8\nmax_url = 4096\ntimeout = 5\ntls_port = 8443\n");
    QVERIFY(c.ok());
    QCOMPARE(c->restPort, 0);
    QCOMPARE(c->rest.threads, 8u);
    QCOMPARE(c->rest.maxUrl, std::size_t(4096));
    QCOMPARE(c->rest.timeout, std::chrono::seconds(5));
    QCOMPARE(c->rest.tlsPort, 8443);
    auto checked = checkConfig(*c);
    QVERIFY(!checked.ok());
    QVERIFY2(QString::fromStdString(checked.failure().detail).contains("--tls-cert"), checked.failure().detail.c_str());
    auto cl = parseCommandLine({"--tls-cert", "c.pem", "--tls-key", "k.pem"});
    QVERIFY(cl.ok());
    applyCommandLine(*cl, *c);
    QVERIFY(checkConfig(*c).ok());
    auto bad = parseConfig("[rest]\nthreads = 1\n");
    QVERIFY(!bad.ok());
    QCOMPARE(QString::fromStdString(bad.failure().detail), QString("line 2: '1' is not a thread count (2-10000)"));
    auto dirs = parseConfig("[rest]\narchive_dirs = /srv/a, /srv/b\n");
    QVERIFY(dirs.ok());
    QCOMPARE(dirs->rest.archiveDirs, (std::vector<std::string>{"/srv/a", "/srv/b"}));
    auto relative = parseConfig("[rest]\narchive_dirs = /srv/a archives\n");
    QVERIFY(!relative.ok());
    QCOMPARE(QString::fromStdString(relative.failure().detail),
             QString("line 2: 'archives' is not an absolute directory"));
  }

  void addressRules() {
    QFETCH(QString, rule);
    QFETCH(QString, address);
    QFETCH(bool, matches);
    auto r = parseAddressRule(rule.toStdString());
    QVERIFY(r.ok());
    QCOMPARE(ruleMatches(*r, address.toStdString()), matches);
  }

  void admission() {
    AccessRules open;
    QCOMPARE(open.admit("203.0.113.9"), 0);
    AccessRules rules;
    rules.allow = {*parseAddressRule("10.0.0.0/8")};
    rules.deny = {*parseAddressRule("10.9.0.0/16")};
    QCOMPARE(rules.admit("10.1.2.3"), 0);
    QCOMPARE(rules.admit("10.9.2.3"), -12387);  // deny wins
    QCOMPARE(rules.admit("192.0.2.1"), -12387);  // not allowed
    QVERIFY(isLoopback("127.3.4.5"));
    QVERIFY(isLoopback("::1"));
    QVERIFY(isLoopback("::ffff:127.0.0.1"));
    QVERIFY(!isLoopback("192.0.2.1"));
    AccessRules proc;
    QVERIFY(proc.procAllowed(true));
    QVERIFY(!proc.procAllowed(false));
    proc.proc = ProcAccess::All;
    QVERIFY(proc.procAllowed(false));
    proc.proc = ProcAccess::None;
    QVERIFY(!proc.procAllowed(true));
  }
};

QTEST_GUILESS_MAIN(ConfigTest)
#include "ConfigTest.moc"
