#pragma once
// One chart of the grid (Qt Charts): the lines of a ChartState as line series or as
// stacked areas, a time axis over the window, a value axis with the chart's unit and a
// nice ceiling, a legend (with an ended line's note), and a tooltip with the time and
// every line's value where the mouse is. Metrics dropped on it are added to it.
#include <QChartView>

#include "gui/DashboardController.h"

namespace sextant::gui {

class ChartWidget final : public QChartView {
  Q_OBJECT
 public:
  ChartWidget(DashboardController* controller, int chartIndex, QWidget* parent = nullptr);
  ~ChartWidget() override;

  int chartIndex() const { return index_; }
  // Redraws from the controller's ChartState (called on its updated()).
  void refresh();

 signals:
  void removeRequested(int chartIndex);

 protected:
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dragMoveEvent(QDragMoveEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void mouseMoveEvent(QMouseEvent* event) override;
  void leaveEvent(QEvent* event) override;
  void contextMenuEvent(QContextMenuEvent* event) override;

 private:
  struct Impl;
  Impl* d_;
  DashboardController* controller_;
  int index_;
};

}  // namespace sextant::gui
