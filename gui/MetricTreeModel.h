#pragma once
// The metric name space as a tree (kernel > all > cpu > user), for the metric browser:
// leaves are metrics and carry their metadata; a filter model keeps the branches whose
// names contain the search text (search as you type).
#include <QAbstractItemModel>
#include <QSortFilterProxyModel>
#include <QVector>
#include <memory>

#include "gui/MetricSource.h"

namespace sextant::gui {

class MetricTreeModel final : public QAbstractItemModel {
  Q_OBJECT
 public:
  enum Role { MetricNameRole = Qt::UserRole + 1, IsLeafRole };

  explicit MetricTreeModel(QObject* parent = nullptr);
  ~MetricTreeModel() override;

  // Replaces the tree with these metrics (names split at the dots, children sorted).
  void setMetrics(const QVector<MetricMeta>& metrics);
  // The metadata of a leaf's metric, or nullptr for an inner node or an invalid index.
  const MetricMeta* metricAt(const QModelIndex& index) const;
  // The index of a full metric name or inner node ("kernel.all"), or invalid.
  QModelIndex indexOf(const QString& name) const;
  int metricCount() const;

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  Qt::ItemFlags flags(const QModelIndex& index) const override;
  // Drag a leaf onto a chart: the metric's name as text/plain and as
  // "application/x-sextant-metric".
  QStringList mimeTypes() const override;
  QMimeData* mimeData(const QModelIndexList& indexes) const override;

 private:
  struct Node;
  std::unique_ptr<Node> root_;
  int metricCount_ = 0;
};

// Keeps a row when its full name contains the filter text (case-insensitive), and the
// ancestors of such rows; an inner node that matches keeps its whole subtree.
class MetricFilterModel final : public QSortFilterProxyModel {
  Q_OBJECT
 public:
  explicit MetricFilterModel(QObject* parent = nullptr);
  void setSearchText(const QString& text);

 protected:
  bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

 private:
  QString text_;
};

}  // namespace sextant::gui
