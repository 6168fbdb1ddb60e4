// sextant-gui: see GuiOptions.h for the command line.
#include <QApplication>
#include <QFile>
#include <QTextStream>

#include "gui/Dashboard.h"
#include "gui/GuiOptions.h"
#include "gui/MainWindow.h"

namespace {
constexpr int kExitUsage = 2;
const QString kDefaultHost = QStringLiteral("127.0.0.1:44322");
}  // namespace

int main(int argc, char** argv) {
  // --help, --version and bad options need no display: answered before QApplication.
  {
    QStringList raw;
    for (int i = 0; i < argc; ++i) raw << QString::fromLocal8Bit(argv[i]);
    QString error;
    QString helpText;
    const auto early = sextant::gui::parseGuiOptions(sextant::gui::withoutQtOptions(raw), &error, &helpText);
    if (!early) {
      if (!error.isEmpty()) {
        QTextStream(stderr) << error << '\n';
        return kExitUsage;
      }
      QTextStream(stdout) << helpText;
      return 0;
    }
    // Files named on the command line are checked before a window opens: a typo is a
    // one-line error, not a window showing something else.
    if (!early->dashboard.isEmpty() && !sextant::gui::Dashboard::load(early->dashboard, &error)) {
      QTextStream(stderr) << "sextant-gui: " << error << '\n';
      return kExitUsage;
    }
    if (!early->archive.isEmpty()) {
      QFile archive(early->archive);
      if (!archive.open(QIODevice::ReadOnly)) {
        QTextStream(stderr) << "sextant-gui: cannot read archive " << early->archive << ": " << archive.errorString()
                            << '\n';
        return kExitUsage;
      }
    }
  }
  // QApplication takes its own options (-platform, -style...) out of argv.
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("sextant-gui"));
  QApplication::setOrganizationName(QStringLiteral("Sextant"));

  QString error;
  QString helpText;
  const auto options = sextant::gui::parseGuiOptions(QApplication::arguments(), &error, &helpText);
  if (!options) {
    if (!error.isEmpty()) {
      QTextStream(stderr) << error << '\n';
      return kExitUsage;
    }
    QTextStream(stdout) << helpText;
    return 0;
  }

  sextant::gui::MainWindow window;
  window.controller()->setIntervalMsec(options->intervalMsec);
  if (!options->dashboard.isEmpty()) window.openDashboard(options->dashboard);
  if (!options->archive.isEmpty()) {
    window.openArchive(options->archive);
  } else {
    QString host = options->host;
    if (host.isEmpty()) {
      const QStringList recent = sextant::gui::MainWindow::recentHosts();
      host = recent.isEmpty() ? kDefaultHost : recent.front();
    }
    window.connectToHost(host);
  }
  window.show();
  return QApplication::exec();
}
