// The /metrics scrape (spec 8) read by Prometheus' own parser: `promtool check metrics`
// (Debian package prometheus) over the whole namespace and over a few names, from
// PCP's pmproxy (the reference: its text must pass too, or the check is wrong) and
// from sextantd, on its own collector and proxying to the same pmcd. promtool's
// naming advice (PCP names are not Prometheus-style) is accepted; a parse error or any
// other complaint fails.
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "../service/TestDaemon.h"
#include "HttpClient.h"

using namespace sextant::test;

namespace {

const QString kSextantd = QStringLiteral(SEXTANT_BIN "/sextantd");

// promtool's lint advice about metric names, which PCP's names cannot follow.
const QStringList kNamingAdvice{
    "counter metrics should have \"_total\" suffix",
    "non-counter metrics should not have \"_total\" suffix",
    "non-histogram and non-summary metrics should not have \"_count\" suffix",
    "metric names should be written in 'snake_case' not 'camelCase'",
    "metric names should not contain abbreviated units",
    "no help text",  // PCP metrics without help text have no HELP line (spec 8)
};

// What promtool finds wrong with `text` beyond naming advice; empty when nothing.
QString promtoolProblems(const QByteArray& text, const QString& dir) {
  const QString promtool = QStandardPaths::findExecutable("promtool");
  if (promtool.isEmpty()) return "promtool is not installed (Debian package prometheus)";
  const QString file = dir + "/scrape.txt";
  QFile f(file);
  if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size()) return "cannot write " + file;
  f.close();
  QProcess p;
  p.setStandardInputFile(file);
  p.start(promtool, {"check", "metrics"});
  if (!p.waitForFinished(60000)) return "promtool did not finish";
  const QString out = QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError());
  // Exit 0: clean; 3: lint advice only; 1: the text did not parse.
  if (p.exitCode() != 0 && p.exitCode() != 3) return QString("promtool exit %1: %2").arg(p.exitCode()).arg(out.left(800));
  QStringList other;
  for (const QString& line : out.split('\n', Qt::SkipEmptyParts)) {
    const QString advice = line.section(' ', 1);
    if (!kNamingAdvice.contains(advice)) other << line;
  }
  return other.isEmpty() ? QString() : "promtool: " + other.mid(0, 20).join('\n');
}

}  // namespace

class OpenMetricsTest : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  TestDaemon pmcd_, pmproxy_, sextantd_;

  HttpReply scrape(quint16 port, const QString& query) {
    return httpGet(port, ("/metrics?" + query).toUtf8());
  }

  void check(quint16 port, const QString& host, const QString& names) {
    const HttpReply r = scrape(port, "hostspec=" + host + (names.isEmpty() ? "" : "&names=" + names));
    QVERIFY2(r.status == 200 && r.mediaType() == "text/plain", qPrintable(r.summary()));
    QVERIFY2(r.body.contains("\nhinv_ncpu{") || r.body.startsWith("# PCP5 hinv.ncpu"), qPrintable(r.summary()));
    const QString problems = promtoolProblems(r.body, tmp_.path());
    QVERIFY2(problems.isEmpty(), qPrintable(problems));
  }

 private slots:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    QVERIFY(QDir().mkpath(tmp_.path() + "/mmv"));
    QVERIFY(QFile::copy(SEXTANT_FIXTURES "/mmv/libpcp-v3.mmv", tmp_.path() + "/mmv/labelled"));
    qputenv("PCP_TMP_DIR", tmp_.path().toUtf8());
    QVERIFY2(!QStandardPaths::findExecutable("promtool").isEmpty(),
             "promtool is not installed (Debian package prometheus; scripts/install-deps.sh --test)");
    const QString dso = pcpConf("PCP_PMDAS_DIR") + "/mmv/pmda_mmv.so";
    QVERIFY2(QFile::exists(dso), "PCP's mmv agent is not installed (PCP_PMDAS_DIR/mmv/pmda_mmv.so)");
    QVERIFY2(pmcd_.startPmcd({"mmv\t70\tdso\tmmv_init\t" + dso}, {"PCP_TMP_DIR=" + tmp_.path()}),
             qPrintable("pmcd: " + pmcd_.error()));
    QVERIFY2(pmproxy_.startPmproxy(), qPrintable("pmproxy: " + pmproxy_.error()));
  }

  // The check itself can fail: pmproxy's NaN spelling and a broken line are refused,
  // naming advice alone is not.
  void checkerRefusesBadText() {
    QVERIFY(!promtoolProblems("# TYPE a gauge\na{x=\"1\"} -nan\n", tmp_.path()).isEmpty());
    QVERIFY(!promtoolProblems("# TYPE a gauge\na{x=\"1\" 2\n", tmp_.path()).isEmpty());
    const QString advice = promtoolProblems("# TYPE disk_reads counter\ndisk_reads{x=\"1\"} 2\n", tmp_.path());
    QVERIFY2(advice.isEmpty(), qPrintable(advice));
  }

  // The reference: pmproxy's text, whole namespace (its "# PCP5" lines are comments to
  // Prometheus; no NaN value on this host, which it would print as "-nan").
  void pmproxyWholeNamespace() { check(pmproxy_.restPort(), pmcd_.hostSpec(), {}); }
  void pmproxyNames() { check(pmproxy_.restPort(), pmcd_.hostSpec(), "hinv.ncpu,kernel.all.load,mmv.labelled"); }

  void sextantdWholeNamespace_data() {
    QTest::addColumn<bool>("local");
    QTest::newRow("local") << true;
    QTest::newRow("proxied") << false;
  }
  void sextantdWholeNamespace() {
    QFETCH(bool, local);
    if (!sextantd_.running()) QVERIFY2(sextantd_.startSextantdRest(kSextantd), qPrintable("sextantd: " + sextantd_.error()));
    check(sextantd_.restPort(), local ? "localhost" : pmcd_.hostSpec(), {});
  }

  void sextantdNames() {
    if (!sextantd_.running()) QVERIFY2(sextantd_.startSextantdRest(kSextantd), qPrintable("sextantd: " + sextantd_.error()));
    check(sextantd_.restPort(), "localhost", "hinv.ncpu,kernel.all.load,mmv.labelled");
  }
};

QTEST_GUILESS_MAIN(OpenMetricsTest)
#include "OpenMetricsTest.moc"
