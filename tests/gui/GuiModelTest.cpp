// sextant-gui's logic without widgets: counter rates, axis units, time series with gaps,
// dashboards to JSON and back, the metric name space as a tree with its search, and the
// controller fed samples directly (no source, no timers).
#include <QFile>
#include <QMimeData>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>

#include "gui/Dashboard.h"
#include "gui/DashboardController.h"
#include "gui/MetricTreeModel.h"
#include "gui/Plot.h"
#include "gui/SeriesMath.h"
#include "gui/TimeSeries.h"

using namespace sextant::gui;

namespace {

constexpr qint64 kT0 = 1'700'000'000'000;  // an arbitrary moment, in msec since the epoch

MetricMeta metric(const QString& name, const QString& semantics, const QString& units, const QString& indom = {}) {
  MetricMeta m;
  m.name = name;
  m.type = QStringLiteral("u64");
  m.semantics = semantics;
  m.units = units;
  m.indom = indom;
  m.oneLine = QStringLiteral("help for ") + name;
  return m;
}

Sample sample(qint64 msec, const QHash<QString, QHash<int, double>>& values) { return {msec, values}; }

Dashboard oneChart(const QString& display, const QVector<SeriesSpec>& series, int windowMinutes = 5) {
  Dashboard d;
  d.windowMinutes = windowMinutes;
  d.charts = {ChartSpec{QStringLiteral("Test"), ChartSpec::Style::Line, display, series}};
  return d;
}

QVector<MetricMeta> testMetrics() {
  return {metric(QStringLiteral("test.counter"), QStringLiteral("counter"), QStringLiteral("count")),
          metric(QStringLiteral("test.bytes"), QStringLiteral("instant"), QStringLiteral("byte")),
          metric(QStringLiteral("test.perdisk"), QStringLiteral("instant"), QStringLiteral("none"), QStringLiteral("60.1")),
          metric(QStringLiteral("kernel.all.cpu.user"), QStringLiteral("counter"), QStringLiteral("millisec")),
          metric(QStringLiteral("hinv.ncpu"), QStringLiteral("discrete"), QStringLiteral("none"))};
}

// The controller with `dashboard` and the test metrics' metadata, no source.
std::unique_ptr<DashboardController> controllerFor(const Dashboard& dashboard) {
  auto controller = std::make_unique<DashboardController>();
  controller->setDashboard(dashboard);
  controller->setMetadata(testMetrics());
  return controller;
}

}  // namespace

class GuiModelTest : public QObject {
  Q_OBJECT

 private slots:
  void counterRate_data() {
    QTest::addColumn<double>("previous");
    QTest::addColumn<qint64>("previousMsec");
    QTest::addColumn<double>("current");
    QTest::addColumn<qint64>("currentMsec");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<double>("rate");
    QTest::newRow("normal") << 1000.0 << qint64(0) << 3000.0 << qint64(2000) << true << 1000.0;
    QTest::newRow("unchanged") << 5.0 << qint64(0) << 5.0 << qint64(500) << true << 0.0;
    QTest::newRow("half second") << 0.0 << qint64(1000) << 10.0 << qint64(1500) << true << 20.0;
    QTest::newRow("wrap") << 5000.0 << qint64(0) << 100.0 << qint64(1000) << false << 0.0;
    QTest::newRow("same time") << 1.0 << qint64(1000) << 2.0 << qint64(1000) << false << 0.0;
    QTest::newRow("time backwards") << 1.0 << qint64(2000) << 2.0 << qint64(1000) << false << 0.0;
  }
  void counterRate() {
    QFETCH(double, previous);
    QFETCH(qint64, previousMsec);
    QFETCH(double, current);
    QFETCH(qint64, currentMsec);
    QFETCH(bool, valid);
    QFETCH(double, rate);
    const auto got = sextant::gui::counterRate(previous, previousMsec, current, currentMsec);
    QCOMPARE(got.has_value(), valid);
    if (valid) QCOMPARE(*got, rate);
  }

  void chooseUnit_data() {
    QTest::addColumn<QString>("units");
    QTest::addColumn<bool>("rate");
    QTest::addColumn<double>("maxValue");
    QTest::addColumn<QString>("label");
    QTest::addColumn<double>("factor");
    QTest::newRow("bytes per second") << "byte" << true << 1500.0 << "KiB/s" << 1.0 / 1024;
    QTest::newRow("small bytes") << "byte" << false << 1000.0 << "B" << 1.0;
    QTest::newRow("gigabytes") << "byte" << false << 3e9 << "GiB" << 1.0 / (1024.0 * 1024 * 1024);
    QTest::newRow("Kbyte to MiB") << "Kbyte" << false << 2048.0 << "MiB" << 1.0 / 1024;
    QTest::newRow("Kbyte small") << "Kbyte" << true << 10.0 << "KiB/s" << 1.0;
    QTest::newRow("already a rate") << "byte / sec" << false << 100.0 << "B/s" << 1.0;
    QTest::newRow("huge stops at TiB") << "byte" << false << 1e18 << "TiB" << std::pow(1024.0, -4);
    QTest::newRow("millisec rate") << "millisec" << true << 500.0 << "ms/s" << 1.0;
    QTest::newRow("sec") << "sec" << false << 3.0 << "s" << 1.0;
    QTest::newRow("count rate") << "count" << true << 10.0 << "/s" << 1.0;
    QTest::newRow("count x 10^3") << "count x 10^3" << false << 1.0 << "" << 1000.0;
    QTest::newRow("none") << "none" << false << 3.0 << "" << 1.0;
  }
  void chooseUnit() {
    QFETCH(QString, units);
    QFETCH(bool, rate);
    QFETCH(double, maxValue);
    QFETCH(QString, label);
    QFETCH(double, factor);
    const DisplayUnit unit = sextant::gui::chooseUnit(units, rate, maxValue);
    QCOMPARE(unit.label, label);
    QCOMPARE(unit.factor, factor);
  }

  void niceCeiling_data() {
    QTest::addColumn<double>("maxValue");
    QTest::addColumn<double>("minimum");
    QTest::addColumn<double>("ceiling");
    QTest::newRow("idle keeps the minimum") << 0.3 << 1.0 << 1.0;
    QTest::newRow("smaller minimum") << 0.3 << 0.1 << 0.5;
    QTest::newRow("exact power") << 1000.0 << 1.0 << 1000.0;
    QTest::newRow("just above") << 1001.0 << 1.0 << 2000.0;
    QTest::newRow("2.5") << 2.2 << 1.0 << 2.5;
    QTest::newRow("5") << 3.0 << 1.0 << 5.0;
    QTest::newRow("10") << 7.0 << 1.0 << 10.0;
    QTest::newRow("percent") << 87.0 << 1.0 << 100.0;
    QTest::newRow("NaN") << std::nan("") << 1.0 << 1.0;
  }
  void niceCeiling() {
    QFETCH(double, maxValue);
    QFETCH(double, minimum);
    QFETCH(double, ceiling);
    QCOMPARE(sextant::gui::niceCeiling(maxValue, minimum), ceiling);
  }

  void formatValue_data() {
    QTest::addColumn<double>("value");
    QTest::addColumn<QString>("unit");
    QTest::addColumn<QString>("text");
    QTest::newRow("three digits") << 12.345 << "MiB/s" << "12.3 MiB/s";
    QTest::newRow("integer") << 4.0 << "%" << "4 %";
    QTest::newRow("plain") << 0.5 << "" << "0.5";
    QTest::newRow("big keeps its digits") << 1234.6 << "B" << "1235 B";
    QTest::newRow("small") << 0.012345 << "" << "0.0123";
    QTest::newRow("zero") << 0.0 << "/s" << "0/s";
    QTest::newRow("gap") << std::nan("") << "%" << "-";
  }
  void formatValue() {
    QFETCH(double, value);
    QFETCH(QString, unit);
    QFETCH(QString, text);
    QCOMPARE(sextant::gui::formatValue(value, unit), text);
  }

  void timeSeriesGapsAndSegments() {
    TimeSeries s;
    s.append(1000, 1);
    s.append(2000, 2);
    s.appendGap(2500);
    s.appendGap(2600);  // a second gap in a row adds nothing
    s.append(3000, 5);
    QCOMPARE(s.points().size(), std::size_t(4));
    const auto runs = s.segments();
    QCOMPARE(runs.size(), 2);
    QCOMPARE(runs[0].size(), 2);
    QCOMPARE(runs[1].front(), QPointF(3000, 5));
    QCOMPARE(s.lastValue(), 5.0);
    QCOMPARE(s.maxSince(0), 5.0);
    QCOMPARE(s.maxSince(1500), 5.0);
    QVERIFY(std::isnan(s.maxSince(4000)));
  }

  void timeSeriesValueAt() {
    TimeSeries s;
    s.append(1000, 1);
    s.append(2000, 2);
    s.appendGap(2500);
    s.append(3000, 3);
    QVERIFY(std::isnan(s.valueAt(500)));  // before the first point
    QCOMPARE(s.valueAt(1000), 1.0);
    QCOMPARE(s.valueAt(1999), 1.0);
    QCOMPARE(s.valueAt(2200), 2.0);
    QVERIFY(std::isnan(s.valueAt(2700)));  // inside the gap
    QCOMPARE(s.valueAt(9000), 3.0);
  }

  void timeSeriesTrim() {
    TimeSeries s;
    for (int i = 0; i < 10; ++i) s.append(i * 1000, i);
    s.trimBefore(4500);
    // One point before the edge stays so the line reaches it.
    QCOMPARE(s.points().front().x(), 4000.0);
    QCOMPARE(s.points().size(), std::size_t(6));
    s.trimBefore(5000);
    QCOMPARE(s.points().front().x(), 5000.0);
    s.trimBefore(100000);
    QCOMPARE(s.points().size(), std::size_t(1));  // the last point stays as the edge
    s.clear();
    QVERIFY(s.points().empty());
    QVERIFY(std::isnan(s.lastValue()));
  }

  void timeSeriesEnd() {
    TimeSeries s;
    s.append(1000, 1);
    QVERIFY(!s.ended());
    s.end(2000, QStringLiteral("no longer reported since 10:42:07"));
    QVERIFY(s.ended());
    QCOMPARE(s.endNote(), QStringLiteral("no longer reported since 10:42:07"));
    QVERIFY(std::isnan(s.points().back().y()));  // the line stops there
    s.reopen();
    QVERIFY(!s.ended());
    s.append(3000, 3);
    QCOMPARE(s.segments().size(), 2);
  }

  void thinnedKeepsEveryPointWhenFew() {
    QVector<QPointF> points;
    for (int i = 0; i < 10; ++i) points.append(QPointF(i * 1000, i));
    const QVector<qsizetype> kept = thinnedIndices(points, 0, 9000, 5);
    QCOMPARE(kept, (QVector<qsizetype>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
    QCOMPARE(pick(points, kept).size(), 10);
  }

  void thinnedKeepsPeaks() {
    // 100 points over 10 pixels: each column keeps its lowest and highest, in time order.
    QVector<QPointF> points;
    for (int i = 0; i < 100; ++i) points.append(QPointF(i * 100, i % 10 == 3 ? 50.0 : (i % 10 == 7 ? -5.0 : 1.0)));
    const QVector<qsizetype> kept = thinnedIndices(points, 0, 10000, 10);
    QCOMPARE(kept.size(), 20);
    for (int c = 0; c < 10; ++c) {
      QCOMPARE(kept[2 * c], qsizetype(c * 10 + 3));      // the peak comes first in time
      QCOMPARE(kept[2 * c + 1], qsizetype(c * 10 + 7));  // then the trough
    }
  }

  void stackedSums() {
    TimeSeries a, b, c;
    for (int i = 0; i < 4; ++i) {
      a.append(kT0 + i * 1000, 1 + i);
      b.append(kT0 + i * 1000, 10);
      c.append(kT0 + i * 1000, 100 * i);
    }
    const auto edges = stackedEdges({&a, &b, &c});
    QCOMPARE(edges.size(), 3);
    for (const auto& edge : edges) QCOMPARE(edge.size(), 4);
    QCOMPARE(edges[0][2], QPointF(kT0 + 2000, 3));
    QCOMPARE(edges[1][2], QPointF(kT0 + 2000, 13));
    QCOMPARE(edges[2][2], QPointF(kT0 + 2000, 213));
    QCOMPARE(edges[2][3], QPointF(kT0 + 3000, 314));
  }

  void stackedHoles() {
    // The first line starts late (a counter's first rate), the second has a gap, and the
    // third ended: each time where any line has no value is left out of every edge.
    TimeSeries first, gappy, ending;
    for (int i = 1; i < 8; ++i) first.append(kT0 + i * 1000, 1);
    for (int i = 0; i < 8; ++i) {
      if (i == 4) gappy.appendGap(kT0 + i * 1000 - 1);
      if (i != 4) gappy.append(kT0 + i * 1000, 2);
    }
    for (int i = 0; i < 7; ++i) ending.append(kT0 + i * 1000, 4);
    ending.end(kT0 + 7000 - 1, QStringLiteral("no longer reported"));
    const auto edges = stackedEdges({&first, &gappy, &ending});
    QVector<double> times;
    for (const QPointF& p : edges[2]) times << p.x() - kT0;
    QCOMPARE(times, (QVector<double>{1000, 2000, 3000, 5000, 6000}));
    for (const auto& edge : edges) QCOMPARE(edge.size(), 5);
    for (const QPointF& p : edges[2]) QCOMPARE(p.y(), 7.0);
    // Without the first line, the times before its first point come back.
    QCOMPARE(stackedEdges({&gappy, &ending})[1].size(), 6);
    QVERIFY(stackedEdges({}).isEmpty());
  }

  void dashboardRoundTrip_data() {
    QTest::addColumn<Dashboard>("dashboard");
    QTest::newRow("defaults") << Dashboard::defaults();
    Dashboard custom;
    custom.name = QStringLiteral("Disks, \"quoted\"");
    custom.windowMinutes = 15;
    custom.columns = 3;
    custom.charts = {ChartSpec{QStringLiteral("sda"), ChartSpec::Style::StackedArea, QString(),
                               {SeriesSpec{QStringLiteral("disk.dev.read_bytes"), QStringLiteral("sda"), QStringLiteral("read")},
                                SeriesSpec{QStringLiteral("disk.dev.write_bytes"), QStringLiteral("sda"), QString()}}},
                     ChartSpec{QStringLiteral("empty"), ChartSpec::Style::Line, QString(), {}}};
    QTest::newRow("custom") << custom;
  }
  void dashboardRoundTrip() {
    QFETCH(Dashboard, dashboard);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("board.json"));
    QString error;
    QVERIFY2(dashboard.save(path, &error), qPrintable(error));
    const auto loaded = Dashboard::load(path, &error);
    QVERIFY2(loaded, qPrintable(error));
    QVERIFY(*loaded == dashboard);
    QCOMPARE(dashboard.toJson().value(QStringLiteral("format")).toString(), QStringLiteral("sextant-dashboard"));
    QCOMPARE(dashboard.toJson().value(QStringLiteral("version")).toInt(), 1);
  }

  void dashboardDefaults() {
    const Dashboard d = Dashboard::defaults();
    QCOMPARE(d.charts.size(), 5);
    QCOMPARE(d.charts[0].display, QStringLiteral("cpu-percent"));
    QCOMPARE(d.charts[0].style, ChartSpec::Style::StackedArea);
    QStringList names = d.metricNames();
    QCOMPARE(names.removeDuplicates(), 0);
    for (const char* name : {"kernel.all.cpu.user", "kernel.all.cpu.sys", "kernel.all.cpu.wait.total", "kernel.all.load",
                             "mem.util.cached", "mem.util.free", "disk.all.read_bytes", "disk.all.write_bytes",
                             "network.interface.in.bytes", "network.interface.out.bytes", "hinv.ncpu"})
      QVERIFY2(names.contains(QLatin1String(name)), name);
  }

  void dashboardErrors_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("reason");
    QTest::newRow("wrong format") << QByteArray(R"({"format": "grafana", "version": 1})") << "format \"grafana\"";
    QTest::newRow("no format") << QByteArray(R"({"version": 1, "charts": []})") << "not a dashboard";
    QTest::newRow("newer version") << QByteArray(R"({"format": "sextant-dashboard", "version": 2})") << "version 2 is newer";
    QTest::newRow("no metric name")
        << QByteArray(R"({"format": "sextant-dashboard", "version": 1, "charts": [{"title": "x", "series": [{"label": "a"}]}]})")
        << "chart 1, series 1: no metric name";
    QTest::newRow("bad style")
        << QByteArray(R"({"format": "sextant-dashboard", "version": 1, "charts": [{"style": "pie"}]})") << "unknown style";
    QTest::newRow("garbage") << QByteArray("\x01\x02 not json {") << "not JSON";
    QTest::newRow("array") << QByteArray("[1, 2]") << "not an object";
  }
  void dashboardErrors() {
    QFETCH(QByteArray, content);
    QFETCH(QString, reason);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
    file.close();
    QString error;
    QVERIFY(!Dashboard::load(path, &error));
    QVERIFY2(error.contains(reason), qPrintable(error));
    QVERIFY2(error.contains(path), qPrintable(error));  // names the file
    QVERIFY(!error.contains(QLatin1Char('\n')));
  }

  void dashboardMissingFile() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("absent.json"));
    QString error;
    QVERIFY(!Dashboard::load(path, &error));
    QVERIFY2(error.startsWith(QStringLiteral("cannot read dashboard ") + path), qPrintable(error));
    QVERIFY(!Dashboard::defaults().save(dir.filePath(QStringLiteral("no/such/dir/x.json")), &error));
    QVERIFY2(error.contains(QStringLiteral("no/such/dir/x.json")), qPrintable(error));
  }

  void treeStructure() {
    MetricTreeModel model;
    model.setMetrics(treeMetrics());
    QCOMPARE(model.metricCount(), 5);
    QCOMPARE(model.rowCount(), 3);
    QStringList roots;
    for (int r = 0; r < model.rowCount(); ++r) roots << model.index(r, 0).data().toString();
    QCOMPARE(roots, QStringList({"disk", "kernel", "mem"}));
    const QModelIndex all = model.indexOf(QStringLiteral("kernel.all"));
    QVERIFY(all.isValid());
    QCOMPARE(all.data(MetricTreeModel::IsLeafRole).toBool(), false);
    QVERIFY(!model.metricAt(all));
    QCOMPARE(model.rowCount(all), 2);
    QCOMPARE(model.index(0, 0, all).data().toString(), QStringLiteral("cpu"));
    QCOMPARE(model.index(1, 0, all).data().toString(), QStringLiteral("load"));
    QCOMPARE(model.parent(model.index(1, 0, all)), all);

    const QModelIndex load = model.indexOf(QStringLiteral("kernel.all.load"));
    QVERIFY(load.isValid());
    QVERIFY(load.data(MetricTreeModel::IsLeafRole).toBool());
    QCOMPARE(load.data(MetricTreeModel::MetricNameRole).toString(), QStringLiteral("kernel.all.load"));
    QVERIFY(model.metricAt(load));
    QCOMPARE(model.metricAt(load)->name, QStringLiteral("kernel.all.load"));
    QVERIFY(load.data(Qt::ToolTipRole).toString().contains(QStringLiteral("help for kernel.all.load")));
    QVERIFY(model.flags(load) & Qt::ItemIsDragEnabled);
    QVERIFY(!(model.flags(all) & Qt::ItemIsDragEnabled));
    QVERIFY(!model.indexOf(QStringLiteral("kernel.nothing")).isValid());

    std::unique_ptr<QMimeData> mime(model.mimeData({load}));
    QVERIFY(mime);
    QCOMPARE(mime->data(QStringLiteral("application/x-sextant-metric")), QByteArray("kernel.all.load"));
    QCOMPARE(mime->text(), QStringLiteral("kernel.all.load"));
    QVERIFY(model.mimeTypes().contains(QStringLiteral("application/x-sextant-metric")));
  }

  void treeFilter_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("visible");  // every row left, depth first
    QTest::newRow("empty shows all") << QString()
                                     << QStringList{"disk", "disk.all", "disk.all.read_bytes", "kernel", "kernel.all",
                                                    "kernel.all.cpu", "kernel.all.cpu.sys", "kernel.all.cpu.user",
                                                    "kernel.all.load", "mem", "mem.util", "mem.util.free"};
    QTest::newRow("leaf keeps ancestors") << "load" << QStringList{"kernel", "kernel.all", "kernel.all.load"};
    QTest::newRow("inner node keeps subtree, any case")
        << "KERNEL.ALL"
        << QStringList{"kernel", "kernel.all", "kernel.all.cpu", "kernel.all.cpu.sys", "kernel.all.cpu.user", "kernel.all.load"};
    QTest::newRow("across the dots") << "all.cpu.u" << QStringList{"kernel", "kernel.all", "kernel.all.cpu", "kernel.all.cpu.user"};
    QTest::newRow("nothing") << "zzz" << QStringList{};
  }
  void treeFilter() {
    QFETCH(QString, text);
    QFETCH(QStringList, visible);
    MetricTreeModel model;
    model.setMetrics(treeMetrics());
    MetricFilterModel filter;
    filter.setSourceModel(&model);
    filter.setSearchText(QStringLiteral("something else"));  // the filter must follow changes
    filter.setSearchText(text);
    QStringList rows;
    collect(filter, {}, rows);
    QCOMPARE(rows, visible);
  }

  void controllerCounterRate() {
    auto c = controllerFor(oneChart({}, {SeriesSpec{QStringLiteral("test.counter"), {}, {}}}));
    QCOMPARE(c->charts().size(), 1);
    QCOMPARE(c->charts()[0].lines.size(), 1);
    c->takeSample(sample(kT0, {{"test.counter", {{kNoInstance, 1000}}}}));
    QVERIFY(c->charts()[0].lines[0].series.points().empty());  // one value is no rate yet
    c->takeSample(sample(kT0 + 2000, {{"test.counter", {{kNoInstance, 3000}}}}));
    const ChartState& chart = c->charts()[0];
    QVERIFY(chart.rate);
    QCOMPARE(chart.unit.label, QStringLiteral("/s"));
    QCOMPARE(chart.lines[0].label, QStringLiteral("counter"));
    QCOMPARE(chart.lines[0].series.points().size(), std::size_t(1));
    QCOMPARE(chart.lines[0].series.lastValue(), 1000.0);
    // A counter that goes down (a restart) breaks the line instead of drawing a spike.
    c->takeSample(sample(kT0 + 3000, {{"test.counter", {{kNoInstance, 10}}}}));
    c->takeSample(sample(kT0 + 4000, {{"test.counter", {{kNoInstance, 20}}}}));
    QCOMPARE(c->charts()[0].lines[0].series.segments().size(), 2);
    QCOMPARE(c->charts()[0].lines[0].series.lastValue(), 10.0);
  }

  void controllerCpuPercent() {
    auto c = controllerFor(oneChart(QStringLiteral("cpu-percent"), {SeriesSpec{QStringLiteral("kernel.all.cpu.user"), {}, {}}}));
    c->takeSample(sample(kT0, {{"kernel.all.cpu.user", {{kNoInstance, 5000}}}, {"hinv.ncpu", {{kNoInstance, 2}}}}));
    c->takeSample(sample(kT0 + 1000, {{"kernel.all.cpu.user", {{kNoInstance, 6000}}}, {"hinv.ncpu", {{kNoInstance, 2}}}}));
    const ChartState& chart = c->charts()[0];
    QCOMPARE(chart.unit.label, QStringLiteral("%"));
    QCOMPARE(chart.lines[0].series.lastValue(), 50.0);
  }

  void controllerUnitsScaleShownValues() {
    auto c = controllerFor(oneChart({}, {SeriesSpec{QStringLiteral("test.bytes"), {}, QStringLiteral("used")}}));
    c->takeSample(sample(kT0, {{"test.bytes", {{kNoInstance, 512}}}}));
    QCOMPARE(c->charts()[0].unit.label, QStringLiteral("B"));
    QCOMPARE(c->charts()[0].lines[0].series.lastValue(), 512.0);
    c->takeSample(sample(kT0 + 1000, {{"test.bytes", {{kNoInstance, 3.0 * 1024 * 1024}}}}));
    const ChartState& chart = c->charts()[0];
    QCOMPARE(chart.unit.label, QStringLiteral("MiB"));
    QCOMPARE(chart.lines[0].label, QStringLiteral("used"));
    // Earlier points are rewritten in the new unit too.
    QCOMPARE(chart.lines[0].series.points().front().y(), 0.5 / 1024);
    QCOMPARE(chart.lines[0].series.lastValue(), 3.0);
  }

  void controllerGap() {
    auto c = controllerFor(oneChart({}, {SeriesSpec{QStringLiteral("test.bytes"), {}, {}}}));
    c->takeSample(sample(kT0, {{"test.bytes", {{kNoInstance, 1}}}}));
    c->takeSample(sample(kT0 + 1000, {{"test.bytes", {{kNoInstance, 2}}}}));
    QSignalSpy updated(c.get(), &DashboardController::updated);
    c->markGap(kT0 + 1500);
    QCOMPARE(updated.count(), 1);
    c->takeSample(sample(kT0 + 5000, {{"test.bytes", {{kNoInstance, 3}}}}));
    const auto runs = c->charts()[0].lines[0].series.segments();
    QCOMPARE(runs.size(), 2);
    QCOMPARE(runs[1].front(), QPointF(kT0 + 5000, 3));
  }

  void controllerInstances() {
    auto c = controllerFor(oneChart({}, {SeriesSpec{QStringLiteral("test.perdisk"), {}, {}}}));
    QSignalSpy layout(c.get(), &DashboardController::layoutChanged);
    c->takeSample(sample(kT0, {{"test.perdisk", {{1, 10}, {0, 5}}}}));
    QCOMPARE(layout.count(), 1);  // lines appeared
    QCOMPARE(c->charts()[0].lines.size(), 2);
    QCOMPARE(c->charts()[0].lines[0].instance, 0);
    QCOMPARE(c->charts()[0].lines[0].label, QStringLiteral("0"));  // no name known yet
    c->setInstances(QStringLiteral("test.perdisk"), {{0, QStringLiteral("sda")}, {1, QStringLiteral("sdb")}});
    QCOMPARE(c->charts()[0].lines[1].label, QStringLiteral("sdb"));

    c->takeSample(sample(kT0 + 1000, {{"test.perdisk", {{0, 6}}}}));
    const Line& gone = c->charts()[0].lines[1];
    QVERIFY(gone.series.ended());
    QVERIFY2(gone.series.endNote().startsWith(QStringLiteral("no longer reported since ")), qPrintable(gone.series.endNote()));
    QVERIFY(!c->charts()[0].lines[0].series.ended());
    QCOMPARE(c->charts()[0].lines[0].series.lastValue(), 6.0);

    c->takeSample(sample(kT0 + 2000, {{"test.perdisk", {{0, 7}, {1, 12}}}}));
    QCOMPARE(c->charts()[0].lines.size(), 2);  // the same line comes back
    QVERIFY(!c->charts()[0].lines[1].series.ended());
    QCOMPARE(c->charts()[0].lines[1].series.segments().size(), 2);
  }

  void controllerNamedInstance() {
    auto c = controllerFor(oneChart({}, {SeriesSpec{QStringLiteral("test.perdisk"), QStringLiteral("sdb"), {}}}));
    QCOMPARE(c->charts()[0].lines.size(), 1);
    QCOMPARE(c->charts()[0].lines[0].label, QStringLiteral("sdb"));
    c->takeSample(sample(kT0, {{"test.perdisk", {{0, 5}, {1, 10}}}}));
    QVERIFY(c->charts()[0].lines[0].series.points().empty());  // id not known yet
    c->setInstances(QStringLiteral("test.perdisk"), {{0, QStringLiteral("sda")}, {1, QStringLiteral("sdb")}});
    c->takeSample(sample(kT0 + 1000, {{"test.perdisk", {{0, 5}, {1, 11}}}}));
    QCOMPARE(c->charts()[0].lines[0].series.lastValue(), 11.0);
  }

  void controllerUnknownMetric() {
    auto c = controllerFor(oneChart({}, {SeriesSpec{QStringLiteral("mem.util.bogus"), {}, {}},
                                         SeriesSpec{QStringLiteral("test.bytes"), {}, {}}}));
    QCOMPARE(c->charts()[0].note, QStringLiteral("mem.util.bogus: unknown metric"));
    QCOMPARE(c->charts()[0].lines.size(), 1);
    QVERIFY(!c->meta(QStringLiteral("mem.util.bogus")));
    QVERIFY(c->meta(QStringLiteral("test.bytes")));
  }

  void controllerWindowTrim() {
    auto c = controllerFor(oneChart({}, {SeriesSpec{QStringLiteral("test.bytes"), {}, {}}}, 1));
    for (int i = 0; i <= 18; ++i) c->takeSample(sample(kT0 + i * 10'000, {{"test.bytes", {{kNoInstance, double(i)}}}}));
    QCOMPARE(c->windowEnd(), kT0 + 180'000);
    QCOMPARE(c->windowStart(), kT0 + 120'000);
    const auto& points = c->charts()[0].lines[0].series.points();
    QCOMPARE(points.front().x(), double(kT0 + 120'000));
    QCOMPARE(points.size(), std::size_t(7));
    c->setWindowMinutes(5);
    QCOMPARE(c->windowStart(), kT0 + 180'000 - 300'000);
  }

  void controllerEditing() {
    auto c = controllerFor(oneChart({}, {SeriesSpec{QStringLiteral("test.bytes"), {}, {}}}));
    QSignalSpy layout(c.get(), &DashboardController::layoutChanged);
    c->addSeries(1, SeriesSpec{QStringLiteral("test.counter"), {}, {}});
    QCOMPARE(c->charts().size(), 2);
    QCOMPARE(c->dashboard().charts.size(), 2);
    QCOMPARE(c->charts()[1].lines.size(), 1);
    c->setChartStyle(1, ChartSpec::Style::StackedArea);
    QCOMPARE(c->charts()[1].spec.style, ChartSpec::Style::StackedArea);
    c->removeChart(0);
    QCOMPARE(c->charts().size(), 1);
    QCOMPARE(c->dashboard().charts[0].series[0].metric, QStringLiteral("test.counter"));
    QCOMPARE(layout.count(), 3);
    c->pause();
    QVERIFY(c->paused());
    c->resume();
    QVERIFY(!c->paused());
  }

 private:
  static QVector<MetricMeta> treeMetrics() {
    return {metric(QStringLiteral("kernel.all.load"), QStringLiteral("instant"), QStringLiteral("none"), QStringLiteral("60.2")),
            metric(QStringLiteral("kernel.all.cpu.user"), QStringLiteral("counter"), QStringLiteral("millisec")),
            metric(QStringLiteral("kernel.all.cpu.sys"), QStringLiteral("counter"), QStringLiteral("millisec")),
            metric(QStringLiteral("mem.util.free"), QStringLiteral("instant"), QStringLiteral("Kbyte")),
            metric(QStringLiteral("disk.all.read_bytes"), QStringLiteral("counter"), QStringLiteral("Kbyte"))};
  }
  static void collect(const QAbstractItemModel& model, const QModelIndex& parent, QStringList& out) {
    for (int r = 0; r < model.rowCount(parent); ++r) {
      const QModelIndex index = model.index(r, 0, parent);
      out << index.data(MetricTreeModel::MetricNameRole).toString();
      collect(model, index, out);
    }
  }
};

QTEST_MAIN(GuiModelTest)
#include "GuiModelTest.moc"
