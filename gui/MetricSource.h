#pragma once
// Where the dashboard's numbers come from: a live sextantd (RestSource, pmproxy's REST
// API through Qt Network) or a recorded archive (ArchiveSource, the archive Context on
// a worker thread). Every call returns at once and answers later with a signal, so the
// UI thread never waits on a socket or a disk.
#include <QHash>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>

namespace sextant::gui {

// A metric's descriptor and help, as /pmapi/metric gives them (PCP's words: type "u64",
// semantics "counter", units "Kbyte", "millisec", "byte / sec", "none").
struct MetricMeta {
  QString name;
  QString pmid;
  QString indom;  // empty for a metric without instances
  QString type;
  QString semantics;
  QString units;
  QString oneLine;
  QString help;
  bool isCounter() const { return semantics == QLatin1String("counter"); }
  bool isNumeric() const { return type != QLatin1String("string") && type != QLatin1String("aggregate"); }
  bool hasInstances() const { return !indom.isEmpty(); }
};

struct InstanceMeta {
  int id = -1;
  QString name;
};

// PCP's null instance (PM_IN_NULL): the one value of a metric without instances.
constexpr int kNoInstance = -1;

// One fetch: for each metric that answered, its numeric values by instance id. A metric
// asked for but absent here had no values (it went away, or the host cannot give it).
struct Sample {
  qint64 msec = 0;  // the host's timestamp, milliseconds since the epoch
  QHash<QString, QHash<int, double>> values;
};

class MetricSource : public QObject {
  Q_OBJECT
 public:
  enum class State { Connecting, Connected, Disconnected };
  Q_ENUM(State)

  using QObject::QObject;
  ~MetricSource() override = default;

  // "127.0.0.1:44322", or the archive's file name: for the title bar and status bar.
  virtual QString description() const = 0;
  virtual bool isArchive() const = 0;
  // Connects (live) or opens (archive); stateChanged() tells how it went.
  virtual void open() = 0;
  // Every metric's metadata: metadataReady().
  virtual void requestMetadata() = 0;
  // The instances of one metric's instance domain: instancesReady().
  virtual void requestInstances(const QString& metric) = 0;
  // Live: the current values of `names` (sampleReady(), or fetchFailed()). An archive
  // answers for its current position and then moves one step (ArchiveSource).
  virtual void fetch(const QStringList& names) = 0;

 signals:
  // Connected after open() worked or a lost connection came back; Disconnected with a
  // one-line reason when it failed or was lost (a live source retries on its own, with
  // back-off, and says when: "... (retrying in 4 s)").
  void stateChanged(sextant::gui::MetricSource::State state, const QString& message);
  void metadataReady(const QVector<sextant::gui::MetricMeta>& metrics);
  void instancesReady(const QString& metric, const QVector<sextant::gui::InstanceMeta>& instances);
  void sampleReady(const sextant::gui::Sample& sample);
  void fetchFailed(const QString& message);
};

}  // namespace sextant::gui

Q_DECLARE_METATYPE(sextant::gui::Sample)
Q_DECLARE_METATYPE(sextant::gui::MetricMeta)

namespace sextant::gui {

// Makes the sources' signal arguments known to Qt's meta-type system, so that they can
// cross threads (queued connections) and be kept by QSignalSpy. Both sources call it.
inline void registerSourceMetaTypes() {
  qRegisterMetaType<Sample>();
  qRegisterMetaType<MetricMeta>();
  qRegisterMetaType<InstanceMeta>();
  qRegisterMetaType<QVector<Sample>>();
  qRegisterMetaType<QVector<MetricMeta>>();
  qRegisterMetaType<QVector<InstanceMeta>>();
  qRegisterMetaType<MetricSource::State>();
}

}  // namespace sextant::gui
