#pragma once
// The charts in a scrollable grid, `columns` to a row, rebuilt when the dashboard's
// layout changes and refreshed on every update.
#include <QScrollArea>
#include <QVector>

#include "gui/DashboardController.h"

namespace sextant::gui {

class ChartWidget;

class ChartGrid final : public QScrollArea {
  Q_OBJECT
 public:
  explicit ChartGrid(DashboardController* controller, QWidget* parent = nullptr);
  const QVector<ChartWidget*>& chartWidgets() const { return widgets_; }

 private:
  void rebuild();
  void refresh();
  DashboardController* controller_;
  QWidget* canvas_;
  QVector<ChartWidget*> widgets_;
};

}  // namespace sextant::gui
