// The whole window offscreen against a real sextantd: the command line (and the real
// program refusing files it cannot read), the default dashboard filling with points, the
// metric browser (tree, search, help, adding a series), a chart's right-click menu and
// hover tooltip, and dashboards saved and opened again.
#include <QAreaSeries>
#include <QChart>
#include <QLineSeries>
#include <QLineEdit>
#include <QMenu>
#include <QMimeData>
#include <QProcess>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTimer>
#include <QToolTip>
#include <QTreeView>
#include <QXYSeries>
#include <QtTest>
#include <cmath>

#include "../service/TestDaemon.h"
#include "gui/ChartGrid.h"
#include "gui/ChartWidget.h"
#include "gui/GuiOptions.h"
#include "gui/MainWindow.h"
#include "gui/MetricBrowser.h"

using sextant::gui::GuiOptions;
using sextant::gui::MainWindow;

namespace {

const QString kSextantd = QStringLiteral(SEXTANT_BIN "/sextantd");
const QString kGui = QStringLiteral(SEXTANT_BIN "/sextant-gui");

// Opens `view`'s context menu as a right click at its centre would, and chooses the
// entry `choice` in it; returns every entry's text, "*" after the checked ones.
QStringList chooseFromContextMenu(QAbstractScrollArea* view, const QString& choice) {
  QStringList entries;
  QTimer poll;
  poll.setInterval(10);
  QObject::connect(&poll, &QTimer::timeout, [&] {
    auto* menu = qobject_cast<QMenu*>(QApplication::activePopupWidget());
    if (!menu) return;
    poll.stop();
    for (QAction* a : menu->actions())
      if (!a->isSeparator()) entries << a->text() + (a->isChecked() ? QStringLiteral("*") : QString());
    for (QAction* a : menu->actions())
      if (a->text() == choice) menu->setActiveAction(a);
    QTest::keyClick(menu, Qt::Key_Return);
  });
  poll.start();
  const QPoint at = view->viewport()->rect().center();
  QContextMenuEvent event(QContextMenuEvent::Mouse, at, view->viewport()->mapToGlobal(at));
  QCoreApplication::sendEvent(view->viewport(), &event);  // returns when the menu has closed
  return entries;
}

// A numeric point in every line-bearing chart of the controller.
bool everyChartHasPoints(const sextant::gui::DashboardController* controller) {
  if (controller->charts().isEmpty()) return false;
  for (const auto& chart : controller->charts()) {
    bool any = false;
    for (const auto& line : chart.lines)
      for (const QPointF& p : line.series.points()) any = any || !std::isnan(p.y());
    if (!any) return false;
  }
  return true;
}

// What the widgets draw, not only what the controller holds.
int drawnPoints(const sextant::gui::ChartWidget* widget) {
  int n = 0;
  for (QAbstractSeries* s : widget->chart()->series())
    if (auto* xy = qobject_cast<QXYSeries*>(s))
      n += static_cast<int>(xy->count());
    else if (auto* area = qobject_cast<QAreaSeries*>(s))
      n += static_cast<int>(area->upperSeries()->count());
  return n;
}

}  // namespace

class GuiWindowTest : public QObject {
  Q_OBJECT

  QTemporaryDir settingsDir_;
  sextant::test::TestDaemon daemon_;

  QString host() const { return QStringLiteral("127.0.0.1:%1").arg(daemon_.restPort()); }

 private slots:
  void initTestCase() {
    // The user's own settings (recent hosts, last dashboard) are never read or touched.
    QVERIFY(settingsDir_.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir_.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
    QSettings(QStringLiteral("Sextant"), QStringLiteral("sextant-gui")).clear();
    QVERIFY2(daemon_.startSextantdRest(kSextantd), qPrintable("sextantd: " + daemon_.error()));
  }

  void cleanupTestCase() { daemon_.stop(); }

  void parseOptions_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("archive");
    QTest::addColumn<int>("intervalMsec");
    QTest::addColumn<QString>("error");
    QTest::newRow("none") << QStringList{} << true << "" << "" << 1000 << "";
    QTest::newRow("host") << QStringList{"--host", "10.0.0.1:44322"} << true << "10.0.0.1:44322" << "" << 1000 << "";
    QTest::newRow("host=") << QStringList{"--host=h:1"} << true << "h:1" << "" << 1000 << "";
    QTest::newRow("archive") << QStringList{"--archive", "a.db"} << true << "" << "a.db" << 1000 << "";
    QTest::newRow("interval") << QStringList{"--interval", "2.5"} << true << "" << "" << 2500 << "";
    QTest::newRow("interval=") << QStringList{"--interval=0.2"} << true << "" << "" << 200 << "";
    QTest::newRow("bad interval") << QStringList{"--interval", "x"} << false << "" << "" << 0
                                  << "sextant-gui: --interval: not a positive number: x";
    QTest::newRow("zero interval") << QStringList{"--interval", "0"} << false << "" << "" << 0
                                   << "sextant-gui: --interval: not a positive number: 0";
    QTest::newRow("negative interval") << QStringList{"--interval=-1"} << false << "" << "" << 0
                                       << "sextant-gui: --interval: not a positive number: -1";
    QTest::newRow("missing value") << QStringList{"--host"} << false << "" << "" << 0
                                   << "sextant-gui: --host: needs a value";
    QTest::newRow("unknown") << QStringList{"--colour"} << false << "" << "" << 0
                             << "sextant-gui: unknown option: --colour (see --help)";
    QTest::newRow("stray") << QStringList{"extra"} << false << "" << "" << 0
                           << "sextant-gui: unexpected argument: extra (see --help)";
    QTest::newRow("host and archive") << QStringList{"--host", "h", "--archive", "a"} << false << "" << "" << 0
                                      << "sextant-gui: --host and --archive cannot be used together";
  }

  void parseOptions() {
    QFETCH(QStringList, args);
    QFETCH(bool, ok);
    QFETCH(QString, host);
    QFETCH(QString, archive);
    QFETCH(int, intervalMsec);
    QFETCH(QString, error);
    QString err, help;
    const auto options = sextant::gui::parseGuiOptions(QStringList{"sextant-gui"} + args, &err, &help);
    QCOMPARE(options.has_value(), ok);
    QCOMPARE(err, error);
    QVERIFY(!err.contains(QLatin1Char('\n')));
    if (!ok) return;
    QCOMPARE(options->host, host);
    QCOMPARE(options->archive, archive);
    QCOMPARE(options->intervalMsec, intervalMsec);
  }

  void qtOptions_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("none") << QStringList{"gui"} << QStringList{"gui"};
    QTest::newRow("platform") << QStringList{"gui", "-platform", "offscreen", "--host", "h"}
                              << QStringList{"gui", "--host", "h"};
    QTest::newRow("flag") << QStringList{"gui", "-reverse", "--interval", "2"} << QStringList{"gui", "--interval", "2"};
    QTest::newRow("help stays") << QStringList{"gui", "-style", "fusion", "-h"} << QStringList{"gui", "-h"};
    QTest::newRow("ours kept") << QStringList{"gui", "--colour", "x"} << QStringList{"gui", "--colour", "x"};
  }

  void qtOptions() {
    QFETCH(QStringList, args);
    QFETCH(QStringList, expected);
    QCOMPARE(sextant::gui::withoutQtOptions(args), expected);
  }

  void helpAndVersion() {
    QString err, help;
    QVERIFY(!sextant::gui::parseGuiOptions({"sextant-gui", "--help"}, &err, &help));
    QVERIFY(err.isEmpty());
    for (const char* option : {"--host", "--archive", "--dashboard", "--interval", "--help", "--version"})
      QVERIFY2(help.contains(QLatin1String(option)), option);
    QVERIFY(!sextant::gui::parseGuiOptions({"sextant-gui", "--version"}, &err, &help));
    QVERIFY(err.isEmpty());
    QVERIFY(help.startsWith(QLatin1String("sextant-gui ")));
  }

  void liveDefaultDashboard() {
    MainWindow window;
    window.useDefaultDashboard();
    window.connectToHost(host());
    window.show();
    QCOMPARE(window.windowTitle(), "Sextant - " + host());
    QCOMPARE(MainWindow::recentHosts().value(0), host());
    QVERIFY(window.controller()->charts().size() >= 5);
    QTRY_VERIFY_WITH_TIMEOUT(everyChartHasPoints(window.controller()), 20000);
    QTRY_COMPARE_WITH_TIMEOUT(window.grid()->chartWidgets().size(), window.controller()->charts().size(), 5000);
    // Charts out of sight skip redraws: each is scrolled to, and then drawn.
    for (auto* widget : window.grid()->chartWidgets()) {
      window.grid()->ensureWidgetVisible(widget);
      QTRY_VERIFY2_WITH_TIMEOUT(drawnPoints(widget) > 0,
                                qPrintable(QStringLiteral("chart %1 drew nothing; visible %2")
                                               .arg(widget->chartIndex())
                                               .arg(widget->visibleRegion().boundingRect().height())),
                                5000);
    }
  }

  void browser() {
    MainWindow window;
    window.useDefaultDashboard();
    window.connectToHost(host());
    window.show();
    sextant::gui::MetricBrowser* browser = window.browser();
    QTRY_VERIFY_WITH_TIMEOUT(browser->model()->indexOf("kernel.all.load").isValid(), 10000);
    QVERIFY(browser->model()->metricCount() > 50);

    browser->searchField()->setText("load");
    auto* filter = qobject_cast<QSortFilterProxyModel*>(browser->tree()->model());
    QVERIFY(filter);
    QVERIFY(filter->mapFromSource(browser->model()->indexOf("kernel.all.load")).isValid());
    QVERIFY(!filter->mapFromSource(browser->model()->indexOf("hinv.ncpu")).isValid());
    QVERIFY(browser->select("kernel.all.load"));
    QCOMPARE(browser->selection().metric, QStringLiteral("kernel.all.load"));
    const sextant::gui::MetricMeta* meta = browser->model()->metricAt(browser->model()->indexOf("kernel.all.load"));
    QVERIFY(meta);
    QVERIFY(!meta->oneLine.isEmpty());
    auto* details = browser->findChild<QTextBrowser*>();
    QVERIFY(details);
    QVERIFY2(details->toPlainText().contains(meta->oneLine), qPrintable(details->toPlainText()));
    QVERIFY(details->toPlainText().contains(meta->pmid));
    QVERIFY(!browser->select("no.such.metric"));

    // Into the last chart, then into a chart of its own.
    const auto charts = window.controller()->charts().size();
    const sextant::gui::SeriesSpec load{"kernel.all.load", {}, {}};
    QVERIFY(!window.controller()->dashboard().charts.back().series.contains(load));
    browser->addSelection();
    QCOMPARE(window.controller()->charts().size(), charts);
    QVERIFY(window.controller()->dashboard().charts.back().series.contains(load));
    browser->addSelection(true);
    QCOMPARE(window.controller()->charts().size(), charts + 1);
    QCOMPARE(window.controller()->dashboard().charts.back().series, QVector<sextant::gui::SeriesSpec>{load});
    QTRY_COMPARE_WITH_TIMEOUT(window.grid()->chartWidgets().size(), charts + 1, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(drawnPoints(window.grid()->chartWidgets().back()) > 0, 10000);
  }

  // A metric dragged from the browser and dropped on a chart joins that chart.
  void dropOnChart() {
    MainWindow window;
    window.useDefaultDashboard();
    window.show();
    QVERIFY(window.grid()->chartWidgets().size() >= 2);
    sextant::gui::ChartWidget* target = window.grid()->chartWidgets()[1];
    QMimeData mime;
    mime.setData("application/x-sextant-metric", "kernel.all.nprocs");
    const QPoint at = target->viewport()->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target->viewport(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target->viewport(), &drop);
    const sextant::gui::SeriesSpec nprocs{"kernel.all.nprocs", {}, {}};
    QVERIFY(window.controller()->dashboard().charts[1].series.contains(nprocs));
    QVERIFY(!window.controller()->dashboard().charts[0].series.contains(nprocs));

    // Anything else is refused.
    QMimeData text;
    text.setText("kernel.all.nprocs");
    QDragEnterEvent refused(at, Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    refused.setAccepted(false);
    QCoreApplication::sendEvent(target->viewport(), &refused);
    QVERIFY(!refused.isAccepted());
  }

  void badFilesOnCommandLine_data() {
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::newRow("missing dashboard") << QStringList{"--dashboard", settingsDir_.filePath("none.json")}
                                       << "sextant-gui: cannot read dashboard " + settingsDir_.filePath("none.json");
    QTest::newRow("not a dashboard") << QStringList{"--dashboard", settingsDir_.filePath("bad.json")}
                                     << "sextant-gui: " + settingsDir_.filePath("bad.json") + ": not a dashboard";
    QTest::newRow("missing archive") << QStringList{"--archive", settingsDir_.filePath("none.db")}
                                     << "sextant-gui: cannot read archive " + settingsDir_.filePath("none.db");
  }
  void badFilesOnCommandLine() {
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    QVERIFY2(QFile::exists(kGui), qPrintable(kGui + " has not been built"));
    QFile bad(settingsDir_.filePath("bad.json"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write("{\"charts\": []}");
    bad.close();
    QProcess gui;
    gui.start(kGui, QStringList{"-platform", "offscreen"} + arguments);
    QVERIFY(gui.waitForFinished(20000));
    QCOMPARE(gui.exitStatus(), QProcess::NormalExit);
    const QString err = QString::fromLocal8Bit(gui.readAllStandardError());
    QCOMPARE(gui.exitCode(), 2);
    QVERIFY2(err.startsWith(message), qPrintable(err));
    QCOMPARE(err.count(QLatin1Char('\n')), 1);  // one line
  }

  void contextMenu() {
    MainWindow window;
    window.useDefaultDashboard();
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const qsizetype charts = window.controller()->charts().size();
    QCOMPARE(window.controller()->charts()[0].spec.style, sextant::gui::ChartSpec::Style::StackedArea);
    QCOMPARE(chooseFromContextMenu(window.grid()->chartWidgets()[0], "Line"),
             (QStringList{"Line", "Stacked*", "Remove chart"}));
    QCOMPARE(window.controller()->charts()[0].spec.style, sextant::gui::ChartSpec::Style::Line);
    QCOMPARE(chooseFromContextMenu(window.grid()->chartWidgets()[0], "Stacked"),
             (QStringList{"Line*", "Stacked", "Remove chart"}));
    QCOMPARE(window.controller()->charts()[0].spec.style, sextant::gui::ChartSpec::Style::StackedArea);
    const QString second = window.controller()->charts()[1].spec.title;
    chooseFromContextMenu(window.grid()->chartWidgets()[0], "Remove chart");
    QTRY_COMPARE(window.controller()->charts().size(), charts - 1);
    QCOMPARE(window.controller()->charts()[0].spec.title, second);
    QTRY_COMPARE(window.grid()->chartWidgets().size(), charts - 1);
  }

  void hoverTooltip() {
    MainWindow window;
    window.useDefaultDashboard();
    window.connectToHost(host());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTRY_VERIFY_WITH_TIMEOUT(everyChartHasPoints(window.controller()), 20000);
    // The load average chart (lines), just inside the right edge of its plot: the newest
    // sample's time, where every line has a value.
    sextant::gui::ChartWidget* load = window.grid()->chartWidgets()[1];
    QCOMPARE(window.controller()->charts()[1].spec.title, QStringLiteral("Load average"));
    QTRY_VERIFY(drawnPoints(load) > 0);
    const QRectF plot = load->chart()->plotArea();
    const QPoint at = load->mapFromScene(load->chart()->mapToScene(QPointF(plot.right() - 1, plot.center().y())));
    QTest::mouseMove(load->viewport(), at);
    QTRY_VERIFY_WITH_TIMEOUT(QToolTip::isVisible(), 5000);
    const QString text = QToolTip::text();
    QVERIFY2(QRegularExpression("^<b>\\d\\d:\\d\\d:\\d\\d</b>").match(text).hasMatch(), qPrintable(text));
    for (const char* line : {"1 minute: ", "5 minute: ", "15 minute: "}) QVERIFY2(text.contains(QLatin1String(line)), line);
    QVERIFY2(!text.contains("no value"), qPrintable(text));
    // Outside the plot, the tooltip goes.
    QTest::mouseMove(load->viewport(), QPoint(1, 1));
    QTRY_VERIFY(!QToolTip::isVisible());
  }

  void saveAndOpenDashboard() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("mine.json");
    sextant::gui::Dashboard saved;
    {
      MainWindow window;
      window.useDefaultDashboard();
      window.controller()->addSeries(static_cast<int>(window.controller()->charts().size()),
                                     {"kernel.all.load", "1 minute", "load 1"});
      saved = window.controller()->dashboard();
      QVERIFY(saved != sextant::gui::Dashboard::defaults());
      QVERIFY(window.saveDashboard(path));
      window.useDefaultDashboard();
      QCOMPARE(window.controller()->dashboard(), sextant::gui::Dashboard::defaults());
      QVERIFY(window.openDashboard(path));
      QCOMPARE(window.controller()->dashboard(), saved);
      QCOMPARE(window.grid()->chartWidgets().size(), saved.charts.size());
    }
    // Remembered: the next window opens it by itself.
    MainWindow again;
    QCOMPARE(again.controller()->dashboard(), saved);

    // A file that is not there: false, and the status bar names it.
    QVERIFY(!again.openDashboard(dir.filePath("missing.json")));
    QVERIFY2(again.statusBar()->currentMessage().contains("missing.json"),
             qPrintable(again.statusBar()->currentMessage()));
    QCOMPARE(again.controller()->dashboard(), saved);
    again.useDefaultDashboard();
    MainWindow fresh;
    QCOMPARE(fresh.controller()->dashboard(), sextant::gui::Dashboard::defaults());
  }
};

QTEST_MAIN(GuiWindowTest)
#include "GuiWindowTest.moc"
