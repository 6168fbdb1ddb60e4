// Screenshots of the window as a desktop shows it (under Xvfb in ctest; any platform
// Qt is given works, offscreen included): the default dashboard live from a real
// sextantd, and the replay of an archive recorded by the real `sextant record`. The
// PNGs go to $SEXTANT_ARTIFACTS (default ./gui-artifacts) for people to look at; the
// test checks they are real pictures of the window.
#include <QAreaSeries>
#include <QChart>
#include <QDir>
#include <QLineSeries>
#include <QXYSeries>
#include <QImage>
#include <QPixmap>
#include <QProcess>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "../service/TestDaemon.h"
#include "gui/ChartGrid.h"
#include "gui/ChartWidget.h"
#include "gui/MainWindow.h"

using sextant::gui::MainWindow;

namespace {

const QString kSextantd = QStringLiteral(SEXTANT_BIN "/sextantd");
const QString kSextant = QStringLiteral(SEXTANT_BIN "/sextant");

// Enough points in every chart for a picture worth looking at (rates need two samples
// for their first point).
bool everyChartHasPoints(const sextant::gui::DashboardController* controller) {
  if (controller->charts().isEmpty()) return false;
  for (const auto& chart : controller->charts()) {
    int numeric = 0;
    for (const auto& line : chart.lines)
      for (const QPointF& p : line.series.points()) numeric += std::isnan(p.y()) ? 0 : 1;
    if (numeric < 4) return false;
  }
  return true;
}

// "CPU: 0, Memory: 12, ...": the numeric points of each chart, for a failure message.
QString pointCounts(const sextant::gui::DashboardController* controller) {
  QStringList parts;
  for (const auto& chart : controller->charts()) {
    int numeric = 0;
    for (const auto& line : chart.lines)
      for (const QPointF& p : line.series.points()) numeric += std::isnan(p.y()) ? 0 : 1;
    parts << QStringLiteral("%1: %2 in %3 lines").arg(chart.spec.title).arg(numeric).arg(chart.lines.size());
  }
  return parts.join(QStringLiteral(", "));
}

// The points the chart widgets draw (not only what the controller holds).
bool everyWidgetDrew(MainWindow& window) {
  if (window.grid()->chartWidgets().isEmpty()) return false;
  for (const sextant::gui::ChartWidget* widget : window.grid()->chartWidgets()) {
    qsizetype n = 0;
    for (QAbstractSeries* s : widget->chart()->series())
      if (auto* xy = qobject_cast<QXYSeries*>(s))
        n += xy->count();
      else if (auto* area = qobject_cast<QAreaSeries*>(s))
        n += area->upperSeries()->count();
    if (n == 0) return false;
  }
  return true;
}

// What is wrong with the stacked charts' areas, or "" when nothing: every area must meet
// the one below it point for point, the top edge must be the sum of the lines at each of
// its times, and span at least `minPoints` times.
QString stackProblems(MainWindow& window, int minPoints) {
  QStringList problems;
  const auto& charts = window.controller()->charts();
  for (const sextant::gui::ChartWidget* widget : window.grid()->chartWidgets()) {
    const auto& state = charts[widget->chartIndex()];
    if (state.spec.style != sextant::gui::ChartSpec::Style::StackedArea) continue;
    QVector<QAreaSeries*> areas;
    for (QAbstractSeries* s : widget->chart()->series())
      if (auto* area = qobject_cast<QAreaSeries*>(s)) areas << area;
    if (areas.size() != state.lines.size()) {
      problems << QStringLiteral("%1: %2 areas for %3 lines").arg(state.spec.title).arg(areas.size()).arg(state.lines.size());
      continue;
    }
    for (qsizetype i = 1; i < areas.size(); ++i)
      if (areas[i]->lowerSeries()->points() != areas[i - 1]->upperSeries()->points())
        problems << QStringLiteral("%1: area %2 does not sit on area %3").arg(state.spec.title).arg(i).arg(i - 1);
    const QList<QPointF> top = areas.back()->upperSeries()->points();
    if (top.size() < minPoints)
      problems << QStringLiteral("%1: the stack has %2 points, not %3 or more").arg(state.spec.title).arg(top.size()).arg(minPoints);
    for (const QPointF& p : top) {
      double sum = 0;
      for (const auto& line : state.lines) sum += line.series.valueAt(static_cast<qint64>(p.x()));
      if (!(std::fabs(sum - p.y()) <= 1e-9 * std::max(1.0, std::fabs(sum))))
        problems << QStringLiteral("%1: the stack is %2 at %3, the lines add up to %4").arg(state.spec.title).arg(p.y()).arg(p.x()).arg(sum);
    }
  }
  return problems.join(QStringLiteral("; "));
}

QString artifactsDir() {
  const QString dir = qEnvironmentVariable("SEXTANT_ARTIFACTS", QDir::current().filePath("gui-artifacts"));
  QDir().mkpath(dir);
  return dir;
}

// The number of distinct colours among a grid of sampled pixels: a window that drew
// nothing (all white or all black) has one.
int sampledColours(const QImage& image) {
  QSet<QRgb> colours;
  for (int y = 0; y < image.height(); y += 7)
    for (int x = 0; x < image.width(); x += 7) colours.insert(image.pixel(x, y));
  return static_cast<int>(colours.size());
}

}  // namespace

class GuiScreenshotTest : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  sextant::test::TestDaemon daemon_;

  // Saves the window as `name` and checks the file is a real picture of it.
  void shoot(MainWindow& window, const QString& name) {
    QTRY_VERIFY2_WITH_TIMEOUT(everyWidgetDrew(window), "a chart widget drew no points", 10000);
    const QPixmap shot = window.grab();
    const QString path = QDir(artifactsDir()).filePath(name);
    QVERIFY2(shot.save(path, "PNG"), qPrintable("cannot write " + path));
    QVERIFY2(QFileInfo(path).size() > 0, qPrintable(path + " is empty"));
    QImage image(path);
    QVERIFY2(!image.isNull(), qPrintable(path + " is not a readable PNG"));
    QCOMPARE(image.size(), window.size() * window.devicePixelRatio());
    QVERIFY2(sampledColours(image) > 10, qPrintable(path + " is nearly one flat colour"));
  }

 private slots:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, tmp_.filePath("settings"));
    QVERIFY2(daemon_.startSextantdRest(kSextantd), qPrintable("sextantd: " + daemon_.error()));
  }

  void cleanupTestCase() { daemon_.stop(); }

  void defaultDashboard() {
    MainWindow window;
    window.resize(1400, 900);
    window.useDefaultDashboard();
    window.controller()->setWindowMinutes(1);
    window.connectToHost(QStringLiteral("127.0.0.1:%1").arg(daemon_.restPort()));
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY2_WITH_TIMEOUT(everyChartHasPoints(window.controller()), qPrintable(pointCounts(window.controller())),
                              20000);
    QTRY_COMPARE_WITH_TIMEOUT(window.grid()->chartWidgets().size(), window.controller()->charts().size(), 5000);
    // SEXTANT_SCREENSHOT_SECONDS=N lets the charts run N seconds more before the picture
    // is taken (for the README's picture; the test itself needs only the first points).
    if (const int more = qEnvironmentVariableIntValue("SEXTANT_SCREENSHOT_SECONDS"); more > 0) QTest::qWait(more * 1000);
    shoot(window, QStringLiteral("default-dashboard.png"));
  }

  void archiveReplay() {
    QVERIFY2(QFile::exists(kSextant), qPrintable(kSextant + " has not been built"));
    const QString archive = tmp_.filePath("replay.db");
    QProcess record;
    record.start(kSextant, {"record", "-h", daemon_.hostSpec(), "-t", "1", "-s", "8", "-o", archive,
                            "hinv.ncpu", "kernel.all.load", "kernel.all.cpu", "mem.util", "disk.all", "network.interface"});
    QVERIFY2(record.waitForFinished(60000), "sextant record did not finish");
    QVERIFY2(record.exitStatus() == QProcess::NormalExit && record.exitCode() == 0,
             qPrintable("sextant record failed: " + QString::fromUtf8(record.readAllStandardError())));
    QVERIFY(QFileInfo(archive).size() > 0);

    MainWindow window;
    window.resize(1400, 900);
    window.useDefaultDashboard();
    window.controller()->setWindowMinutes(1);
    window.openArchive(archive);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QCOMPARE(window.windowTitle(), QStringLiteral("Sextant - replay.db"));
    QTRY_VERIFY_WITH_TIMEOUT(window.controller()->archiveEnd() > window.controller()->archiveStart(), 10000);
    QTRY_VERIFY2_WITH_TIMEOUT(everyChartHasPoints(window.controller()), qPrintable(pointCounts(window.controller())),
                              20000);
    // 8 samples: the counters' rates start at the second, and the replay's steps may miss
    // the last by a millisecond, so 6 or more times in every stack.
    QTRY_VERIFY2_WITH_TIMEOUT(stackProblems(window, 6).isEmpty(), qPrintable(stackProblems(window, 6)), 10000);
    shoot(window, QStringLiteral("archive-replay.png"));
  }
};

QTEST_MAIN(GuiScreenshotTest)
#include "GuiScreenshotTest.moc"
