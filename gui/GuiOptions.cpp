#include "gui/GuiOptions.h"

#include <cmath>

#ifndef SEXTANT_VERSION
#define SEXTANT_VERSION "0.1.0"
#endif

namespace sextant::gui {

namespace {

const QString kUsage = QStringLiteral(
    "Usage: sextant-gui [--host HOST:PORT | --archive FILE] [--dashboard FILE] [--interval SECONDS]\n"
    "\n"
    "Charts of a live sextantd (its REST API) or of a recorded archive.\n"
    "\n"
    "Options:\n"
    "  --host HOST:PORT      the sextantd to watch (REST port); default: the last host used,\n"
    "                        else 127.0.0.1:44322\n"
    "  --archive FILE        replay this archive instead of a live host\n"
    "  --dashboard FILE      the dashboard to show (JSON); default: the last one used, else\n"
    "                        the default dashboard (CPU, load, memory, disk, network)\n"
    "  --interval SECONDS    time between live samples (default 1; fractions allowed)\n"
    "  -h, --help            show this help and exit\n"
    "  --version             show the version and exit\n"
    "\n"
    "Qt's own options (-platform NAME, -style NAME, ...) are accepted too.\n");

QString fail(const QString& message) { return QStringLiteral("sextant-gui: ") + message; }

}  // namespace

std::optional<GuiOptions> parseGuiOptions(const QStringList& arguments, QString* error, QString* helpText) {
  error->clear();
  helpText->clear();
  GuiOptions options;
  for (qsizetype i = 1; i < arguments.size(); ++i) {
    QString arg = arguments[i];
    QString value;
    bool hasValue = false;
    // "--name=value" as well as "--name value".
    if (arg.startsWith(QLatin1String("--")) && arg.contains(QLatin1Char('='))) {
      const qsizetype eq = arg.indexOf(QLatin1Char('='));
      value = arg.mid(eq + 1);
      arg = arg.left(eq);
      hasValue = true;
    }
    if (arg == QLatin1String("-h") || arg == QLatin1String("--help")) {
      *helpText = kUsage;
      return std::nullopt;
    }
    if (arg == QLatin1String("--version")) {
      *helpText = QStringLiteral("sextant-gui " SEXTANT_VERSION "\n");
      return std::nullopt;
    }
    const bool takesValue = arg == QLatin1String("--host") || arg == QLatin1String("--archive") ||
                            arg == QLatin1String("--dashboard") || arg == QLatin1String("--interval");
    if (!takesValue) {
      *error = arg.startsWith(QLatin1Char('-')) ? fail(QStringLiteral("unknown option: %1 (see --help)").arg(arg))
                                                : fail(QStringLiteral("unexpected argument: %1 (see --help)").arg(arg));
      return std::nullopt;
    }
    if (!hasValue) {
      if (i + 1 >= arguments.size()) {
        *error = fail(QStringLiteral("%1: needs a value").arg(arg));
        return std::nullopt;
      }
      value = arguments[++i];
    }
    if (value.trimmed().isEmpty()) {
      *error = fail(QStringLiteral("%1: needs a value").arg(arg));
      return std::nullopt;
    }
    if (arg == QLatin1String("--host")) {
      options.host = value;
    } else if (arg == QLatin1String("--archive")) {
      options.archive = value;
    } else if (arg == QLatin1String("--dashboard")) {
      options.dashboard = value;
    } else {
      bool ok = false;
      const double seconds = value.toDouble(&ok);
      if (!ok || !std::isfinite(seconds) || seconds <= 0) {
        *error = fail(QStringLiteral("--interval: not a positive number: %1").arg(value));
        return std::nullopt;
      }
      // Below a millisecond the timer cannot follow, and a day between samples is
      // certainly a typo.
      if (seconds < 0.001 || seconds > 86400) {
        *error = fail(QStringLiteral("--interval: out of range (0.001 to 86400 seconds): %1").arg(value));
        return std::nullopt;
      }
      options.intervalMsec = static_cast<int>(std::lround(seconds * 1000));
    }
  }
  if (!options.host.isEmpty() && !options.archive.isEmpty()) {
    *error = fail(QStringLiteral("--host and --archive cannot be used together"));
    return std::nullopt;
  }
  return options;
}

QStringList withoutQtOptions(const QStringList& arguments) {
  // QGuiApplication's and QApplication's options that take a value (Qt 6 documentation
  // of QGuiApplication and QApplication).
  static const QStringList kWithValue = {
      QStringLiteral("-platform"),    QStringLiteral("-platformpluginpath"), QStringLiteral("-platformtheme"),
      QStringLiteral("-plugin"),      QStringLiteral("-qwindowgeometry"),    QStringLiteral("-qwindowicon"),
      QStringLiteral("-qwindowtitle"), QStringLiteral("-style"),             QStringLiteral("-stylesheet"),
      QStringLiteral("-session"),     QStringLiteral("-display"),            QStringLiteral("-geometry"),
      QStringLiteral("-name"),        QStringLiteral("-title"),              QStringLiteral("-fontengine")};
  QStringList out;
  for (qsizetype i = 0; i < arguments.size(); ++i) {
    const QString& arg = arguments[i];
    const bool qtOption = i > 0 && arg.size() > 1 && arg.startsWith(QLatin1Char('-')) &&
                          !arg.startsWith(QLatin1String("--")) && arg != QLatin1String("-h");
    if (!qtOption) {
      out << arg;
      continue;
    }
    if (kWithValue.contains(arg) && !arg.contains(QLatin1Char('='))) ++i;
  }
  return out;
}

}  // namespace sextant::gui
