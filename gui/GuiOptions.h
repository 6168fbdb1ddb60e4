#pragma once
// sextant-gui's command line: [--host HOST:PORT] [--archive FILE] [--dashboard FILE]
// [--interval SECONDS], plus --help and --version; Qt's own options (-platform ...) pass
// through to QApplication.
#include <QString>
#include <QStringList>
#include <optional>

namespace sextant::gui {

struct GuiOptions {
  QString host;       // empty: the last host used, else 127.0.0.1:44322
  QString archive;    // replay this file instead of a live host
  QString dashboard;  // empty: the last dashboard used, else the default one
  int intervalMsec = 1000;
};

// `arguments` as QCoreApplication::arguments() gives them: the program name first.
// nullopt with a one-line error in `error` (for stderr and exit status 2); `helpText`
// gets the --help text when --help was asked (then the result is nullopt, error empty), or the version line for --version.
std::optional<GuiOptions> parseGuiOptions(const QStringList& arguments, QString* error, QString* helpText);

// `arguments` without Qt's own options (-platform NAME, -style NAME, -reverse...), so
// that --help, --version and bad options are answered before QApplication starts, which
// needs a display: a single-dash option other than -h is Qt's, with the value that
// follows it for the Qt options known to take one.
QStringList withoutQtOptions(const QStringList& arguments);

}  // namespace sextant::gui
