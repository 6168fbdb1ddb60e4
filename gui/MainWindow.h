#pragma once
// sextant-gui's window: a toolbar (connect to a host with its recent hosts, open an
// archive, open and save dashboards, the time window, pause/resume; for an archive a
// time slider with play and fast-forward), the metric browser dock, the chart grid, and
// a status bar that says what the source is doing.
#include <QMainWindow>
#include <memory>

#include "gui/DashboardController.h"

class QComboBox;
class QLabel;
class QSlider;
class QAction;
class QToolBar;

namespace sextant::gui {

class ChartGrid;
class MetricBrowser;

class MainWindow final : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Live from a sextantd at "HOST:PORT" (remembered among the recent hosts).
  void connectToHost(const QString& hostPort);
  // Replay of an archive file.
  void openArchive(const QString& path);
  // A dashboard file; false with a status-bar message when it cannot be read. The last
  // dashboard opened or saved is remembered and reopens at the next start.
  bool openDashboard(const QString& path);
  bool saveDashboard(const QString& path);
  void useDefaultDashboard();

  DashboardController* controller() const { return controller_; }
  ChartGrid* grid() const { return grid_; }
  MetricBrowser* browser() const { return browser_; }
  // The hosts connected to before, newest first (QSettings "recentHosts", at most 10).
  static QStringList recentHosts();

 protected:
  void closeEvent(QCloseEvent* event) override;

 private:
  void buildToolbar();
  void setSource(std::unique_ptr<MetricSource> source);
  void updateArchiveControls();
  void showPosition(qint64 msec);
  void rememberDashboard(const QString& path);
  void syncWindowBox();
  DashboardController* controller_;
  std::unique_ptr<MetricSource> source_;
  ChartGrid* grid_;
  MetricBrowser* browser_;
  QComboBox* hostBox_ = nullptr;
  QComboBox* windowBox_ = nullptr;
  QAction* pauseAction_ = nullptr;
  QSlider* slider_ = nullptr;
  QAction* playAction_ = nullptr;
  QAction* fastAction_ = nullptr;
  QLabel* positionLabel_ = nullptr;
  QToolBar* archiveBar_ = nullptr;
  QAction* connectAction_ = nullptr;
  QLabel* stateLabel_ = nullptr;
  QString dashboardPath_;
};

}  // namespace sextant::gui
