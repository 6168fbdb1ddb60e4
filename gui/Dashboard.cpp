#include "gui/Dashboard.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>

namespace sextant::gui {

namespace {

const QString kFormat = QStringLiteral("sextant-dashboard");
constexpr int kVersion = 1;
const QString kCpuPercent = QStringLiteral("cpu-percent");

QString styleName(ChartSpec::Style style) {
  return style == ChartSpec::Style::StackedArea ? QStringLiteral("stacked-area") : QStringLiteral("line");
}

std::optional<ChartSpec::Style> styleFromName(const QString& name) {
  if (name.isEmpty() || name == QLatin1String("line")) return ChartSpec::Style::Line;
  if (name == QLatin1String("stacked-area")) return ChartSpec::Style::StackedArea;
  return std::nullopt;
}

bool fail(QString* error, const QString& reason) {
  if (error) *error = reason;
  return false;
}

SeriesSpec series(const char* metric, const char* label) {
  return {QString::fromLatin1(metric), QString(), QString::fromLatin1(label)};
}

}  // namespace

QJsonObject Dashboard::toJson() const {
  QJsonArray chartArray;
  for (const ChartSpec& chart : charts) {
    QJsonArray seriesArray;
    for (const SeriesSpec& s : chart.series) {
      QJsonObject o{{QStringLiteral("metric"), s.metric}};
      if (!s.instance.isEmpty()) o.insert(QStringLiteral("instance"), s.instance);
      if (!s.label.isEmpty()) o.insert(QStringLiteral("label"), s.label);
      seriesArray.append(o);
    }
    QJsonObject c{{QStringLiteral("title"), chart.title},
                  {QStringLiteral("style"), styleName(chart.style)},
                  {QStringLiteral("series"), seriesArray}};
    if (!chart.display.isEmpty()) c.insert(QStringLiteral("display"), chart.display);
    chartArray.append(c);
  }
  return {{QStringLiteral("format"), kFormat},
          {QStringLiteral("version"), kVersion},
          {QStringLiteral("name"), name},
          {QStringLiteral("windowMinutes"), windowMinutes},
          {QStringLiteral("columns"), columns},
          {QStringLiteral("charts"), chartArray}};
}

std::optional<Dashboard> Dashboard::fromJson(const QJsonObject& json, QString* error) {
  const QString format = json.value(QStringLiteral("format")).toString();
  if (format != kFormat) {
    fail(error, format.isEmpty() ? QStringLiteral("not a dashboard: no \"format\": \"%1\"").arg(kFormat)
                                 : QStringLiteral("not a dashboard: format \"%1\"").arg(format));
    return std::nullopt;
  }
  const int version = json.value(QStringLiteral("version")).toInt(0);
  if (version < 1) {
    fail(error, QStringLiteral("dashboard has no valid \"version\""));
    return std::nullopt;
  }
  if (version > kVersion) {
    fail(error, QStringLiteral("dashboard version %1 is newer than this program reads (%2)").arg(version).arg(kVersion));
    return std::nullopt;
  }
  Dashboard d;
  d.name = json.value(QStringLiteral("name")).toString();
  d.windowMinutes = json.value(QStringLiteral("windowMinutes")).toInt(d.windowMinutes);
  if (d.windowMinutes != 1 && d.windowMinutes != 5 && d.windowMinutes != 15 && d.windowMinutes != 60) {
    fail(error, QStringLiteral("dashboard windowMinutes %1 is not 1, 5, 15 or 60").arg(d.windowMinutes));
    return std::nullopt;
  }
  d.columns = json.value(QStringLiteral("columns")).toInt(d.columns);
  if (d.columns < 1 || d.columns > 8) {
    fail(error, QStringLiteral("dashboard columns %1 is not between 1 and 8").arg(d.columns));
    return std::nullopt;
  }
  const QJsonArray chartArray = json.value(QStringLiteral("charts")).toArray();
  for (qsizetype i = 0; i < chartArray.size(); ++i) {
    const QJsonObject c = chartArray.at(i).toObject();
    ChartSpec chart;
    chart.title = c.value(QStringLiteral("title")).toString();
    const auto style = styleFromName(c.value(QStringLiteral("style")).toString());
    if (!style) {
      fail(error, QStringLiteral("chart %1: unknown style \"%2\" (line or stacked-area)")
                      .arg(i + 1)
                      .arg(c.value(QStringLiteral("style")).toString()));
      return std::nullopt;
    }
    chart.style = *style;
    chart.display = c.value(QStringLiteral("display")).toString();
    if (!chart.display.isEmpty() && chart.display != kCpuPercent) {
      fail(error, QStringLiteral("chart %1: unknown display \"%2\"").arg(i + 1).arg(chart.display));
      return std::nullopt;
    }
    const QJsonArray seriesArray = c.value(QStringLiteral("series")).toArray();
    for (qsizetype j = 0; j < seriesArray.size(); ++j) {
      const QJsonObject s = seriesArray.at(j).toObject();
      SeriesSpec spec{s.value(QStringLiteral("metric")).toString(), s.value(QStringLiteral("instance")).toString(),
                      s.value(QStringLiteral("label")).toString()};
      if (spec.metric.isEmpty()) {
        fail(error, QStringLiteral("chart %1, series %2: no metric name").arg(i + 1).arg(j + 1));
        return std::nullopt;
      }
      chart.series.push_back(spec);
    }
    d.charts.push_back(chart);
  }
  return d;
}

bool Dashboard::save(const QString& path, QString* error) const {
  // QSaveFile writes beside the file and renames: a crash never leaves half a dashboard.
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly))
    return fail(error, QStringLiteral("cannot write dashboard %1: %2").arg(path, file.errorString()));
  const QByteArray bytes = QJsonDocument(toJson()).toJson(QJsonDocument::Indented);
  if (file.write(bytes) != bytes.size() || !file.commit())
    return fail(error, QStringLiteral("cannot write dashboard %1: %2").arg(path, file.errorString()));
  return true;
}

std::optional<Dashboard> Dashboard::load(const QString& path, QString* error) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) {
    fail(error, QStringLiteral("cannot read dashboard %1: %2").arg(path, file.errorString()));
    return std::nullopt;
  }
  QJsonParseError parseError{};
  const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
  if (parseError.error != QJsonParseError::NoError) {
    fail(error, QStringLiteral("%1: not JSON (%2 at byte %3)").arg(path, parseError.errorString()).arg(parseError.offset));
    return std::nullopt;
  }
  if (!doc.isObject()) {
    fail(error, QStringLiteral("%1: not a dashboard (the JSON is not an object)").arg(path));
    return std::nullopt;
  }
  QString reason;
  auto dashboard = fromJson(doc.object(), &reason);
  if (!dashboard) fail(error, QStringLiteral("%1: %2").arg(path, reason));
  return dashboard;
}

Dashboard Dashboard::defaults() {
  Dashboard d;
  d.name = QStringLiteral("Overview");
  ChartSpec cpu{QStringLiteral("CPU"), ChartSpec::Style::StackedArea, kCpuPercent,
                {series("kernel.all.cpu.user", "user"), series("kernel.all.cpu.sys", "sys"),
                 series("kernel.all.cpu.wait.total", "wait")}};
  ChartSpec load{QStringLiteral("Load average"), ChartSpec::Style::Line, {}, {series("kernel.all.load", "")}};
  // mem.util.used counts the page cache too, so stacking it on cached and free would
  // show more than the machine has; other + bufmem + cached + free add up to MemTotal.
  ChartSpec memory{QStringLiteral("Memory"), ChartSpec::Style::StackedArea, {},
                   {series("mem.util.other", "used"), series("mem.util.bufmem", "buffers"),
                    series("mem.util.cached", "cached"), series("mem.util.free", "free")}};
  ChartSpec disk{QStringLiteral("Disk throughput"), ChartSpec::Style::Line, {},
                 {series("disk.all.read_bytes", "read"), series("disk.all.write_bytes", "write")}};
  ChartSpec network{QStringLiteral("Network"), ChartSpec::Style::Line, {},
                    {series("network.interface.in.bytes", "in"), series("network.interface.out.bytes", "out")}};
  d.charts = {cpu, load, memory, disk, network};
  return d;
}

QStringList Dashboard::metricNames() const {
  QStringList names;
  QSet<QString> seen;
  bool needCpus = false;
  for (const ChartSpec& chart : charts) {
    needCpus = needCpus || chart.display == kCpuPercent;
    for (const SeriesSpec& s : chart.series) {
      if (!seen.contains(s.metric)) {
        seen.insert(s.metric);
        names.push_back(s.metric);
      }
    }
  }
  // cpu-percent divides by the number of CPUs, read in the same fetch.
  if (needCpus && !seen.contains(QStringLiteral("hinv.ncpu"))) names.push_back(QStringLiteral("hinv.ncpu"));
  return names;
}

}  // namespace sextant::gui
