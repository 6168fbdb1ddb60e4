#pragma once
// One line of a chart: points in time order with gaps where the source was away, kept
// only as long as the time window needs them.
#include <QPointF>
#include <QString>
#include <QVector>
#include <deque>
#include <limits>

namespace sextant::gui {

class TimeSeries {
 public:
  // x: milliseconds since the epoch; y: the shown value. A NaN y is a gap.
  void append(qint64 msec, double value);
  void appendGap(qint64 msec);
  // Drops points older than `msec`, keeping one before it so the line reaches the edge.
  void trimBefore(qint64 msec);
  void clear();

  // The points as runs without gaps (each drawn as its own line).
  QVector<QVector<QPointF>> segments() const;
  // All points, gaps as NaN.
  const std::deque<QPointF>& points() const { return points_; }
  // The last numeric value, or NaN.
  double lastValue() const;
  // The largest numeric y at or after `msec`, or NaN if none.
  double maxSince(qint64 msec) const;
  // The y at time `msec` (the nearest point at or before it), or NaN: what hover shows.
  double valueAt(qint64 msec) const;

  // The metric or instance went away: the line stops here, with a note for the legend
  // ("ended 10:42:07: no longer reported").
  void end(qint64 msec, const QString& note);
  void reopen();  // it came back
  bool ended() const { return !endNote_.isEmpty(); }
  const QString& endNote() const { return endNote_; }

 private:
  std::deque<QPointF> points_;
  QString endNote_;
};

}  // namespace sextant::gui
