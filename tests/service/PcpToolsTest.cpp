// PCP's own client tools against sextantd (issue 3, item 3): pminfo, pmprobe, pmval,
// pmlogger and pmdumplog, unmodified, talking PDUs to a private sextantd on a free
// loopback port. Values are checked against the OS and against a real pmcd started
// next to it. A missing PCP tool fails the test, naming the tool.
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QtTest>

#include "tests/TestProcess.h"
#include "tests/service/TestDaemon.h"

using sextant::test::memTotalKb;
using sextant::test::onlineCpus;
using sextant::test::Run;
using sextant::test::run;
using sextant::test::RunOptions;
using sextant::test::TestDaemon;

namespace {

QStringList lines(const QString& text) { return text.split('\n', Qt::SkipEmptyParts); }

// The numbers pminfo -f prints for a metric without instances ("    value 2").
QString singleValue(const Run& r) {
  auto m = QRegularExpression("\n    value (.+)\n").match(r.out);
  return m.hasMatch() ? m.captured(1) : QString();
}

const QStringList kTools = {"pminfo", "pmprobe", "pmval", "pmlogger", "pmdumplog", "pmstat", "pmrep", "pcp"};

}  // namespace

class PcpToolsTest : public QObject {
  Q_OBJECT

  TestDaemon sextantd_;
  TestDaemon pmcd_;
  bool sextantdUp_ = false;
  bool pmcdUp_ = false;
  QString host_;

  Run tool(const QString& name, const QStringList& args, const QString& workDir = {}) {
    RunOptions options;
    options.workDir = workDir;
    return run(name, QStringList{"-h", host_} + args, options);
  }

#define NEED_SEXTANTD() QVERIFY2(sextantdUp_, qPrintable("private sextantd did not start: " + sextantd_.error()))

 private slots:
  void initTestCase() {
    sextantdUp_ = sextantd_.startSextantd(QStringLiteral(SEXTANT_BIN "/sextantd"),
                                          {"--socket", sextantd_.directory() + "/sextantd.socket"});
    host_ = sextantd_.hostSpec();
    pmcdUp_ = pmcd_.startPmcd();
  }

  void toolsInstalled_data() {
    QTest::addColumn<QString>("name");
    for (const auto& t : kTools) QTest::newRow(qPrintable(t)) << t;
  }
  void toolsInstalled() {
    QFETCH(QString, name);
    QVERIFY2(!QStandardPaths::findExecutable(name).isEmpty(),
             qPrintable("PCP's " + name + " is not installed (scripts/install-deps.sh --test installs it)"));
  }

  // Every name sextantd serves: each metric of this machine's catalog (what sextant
  // lists locally) and the daemon's own pmcd.* and mmv.* metrics, nothing else, and -m resolves
  // every one of them.
  void wholeNamespace() {
    NEED_SEXTANTD();
    Run all = tool("pminfo", {});
    QVERIFY2(all.exitCode == 0 && all.err.isEmpty(), qPrintable(all.err));
    QStringList names = lines(all.out);
    names.removeAll("event.flags");  // libpcp's own client-side metrics
    names.removeAll("event.missed");
    Run local = run(QStringLiteral(SEXTANT_BIN "/sextant"), {"info", "-L"});
    QCOMPARE(local.exitCode, 0);
    const QStringList catalog = lines(local.out);
    QVERIFY(catalog.size() > 200);
    const QSet<QString> served(names.begin(), names.end());
    QCOMPARE(served.size(), names.size());  // no duplicates
    for (const auto& n : catalog) QVERIFY2(served.contains(n), qPrintable(n + " is missing from pminfo's list"));
    for (const auto& n : names)
      // Besides the catalog: the daemon's own pmcd.* agent and the MMV agent's mmv.*.
      QVERIFY2(catalog.contains(n) || n.startsWith("pmcd.") || n.startsWith("mmv."),
               qPrintable(n + " is served but not in the catalog"));
    for (const char* self : {"pmcd.hostname", "pmcd.pid", "pmcd.seqnum", "pmcd.timezone"})
      QVERIFY2(served.contains(self), self);

    Run m = tool("pminfo", {"-m"});
    QVERIFY2(m.exitCode == 0 && m.err.isEmpty(), qPrintable(m.err));
    QStringList resolved = lines(m.out);
    resolved.removeIf([](const QString& l) { return l.startsWith("event.flags ") || l.startsWith("event.missed "); });
    QCOMPARE(resolved.size(), names.size());
    for (const auto& l : resolved) QVERIFY2(l.contains(" PMID: "), qPrintable(l));
    QVERIFY(m.out.contains("\nkernel.all.load PMID: 60.2.0\n"));
  }

  // Descriptors, help and labels as the real pminfo prints them: descriptors equal
  // the catalog's (sextant -L prints them in pminfo's layout), and -t/-T/-l work.
  void pminfoDescriptorsHelpLabels_data() {
    QTest::addColumn<QString>("metric");
    for (const char* m : {"hinv.ncpu", "kernel.all.load", "kernel.all.cpu.user", "mem.util.free",
                          "network.interface.in.bytes", "filesys.mountdir"})
      QTest::newRow(m) << m;
  }
  void pminfoDescriptorsHelpLabels() {
    NEED_SEXTANTD();
    QFETCH(QString, metric);
    Run d = tool("pminfo", {"-dm", metric});
    QVERIFY2(d.exitCode == 0 && d.err.isEmpty(), qPrintable(d.err));
    Run truth = run(QStringLiteral(SEXTANT_BIN "/sextant"), {"info", "-L", "-dm", metric});
    QCOMPARE(d.out, truth.out);

    Run t = tool("pminfo", {"-t", metric});
    QVERIFY2(t.exitCode == 0, qPrintable(t.err));
    QVERIFY2(QRegularExpression("^" + QRegularExpression::escape(metric) + " \\[.+\\]\n$").match(t.out).hasMatch(),
             qPrintable(t.out));
    Run help = tool("pminfo", {"-T", metric});
    QVERIFY2(help.exitCode == 0, qPrintable(help.err));
    QVERIFY2(help.out.contains("\nHelp:\n"), qPrintable(help.out));

    Run l = tool("pminfo", {"-l", metric});
    QVERIFY2(l.exitCode == 0 && l.err.isEmpty(), qPrintable(l.err));
    QVERIFY2(l.out.contains("    labels {\"agent\":\"linux\""), qPrintable(l.out));
    QVERIFY2(l.out.contains("\"hostname\":"), qPrintable(l.out));

    Run f = tool("pminfo", {"-f", metric});
    QVERIFY2(f.exitCode == 0 && f.err.isEmpty(), qPrintable(f.err));
    QVERIFY2(f.out.contains(" value "), qPrintable(f.out));
  }

  void valuesMatchTheSystem() {
    NEED_SEXTANTD();
    QCOMPARE(singleValue(tool("pminfo", {"-f", "hinv.ncpu"})), QString::number(onlineCpus()));
    QCOMPARE(singleValue(tool("pminfo", {"-f", "mem.physmem"})), QString::number(memTotalKb()));
    Run load = tool("pminfo", {"-f", "kernel.all.load"});
    QVERIFY(load.out.contains("    inst [1 or \"1 minute\"] value "));
    QVERIFY(load.out.contains("    inst [15 or \"15 minute\"] value "));
  }

  // The same stable metrics through a real pmcd on this machine.
  void valuesMatchRealPmcd() {
    NEED_SEXTANTD();
    QVERIFY2(pmcdUp_, qPrintable("private pmcd did not start: " + pmcd_.error()));
    auto viaPmcd = [&](const QString& m) { return singleValue(run("pminfo", {"-h", pmcd_.hostSpec(), "-f", m})); };
    for (const char* exact : {"hinv.ncpu", "mem.physmem"}) {
      QString ours = singleValue(tool("pminfo", {"-f", exact}));
      QVERIFY2(!ours.isEmpty(), exact);
      QCOMPARE(ours, viaPmcd(exact));
    }
    const double ours = singleValue(tool("pminfo", {"-f", "kernel.all.nprocs"})).toDouble();
    const double theirs = viaPmcd("kernel.all.nprocs").toDouble();
    QVERIFY2(theirs > 0 && qAbs(ours - theirs) <= 0.2 * theirs, qPrintable(QString("%1 vs %2").arg(ours).arg(theirs)));
  }

  void pmprobe() {
    NEED_SEXTANTD();
    Run r = tool("pmprobe", {"-v", "hinv.ncpu", "mem.physmem", "kernel.all.load", "no.such.metric"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QStringList out = lines(r.out);
    QVERIFY2(out.contains(QString("hinv.ncpu 1 %1").arg(onlineCpus())), qPrintable(r.out));
    QVERIFY2(out.contains(QString("mem.physmem 1 %1").arg(memTotalKb())), qPrintable(r.out));
    QVERIFY2(out.contains("no.such.metric -12357 Unknown metric name"), qPrintable(r.out));
    bool load = false;
    for (const auto& l : out)
      load = load || QRegularExpression("^kernel\\.all\\.load 3 [0-9.e+-]+ [0-9.e+-]+ [0-9.e+-]+$").match(l).hasMatch();
    QVERIFY2(load, qPrintable(r.out));
  }

  void pmvalCounterRates() {
    NEED_SEXTANTD();
    const int cpus = onlineCpus();
    Run r = tool("pmval", {"-s", "3", "-t", "0.5", "kernel.all.cpu.user"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("semantics: cumulative counter (converting to rate)\n"));
    QVERIFY(r.out.contains("units:     millisec (converting to time utilization)\n"));
    QStringList rates;
    for (const auto& l : lines(r.out))
      // pmval switches to exponent notation for small rates (e.g. "1.998E-02").
      if (QRegularExpression("^\\s+[0-9.]+(E[-+][0-9]+)?\\s*$").match(l).hasMatch()) rates << l.trimmed();
    QVERIFY2(rates.size() == 3, qPrintable(r.out));
    for (const auto& v : rates) QVERIFY2(v.toDouble() >= 0 && v.toDouble() <= cpus * 1.1, qPrintable(v));
  }

  void pmvalInstances() {
    NEED_SEXTANTD();
    Run r = tool("pmval", {"-s", "3", "-t", "0.5", "kernel.all.load"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QRegularExpression("\n +1 minute +5 minute +15 minute *\n")), qPrintable(r.out));
    int rows = 0;
    for (const auto& l : lines(r.out))
      if (QRegularExpression("^\\s*[0-9.]+(E[-+][0-9]+)?\\s+[0-9.]+(E[-+][0-9]+)?\\s+[0-9.]+(E[-+][0-9]+)?\\s*$")
              .match(l)
              .hasMatch())
        ++rows;
    QCOMPARE(rows, 3);
  }

  // pmlogger records from sextantd; pmdumplog reads the archive back: the host is
  // sextantd's pmcd.hostname, and every configured metric has descriptors and values.
  // The front ends whose metrics the catalog was built for (pmstat, pmrep's :vmstat,
  // pcp-free, pcp-uptime, pcp-dstat's default plugins): each must run and show numbers.
  void frontEnds_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mustMatch");  // a regular expression over stdout
    QTest::addColumn<int>("dataLines");      // lines of figures expected, at least
    const QString n = "[0-9]+(\\.[0-9]+)?[kmgKMG]?";
    QTest::newRow("pmstat") << QStringList{"pmstat", "-s", "2", "-t", "0.5"}
                            << "loadavg +memory +swap +io +system +cpu" << 2;
    QTest::newRow("pmrep :vmstat") << QStringList{"pmrep", "-s", "2", "-t", "0.5", ":vmstat"}
                                   << "r +b +swpd +free +buff +cache" << 1;
    QTest::newRow("pcp-free") << QStringList{"pcp", "free"} << QString("\nMem: +%1 +%1").arg(n) << 0;
    QTest::newRow("pcp-uptime") << QStringList{"pcp", "uptime"} << "load average: " + n + ", " + n << 0;
    QTest::newRow("pcp-dstat") << QStringList{"pcp", "dstat", "1", "2"} << "total-usage" << 2;
  }
  void frontEnds() {
    NEED_SEXTANTD();
    QFETCH(QStringList, args);
    QFETCH(QString, mustMatch);
    QFETCH(int, dataLines);
    // PCP's Python tools run the interpreter named in pcp.conf through PATH; the
    // system's comes first so that Debian's python3-pcp module is found.
    RunOptions options;
    options.env << "PATH=/usr/bin:/bin:" + qEnvironmentVariable("PATH");
    const QString program = args.takeFirst();
    Run r = run(program, QStringList{"-h", host_} + args, options);
    QVERIFY2(r.exitCode == 0, qPrintable(program + " failed: " + r.err + r.out));
    QVERIFY2(QRegularExpression(mustMatch).match(r.out).hasMatch(), qPrintable(r.out));
    // Figures, not placeholders: rows made of numbers (and dstat's '|' separators).
    int rows = 0;
    for (const auto& l : lines(r.out))
      if (QRegularExpression("^[ 0-9.|kmgKMGB]+$").match(l).hasMatch() && l.contains(QRegularExpression("[0-9]"))) ++rows;
    QVERIFY2(rows >= dataLines, qPrintable(r.out));
    QVERIFY2(!r.err.contains("Error"), qPrintable(r.err));
  }

  void pmloggerArchive() {
    NEED_SEXTANTD();
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QFile config(dir.filePath("config"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("log mandatory on default {\n  hinv.ncpu\n  mem.physmem\n  kernel.all.load\n  kernel.all.cpu.user\n}\n");
    config.close();
    Run logger = tool("pmlogger", {"-c", config.fileName(), "-s", "6", "-t", "0.5", "-l", dir.filePath("pmlogger.log"),
                                   dir.filePath("archive")},
                      dir.path());
    QFile log(dir.filePath("pmlogger.log"));
    log.open(QIODevice::ReadOnly);
    QVERIFY2(logger.exitCode == 0, qPrintable(logger.err + QString::fromUtf8(log.readAll())));

    Run dump = run("pmdumplog", {"-a", dir.filePath("archive")});
    QVERIFY2(dump.exitCode == 0, qPrintable(dump.err));
    QString hostName = singleValue(tool("pminfo", {"-f", "pmcd.hostname"}));
    QVERIFY(hostName.startsWith('"'));
    hostName = hostName.mid(1, hostName.size() - 2);
    QVERIFY2(dump.out.contains("Performance metrics from host " + hostName + "\n"), qPrintable(dump.out.left(400)));
    for (const char* pmid : {"PMID: 60.0.32 (hinv.ncpu)", "PMID: 60.1.0 (mem.physmem)", "PMID: 60.2.0 (kernel.all.load)",
                             "PMID: 60.0.20 (kernel.all.cpu.user)"})
      QVERIFY2(dump.out.contains(pmid), pmid);
    QVERIFY2(dump.out.contains(QString("(hinv.ncpu): value %1\n").arg(onlineCpus())), qPrintable(dump.out));
    QVERIFY2(dump.out.contains(QString("(mem.physmem): value %1\n").arg(memTotalKb())), qPrintable(dump.out));
    QVERIFY(dump.out.contains("inst [5 or \"5 minute\"] value "));
    // Six samples were asked for: the counter was recorded in several of them.
    QVERIFY2(dump.out.count("(kernel.all.cpu.user): value ") >= 3, qPrintable(dump.out));
  }

  void cleanupTestCase() {
    sextantd_.stop();
    pmcd_.stop();
  }
};

QTEST_GUILESS_MAIN(PcpToolsTest)
#include "PcpToolsTest.moc"
