#pragma once
// A recorded archive (docs/archive-format.md) as a MetricSource: the archive Context
// runs on a worker thread, so that reading a day of samples never stalls the UI.
//
// Besides fetch() (one sample at the current position, then a step), an archive
// answers for a whole stretch of time at once: fetchRange(), which the dashboard uses
// to fill its window when the time slider moves and to play forward.
#include <QVector>

#include "gui/MetricSource.h"

namespace sextant::gui {

class ArchiveSource final : public MetricSource {
  Q_OBJECT
 public:
  explicit ArchiveSource(const QString& path, QObject* parent = nullptr);
  ~ArchiveSource() override;

  QString description() const override;
  bool isArchive() const override { return true; }
  // Opens the file; Connected, or Disconnected with the one-line reason (not an
  // archive, damaged, missing). Then boundsReady().
  void open() override;
  void requestMetadata() override;
  void requestInstances(const QString& metric) override;
  void fetch(const QStringList& names) override;

  // The samples at fromMsec, fromMsec + stepMsec, ... up to and including toMsec, as
  // PCP interpolates them (ArchiveContext): rangeReady(), with `tag` handed back so a
  // caller can drop answers it no longer wants. Times outside the recording are left
  // out; a range wholly outside it answers an empty list.
  void fetchRange(const QStringList& names, qint64 fromMsec, qint64 toMsec, qint64 stepMsec, int tag);

 signals:
  // The recording's first and last sample and its interval, once open.
  void boundsReady(qint64 startMsec, qint64 endMsec, qint64 intervalMsec);
  void rangeReady(const QVector<sextant::gui::Sample>& samples, int tag);

 private:
  struct Impl;
  Impl* d_;
};

}  // namespace sextant::gui
