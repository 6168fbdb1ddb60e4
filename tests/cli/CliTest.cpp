// The sextant command line end to end: the real binary over the real backend.
#include <signal.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include "tests/TestProcess.h"

using sextant::test::memTotalKb;
using sextant::test::onlineCpus;
using sextant::test::Run;
using sextant::test::run;
using sextant::test::sampleLines;

namespace {

Run sextantCli(const QStringList& args) { return run(QStringLiteral(SEXTANT_BIN "/sextant"), args); }

// The descriptor lines pminfo -dm prints for these metrics: facts of PCP's catalog.
const char* const kRecordedDescriptors =
    "\nhinv.ncpu PMID: 60.0.32\n"
    "    Data Type: 32-bit unsigned int  InDom: PM_INDOM_NULL 0xffffffff\n"
    "    Semantics: discrete  Units: none\n"
    "\nkernel.all.load PMID: 60.2.0\n"
    "    Data Type: float  InDom: 60.2 0xf000002\n"
    "    Semantics: instant  Units: none\n"
    "\nmem.util.free PMID: 60.1.2\n"
    "    Data Type: 64-bit unsigned int  InDom: PM_INDOM_NULL 0xffffffff\n"
    "    Semantics: instant  Units: Kbyte\n"
    "\nnetwork.interface.in.bytes PMID: 60.3.0\n"
    "    Data Type: 64-bit unsigned int  InDom: 60.3 0xf000003\n"
    "    Semantics: counter  Units: byte\n";
const QStringList kComparedMetrics = {"hinv.ncpu", "kernel.all.load", "mem.util.free", "network.interface.in.bytes"};

}  // namespace

class CliTest : public QObject {
  Q_OBJECT
 private slots:
  void exitCodes_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("stderrText");  // exact, when not empty
    QTest::newRow("help") << QStringList{"--help"} << 0 << "";
    QTest::newRow("version") << QStringList{"--version"} << 0 << "";
    QTest::newRow("help command") << QStringList{"help", "watch"} << 0 << "";
    QTest::newRow("command --help") << QStringList{"info", "--help"} << 0 << "";
    QTest::newRow("info") << QStringList{"info", "hinv.ncpu"} << 0 << "";
    QTest::newRow("explicit -L") << QStringList{"-L", "info", "hinv.ncpu"} << 0 << "";
    QTest::newRow("-L after command") << QStringList{"fetch", "-L", "hinv.ncpu"} << 0 << "";
    QTest::newRow("unknown name") << QStringList{"info", "no.such.metric"} << 2
                                  << "Error: no.such.metric: Unknown metric name\n";
    QTest::newRow("unknown among known") << QStringList{"info", "-f", "hinv.ncpu", "nosuch"} << 2
                                         << "Error: nosuch: Unknown metric name\n";
    QTest::newRow("fetch unknown") << QStringList{"fetch", "nosuch"} << 2 << "sextant: nosuch: Unknown metric name\n";
    QTest::newRow("watch unknown") << QStringList{"watch", "-s", "1", "nosuch"} << 2
                                   << "sextant: nosuch: Unknown metric name\n";
    QTest::newRow("bad flag") << QStringList{"info", "-x"} << 2 << "sextant: unknown option '-x' (see sextant --help)\n";
    QTest::newRow("bad long flag") << QStringList{"fetch", "--bogus", "hinv.ncpu"} << 2
                                   << "sextant: unknown option '--bogus' (see sextant --help)\n";
    QTest::newRow("bad command") << QStringList{"frobnicate"} << 2
                                 << "sextant: unknown command 'frobnicate' (see sextant --help)\n";
    QTest::newRow("no command") << QStringList{} << 2 << "sextant: no command given (see sextant --help)\n";
    QTest::newRow("help unknown") << QStringList{"help", "nope"} << 2
                                  << "sextant: unknown command 'nope' (see sextant --help)\n";
    QTest::newRow("interval zero") << QStringList{"watch", "-t", "0", "hinv.ncpu"} << 2
                                   << "sextant: bad interval '0': must be greater than zero\n";
    QTest::newRow("interval negative") << QStringList{"watch", "-t", "-1", "hinv.ncpu"} << 2
                                       << "sextant: bad interval '-1': must be greater than zero\n";
    QTest::newRow("interval junk") << QStringList{"watch", "-t", "soon", "hinv.ncpu"} << 2 << "";
    QTest::newRow("samples zero") << QStringList{"watch", "-s", "0", "hinv.ncpu"} << 2
                                  << "sextant: bad sample count '0': must be at least 1\n";
    QTest::newRow("samples negative") << QStringList{"watch", "-s", "-2", "hinv.ncpu"} << 2
                                      << "sextant: bad sample count '-2': must be at least 1\n";
    QTest::newRow("missing value") << QStringList{"watch", "hinv.ncpu", "-t"} << 2
                                   << "sextant: option '-t' needs a value (see sextant --help)\n";
    QTest::newRow("watch non-leaf") << QStringList{"watch", "-s", "1", "kernel.all"} << 2 << "";
    QTest::newRow("host without command") << QStringList{"-h", "localhost"} << 2
                                          << "sextant: no command after the options (see sextant --help)\n";
    QTest::newRow("missing archive") << QStringList{"info", "-a", "no-such-dir/x.sextant"} << 1
                                     << "sextant: archive no-such-dir/x.sextant: no such file\n";
    QTest::newRow("archive and host") << QStringList{"-h", "localhost", "info", "-a", "x.sextant"} << 2
                                      << "sextant: -h and -a cannot be used together (see sextant --help)\n";
    QTest::newRow("window without archive") << QStringList{"fetch", "-S", "+1m", "hinv.ncpu"} << 2
                                            << "sextant: -S +1m: a time window needs an archive (-a ARCHIVE)\n";
  }
  void exitCodes() {
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, stderrText);
    Run r = sextantCli(args);
    QVERIFY2(r.exitCode == code, qPrintable(QString("exit %1, stderr: %2").arg(r.exitCode).arg(r.err)));
    if (code == 2) QVERIFY2(!r.err.isEmpty(), "a usage error must say why on stderr");
    if (code == 2 && stderrText.isEmpty()) QCOMPARE(r.err.count('\n'), 1);  // one line
    if (!stderrText.isEmpty()) QCOMPARE(r.err, stderrText);
  }

  void helpDocumentsEveryOption() {
    Run r = sextantCli({"--help"});
    for (const char* word : {"info", "fetch", "watch", "-L", "--host", "--archive", "--version", "--help"})
      QVERIFY2(r.out.contains(word), word);
    QVERIFY(r.out.contains("-a ARCHIVE"));
    QVERIFY(r.out.contains("dump"));
    Run w = sextantCli({"help", "watch"});
    for (const char* word : {"--interval=INTERVAL", "--samples=SAMPLES", "500ms", "-S, --start=START", "-T, --finish=END",
                             "-O, --origin=ORIGIN", "-Z, --timezone=TZ", "-z, --hostzone"})
      QVERIFY2(w.out.contains(word), word);
    Run i = sextantCli({"help", "info"});
    for (const char* word : {"-d, --desc", "-f, --fetch", "-m, --pmid", "-t, --oneline", "-T, --helptext", "-l, --labels"})
      QVERIFY2(i.out.contains(word), word);
    QVERIFY(sextantCli({"--version"}).out.startsWith("sextant 0."));
  }

  void ncpuMatchesSystem() {
    const int cpus = onlineCpus();
    QVERIFY2(cpus > 0, "getconf _NPROCESSORS_ONLN failed");
    Run r = sextantCli({"info", "-f", "hinv.ncpu"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QString("\nhinv.ncpu\n    value %1\n").arg(cpus));
  }

  void everyName() {
    Run r = sextantCli({"info"});
    QCOMPARE(r.exitCode, 0);
    QStringList names = r.out.split('\n', Qt::SkipEmptyParts);
    QVERIFY2(names.size() >= 200, qPrintable(QString::number(names.size())));
    const QRegularExpression valid("^[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)+$");
    for (const auto& n : names) QVERIFY2(valid.match(n).hasMatch(), qPrintable(n));
    QCOMPARE(QSet<QString>(names.begin(), names.end()).size(), names.size());
    QVERIFY(names.contains("kernel.all.load"));
    QVERIFY(names.contains("hinv.ncpu"));
    // Every listed name can be looked up: -m over all of them prints one line each.
    Run m = sextantCli(QStringList{"info", "-m"} + names);
    QCOMPARE(m.exitCode, 0);
    QCOMPARE(m.out.count(" PMID: "), names.size());
  }

  void nonLeafTraverses() {
    Run r = sextantCli({"info", "kernel.all"});
    QCOMPARE(r.exitCode, 0);
    QStringList names = r.out.split('\n', Qt::SkipEmptyParts);
    QVERIFY(names.contains("kernel.all.load"));
    QVERIFY(names.contains("kernel.all.cpu.user"));
    for (const auto& n : names) QVERIFY2(n.startsWith("kernel.all."), qPrintable(n));
  }

  void descriptorAndPmid() {
    Run d = sextantCli({"info", "-d", "kernel.all.load"});
    QCOMPARE(d.out, QString("\nkernel.all.load\n    Data Type: float  InDom: 60.2 0xf000002\n"
                            "    Semantics: instant  Units: none\n"));
    Run m = sextantCli({"info", "-m", "kernel.all.load"});
    QCOMPARE(m.out, QString("kernel.all.load PMID: 60.2.0\n"));
  }

  void valuesAndHelpLayout() {
    Run r = sextantCli({"info", "-ftT", "kernel.all.load"});
    QCOMPARE(r.exitCode, 0);
    QStringList lines = r.out.split('\n');
    QVERIFY2(lines.size() == 8, qPrintable(r.out));  // blank, name, Help:, text, 3 values, ""
    QCOMPARE(lines[0], QString());
    QVERIFY(lines[1].startsWith("kernel.all.load ["));
    QVERIFY(lines[1].endsWith("]"));
    QCOMPARE(lines[2], QString("Help:"));
    const QRegularExpression value("^    inst \\[(1|5|15) or \"(1|5|15) minute\"\\] value [0-9.e+-]+$");
    for (int i = 4; i < 7; ++i) QVERIFY2(value.match(lines[i]).hasMatch(), qPrintable(lines[i]));
    QVERIFY(lines[4].startsWith("    inst [1 or \"1 minute\"]"));
  }

  void stringValues() {
    Run r = sextantCli({"info", "-f", "filesys.mountdir"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QRegularExpression("\n    inst \\[\\d+ or \"[^\"]+\"\\] value \"/\"\n")), qPrintable(r.out));
  }

  void labels() {
    Run r = sextantCli({"info", "-l", "kernel.all.load"});
    QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 5);
    QVERIFY(lines[1].startsWith("    labels {\"agent\":\"linux\",\"domainname\":"));
    QVERIFY(lines[1].contains("\"hostname\":"));
    QVERIFY(lines[2].startsWith("    inst [1 or \"1 minute\"] labels {\"agent\":\"linux\""));
  }

  void fetchJson() {
    Run r = sextantCli({"fetch", "--json", "kernel.all.load", "hinv.ncpu", "filesys.mountdir", "no.such"});
    QCOMPARE(r.exitCode, 2);  // the unknown name
    QJsonParseError error;
    QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString() + ": " + r.out));
    QJsonObject top = doc.object();
    QVERIFY(top.value("timestamp").isDouble());
    QVERIFY(top.value("timestamp").toDouble() > 1.5e9);
    QJsonArray metrics = top.value("metrics").toArray();
    QCOMPARE(metrics.size(), 4);

    QJsonObject load = metrics[0].toObject();
    QCOMPARE(load.value("name").toString(), QString("kernel.all.load"));
    QCOMPARE(load.value("pmid").toString(), QString("60.2.0"));
    QCOMPARE(load.value("type").toString(), QString("float"));
    QCOMPARE(load.value("semantics").toString(), QString("instant"));
    QCOMPARE(load.value("units").toString(), QString("none"));
    QJsonArray insts = load.value("instances").toArray();
    QCOMPARE(insts.size(), 3);
    const int ids[] = {1, 5, 15};
    for (int i = 0; i < 3; ++i) {
      QJsonObject o = insts[i].toObject();
      QCOMPARE(o.value("id").toInt(-1), ids[i]);
      QCOMPARE(o.value("name").toString(), QString("%1 minute").arg(ids[i]));
      QVERIFY(o.value("value").isDouble());
      QVERIFY(o.value("value").toDouble() >= 0);
    }

    QJsonObject ncpu = metrics[1].toObject();
    QCOMPARE(ncpu.value("type").toString(), QString("32-bit unsigned int"));
    QJsonObject one = ncpu.value("instances").toArray().at(0).toObject();
    QVERIFY(one.value("id").isNull());
    QVERIFY(one.value("name").isNull());
    QCOMPARE(one.value("value").toInt(), onlineCpus());

    QJsonObject mounts = metrics[2].toObject();
    QCOMPARE(mounts.value("type").toString(), QString("string"));
    QVERIFY(mounts.value("instances").toArray().at(0).toObject().value("value").isString());

    QJsonObject unknown = metrics[3].toObject();
    QCOMPARE(unknown.value("name").toString(), QString("no.such"));
    QCOMPARE(unknown.value("error").toString(), QString("Unknown metric name"));
    QVERIFY(!unknown.contains("instances"));
  }

  void fetchText() {
    Run r = sextantCli({"fetch", "hinv.ncpu", "kernel.all.load"});
    QCOMPARE(r.exitCode, 0);
    QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines[0], QString("hinv.ncpu %1").arg(onlineCpus()));
    QVERIFY(lines[1].startsWith("kernel.all.load[1 minute] "));
    QVERIFY(lines[2].startsWith("kernel.all.load[5 minute] "));
    QVERIFY(lines[3].startsWith("kernel.all.load[15 minute] "));
  }

  void watchCounterAsUtilisation() {
    const int cpus = onlineCpus();
    QVERIFY(cpus > 0);
    Run r = sextantCli({"watch", "-t", "0.2", "-s", "3", "kernel.all.cpu.user"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("metric:    kernel.all.cpu.user\n"));
    QVERIFY(r.out.contains("semantics: cumulative counter (converting to rate)\n"));
    QVERIFY(r.out.contains("units:     millisec (converting to time utilization)\n"));
    QVERIFY(r.out.contains("samples:   3\n"));
    QVERIFY(r.out.contains("interval:  0.20 sec\n"));
    auto lines = sampleLines(r.out);
    QCOMPARE(lines.size(), 3);
    for (const auto& fields : lines) {
      QCOMPARE(fields.size(), 2);
      bool ok = false;
      double v = fields[1].toDouble(&ok);
      QVERIFY2(ok, qPrintable(fields[1]));  // every printed line has a rate, never '?'
      // Utilisation of all CPUs together: 0..ncpu, with a tick (10 ms per CPU) of slack
      // because the kernel counts CPU time in clock ticks.
      QVERIFY2(v >= 0 && v <= cpus * 1.1, qPrintable(fields[1]));
    }
  }

  void watchInstanceColumns() {
    Run r = sextantCli({"watch", "-t", "0.2", "-s", "2", "kernel.all.load"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("semantics: instantaneous value\n"));
    QVERIFY(r.out.contains("units:     none\n"));
    QVERIFY(r.out.contains(QRegularExpression("\ntime +1 minute +5 minute +15 minute\n")));
    auto lines = sampleLines(r.out);
    QCOMPARE(lines.size(), 2);
    for (const auto& fields : lines) {
      QCOMPARE(fields.size(), 4);
      for (int i = 1; i < 4; ++i) {
        bool ok = false;
        fields[i].toDouble(&ok);
        QVERIFY2(ok, qPrintable(fields[i]));
      }
    }
  }

  void watchSeveralMetrics() {
    Run r = sextantCli({"watch", "-t", "0.2", "-s", "1", "hinv.ncpu", "mem.util.free"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QRegularExpression("\ntime +hinv.ncpu +mem.util.free\n")));
    auto lines = sampleLines(r.out);
    QCOMPARE(lines.size(), 1);
    QCOMPARE(lines[0].size(), 3);
    QCOMPARE(lines[0][1], QString::number(onlineCpus()));
  }

  void watchInterruptExitsCleanly() {
    QProcess p;
    p.start(QStringLiteral(SEXTANT_BIN "/sextant"), {"watch", "-t", "0.1", "hinv.ncpu"});
    QVERIFY(p.waitForStarted());
    QString out;
    for (int i = 0; i < 100 && sampleLines(out).isEmpty(); ++i) {
      p.waitForReadyRead(100);
      out += QString::fromUtf8(p.readAllStandardOutput());
    }
    QVERIFY2(!sampleLines(out).isEmpty(), qPrintable(out));
    QCOMPARE(::kill(static_cast<pid_t>(p.processId()), SIGINT), 0);
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
  }

  void descriptorsMatchRecordedPcpText() {
    Run r = sextantCli(QStringList{"info", "-dm"} + kComparedMetrics);
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(r.out, QString(kRecordedDescriptors));
  }

  // Byte for byte against the real pminfo: through pmcd if one runs, else with -L (the
  // linux PMDA loaded in-process; needs root). Without PCP this fails: it is the test.
  void descriptorsMatchRealPminfo() {
    for (const QStringList& flags : {QStringList{"-dm"}, QStringList{"-l"}}) {
      const QStringList names = flags.first() == "-l" ? QStringList{"hinv.ncpu", "kernel.all.load"} : kComparedMetrics;
      Run pcp = run("pminfo", flags + names);
      if (pcp.exitCode != 0) pcp = run("pminfo", QStringList{"-L"} + flags + names);
      QVERIFY2(pcp.exitCode == 0,
               qPrintable("the real PCP pminfo is needed for this test and did not run (neither against pmcd nor "
                          "with -L): " + pcp.err));
      Run ours = sextantCli(QStringList{"info"} + flags + names);
      QCOMPARE(ours.exitCode, 0);
      QCOMPARE(ours.out, pcp.out);
    }
  }
};

QTEST_GUILESS_MAIN(CliTest)
#include "CliTest.moc"
