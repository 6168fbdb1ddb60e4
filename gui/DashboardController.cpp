#include "gui/DashboardController.h"

#include <QDateTime>
#include <QPointer>
#include <QSet>
#include <algorithm>
#include <cmath>
#include <optional>

#include "gui/ArchiveSource.h"

namespace sextant::gui {

namespace {

const QString kCpuPercent = QStringLiteral("cpu-percent");
const QString kNcpu = QStringLiteral("hinv.ncpu");
// A series naming one instance whose id is not known yet (instancesReady resolves it).
constexpr int kUnresolved = -2;
// Archive ranges are asked for with at most this many samples per window.
constexpr qint64 kMaxRangeSamples = 3600;

QString clockTime(qint64 msec) {
  return QDateTime::fromMSecsSinceEpoch(msec).toString(QStringLiteral("HH:mm:ss"));
}

}  // namespace

// What the controller keeps per line besides what is drawn.
struct LineData {
  int specIndex = 0;
  TimeSeries raw;               // the values before the unit's factor
  std::optional<double> last;   // a counter's previous raw value, for its rate
  qint64 lastMsec = 0;
  bool seen = false;            // reported at least once (so its absence ends it)
};

struct DashboardController::Impl {
  QTimer liveTimer;
  QTimer playTimer;
  QHash<QString, MetricMeta> metas;
  bool haveMetadata = false;
  QHash<QString, QHash<int, QString>> instanceNames;
  QSet<QString> instancesAsked;
  QVector<QVector<LineData>> data;  // [chart][line], parallel to charts_
  double ncpu = 0;
  qint64 lastSampleMsec = 0;
  bool connected = false;
  // The source may be deleted before the next setSource(): these turn null then.
  QPointer<MetricSource> source;
  QPointer<ArchiveSource> archive;
  qint64 archiveInterval = 1000;
  int tag = 0;
  int seekTag = -1;
  qint64 fetchedUntil = 0;
  bool seekPending = false;
};

DashboardController::DashboardController(QObject* parent) : QObject(parent), d_(std::make_unique<Impl>()) {
  d_->liveTimer.setInterval(1000);
  connect(&d_->liveTimer, &QTimer::timeout, this, [this] {
    if (d_->source && !paused_ && d_->connected && !d_->archive) d_->source->fetch(dashboard_.metricNames());
  });
  d_->playTimer.setInterval(1000);  // real time; each tick moves `speed` seconds
  connect(&d_->playTimer, &QTimer::timeout, this, [this] {
    if (speed_ <= 0 || !d_->archive) return d_->playTimer.stop();
    const qint64 next = std::min(archiveEnd_, position_ + static_cast<qint64>(speed_ * 1000));
    const qint64 step = std::max<qint64>(d_->archiveInterval, 1);
    const QStringList names = dashboard_.metricNames();
    if (d_->fetchedUntil + step <= next && !names.isEmpty()) {
      d_->archive->fetchRange(names, d_->fetchedUntil + step, next, step, ++d_->tag);
      d_->fetchedUntil = next;
    }
    position_ = next;
    emit positionChanged(position_);
    if (position_ >= archiveEnd_) {
      speed_ = 0;
      d_->playTimer.stop();
      emit statusMessage(tr("Reached the end of the archive"));
    }
    for (auto& chart : charts_)
      for (Line& line : chart.lines) line.series.trimBefore(windowStart());
    emit updated();
  });
}

DashboardController::~DashboardController() = default;

void DashboardController::setSource(MetricSource* source) {
  if (d_->source) disconnect(d_->source.data(), nullptr, this, nullptr);
  source_ = source;
  d_->source = source;
  d_->archive = qobject_cast<ArchiveSource*>(source);
  d_->metas.clear();
  d_->haveMetadata = false;
  d_->instanceNames.clear();
  d_->instancesAsked.clear();
  d_->connected = false;
  d_->lastSampleMsec = 0;
  d_->liveTimer.stop();
  d_->playTimer.stop();
  speed_ = 0;
  position_ = archiveStart_ = archiveEnd_ = 0;
  d_->seekTag = -1;
  d_->seekPending = false;
  setDashboard(dashboard_);
  if (!source) return;

  connect(source, &MetricSource::sampleReady, this, &DashboardController::takeSample);
  connect(source, &MetricSource::metadataReady, this, &DashboardController::setMetadata);
  connect(source, &MetricSource::instancesReady, this, &DashboardController::setInstances);
  connect(source, &MetricSource::fetchFailed, this, [this](const QString& message) {
    markGap(d_->lastSampleMsec > 0 ? d_->lastSampleMsec + 1 : QDateTime::currentMSecsSinceEpoch());
    emit statusMessage(message);
  });
  connect(source, &MetricSource::stateChanged, this, [this](MetricSource::State state, const QString& message) {
    if (state == MetricSource::State::Connected) {
      d_->connected = true;
      if (!d_->source) return;
      emit statusMessage(message.isEmpty() ? tr("Connected to %1").arg(d_->source->description()) : message);
      if (!d_->haveMetadata) d_->source->requestMetadata();
      if (!d_->archive && !paused_ && d_->haveMetadata) d_->source->fetch(dashboard_.metricNames());
    } else if (state == MetricSource::State::Disconnected) {
      d_->connected = false;
      // Just after the last sample rather than the local clock: the host's clock may
      // differ, and the gap has to fall between the points it separates.
      markGap(d_->lastSampleMsec > 0 ? d_->lastSampleMsec + 1 : QDateTime::currentMSecsSinceEpoch());
      emit statusMessage(message);
    }
  });
  if (d_->archive) {
    connect(d_->archive.data(), &ArchiveSource::boundsReady, this, [this](qint64 start, qint64 end, qint64 interval) {
      archiveStart_ = start;
      archiveEnd_ = end;
      d_->archiveInterval = interval > 0 ? interval : 1000;
      emit boundsChanged(start, end);
      seek(end);
    });
    connect(d_->archive.data(), &ArchiveSource::rangeReady, this, [this](const QVector<Sample>& samples, int tag) {
      if (tag < d_->seekTag) return;  // an answer for a window the user has left
      if (tag == d_->seekTag) setDashboard(dashboard_);  // a seek replaces every line
      bool added = false;
      for (const Sample& s : samples) added = ingest(s) || added;
      settle();
      if (added) emit layoutChanged();
      emit updated();
    });
  } else {
    d_->liveTimer.start();
  }
  source->requestMetadata();
}

void DashboardController::setDashboard(const Dashboard& dashboard) {
  dashboard_ = dashboard;
  charts_.clear();
  d_->data.clear();
  for (const ChartSpec& spec : dashboard_.charts) {
    ChartState chart;
    chart.spec = spec;
    charts_.push_back(chart);
    d_->data.push_back({});
  }
  for (int c = 0; c < charts_.size(); ++c) resetChart(c);
  emit layoutChanged();
  emit updated();
}

QString DashboardController::lineLabel(const SeriesSpec& spec, int instance) const {
  const MetricMeta* m = meta(spec.metric);
  const bool perInstance = spec.instance.isEmpty() && m && m->hasInstances();
  if (perInstance) {
    // Until instancesReady names it, the id is all there is to show.
    const QString name = d_->instanceNames.value(spec.metric).value(instance, QString::number(instance));
    return spec.label.isEmpty() ? name : spec.label + QLatin1Char(' ') + name;
  }
  if (!spec.label.isEmpty()) return spec.label;
  if (!spec.instance.isEmpty()) return spec.instance;
  return spec.metric.section(QLatin1Char('.'), -1);
}

// Lines that do not wait for a sample: a metric without instances, or one named
// instance. Every instance of a metric appears as samples report it.
void DashboardController::resetChart(int c) {
  ChartState& chart = charts_[c];
  chart.lines.clear();
  chart.note.clear();
  chart.rate = chart.spec.display == kCpuPercent;
  d_->data[c].clear();
  QStringList unknown;
  QString units;
  for (int si = 0; si < chart.spec.series.size(); ++si) {
    const SeriesSpec& spec = chart.spec.series[si];
    const MetricMeta* m = meta(spec.metric);
    if (!m) {
      if (d_->haveMetadata && !unknown.contains(spec.metric)) unknown.push_back(spec.metric);
      continue;
    }
    if (units.isEmpty()) units = m->units;
    chart.rate = chart.rate || m->isCounter();
    if (m->hasInstances() && d_->source && !d_->instancesAsked.contains(spec.metric)) {
      d_->instancesAsked.insert(spec.metric);
      d_->source->requestInstances(spec.metric);
    }
    if (m->hasInstances() && spec.instance.isEmpty()) continue;
    Line line{spec, spec.metric, kNoInstance, {}, {}};
    if (m->hasInstances()) {
      line.instance = d_->instanceNames.value(spec.metric).key(spec.instance, kUnresolved);
    }
    line.label = lineLabel(spec, line.instance);
    chart.lines.push_back(line);
    d_->data[c].push_back(LineData{si, {}, {}, 0, false});
  }
  if (!unknown.isEmpty()) chart.note = unknown.join(QStringLiteral(", ")) + tr(": unknown metric");
  chart.unit = chart.spec.display == kCpuPercent ? percentUnit() : chooseUnit(units, chart.rate, 0);
}

const MetricMeta* DashboardController::meta(const QString& metric) const {
  auto it = d_->metas.constFind(metric);
  return it == d_->metas.constEnd() ? nullptr : &it.value();
}

void DashboardController::setMetadata(const QVector<MetricMeta>& metrics) {
  d_->metas.clear();
  for (const MetricMeta& m : metrics) d_->metas.insert(m.name, m);
  d_->haveMetadata = true;
  setDashboard(dashboard_);
  if (d_->archive && (d_->seekPending || archiveEnd_ > 0)) {
    d_->seekPending = false;
    seek(position_);
  }
}

void DashboardController::setInstances(const QString& metric, const QVector<InstanceMeta>& instances) {
  QHash<int, QString>& names = d_->instanceNames[metric];
  for (const InstanceMeta& i : instances) names.insert(i.id, i.name);
  for (auto& chart : charts_) {
    for (Line& line : chart.lines) {
      if (line.metric != metric) continue;
      if (line.instance == kUnresolved) line.instance = names.key(line.spec.instance, kUnresolved);
      line.label = lineLabel(line.spec, line.instance);
    }
  }
  emit layoutChanged();  // the legends change
}

void DashboardController::addSeries(int c, const SeriesSpec& series) {
  if (c < 0 || c > dashboard_.charts.size()) return;
  if (c == dashboard_.charts.size()) {
    ChartSpec chart;
    chart.title = series.metric;
    dashboard_.charts.push_back(chart);
    charts_.push_back({});
    d_->data.push_back({});
  }
  dashboard_.charts[c].series.push_back(series);
  // The chart starts over: its unit and rate may change with the new metric.
  charts_[c].spec = dashboard_.charts[c];
  resetChart(c);
  emit layoutChanged();
  if (d_->archive && archiveEnd_ > 0) seek(position_);
  emit updated();
}

void DashboardController::removeChart(int c) {
  if (c < 0 || c >= dashboard_.charts.size()) return;
  dashboard_.charts.removeAt(c);
  charts_.removeAt(c);
  d_->data.removeAt(c);
  emit layoutChanged();
}

void DashboardController::setChartStyle(int c, ChartSpec::Style style) {
  if (c < 0 || c >= dashboard_.charts.size()) return;
  dashboard_.charts[c].style = style;
  charts_[c].spec.style = style;
  emit layoutChanged();
}

void DashboardController::setWindowMinutes(int minutes) {
  if (minutes <= 0) return;
  dashboard_.windowMinutes = minutes;
  if (d_->archive && archiveEnd_ > 0) return seek(position_);
  settle();
  emit updated();
}

void DashboardController::setIntervalMsec(int msec) { d_->liveTimer.setInterval(std::max(100, msec)); }

void DashboardController::pause() {
  paused_ = true;
  if (speed_ > 0) play(0);
}

void DashboardController::resume() {
  if (!paused_) return;
  paused_ = false;
  // Nothing was fetched meanwhile: the lines break rather than join across the pause.
  if (d_->lastSampleMsec > 0) markGap(d_->lastSampleMsec + 1);
}

qint64 DashboardController::windowEnd() const {
  if (d_->archive) return position_;
  return d_->lastSampleMsec > 0 ? d_->lastSampleMsec : QDateTime::currentMSecsSinceEpoch();
}

qint64 DashboardController::windowStart() const {
  return windowEnd() - static_cast<qint64>(dashboard_.windowMinutes) * 60 * 1000;
}

void DashboardController::takeSample(const Sample& sample) {
  const bool added = ingest(sample);
  settle();
  if (added) emit layoutChanged();
  emit updated();
}

void DashboardController::markGap(qint64 msec) {
  for (int c = 0; c < charts_.size(); ++c) {
    for (int li = 0; li < charts_[c].lines.size(); ++li) {
      charts_[c].lines[li].series.appendGap(msec);
      LineData& data = d_->data[c][li];
      data.raw.appendGap(msec);
      data.last.reset();  // a rate across the gap would be an average over unknown time
    }
  }
  emit updated();
}

bool DashboardController::ingest(const Sample& sample) {
  d_->lastSampleMsec = std::max(d_->lastSampleMsec, sample.msec);
  if (auto it = sample.values.constFind(kNcpu); it != sample.values.constEnd() && !it->isEmpty())
    d_->ncpu = it->constBegin().value();
  bool added = false;
  for (int c = 0; c < charts_.size(); ++c) added = ingestChart(c, sample) || added;
  return added;
}

bool DashboardController::ingestChart(int c, const Sample& sample) {
  ChartState& chart = charts_[c];
  QVector<LineData>& data = d_->data[c];
  const bool percent = chart.spec.display == kCpuPercent;
  bool added = false;

  // New instances of "every instance" series, in id order so that legends stay stable.
  for (int si = 0; si < chart.spec.series.size(); ++si) {
    const SeriesSpec& spec = chart.spec.series[si];
    const MetricMeta* m = meta(spec.metric);
    if (!m || !m->hasInstances() || !spec.instance.isEmpty()) continue;
    QList<int> ids = sample.values.value(spec.metric).keys();
    std::sort(ids.begin(), ids.end());
    for (int id : ids) {
      const bool known = std::any_of(chart.lines.cbegin(), chart.lines.cend(), [&](const Line& l) {
        return l.metric == spec.metric && l.instance == id && l.spec == spec;
      });
      if (known) continue;
      chart.lines.push_back(Line{spec, spec.metric, id, lineLabel(spec, id), {}});
      data.push_back(LineData{si, {}, {}, 0, false});
      added = true;
    }
  }

  for (int li = 0; li < chart.lines.size(); ++li) {
    Line& line = chart.lines[li];
    LineData& ld = data[li];
    const MetricMeta* m = meta(line.metric);
    if (!m || !m->isNumeric() || line.instance == kUnresolved) continue;
    const QHash<int, double> values = sample.values.value(line.metric);
    auto found = values.constFind(line.instance);
    // A source that gives a single-valued metric another instance id still means it.
    if (found == values.constEnd() && line.instance == kNoInstance && !m->hasInstances() && values.size() == 1)
      found = values.constBegin();
    if (found == values.constEnd()) {
      if (ld.seen && !line.series.ended()) {
        const QString note = tr("no longer reported since %1").arg(clockTime(sample.msec));
        line.series.end(sample.msec, note);
        ld.raw.end(sample.msec, note);
      }
      ld.last.reset();
      continue;
    }
    if (line.series.ended()) {
      line.series.reopen();
      ld.raw.reopen();
    }
    ld.seen = true;
    double value = found.value();
    if (m->isCounter()) {
      const bool hadPrevious = ld.last.has_value();
      const std::optional<double> rate =
          hadPrevious ? counterRate(*ld.last, ld.lastMsec, value, sample.msec) : std::nullopt;
      ld.last = value;
      ld.lastMsec = sample.msec;
      if (!rate) {
        // The first value gives no rate yet; a wrap or restart breaks the line.
        if (hadPrevious) {
          line.series.appendGap(sample.msec);
          ld.raw.appendGap(sample.msec);
        }
        continue;
      }
      value = *rate;
    }
    if (percent) {
      if (d_->ncpu <= 0) continue;  // hinv.ncpu not reported yet
      value = value / (10 * d_->ncpu);  // ms of CPU time per s over ncpu CPUs, as %
    }
    ld.raw.append(sample.msec, value);
    line.series.append(sample.msec, value * chart.unit.factor);
  }
  return added;
}

void DashboardController::settle() {
  const qint64 start = windowStart();
  for (int c = 0; c < charts_.size(); ++c) {
    for (int li = 0; li < charts_[c].lines.size(); ++li) {
      charts_[c].lines[li].series.trimBefore(start);
      d_->data[c][li].raw.trimBefore(start);
    }
    chooseChartUnit(c);
  }
}

void DashboardController::chooseChartUnit(int c) {
  ChartState& chart = charts_[c];
  if (chart.spec.display == kCpuPercent) {
    chart.unit = percentUnit();
    return;
  }
  QString units;
  for (const Line& line : chart.lines) {
    if (const MetricMeta* m = meta(line.metric)) {
      units = m->units;
      break;
    }
  }
  double largest = 0;
  const qint64 start = windowStart();
  for (const LineData& ld : d_->data[c]) {
    const double v = ld.raw.maxSince(start);
    if (!std::isnan(v)) largest = std::max(largest, std::fabs(v));
  }
  const DisplayUnit unit = chooseUnit(units, chart.rate, largest);
  if (unit.label == chart.unit.label && unit.factor == chart.unit.factor) return;
  chart.unit = unit;
  // Rewrite the shown values from the unscaled ones in the new unit.
  for (int li = 0; li < chart.lines.size(); ++li) {
    TimeSeries& shown = chart.lines[li].series;
    const QString note = shown.endNote();
    shown.clear();
    for (const QPointF& p : d_->data[c][li].raw.points()) {
      const auto x = static_cast<qint64>(p.x());
      if (std::isnan(p.y()))
        shown.appendGap(x);
      else
        shown.append(x, p.y() * unit.factor);
    }
    if (!note.isEmpty() && !shown.points().empty()) shown.end(static_cast<qint64>(shown.points().back().x()), note);
  }
}

void DashboardController::requestRange(qint64 fromMsec, qint64 toMsec, bool replace) {
  const QStringList names = dashboard_.metricNames();
  if (!d_->archive || names.isEmpty()) return;
  const qint64 windowMsec = static_cast<qint64>(dashboard_.windowMinutes) * 60 * 1000;
  const qint64 step = std::max(d_->archiveInterval, windowMsec / kMaxRangeSamples);
  ++d_->tag;
  if (replace) {
    d_->seekTag = d_->tag;
    fromMsec -= step;  // one sample more, so that counters have a rate at the window's start
  }
  d_->fetchedUntil = toMsec;
  d_->archive->fetchRange(names, std::max(fromMsec, archiveStart_), toMsec, step, d_->tag);
}

void DashboardController::seek(qint64 msec) {
  if (!d_->archive) return;
  position_ = std::clamp(msec, archiveStart_, std::max(archiveStart_, archiveEnd_));
  emit positionChanged(position_);
  if (!d_->haveMetadata) {
    d_->seekPending = true;  // metadataReady() seeks again
    return;
  }
  requestRange(windowStart(), position_, true);
}

void DashboardController::play(double speed) {
  speed_ = d_->archive && speed > 0 ? speed : 0;
  if (speed_ > 0 && position_ >= archiveEnd_) speed_ = 0;  // nothing left to play
  if (speed_ > 0)
    d_->playTimer.start();
  else
    d_->playTimer.stop();
}

}  // namespace sextant::gui
