#include "gui/MetricBrowser.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeView>
#include <QVBoxLayout>
#include <algorithm>

namespace sextant::gui {

MetricBrowser::MetricBrowser(DashboardController* controller, QWidget* parent)
    : QWidget(parent),
      controller_(controller),
      model_(new MetricTreeModel(this)),
      filter_(new MetricFilterModel(this)),
      search_(new QLineEdit(this)),
      tree_(new QTreeView(this)),
      details_(new QTextBrowser(this)),
      instances_(new QComboBox(this)),
      add_(new QPushButton(tr("Add to chart"), this)) {
  filter_->setSourceModel(model_);
  search_->setPlaceholderText(tr("Search metrics"));
  search_->setClearButtonEnabled(true);
  tree_->setModel(filter_);
  tree_->setHeaderHidden(true);
  tree_->setUniformRowHeights(true);  // thousands of rows: no per-row size queries
  tree_->setDragEnabled(true);
  tree_->setDragDropMode(QAbstractItemView::DragOnly);
  tree_->setSelectionMode(QAbstractItemView::SingleSelection);
  details_->setOpenLinks(false);
  instances_->addItem(tr("All instances"));
  instances_->setEnabled(false);
  add_->setEnabled(false);

  auto* pick = new QHBoxLayout;
  pick->setContentsMargins(0, 0, 0, 0);
  pick->addWidget(instances_, 1);
  pick->addWidget(add_);
  auto* lower = new QWidget(this);
  auto* lowerLayout = new QVBoxLayout(lower);
  lowerLayout->setContentsMargins(0, 0, 0, 0);
  lowerLayout->addLayout(pick);
  lowerLayout->addWidget(details_, 1);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(tree_);
  split->addWidget(lower);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(search_);
  layout->addWidget(split, 1);

  connect(search_, &QLineEdit::textChanged, this, [this](const QString& text) {
    filter_->setSearchText(text.trimmed());
    // Matches may be deep in the tree: show them all while searching.
    if (text.trimmed().isEmpty())
      tree_->collapseAll();
    else
      tree_->expandAll();
  });
  connect(tree_->selectionModel(), &QItemSelectionModel::currentChanged, this, &MetricBrowser::showDetails);
  connect(tree_, &QTreeView::doubleClicked, this, [this](const QModelIndex& index) {
    if (index.data(MetricTreeModel::IsLeafRole).toBool()) addSelection();
  });
  connect(add_, &QPushButton::clicked, this, [this] { addSelection(); });
}

void MetricBrowser::setSource(MetricSource* source) {
  if (source_) disconnect(source_, nullptr, this, nullptr);
  source_ = source;
  model_->setMetrics({});
  showDetails();
  if (!source_) return;
  connect(source_, &MetricSource::metadataReady, this, [this](const QVector<MetricMeta>& metrics) {
    const QString current = selection().metric;
    model_->setMetrics(metrics);
    if (!search_->text().trimmed().isEmpty()) tree_->expandAll();
    if (!current.isEmpty()) select(current);
  });
  connect(source_, &MetricSource::instancesReady, this, &MetricBrowser::showInstances);
}

bool MetricBrowser::select(const QString& metric) {
  QModelIndex index = filter_->mapFromSource(model_->indexOf(metric));
  if (!index.isValid() && model_->indexOf(metric).isValid()) {
    // Hidden by the search: clear it so that the metric can be shown.
    search_->clear();
    index = filter_->mapFromSource(model_->indexOf(metric));
  }
  if (!index.isValid()) return false;
  for (QModelIndex up = index.parent(); up.isValid(); up = up.parent()) tree_->expand(up);
  tree_->setCurrentIndex(index);
  tree_->scrollTo(index);
  return true;
}

SeriesSpec MetricBrowser::selection() const {
  SeriesSpec spec;
  const MetricMeta* meta = model_->metricAt(filter_->mapToSource(tree_->currentIndex()));
  if (!meta) return spec;
  spec.metric = meta->name;
  if (instances_->isEnabled() && instances_->currentIndex() > 0) spec.instance = instances_->currentText();
  return spec;
}

void MetricBrowser::addSelection(bool newChart) {
  const SeriesSpec spec = selection();
  if (spec.metric.isEmpty()) return;
  const int count = static_cast<int>(controller_->charts().size());
  const int chart = newChart || count == 0 ? count : count - 1;
  controller_->addSeries(chart, spec);
}

void MetricBrowser::showDetails() {
  instances_->clear();
  instances_->addItem(tr("All instances"));
  instances_->setEnabled(false);
  const MetricMeta* meta = model_->metricAt(filter_->mapToSource(tree_->currentIndex()));
  add_->setEnabled(meta != nullptr);
  if (!meta) {
    const QString branch = tree_->currentIndex().data(MetricTreeModel::MetricNameRole).toString();
    details_->setHtml(branch.isEmpty() ? QString() : QStringLiteral("<b>%1</b>").arg(branch.toHtmlEscaped()));
    return;
  }
  auto row = [](const QString& name, const QString& value) {
    return QStringLiteral("<tr><td><i>%1</i></td><td>%2</td></tr>").arg(name, value.toHtmlEscaped());
  };
  QString html = QStringLiteral("<h3>%1</h3><p>%2</p><table>").arg(meta->name.toHtmlEscaped(), meta->oneLine.toHtmlEscaped());
  html += row(tr("PMID"), meta->pmid);
  html += row(tr("Type"), meta->type);
  html += row(tr("Semantics"), meta->semantics);
  html += row(tr("Units"), meta->units.isEmpty() ? QStringLiteral("none") : meta->units);
  html += row(tr("Instance domain"), meta->hasInstances() ? meta->indom : tr("none (one value)"));
  html += QStringLiteral("</table>");
  if (!meta->help.isEmpty())
    html += QStringLiteral("<p>%1</p>").arg(meta->help.toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>")));
  details_->setHtml(html);
  if (meta->hasInstances() && source_) source_->requestInstances(meta->name);
}

void MetricBrowser::showInstances(const QString& metric, const QVector<InstanceMeta>& instances) {
  if (metric != selection().metric) return;  // an answer for an earlier selection
  instances_->clear();
  instances_->addItem(tr("All instances"));
  QStringList names;
  for (const InstanceMeta& i : instances) names << i.name;
  names.sort();
  instances_->addItems(names);
  instances_->setEnabled(!names.isEmpty());
}

}  // namespace sextant::gui
