#pragma once
// A live sextantd (or pmproxy) through its REST API (../shared/spec/pmwebapi.md), with
// Qt Network: asynchronous, on the UI thread's event loop, never blocking it.
//
// One web context is made with /pmapi/context (polltimeout 60 s) and reused; a reply
// "unknown context" or "expired context" makes a new one and repeats the request once.
// When the server cannot be reached the source reports Disconnected and tries again
// after 1, 2, 4, 8, 16 and then every 30 s, until it answers (then Connected).
#include <QNetworkAccessManager>
#include <QTimer>
#include <QUrl>

#include "gui/MetricSource.h"

namespace sextant::gui {

class RestSource final : public MetricSource {
  Q_OBJECT
 public:
  // `hostPort`: "HOST:PORT", "HOST" (port 44322) or "[::1]:PORT".
  explicit RestSource(const QString& hostPort, QObject* parent = nullptr);
  ~RestSource() override;

  QString description() const override;
  bool isArchive() const override { return false; }
  void open() override;
  void requestMetadata() override;
  void requestInstances(const QString& metric) override;
  void fetch(const QStringList& names) override;

  // The wait before the next reconnection attempt after `failures` failed ones in a
  // row: 1, 2, 4, 8, 16, then 30 seconds.
  static int retryDelaySeconds(int failures);
  // How long a request may take before it counts as failed (default 5000 ms).
  void setRequestTimeout(int msec);

 private:
  struct Impl;
  Impl* d_;
};

}  // namespace sextant::gui
