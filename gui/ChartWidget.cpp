#include "gui/ChartWidget.h"

#include <QAreaSeries>
#include <QChart>
#include <QContextMenuEvent>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMenu>
#include <QMimeData>
#include <QToolTip>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <vector>

#include "gui/Plot.h"

namespace sextant::gui {

namespace {

const QString kMetricMime = QStringLiteral("application/x-sextant-metric");

// Distinct, readable on white, and stable: a line keeps its colour across refreshes.
const QColor kPalette[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xff, 0x7f, 0x0e), QColor(0x2c, 0xa0, 0x2c),
                           QColor(0xd6, 0x27, 0x28), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                           QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f), QColor(0xbc, 0xbd, 0x22),
                           QColor(0x17, 0xbe, 0xcf)};

QColor colorOf(int line) { return kPalette[line % static_cast<int>(std::size(kPalette))]; }

// Just enough decimals for the ticks of 0..ceiling in (kTicks - 1) steps: "%.4g" would
// make labels of different widths, which Qt Charts elides ("...").
constexpr int kTicks = 5;
QString labelFormat(double ceiling) {
  const double step = ceiling / (kTicks - 1);
  int decimals = 0;
  while (decimals < 3 && std::abs(step * std::pow(10.0, decimals) - std::round(step * std::pow(10.0, decimals))) > 1e-6)
    ++decimals;
  return QStringLiteral("%.") + QString::number(decimals) + QLatin1Char('f');
}

QString legendText(const Line& line) {
  if (!line.series.ended()) return line.label;
  return line.label + QStringLiteral(" (") + line.series.endNote() + QLatin1Char(')');
}

}  // namespace

struct ChartWidget::Impl {
  QChart* chart = nullptr;
  QDateTimeAxis* xAxis = nullptr;
  QValueAxis* yAxis = nullptr;
  // What the series objects were built for; any change rebuilds them.
  ChartSpec::Style style = ChartSpec::Style::Line;
  QStringList labels;
  bool built = false;
  int pixels = 0;  // the plot's width when the points were last thinned
  // Line style: one series per gap-free segment of each line.
  std::vector<std::vector<QLineSeries*>> segments;
  // Stacked style: one area per line, its upper edge the running sum.
  std::vector<QAreaSeries*> areas;

  void clearSeries() {
    chart->removeAllSeries();  // deletes them (and the areas' edges, their children)
    segments.clear();
    areas.clear();
  }

  QLineSeries* addSegment(int line, const QString& name, bool first) {
    auto* s = new QLineSeries;
    s->setName(name);
    s->setPen(QPen(colorOf(line), 1));  // 1 px: the raster engine's fast path for lines
    chart->addSeries(s);
    s->attachAxis(xAxis);
    s->attachAxis(yAxis);
    // Only the first segment stands for the line in the legend.
    if (!first)
      for (QLegendMarker* m : chart->legend()->markers(s)) m->setVisible(false);
    return s;
  }
};

ChartWidget::ChartWidget(DashboardController* controller, int chartIndex, QWidget* parent)
    : QChartView(parent), d_(new Impl), controller_(controller), index_(chartIndex) {
  d_->chart = new QChart;
  d_->chart->setAnimationOptions(QChart::NoAnimation);  // 1 Hz redraws of many charts: no tweening
  d_->chart->legend()->setAlignment(Qt::AlignBottom);
  d_->chart->setMargins(QMargins(4, 4, 4, 4));
  d_->xAxis = new QDateTimeAxis;
  d_->xAxis->setTickCount(6);
  d_->yAxis = new QValueAxis;
  d_->yAxis->setTickCount(kTicks);
  d_->chart->addAxis(d_->xAxis, Qt::AlignBottom);
  d_->chart->addAxis(d_->yAxis, Qt::AlignLeft);
  setChart(d_->chart);  // the view owns the chart
  setAcceptDrops(true);
  setMouseTracking(true);
  setRubberBand(QChartView::NoRubberBand);
  // The points are thinned to the plot's width: a chart drawn before it was laid out (or
  // since resized) draws again at its new width, which matters where no new samples come
  // to do it (a paused or replayed window). Queued: not from inside the chart's layout.
  connect(
      d_->chart, &QChart::plotAreaChanged, this,
      [this](const QRectF& area) {
        if (std::max(1, static_cast<int>(area.width())) != d_->pixels) refresh();
      },
      Qt::QueuedConnection);
  refresh();
}

ChartWidget::~ChartWidget() { delete d_; }

void ChartWidget::refresh() {
  if (index_ < 0 || index_ >= controller_->charts().size()) return;
  const ChartState& state = controller_->charts()[index_];
  const qint64 start = controller_->windowStart();
  const qint64 end = std::max(controller_->windowEnd(), start + 1);

  QString title = state.spec.title;
  if (!state.note.isEmpty()) title += QStringLiteral(" (") + state.note + QLatin1Char(')');
  if (d_->chart->title() != title) d_->chart->setTitle(title);

  QStringList labels;
  for (const Line& line : state.lines) labels << legendText(line);
  if (!d_->built || d_->style != state.spec.style || d_->labels != labels) {
    d_->clearSeries();
    d_->style = state.spec.style;
    d_->labels = labels;
    d_->built = true;
  }

  const int pixels = std::max(1, static_cast<int>(d_->chart->plotArea().width()));
  d_->pixels = pixels;
  double maxShown = 0;
  if (state.spec.style == ChartSpec::Style::Line) {
    d_->segments.resize(state.lines.size());
    for (int i = 0; i < state.lines.size(); ++i) {
      const Line& line = state.lines[i];
      const QVector<QVector<QPointF>> runs = line.series.segments();
      auto& shown = d_->segments[i];
      // Reuse the series objects: replace() is far cheaper than new series per second.
      const size_t wanted = std::max<size_t>(1, runs.size());
      while (shown.size() < wanted) shown.push_back(d_->addSegment(i, labels[i], shown.empty()));
      while (shown.size() > wanted) {
        d_->chart->removeSeries(shown.back());
        delete shown.back();
        shown.pop_back();
      }
      for (size_t s = 0; s < shown.size(); ++s)
        shown[s]->replace(s < static_cast<size_t>(runs.size()) ? pick(runs[s], thinnedIndices(runs[s], start, end, pixels))
                                                               : QList<QPointF>{});
      const double m = line.series.maxSince(start);
      if (std::isfinite(m)) maxShown = std::max(maxShown, m);
    }
  } else {
    // Stacked: each area from the previous running sum up to this one (stackedEdges()),
    // every edge thinned at the same indices so that neighbouring areas meet exactly.
    QVector<const TimeSeries*> series;
    for (const Line& line : state.lines) series.append(&line.series);
    const QVector<QVector<QPointF>> edges = stackedEdges(series);
    const QVector<qsizetype> kept =
        edges.isEmpty() ? QVector<qsizetype>{} : thinnedIndices(edges.back(), start, end, pixels);
    if (!edges.isEmpty())
      for (const QPointF& p : edges.back())
        if (p.x() >= static_cast<double>(start)) maxShown = std::max(maxShown, p.y());
    if (d_->areas.size() != static_cast<size_t>(state.lines.size())) {
      d_->clearSeries();
      for (int i = 0; i < state.lines.size(); ++i) {
        auto* area = new QAreaSeries;
        area->setUpperSeries(new QLineSeries(area));
        if (i > 0) area->setLowerSeries(new QLineSeries(area));
        area->setName(labels[i]);
        QColor fill = colorOf(i);
        area->setPen(QPen(fill.darker(120), 1));
        fill.setAlpha(190);
        area->setBrush(fill);
        d_->chart->addSeries(area);
        area->attachAxis(d_->xAxis);
        area->attachAxis(d_->yAxis);
        d_->areas.push_back(area);
      }
    }
    for (int i = 0; i < state.lines.size(); ++i) {
      d_->areas[i]->upperSeries()->replace(pick(edges[i], kept));
      if (i > 0) d_->areas[i]->lowerSeries()->replace(pick(edges[i - 1], kept));
    }
  }

  d_->xAxis->setFormat(controller_->dashboard().windowMinutes >= 60 ? QStringLiteral("hh:mm")
                                                                    : QStringLiteral("hh:mm:ss"));
  d_->xAxis->setRange(QDateTime::fromMSecsSinceEpoch(start), QDateTime::fromMSecsSinceEpoch(end));
  const double ceiling = niceCeiling(maxShown);
  const QString format = labelFormat(ceiling);
  if (d_->yAxis->labelFormat() != format) d_->yAxis->setLabelFormat(format);
  d_->yAxis->setRange(0, ceiling);
  if (d_->yAxis->titleText() != state.unit.label) d_->yAxis->setTitleText(state.unit.label);
}

void ChartWidget::dragEnterEvent(QDragEnterEvent* event) {
  if (event->mimeData()->hasFormat(kMetricMime))
    event->acceptProposedAction();
  else
    event->ignore();
}

void ChartWidget::dragMoveEvent(QDragMoveEvent* event) {
  if (event->mimeData()->hasFormat(kMetricMime))
    event->acceptProposedAction();
  else
    event->ignore();
}

void ChartWidget::dropEvent(QDropEvent* event) {
  const QString metric = QString::fromUtf8(event->mimeData()->data(kMetricMime)).trimmed();
  if (metric.isEmpty()) {
    event->ignore();
    return;
  }
  event->acceptProposedAction();
  SeriesSpec spec;
  spec.metric = metric;
  controller_->addSeries(index_, spec);
}

void ChartWidget::mouseMoveEvent(QMouseEvent* event) {
  QChartView::mouseMoveEvent(event);
  if (index_ >= controller_->charts().size()) return;
  const QPointF inChart = d_->chart->mapFromScene(mapToScene(event->position().toPoint()));
  if (!d_->chart->plotArea().contains(inChart)) {
    QToolTip::hideText();
    return;
  }
  const auto msec = static_cast<qint64>(d_->chart->mapToValue(inChart).x());
  const ChartState& state = controller_->charts()[index_];
  QString text = QStringLiteral("<b>%1</b>").arg(QDateTime::fromMSecsSinceEpoch(msec).toString(QStringLiteral("hh:mm:ss")));
  for (const Line& line : state.lines) {
    const double v = line.series.valueAt(msec);
    const QString shown = std::isnan(v) ? QStringLiteral("no value") : formatValue(v, state.unit.label);
    text += QStringLiteral("<br>%1: %2").arg(line.label.toHtmlEscaped(), shown.toHtmlEscaped());
  }
  QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

void ChartWidget::leaveEvent(QEvent* event) {
  QToolTip::hideText();
  QChartView::leaveEvent(event);
}

void ChartWidget::contextMenuEvent(QContextMenuEvent* event) {
  if (index_ >= controller_->charts().size()) return;
  const ChartSpec::Style style = controller_->charts()[index_].spec.style;
  QMenu menu(this);
  QAction* line = menu.addAction(tr("Line"));
  line->setCheckable(true);
  line->setChecked(style == ChartSpec::Style::Line);
  QAction* stacked = menu.addAction(tr("Stacked"));
  stacked->setCheckable(true);
  stacked->setChecked(style == ChartSpec::Style::StackedArea);
  menu.addSeparator();
  QAction* remove = menu.addAction(tr("Remove chart"));
  QAction* chosen = menu.exec(event->globalPos());
  // The controller's layoutChanged may rebuild the grid (and delete this widget), so
  // nothing here touches `this` after the call.
  const int index = index_;
  DashboardController* controller = controller_;
  if (chosen == line)
    controller->setChartStyle(index, ChartSpec::Style::Line);
  else if (chosen == stacked)
    controller->setChartStyle(index, ChartSpec::Style::StackedArea);
  else if (chosen == remove)
    emit removeRequested(index);
}

}  // namespace sextant::gui
