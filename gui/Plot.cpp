#include "gui/Plot.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace sextant::gui {

QVector<qsizetype> thinnedIndices(const QVector<QPointF>& points, qint64 start, qint64 end, int pixels) {
  QVector<qsizetype> kept;
  if (pixels <= 0 || points.size() <= 2 * static_cast<qsizetype>(pixels) || end <= start) {
    kept.resize(points.size());
    for (qsizetype i = 0; i < points.size(); ++i) kept[i] = i;
    return kept;
  }
  kept.reserve(2 * static_cast<qsizetype>(pixels) + 2);
  const double perPixel = static_cast<double>(end - start) / pixels;
  const auto columnOf = [&](qsizetype i) {
    return static_cast<qint64>(std::floor((points[i].x() - static_cast<double>(start)) / perPixel));
  };
  qsizetype i = 0;
  while (i < points.size()) {
    const qint64 column = columnOf(i);
    qsizetype lo = i, hi = i, j = i;
    for (; j < points.size() && columnOf(j) == column; ++j) {
      if (points[j].y() < points[lo].y()) lo = j;
      if (points[j].y() > points[hi].y()) hi = j;
    }
    kept.append(std::min(lo, hi));
    if (lo != hi) kept.append(std::max(lo, hi));
    i = j;
  }
  return kept;
}

QList<QPointF> pick(const QVector<QPointF>& points, const QVector<qsizetype>& indices) {
  QList<QPointF> out;
  out.reserve(indices.size());
  for (qsizetype i : indices) out.append(points[i]);
  return out;
}

QVector<QVector<QPointF>> stackedEdges(const QVector<const TimeSeries*>& lines) {
  QVector<QVector<QPointF>> edges(lines.size());
  if (lines.isEmpty()) return edges;

  std::vector<double> times;
  for (const TimeSeries* line : lines)
    for (const QPointF& p : line->points())
      if (!std::isnan(p.y())) times.push_back(p.x());
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());

  // One cursor per line walks its points forward with the times: linear, not a search
  // per time (a 15-minute window at 1 Hz has 900 times per line, refreshed every second).
  std::vector<std::size_t> next(static_cast<std::size_t>(lines.size()), 0);
  std::vector<double> sums(static_cast<std::size_t>(lines.size()));
  for (double t : times) {
    bool complete = true;
    double sum = 0;
    for (qsizetype li = 0; li < lines.size(); ++li) {
      const auto& points = lines[li]->points();
      std::size_t& n = next[static_cast<std::size_t>(li)];
      while (n < points.size() && points[n].x() <= t) ++n;
      const double v = n == 0 ? std::nan("") : points[n - 1].y();  // NaN: a gap, or no point yet
      if (std::isnan(v)) complete = false;
      sum += v;
      sums[static_cast<std::size_t>(li)] = sum;
    }
    if (!complete) continue;
    for (qsizetype li = 0; li < lines.size(); ++li) edges[li].append(QPointF(t, sums[static_cast<std::size_t>(li)]));
  }
  return edges;
}

}  // namespace sextant::gui
