#pragma once
// The dashboard's live logic without any widget: it asks the source for the values the
// charts need, turns them into lines (counters as rates, units chosen), keeps the time
// window, and marks gaps and ended lines. The widgets (ChartGrid) only draw what it
// holds and repaint on updated().
//
// Live: a fetch every `intervalMsec` (default 1000) unless paused; a source that goes
// away leaves a gap in every line and a status message, and the lines go on when it
// comes back. Archive: the window ends at the position; seek() refills it, play()
// moves the position forward `speed` times faster than real time.
#include <QObject>
#include <QTimer>
#include <QVector>
#include <memory>

#include "gui/Dashboard.h"
#include "gui/MetricSource.h"
#include "gui/SeriesMath.h"
#include "gui/TimeSeries.h"

namespace sextant::gui {

class ArchiveSource;

// One drawn line: a metric's instance (or its single value).
struct Line {
  SeriesSpec spec;  // the series it comes from
  QString metric;
  int instance = kNoInstance;
  QString label;  // legend text
  TimeSeries series;
};

// One chart's lines and how its values are shown.
//
// Every Line's series holds SHOWN values: y is already multiplied by unit.factor (and is
// a rate per second for counters, a percentage for "cpu-percent"), so a widget draws y
// as it is and labels the axis with unit.label. The controller keeps the unscaled values
// aside and rewrites y when the unit changes (say KiB/s to MiB/s as traffic grows).
struct ChartState {
  ChartSpec spec;
  QVector<Line> lines;
  DisplayUnit unit;    // of the shown values (already applied to series' y)
  bool rate = false;   // the values are rates per second
  QString note;        // e.g. "mem.util.bogus: unknown metric"
};

class DashboardController final : public QObject {
  Q_OBJECT
 public:
  explicit DashboardController(QObject* parent = nullptr);
  ~DashboardController() override;

  // The source to read (the controller does not own it) and what to show. Setting either
  // clears the lines; the source's metadata is asked for at once.
  void setSource(MetricSource* source);
  MetricSource* source() const { return source_; }
  void setDashboard(const Dashboard& dashboard);
  const Dashboard& dashboard() const { return dashboard_; }

  // Adds a series to chart `chart` (a new chart at the end when chart == charts count).
  void addSeries(int chart, const SeriesSpec& series);
  void removeChart(int chart);
  void setChartStyle(int chart, ChartSpec::Style style);
  void setWindowMinutes(int minutes);

  // Live sampling.
  void setIntervalMsec(int msec);
  void pause();
  void resume();
  bool paused() const { return paused_; }

  // Archive replay: the window ends at `msec` (clamped to the recording).
  void seek(qint64 msec);
  void play(double speed);  // 1 = real time; 0 stops
  double playSpeed() const { return speed_; }
  qint64 position() const { return position_; }
  qint64 archiveStart() const { return archiveStart_; }
  qint64 archiveEnd() const { return archiveEnd_; }

  // What the charts draw: one per dashboard chart, in order.
  const QVector<ChartState>& charts() const { return charts_; }
  // The time span the charts show: [windowStart, windowEnd] in msec since the epoch.
  qint64 windowStart() const;
  qint64 windowEnd() const;
  // Metadata known for a metric (after the source's metadataReady), or nullptr.
  const MetricMeta* meta(const QString& metric) const;
  // Takes the metrics' metadata as the source's metadataReady() gives it (connected
  // there); public so that tests can drive the logic without a source.
  void setMetadata(const QVector<MetricMeta>& metrics);
  // Takes instance names for labels, as the source's instancesReady() gives them.
  void setInstances(const QString& metric, const QVector<InstanceMeta>& instances);

  // Feeds one sample as if the source had sent it (the source's sampleReady is
  // connected here); public so that tests can drive the logic without timers.
  void takeSample(const Sample& sample);
  // The source was lost at `msec`: a gap in every line.
  void markGap(qint64 msec);

 signals:
  void updated();                                  // new points or lines: repaint
  void layoutChanged();                            // charts added, removed or restyled
  void statusMessage(const QString& message);      // for the status bar
  void positionChanged(qint64 msec);               // archive replay moved
  void boundsChanged(qint64 startMsec, qint64 endMsec);

 private:
  void resetChart(int chart);
  bool ingest(const Sample& sample);  // true when lines were added
  bool ingestChart(int chart, const Sample& sample);
  void settle();  // trims to the window and re-chooses units after ingest()
  void chooseChartUnit(int chart);
  void requestRange(qint64 fromMsec, qint64 toMsec, bool replace);
  QString lineLabel(const SeriesSpec& spec, int instance) const;

  struct Impl;
  std::unique_ptr<Impl> d_;
  MetricSource* source_ = nullptr;
  Dashboard dashboard_;
  QVector<ChartState> charts_;
  bool paused_ = false;
  double speed_ = 0;
  qint64 position_ = 0;
  qint64 archiveStart_ = 0;
  qint64 archiveEnd_ = 0;
};

}  // namespace sextant::gui
