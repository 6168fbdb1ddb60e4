#pragma once
// A dashboard: charts in a grid, each with its series, and the time window. Saved and
// loaded as JSON (docs/gui.md gives the format); the last one used reopens at start.
#include <QJsonObject>
#include <QString>
#include <QVector>
#include <optional>

namespace sextant::gui {

// One metric in a chart: one instance of it, or every instance (instance empty) each as
// its own series, or the metric's one value when it has no instances.
struct SeriesSpec {
  QString metric;
  QString instance;  // an instance name; empty: all instances (or none to choose)
  QString label;     // legend text; empty: the instance name, or the metric's last part
  bool operator==(const SeriesSpec&) const = default;
};

struct ChartSpec {
  enum class Style { Line, StackedArea };
  QString title;
  Style style = Style::Line;
  // How values are shown: "" (the metric's units, counters as rates per second) or
  // "cpu-percent" (a CPU-time counter in milliseconds as a percentage of all CPUs:
  // rate / (10 * hinv.ncpu)).
  QString display;
  QVector<SeriesSpec> series;
  bool operator==(const ChartSpec&) const = default;
};

struct Dashboard {
  QString name;
  int windowMinutes = 5;  // 1, 5, 15 or 60
  int columns = 2;        // charts per row in the grid
  QVector<ChartSpec> charts;
  bool operator==(const Dashboard&) const = default;

  QJsonObject toJson() const;
  // nullopt with a one-line reason in `error` for JSON that is not a dashboard.
  static std::optional<Dashboard> fromJson(const QJsonObject& json, QString* error);
  // Whole files; false / nullopt with a one-line reason naming the file.
  bool save(const QString& path, QString* error) const;
  static std::optional<Dashboard> load(const QString& path, QString* error);

  // What a first start shows: CPU (user, sys, wait as %, stacked), load average, memory
  // (used without cache, buffers, cached, free: stacked, they add up to the total), disk
  // read/write bytes per second, network in/out bytes per second.
  static Dashboard defaults();
  // Every metric name the charts need.
  QStringList metricNames() const;
};

}  // namespace sextant::gui
