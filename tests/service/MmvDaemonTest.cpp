// A program instrumented with PCP's own libpcp_mmv, served by a private sextantd: its
// metrics through `sextant info` and PCP's `pminfo -h`, a file truncated under the daemon
// (it survives, logs one line, keeps serving the others), and a value changing while it
// is read (never torn). Both sides use a private PCP_TMP_DIR.
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include "../TestProcess.h"
#include "TestDaemon.h"
#include "tools/HostContext.h"

using namespace sextant;
using namespace sextant::test;

namespace {

const QString kWriter = QStringLiteral(SEXTANT_BIN "/mmv_pcp_writer");
const QString kCli = QStringLiteral(SEXTANT_BIN "/sextant");

class Writer {
 public:
  bool start(const QString& tmpDir, const QString& name, int cluster, const QString& mode) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("PCP_TMP_DIR", tmpDir);
    p_.setProcessEnvironment(env);
    p_.start(kWriter, {name, QString::number(cluster), "0", mode});
    if (!p_.waitForStarted(5000)) return false;
    while (!p_.canReadLine())
      if (!p_.waitForReadyRead(10000)) return false;
    return p_.readLine().trimmed() == "ready";
  }
  ~Writer() {
    p_.closeWriteChannel();
    if (!p_.waitForFinished(5000)) p_.kill();
    p_.waitForFinished(2000);
  }

 private:
  QProcess p_;
};

int countLines(const QString& text, const QString& word) {
  int n = 0;
  for (const auto& line : text.split('\n'))
    if (line.contains(word)) ++n;
  return n;
}

}  // namespace

class MmvDaemonTest : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  TestDaemon daemon_;
  Writer demo_, wide_, flip_;
  bool up_ = false;
  QString error_;

 private slots:
  void initTestCase() {
    QVERIFY2(QFile::exists(kWriter),
             "mmv_pcp_writer was not built: PCP's libpcp_mmv is missing (install libpcp-mmv1-dev)");
    QVERIFY(tmp_.isValid());
    QVERIFY(QDir().mkpath(tmp_.path() + "/mmv"));
    QVERIFY(demo_.start(tmp_.path(), "demo", 42, "all"));
    QVERIFY(wide_.start(tmp_.path(), "wide", 43, "wide"));
    // sextantd finds the directory as PCP's tools do: $PCP_TMP_DIR/mmv.
    qputenv("PCP_TMP_DIR", tmp_.path().toUtf8());
    QVERIFY2(daemon_.startSextantd(QStringLiteral(SEXTANT_BIN "/sextantd"),
                                   {"--socket", daemon_.directory() + "/sextantd.socket"}),
             qPrintable(daemon_.error()));
  }

  void sextantInfo() {
    Run r = run(kCli, {"-h", daemon_.hostSpec(), "info", "-f", "mmv"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    for (const char* expected :
         {"mmv.demo.u64\n    value 18000000000000000000\n", "mmv.demo.i64\n    value -1234567890123\n",
          "mmv.demo.u32\n    value 4000000000\n", "mmv.demo.string\n    value \"ok\"\n",
          "mmv.demo.double\n    value 0.25\n", "mmv.demo.float\n    value 3.5\n",
          "mmv.demo.i32\n    inst [0 or \"red\"] value 17\n    inst [1 or \"green\"] value -5\n",
          "mmv.wide.m99\n    value 99\n", "mmv.control.files\n    value 2\n"})
      QVERIFY2(r.out.contains(expected), qPrintable(QString(expected) + " not in:\n" + r.out));
  }

  void pminfoFetchAndDescribe() {
    Run r = run("pminfo", {"-h", daemon_.hostSpec(), "-f", "mmv.demo"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("mmv.demo.u64\n    value 18000000000000000000\n"), qPrintable(r.out));
    QVERIFY2(r.out.contains("mmv.demo.elapsed\n    value 1500000\n"), qPrintable(r.out));
    QVERIFY2(r.out.contains("inst [1 or \"green\"] value -5"), qPrintable(r.out));
    r = run("pminfo", {"-h", daemon_.hostSpec(), "-md", "mmv.demo.i32", "mmv.demo.elapsed", "mmv.demo.u64"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    // The same PMIDs, indom and descriptors PCP's pmcd with pmda_mmv gives this file.
    QVERIFY2(r.out.contains("mmv.demo.i32 PMID: 70.42.1\n    Data Type: 32-bit int  InDom: 70.86023 0x11815007\n"
                            "    Semantics: instant  Units: Kbyte\n"),
             qPrintable(r.out));
    QVERIFY2(r.out.contains("mmv.demo.elapsed PMID: 70.42.8\n    Data Type: 64-bit int  InDom: PM_INDOM_NULL "
                            "0xffffffff\n    Semantics: counter  Units: microsec\n"),
             qPrintable(r.out));
    QVERIFY2(r.out.contains("mmv.demo.u64 PMID: 70.42.4\n    Data Type: 64-bit unsigned int"), qPrintable(r.out));
    r = run("pminfo", {"-h", daemon_.hostSpec(), "-t", "mmv.demo.u64"});
    QVERIFY2(r.out.contains("mmv.demo.u64 [requests]"), qPrintable(r.out));
  }

  // A writer appearing after the daemon started is visible to the next request.
  void newFileAppears() {
    Writer later;
    QVERIFY(later.start(tmp_.path(), "later", 44, "all"));
    Run r = run("pminfo", {"-h", daemon_.hostSpec(), "-f", "mmv.later.u32"});
    QVERIFY2(r.out.contains("mmv.later.u32\n    value 4000000000\n"), qPrintable(r.out + r.err));
  }

  // A version 3 file from libpcp_mmv (tests/fixtures/mmv) carries labels at every level:
  // pminfo -l prints the same for it from sextantd as from a real pmcd with PCP's mmv
  // agent reading the same directory.
  void labelsAsPmcd() {
    QVERIFY(QFile::copy(SEXTANT_FIXTURES "/mmv/libpcp-v3.mmv", tmp_.path() + "/mmv/labelled"));
    const QString dso = pcpConf("PCP_PMDAS_DIR") + "/mmv/pmda_mmv.so";
    QVERIFY2(QFile::exists(dso), "PCP's mmv agent is not installed (PCP_PMDAS_DIR/mmv/pmda_mmv.so)");
    TestDaemon pmcd;
    QVERIFY2(pmcd.startPmcd({"mmv\t70\tdso\tmmv_init\t" + dso}, {"PCP_TMP_DIR=" + tmp_.path()}),
             qPrintable(pmcd.error()));
    const QStringList ask{"-l", "mmv.labelled.requests", "mmv.labelled.paint", "mmv.labelled.ratio"};
    Run ours = run("pminfo", QStringList{"-h", daemon_.hostSpec()} + ask);
    Run theirs = run("pminfo", QStringList{"-h", pmcd.hostSpec()} + ask);
    QVERIFY2(ours.exitCode == 0 && theirs.exitCode == 0, qPrintable(ours.err + theirs.err + pmcd.diagnostics()));
    QVERIFY2(ours.out.contains("\"tier\":2") && ours.out.contains("\"hex\":\"00ff00\""), qPrintable(ours.out));
    QCOMPARE(ours.out, theirs.out);
  }

  // PCP's pmstore against the agent's control metrics: debug is kept, reload accepted,
  // the file count read-only.
  void pmstoreControls() {
    Run r = run("pmstore", {"-h", daemon_.hostSpec(), "mmv.control.debug", "7"});
    QVERIFY2(r.exitCode == 0 && r.out.contains("new value=7"), qPrintable(r.out + r.err));
    r = run("pminfo", {"-h", daemon_.hostSpec(), "-f", "mmv.control.debug"});
    QVERIFY2(r.out.contains("mmv.control.debug\n    value 7\n"), qPrintable(r.out + r.err));
    r = run("pmstore", {"-h", daemon_.hostSpec(), "mmv.control.reload", "1"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    r = run("pmstore", {"-h", daemon_.hostSpec(), "mmv.control.files", "3"});
    QVERIFY2(r.exitCode != 0 && (r.out + r.err).contains("No permission"), qPrintable(r.out + r.err));
    r = run("pminfo", {"-h", daemon_.hostSpec(), "-f", "mmv.control.files"});
    QVERIFY2(!r.out.contains("value 3\n"), qPrintable(r.out));
  }

  void noTornValues() {
    QVERIFY(flip_.start(tmp_.path(), "flipper", 45, "flip"));
    auto spec = cli::parseHostSpec(daemon_.hostSpec().toStdString());
    QVERIFY(spec.ok());
    auto ctx = HostContext::open(*spec);
    QVERIFY2(ctx.ok(), ctx.ok() ? "" : ctx.failure().detail.c_str());
    const std::string name = "mmv.flipper.flip";
    auto pmid = (*ctx)->lookup(std::span<const std::string>(&name, 1)).at(0);
    QVERIFY(pmid.ok());
    int a = 0, b = 0;
    for (int i = 0; i < 3000; ++i) {
      auto r = (*ctx)->fetch(std::span<const Pmid>(&*pmid, 1));
      QVERIFY(r.ok());
      QCOMPARE(r->sets.at(0).values.size(), std::size_t(1));
      const Value v = r->sets[0].values[0].value;
      if (v == Value(std::uint64_t(0x5555555555555555ULL))) ++a;
      else if (v == Value(std::uint64_t(0xAAAAAAAAAAAAAAAAULL))) ++b;
      else QFAIL(qPrintable("torn value " + QString::fromStdString(formatValue(v))));
    }
    QCOMPARE(a + b, 3000);
  }

  // Truncated in place under the daemon: one log line, the daemon lives on, the other
  // files are still served.
  void truncatedFile() {
    QVERIFY(QFile::resize(tmp_.path() + "/mmv/wide", 0));
    for (int i = 0; i < 3; ++i) run("pminfo", {"-h", daemon_.hostSpec(), "-f", "mmv"});
    QVERIFY(daemon_.running());
    Run r = run("pminfo", {"-h", daemon_.hostSpec(), "-f", "mmv.demo.u64", "mmv.wide"});
    QVERIFY2(r.out.contains("mmv.demo.u64\n    value 18000000000000000000\n"), qPrintable(r.out));
    QVERIFY2(r.err.contains("mmv.wide") || r.out.contains("Unknown metric name"), qPrintable(r.out + r.err));
    QFile log(daemon_.logPath());
    QVERIFY(log.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(log.readAll());
    QCOMPARE(countLines(text, "mmv file wide"), 1);
    QCOMPARE(countLines(text, "mmv file"), 1);
  }
};

QTEST_GUILESS_MAIN(MmvDaemonTest)
#include "MmvDaemonTest.moc"
