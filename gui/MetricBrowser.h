#pragma once
// The metric browser (a dock beside the charts): a search field that filters as you
// type, the name space tree, the selected metric's descriptor and help text, and for a
// metric with instances a picker of them ("all instances" or one). Double-click, the
// "Add to chart" button or a drag onto a chart adds the selection.
#include <QWidget>

#include "gui/DashboardController.h"
#include "gui/MetricTreeModel.h"

class QComboBox;
class QLineEdit;
class QTextBrowser;
class QTreeView;
class QPushButton;

namespace sextant::gui {

class MetricBrowser final : public QWidget {
  Q_OBJECT
 public:
  explicit MetricBrowser(DashboardController* controller, QWidget* parent = nullptr);
  // Where the name space, the help and the instances come from (not owned); the tree
  // fills on the source's metadataReady. Set it before the controller asks for metadata.
  void setSource(MetricSource* source);

  MetricTreeModel* model() const { return model_; }
  QLineEdit* searchField() const { return search_; }
  QTreeView* tree() const { return tree_; }
  // Selects a metric by full name (expanding its branch); false if unknown.
  bool select(const QString& metric);
  // What "Add to chart" would add now; an empty metric if no leaf is selected.
  SeriesSpec selection() const;
  // Adds the selection to the last chart, or a new one when `newChart`.
  void addSelection(bool newChart = false);

 private:
  void showDetails();
  void showInstances(const QString& metric, const QVector<InstanceMeta>& instances);
  MetricSource* source_ = nullptr;
  DashboardController* controller_;
  MetricTreeModel* model_;
  MetricFilterModel* filter_;
  QLineEdit* search_;
  QTreeView* tree_;
  QTextBrowser* details_;
  QComboBox* instances_;
  QPushButton* add_;
};

}  // namespace sextant::gui
