#pragma once
// What a chart draws from its lines: points thinned to what the pixels can show, and
// stacked areas as running sums at shared times. Pure functions, so that the tests can
// check exactly what ChartWidget hands to Qt Charts.
#include <QList>
#include <QPointF>
#include <QVector>

#include "gui/TimeSeries.h"

namespace sextant::gui {

// The indices of `points` (in time order) worth drawing on `pixels` columns spanning
// [start, end]: each column keeps its lowest and highest point, in time order, so that
// peaks survive. Every index when there are no more than two points per pixel.
QVector<qsizetype> thinnedIndices(const QVector<QPointF>& points, qint64 start, qint64 end, int pixels);

// `points` at `indices`.
QList<QPointF> pick(const QVector<QPointF>& points, const QVector<qsizetype>& indices);

// The upper edges of stacked areas: edge i is the sum of lines 0..i. The times are every
// time any line has a value; a line's value at a time is its latest point at or before
// it (lines sampled together share their times). A time where some line has no value
// (before its first point, in a gap, after it ended) is left out of every edge, so that
// no area is drawn over a hole in another. All edges have the same times.
QVector<QVector<QPointF>> stackedEdges(const QVector<const TimeSeries*>& lines);

}  // namespace sextant::gui
