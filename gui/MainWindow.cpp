#include "gui/MainWindow.h"

#include <QAction>
#include <QCloseEvent>
#include <QComboBox>
#include <QDateTime>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalBlocker>
#include <QSlider>
#include <QStatusBar>
#include <QToolBar>

#include "gui/ArchiveSource.h"
#include "gui/ChartGrid.h"
#include "gui/MetricBrowser.h"
#include "gui/RestSource.h"

namespace sextant::gui {

namespace {

constexpr int kMaxRecentHosts = 10;
const int kWindowChoices[] = {1, 5, 15, 60};

QSettings settings() { return QSettings(QStringLiteral("Sextant"), QStringLiteral("sextant-gui")); }

const QString kDashboardFilter = QStringLiteral("Sextant dashboards (*.json);;All files (*)");

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), controller_(new DashboardController(this)) {
  setWindowTitle(QStringLiteral("Sextant"));
  grid_ = new ChartGrid(controller_, this);
  setCentralWidget(grid_);
  browser_ = new MetricBrowser(controller_, this);
  auto* dock = new QDockWidget(tr("Metrics"), this);
  dock->setObjectName(QStringLiteral("metrics"));
  dock->setWidget(browser_);
  dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
  addDockWidget(Qt::LeftDockWidgetArea, dock);
  resizeDocks({dock}, {300}, Qt::Horizontal);

  stateLabel_ = new QLabel(this);
  statusBar()->addPermanentWidget(stateLabel_);
  connect(controller_, &DashboardController::statusMessage, this,
          [this](const QString& message) { statusBar()->showMessage(message); });
  connect(controller_, &DashboardController::boundsChanged, this, [this] { updateArchiveControls(); });
  connect(controller_, &DashboardController::positionChanged, this, &MainWindow::showPosition);
  connect(controller_, &DashboardController::layoutChanged, this, &MainWindow::syncWindowBox);
  buildToolbar();

  // The dashboard of the last session, else the default one.
  const QString last = settings().value(QStringLiteral("lastDashboard")).toString();
  if (last.isEmpty() || !openDashboard(last)) useDefaultDashboard();
  updateArchiveControls();
  resize(1280, 860);
}

MainWindow::~MainWindow() {
  // The controller and the browser hold the source without owning it: let go first.
  controller_->setSource(nullptr);
  browser_->setSource(nullptr);
}

void MainWindow::buildToolbar() {
  QToolBar* bar = addToolBar(tr("Main"));
  bar->setObjectName(QStringLiteral("main"));
  bar->setMovable(false);
  bar->addWidget(new QLabel(tr("Host "), bar));
  hostBox_ = new QComboBox(bar);
  hostBox_->setEditable(true);
  hostBox_->setInsertPolicy(QComboBox::NoInsert);
  hostBox_->setMinimumContentsLength(18);
  hostBox_->addItems(recentHosts());
  bar->addWidget(hostBox_);
  connectAction_ = bar->addAction(tr("Connect"), this, [this] {
    const QString host = hostBox_->currentText().trimmed();
    if (!host.isEmpty()) connectToHost(host);
  });
  connect(hostBox_->lineEdit(), &QLineEdit::returnPressed, connectAction_, &QAction::trigger);
  bar->addAction(tr("Open archive..."), this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open archive"), {},
                                                      tr("Sextant archives (*.sxa *.db *.sqlite);;All files (*)"));
    if (!path.isEmpty()) openArchive(path);
  });
  bar->addSeparator();
  bar->addAction(tr("Open dashboard..."), this, [this] {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open dashboard"), dashboardPath_, kDashboardFilter);
    if (!path.isEmpty()) openDashboard(path);
  });
  bar->addAction(tr("Save dashboard..."), this, [this] {
    QString path = QFileDialog::getSaveFileName(this, tr("Save dashboard"), dashboardPath_, kDashboardFilter);
    if (path.isEmpty()) return;
    if (QFileInfo(path).suffix().isEmpty()) path += QStringLiteral(".json");
    saveDashboard(path);
  });
  bar->addAction(tr("Default dashboard"), this, &MainWindow::useDefaultDashboard);
  bar->addSeparator();
  bar->addWidget(new QLabel(tr("Window "), bar));
  windowBox_ = new QComboBox(bar);
  for (int minutes : kWindowChoices) windowBox_->addItem(tr("%n minute(s)", nullptr, minutes), minutes);
  bar->addWidget(windowBox_);
  connect(windowBox_, &QComboBox::activated, this,
          [this](int index) { controller_->setWindowMinutes(windowBox_->itemData(index).toInt()); });
  pauseAction_ = bar->addAction(tr("Pause"));
  pauseAction_->setCheckable(true);
  connect(pauseAction_, &QAction::toggled, this, [this](bool paused) {
    pauseAction_->setText(paused ? tr("Resume") : tr("Pause"));
    if (paused)
      controller_->pause();
    else
      controller_->resume();
  });

  // Replay of an archive: shown only while one is open.
  archiveBar_ = new QToolBar(tr("Replay"), this);
  archiveBar_->setObjectName(QStringLiteral("replay"));
  archiveBar_->setMovable(false);
  addToolBarBreak();
  addToolBar(archiveBar_);
  slider_ = new QSlider(Qt::Horizontal, archiveBar_);
  slider_->setMinimumWidth(400);
  archiveBar_->addWidget(slider_);
  // Slider steps are seconds from the recording's start: an int of milliseconds since
  // the epoch would overflow.
  connect(slider_, &QSlider::valueChanged, this, [this](int seconds) {
    controller_->seek(controller_->archiveStart() + qint64(seconds) * 1000);
  });
  playAction_ = archiveBar_->addAction(tr("Play"));
  playAction_->setCheckable(true);
  connect(playAction_, &QAction::toggled, this, [this](bool on) {
    playAction_->setText(on ? tr("Stop") : tr("Play"));
    controller_->play(on ? 1.0 : 0.0);
  });
  fastAction_ = archiveBar_->addAction(tr("Fast-forward x10"));
  connect(fastAction_, &QAction::triggered, this, [this] {
    // Each press goes a step faster: x10, then x60, then back to x10.
    const double speed = controller_->playSpeed() == 10 ? 60 : 10;
    controller_->play(speed);
    fastAction_->setText(speed == 10 ? tr("Fast-forward x60") : tr("Fast-forward x10"));
    const QSignalBlocker block(playAction_);
    playAction_->setChecked(true);
    playAction_->setText(tr("Stop"));
  });
  positionLabel_ = new QLabel(archiveBar_);
  positionLabel_->setMinimumWidth(160);
  archiveBar_->addWidget(positionLabel_);
}

QStringList MainWindow::recentHosts() {
  return settings().value(QStringLiteral("recentHosts")).toStringList();
}

void MainWindow::connectToHost(const QString& hostPort) {
  QStringList hosts = recentHosts();
  hosts.removeAll(hostPort);
  hosts.prepend(hostPort);
  while (hosts.size() > kMaxRecentHosts) hosts.removeLast();
  settings().setValue(QStringLiteral("recentHosts"), hosts);
  {
    const QSignalBlocker block(hostBox_);
    hostBox_->clear();
    hostBox_->addItems(hosts);
    hostBox_->setCurrentIndex(0);
  }
  setWindowTitle(QStringLiteral("Sextant - %1").arg(hostPort));
  setSource(std::make_unique<RestSource>(hostPort));
}

void MainWindow::openArchive(const QString& path) {
  setWindowTitle(QStringLiteral("Sextant - %1").arg(QFileInfo(path).fileName()));
  setSource(std::make_unique<ArchiveSource>(path));
}

void MainWindow::setSource(std::unique_ptr<MetricSource> source) {
  // The new source goes in before the old one is destroyed, so that nothing holds a
  // dangling pointer in between.
  std::unique_ptr<MetricSource> old = std::move(source_);
  source_ = std::move(source);
  MetricSource* s = source_.get();
  browser_->setSource(s);
  if (!s) controller_->setSource(nullptr);
  {
    const QSignalBlocker block(pauseAction_);
    pauseAction_->setChecked(false);
    pauseAction_->setText(tr("Pause"));
  }
  {
    const QSignalBlocker block(playAction_);
    playAction_->setChecked(false);
    playAction_->setText(tr("Play"));
  }
  if (!s) {
    old.reset();
    updateArchiveControls();
    return;
  }
  stateLabel_->setText(tr("%1: connecting").arg(s->description()));
  connect(s, &MetricSource::stateChanged, this, [this, s](MetricSource::State state, const QString& message) {
    switch (state) {
      case MetricSource::State::Connecting:
        stateLabel_->setText(tr("%1: connecting").arg(s->description()));
        break;
      case MetricSource::State::Connected:
        stateLabel_->setText(tr("%1: %2").arg(s->description(), s->isArchive() ? tr("open") : tr("connected")));
        break;
      case MetricSource::State::Disconnected:
        stateLabel_->setText(tr("%1: not connected").arg(s->description()));
        if (!message.isEmpty()) statusBar()->showMessage(message);
        break;
    }
  });
  // open() before the controller asks for metadata: a source answers requests in
  // order, and one asked before it is open has nothing to tell. Its answers are
  // queued signals, so the controller connected right after misses none of them.
  s->open();
  controller_->setSource(s);
  old.reset();  // only now that nothing points at it
  updateArchiveControls();
}

bool MainWindow::openDashboard(const QString& path) {
  QString error;
  std::optional<Dashboard> dashboard = Dashboard::load(path, &error);
  if (!dashboard) {
    statusBar()->showMessage(error);
    return false;
  }
  controller_->setDashboard(*dashboard);
  rememberDashboard(path);
  syncWindowBox();
  statusBar()->showMessage(tr("Dashboard %1").arg(QFileInfo(path).fileName()));
  return true;
}

bool MainWindow::saveDashboard(const QString& path) {
  QString error;
  if (!controller_->dashboard().save(path, &error)) {
    statusBar()->showMessage(error);
    return false;
  }
  rememberDashboard(path);
  statusBar()->showMessage(tr("Saved %1").arg(path));
  return true;
}

void MainWindow::useDefaultDashboard() {
  controller_->setDashboard(Dashboard::defaults());
  rememberDashboard({});
  syncWindowBox();
}

void MainWindow::rememberDashboard(const QString& path) {
  dashboardPath_ = path;
  if (path.isEmpty())
    settings().remove(QStringLiteral("lastDashboard"));
  else
    settings().setValue(QStringLiteral("lastDashboard"), QFileInfo(path).absoluteFilePath());
}

void MainWindow::syncWindowBox() {
  const int at = windowBox_->findData(controller_->dashboard().windowMinutes);
  if (at >= 0) windowBox_->setCurrentIndex(at);
}

void MainWindow::updateArchiveControls() {
  const bool archive = source_ && source_->isArchive();
  archiveBar_->setVisible(archive);
  pauseAction_->setVisible(!archive);
  if (!archive) return;
  const QSignalBlocker block(slider_);
  const qint64 span = std::max<qint64>(0, controller_->archiveEnd() - controller_->archiveStart());
  slider_->setRange(0, static_cast<int>(span / 1000));
  slider_->setPageStep(60);
  showPosition(controller_->position());
}

void MainWindow::showPosition(qint64 msec) {
  if (!source_ || !source_->isArchive()) return;
  {
    const QSignalBlocker block(slider_);
    slider_->setValue(static_cast<int>((msec - controller_->archiveStart()) / 1000));
  }
  positionLabel_->setText(msec > 0 ? QDateTime::fromMSecsSinceEpoch(msec).toString(QStringLiteral("yyyy-MM-dd hh:mm:ss"))
                                   : QString());
  // Replay stopped at the end of the recording: the Play button says so.
  if (controller_->playSpeed() == 0 && playAction_->isChecked()) {
    const QSignalBlocker block(playAction_);
    playAction_->setChecked(false);
    playAction_->setText(tr("Play"));
  }
}

void MainWindow::closeEvent(QCloseEvent* event) {
  controller_->pause();
  event->accept();
}

}  // namespace sextant::gui
