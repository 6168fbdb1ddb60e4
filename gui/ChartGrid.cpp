#include "gui/ChartGrid.h"

#include <QGridLayout>
#include <QScrollBar>
#include <algorithm>

#include "gui/ChartWidget.h"

namespace sextant::gui {

namespace {
// Tall enough for a title, a legend of a few lines and a readable plot.
constexpr int kMinChartHeight = 260;
constexpr int kMinChartWidth = 320;
}  // namespace

ChartGrid::ChartGrid(DashboardController* controller, QWidget* parent)
    : QScrollArea(parent), controller_(controller), canvas_(new QWidget) {
  setWidgetResizable(true);
  setFrameShape(QFrame::NoFrame);
  new QGridLayout(canvas_);
  setWidget(canvas_);
  connect(controller_, &DashboardController::layoutChanged, this, &ChartGrid::rebuild);
  connect(controller_, &DashboardController::updated, this, &ChartGrid::refresh);
  // Charts scrolled out of sight skip their redraws; they catch up when they come back.
  connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &ChartGrid::refresh);
  rebuild();
}

void ChartGrid::rebuild() {
  auto* grid = static_cast<QGridLayout*>(canvas_->layout());
  for (ChartWidget* w : widgets_) {
    grid->removeWidget(w);
    w->hide();
    // Later: the rebuild may come from inside one of these widgets' own event handler
    // (its context menu's "Remove chart").
    w->deleteLater();
  }
  widgets_.clear();
  const int columns = std::max(1, controller_->dashboard().columns);
  for (int i = 0; i < controller_->charts().size(); ++i) {
    auto* w = new ChartWidget(controller_, i, canvas_);
    w->setMinimumSize(kMinChartWidth, kMinChartHeight);
    connect(w, &ChartWidget::removeRequested, controller_, &DashboardController::removeChart,
            Qt::QueuedConnection);
    grid->addWidget(w, i / columns, i % columns);
    widgets_.append(w);
  }
  // Rows share the height; the last one does not stretch to fill an empty area.
  const int rows = (static_cast<int>(widgets_.size()) + columns - 1) / columns;
  for (int r = 0; r < grid->rowCount(); ++r) grid->setRowStretch(r, r < rows ? 1 : 0);
  for (int c = 0; c < grid->columnCount(); ++c) grid->setColumnStretch(c, c < columns ? 1 : 0);
}

void ChartGrid::refresh() {
  // A dashboard replaced without a layoutChanged still gets the right widgets.
  if (widgets_.size() != controller_->charts().size()) {
    rebuild();
    return;
  }
  const QRect shown = viewport()->rect();
  for (ChartWidget* w : widgets_)
    if (shown.intersects(QRect(w->mapTo(viewport(), QPoint(0, 0)), w->size()))) w->refresh();
}

}  // namespace sextant::gui
