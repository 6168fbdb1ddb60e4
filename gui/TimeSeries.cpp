#include "gui/TimeSeries.h"

#include <cmath>

namespace sextant::gui {

namespace {
bool isGap(const QPointF& p) { return std::isnan(p.y()); }
}  // namespace

void TimeSeries::append(qint64 msec, double value) {
  points_.emplace_back(static_cast<double>(msec), value);
}

void TimeSeries::appendGap(qint64 msec) {
  // One gap marker is enough to break the line; more would only cost memory.
  if (!points_.empty() && isGap(points_.back())) return;
  points_.emplace_back(static_cast<double>(msec), std::numeric_limits<double>::quiet_NaN());
}

void TimeSeries::trimBefore(qint64 msec) {
  const auto edge = static_cast<double>(msec);
  // Keep the last point before the edge, so the line is drawn from the window's start.
  while (points_.size() >= 2 && points_[1].x() <= edge) points_.pop_front();
  // A leading gap draws nothing.
  while (!points_.empty() && isGap(points_.front()) && points_.front().x() <= edge) points_.pop_front();
}

void TimeSeries::clear() {
  points_.clear();
  endNote_.clear();
}

QVector<QVector<QPointF>> TimeSeries::segments() const {
  QVector<QVector<QPointF>> runs;
  QVector<QPointF> run;
  for (const QPointF& p : points_) {
    if (isGap(p)) {
      if (!run.isEmpty()) runs.push_back(std::move(run));
      run = {};
    } else {
      run.push_back(p);
    }
  }
  if (!run.isEmpty()) runs.push_back(std::move(run));
  return runs;
}

double TimeSeries::lastValue() const {
  for (auto it = points_.rbegin(); it != points_.rend(); ++it)
    if (!isGap(*it)) return it->y();
  return std::numeric_limits<double>::quiet_NaN();
}

double TimeSeries::maxSince(qint64 msec) const {
  double best = std::numeric_limits<double>::quiet_NaN();
  for (auto it = points_.rbegin(); it != points_.rend() && it->x() >= static_cast<double>(msec); ++it) {
    if (!isGap(*it) && (std::isnan(best) || it->y() > best)) best = it->y();
  }
  return best;
}

double TimeSeries::valueAt(qint64 msec) const {
  const auto at = static_cast<double>(msec);
  for (auto it = points_.rbegin(); it != points_.rend(); ++it)
    if (it->x() <= at) return it->y();  // a gap answers NaN: nothing to show there
  return std::numeric_limits<double>::quiet_NaN();
}

void TimeSeries::end(qint64 msec, const QString& note) {
  appendGap(msec);
  endNote_ = note.isEmpty() ? QStringLiteral("ended") : note;
}

void TimeSeries::reopen() { endNote_.clear(); }

}  // namespace sextant::gui
