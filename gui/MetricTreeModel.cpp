#include "gui/MetricTreeModel.h"

#include <QMimeData>
#include <algorithm>
#include <optional>
#include <vector>

namespace sextant::gui {

namespace {
const QString kMetricMime = QStringLiteral("application/x-sextant-metric");
}  // namespace

struct MetricTreeModel::Node {
  QString part;      // "user"
  QString fullName;  // "kernel.all.cpu.user"
  Node* parent = nullptr;
  int row = 0;
  std::vector<std::unique_ptr<Node>> children;
  std::optional<MetricMeta> meta;  // set on a metric's own node

  Node* child(const QString& name) {
    for (auto& c : children)
      if (c->part == name) return c.get();
    return nullptr;
  }
  bool isLeaf() const { return meta.has_value() && children.empty(); }
  void sortChildren() {
    std::sort(children.begin(), children.end(), [](const auto& a, const auto& b) { return a->part < b->part; });
    for (std::size_t i = 0; i < children.size(); ++i) {
      children[i]->row = static_cast<int>(i);
      children[i]->sortChildren();
    }
  }
};

MetricTreeModel::MetricTreeModel(QObject* parent) : QAbstractItemModel(parent), root_(std::make_unique<Node>()) {}

MetricTreeModel::~MetricTreeModel() = default;

void MetricTreeModel::setMetrics(const QVector<MetricMeta>& metrics) {
  beginResetModel();
  root_ = std::make_unique<Node>();
  metricCount_ = 0;
  for (const MetricMeta& m : metrics) {
    Node* node = root_.get();
    for (const QString& part : m.name.split(QLatin1Char('.'), Qt::SkipEmptyParts)) {
      Node* next = node->child(part);
      if (!next) {
        auto created = std::make_unique<Node>();
        created->part = part;
        created->fullName = node == root_.get() ? part : node->fullName + QLatin1Char('.') + part;
        created->parent = node;
        next = created.get();
        node->children.push_back(std::move(created));
      }
      node = next;
    }
    if (node != root_.get() && !node->meta) ++metricCount_;
    if (node != root_.get()) node->meta = m;
  }
  root_->sortChildren();
  endResetModel();
}

const MetricMeta* MetricTreeModel::metricAt(const QModelIndex& index) const {
  if (!index.isValid()) return nullptr;
  const auto* node = static_cast<const Node*>(index.internalPointer());
  return node->isLeaf() ? &*node->meta : nullptr;
}

QModelIndex MetricTreeModel::indexOf(const QString& name) const {
  const Node* node = root_.get();
  for (const QString& part : name.split(QLatin1Char('.'), Qt::SkipEmptyParts)) {
    node = const_cast<Node*>(node)->child(part);
    if (!node) return {};
  }
  if (node == root_.get()) return {};
  return createIndex(node->row, 0, const_cast<Node*>(node));
}

int MetricTreeModel::metricCount() const { return metricCount_; }

QModelIndex MetricTreeModel::index(int row, int column, const QModelIndex& parent) const {
  if (column != 0 || row < 0) return {};
  const Node* node = parent.isValid() ? static_cast<const Node*>(parent.internalPointer()) : root_.get();
  if (static_cast<std::size_t>(row) >= node->children.size()) return {};
  return createIndex(row, 0, node->children[static_cast<std::size_t>(row)].get());
}

QModelIndex MetricTreeModel::parent(const QModelIndex& child) const {
  if (!child.isValid()) return {};
  const Node* parentNode = static_cast<const Node*>(child.internalPointer())->parent;
  if (!parentNode || parentNode == root_.get()) return {};
  return createIndex(parentNode->row, 0, const_cast<Node*>(parentNode));
}

int MetricTreeModel::rowCount(const QModelIndex& parent) const {
  if (parent.column() > 0) return 0;
  const Node* node = parent.isValid() ? static_cast<const Node*>(parent.internalPointer()) : root_.get();
  return static_cast<int>(node->children.size());
}

int MetricTreeModel::columnCount(const QModelIndex&) const { return 1; }

QVariant MetricTreeModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const auto* node = static_cast<const Node*>(index.internalPointer());
  switch (role) {
    case Qt::DisplayRole:
      return node->part;
    case Qt::ToolTipRole:
      if (node->isLeaf() && !node->meta->oneLine.isEmpty()) return node->fullName + QStringLiteral(": ") + node->meta->oneLine;
      return node->fullName;
    case MetricNameRole:
      return node->fullName;
    case IsLeafRole:
      return node->isLeaf();
    default:
      return {};
  }
}

Qt::ItemFlags MetricTreeModel::flags(const QModelIndex& index) const {
  if (!index.isValid()) return Qt::NoItemFlags;
  Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
  if (static_cast<const Node*>(index.internalPointer())->isLeaf()) f |= Qt::ItemIsDragEnabled;
  return f;
}

QStringList MetricTreeModel::mimeTypes() const { return {kMetricMime, QStringLiteral("text/plain")}; }

QMimeData* MetricTreeModel::mimeData(const QModelIndexList& indexes) const {
  QStringList names;
  for (const QModelIndex& index : indexes) {
    if (const MetricMeta* m = metricAt(index); m && !names.contains(m->name)) names.push_back(m->name);
  }
  if (names.isEmpty()) return nullptr;
  auto* mime = new QMimeData;  // the drag takes ownership (Qt's contract for mimeData())
  const QString text = names.join(QLatin1Char('\n'));
  mime->setData(kMetricMime, text.toUtf8());
  mime->setText(text);
  return mime;
}

MetricFilterModel::MetricFilterModel(QObject* parent) : QSortFilterProxyModel(parent) {
  // Keeps the ancestors of every matching row so the tree still leads to it.
  setRecursiveFilteringEnabled(true);
}

void MetricFilterModel::setSearchText(const QString& text) {
  text_ = text.trimmed();
  invalidateFilter();
}

bool MetricFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
  if (text_.isEmpty()) return true;
  const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
  // The full name starts with every ancestor's full name, so a matching inner node
  // keeps its whole subtree through this one test.
  return index.data(MetricTreeModel::MetricNameRole).toString().contains(text_, Qt::CaseInsensitive);
}

}  // namespace sextant::gui
