#include "gui/ArchiveSource.h"

#include <atomic>
#include <chrono>
#include <memory>

#include <QDateTime>
#include <QFileInfo>
#include <QThread>
#include <QTimeZone>

#include "tools/archive/ArchiveContext.h"

namespace sextant::gui {
namespace {

using archive::ArchiveContext;

qint64 toMsec(Timestamp t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

Timestamp fromMsec(qint64 msec) { return Timestamp(std::chrono::milliseconds(msec)); }

QString qs(const std::string& s) { return QString::fromStdString(s); }

// The numbers of one fetch; strings and metrics without values are left out.
Sample toSample(const FetchResult& r, const QStringList& names) {
  Sample s;
  s.msec = toMsec(r.timestamp);
  for (std::size_t i = 0; i < r.sets.size() && i < static_cast<std::size_t>(names.size()); ++i) {
    const ValueSet& set = r.sets[i];
    if (!set.ok()) continue;
    QHash<int, double> values;
    for (const InstanceValue& v : set.values) {
      if (auto d = toDouble(v.value)) values.insert(v.inst == kNullInstance ? kNoInstance : v.inst, *d);
    }
    if (!values.isEmpty()) s.values.insert(names[static_cast<qsizetype>(i)], values);
  }
  return s;
}

}  // namespace

// Owns the ArchiveContext and lives on the worker thread; every method runs there, and
// answers go back to the source's (UI) thread through post().
class ArchiveWorker : public QObject {
 public:
  ArchiveWorker(ArchiveSource* source, QString path) : source_(source), path_(std::move(path)) {}

  std::atomic<bool> stopping{false};

  void open() {
    auto opened = ArchiveContext::open(path_.toStdString());
    if (!opened) {
      const QString why = qs(opened.failure().message());
      post([why](ArchiveSource* s) { emit s->stateChanged(MetricSource::State::Disconnected, why); });
      return;
    }
    context_ = std::move(*opened);
    const qint64 start = toMsec(context_->start()), end = toMsec(context_->end());
    const qint64 interval = context_->recordedInterval().count();
    const QString host = qs(context_->hostName());
    const QTimeZone zone(QByteArray::fromStdString(context_->timezone()));
    auto text = [&zone](qint64 msec) {
      QDateTime t = QDateTime::fromMSecsSinceEpoch(msec, Qt::UTC);
      if (zone.isValid()) t = t.toTimeZone(zone);
      return t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    };
    const QString message = QStringLiteral("opened %1 (%2, %3 - %4)")
                                .arg(QFileInfo(path_).fileName(), host, text(start), text(end));
    post([=](ArchiveSource* s) {
      emit s->stateChanged(MetricSource::State::Connected, message);
      emit s->boundsReady(start, end, interval);
    });
    if (metadataWanted_) metadata();
  }

  void metadata() {
    // Asked before open(): answered once the file is open, not with an empty list that
    // would pass for an archive without metrics.
    if (!context_) {
      metadataWanted_ = true;
      return;
    }
    metadataWanted_ = false;
    QVector<MetricMeta> metrics;
    auto names = context_ ? context_->traverse("") : Expected<std::vector<std::string>>(Error::Generic);
    if (names) {
      const auto pmids = context_->lookup(*names);
      for (std::size_t i = 0; i < names->size(); ++i) {
        if (!pmids[i]) continue;
        auto desc = context_->descriptor(*pmids[i]);
        if (!desc) continue;
        MetricMeta m;
        m.name = qs((*names)[i]);
        m.pmid = qs(desc->pmid.toString());
        if (!desc->indom.isNull()) m.indom = qs(desc->indom.toString());
        m.type = QString::fromLatin1(typeWord(desc->type));
        m.semantics = qs(std::string(semanticsName(desc->semantics)));
        m.units = qs(desc->units.toString());  // "none" when dimensionless, as /pmapi says
        auto one = context_->helpText(desc->pmid, false);
        auto full = context_->helpText(desc->pmid, true);
        m.oneLine = one ? qs(*one) : QString();
        m.help = full && !full->empty() ? qs(*full) : m.oneLine;  // as pmproxy repeats it
        metrics.push_back(std::move(m));
      }
    }
    post([metrics](ArchiveSource* s) { emit s->metadataReady(metrics); });
  }

  void instances(const QString& metric) {
    QVector<InstanceMeta> list;
    if (context_) {
      const std::string name = metric.toStdString();
      auto pmid = context_->lookup(std::span<const std::string>(&name, 1)).at(0);
      auto desc = pmid ? context_->descriptor(*pmid) : Expected<Descriptor>(pmid.failure());
      auto members = desc && !desc->indom.isNull() ? context_->instances(desc->indom)
                                                   : Expected<std::vector<Instance>>(Error::InDom);
      if (members)
        for (const Instance& i : *members) list.push_back({i.id, qs(i.name)});
    }
    post([metric, list](ArchiveSource* s) { emit s->instancesReady(metric, list); });
  }

  void fetch(const QStringList& names) {
    QStringList known;
    std::vector<Pmid> pmids;
    resolve(names, known, pmids);
    auto r = context_ ? context_->fetch(pmids) : Expected<FetchResult>(Error::Generic);
    if (!r) {
      const QString why = r.error() == Error::EndOfLog ? QStringLiteral("end of the archive %1").arg(QFileInfo(path_).fileName())
                                                       : qs(r.failure().message());
      post([why](ArchiveSource* s) { emit s->fetchFailed(why); });
      return;
    }
    const Sample sample = toSample(*r, known);
    post([sample](ArchiveSource* s) { emit s->sampleReady(sample); });
  }

  void range(const QStringList& names, qint64 from, qint64 to, qint64 step, int tag) {
    QVector<Sample> samples;
    if (context_) {
      QStringList known;
      std::vector<Pmid> pmids;
      resolve(names, known, pmids);
      if (step <= 0) step = context_->recordedInterval().count();
      from = std::max(from, toMsec(context_->start()));  // nothing is recorded before the start
      to = std::min(to, toMsec(context_->end()));
      if (step > 0 && from <= to) {
        context_->setPosition(fromMsec(from));
        context_->setInterval(std::chrono::milliseconds(step));
        for (qint64 t = from; t <= to && !stopping; t += step) {
          auto r = context_->fetch(pmids);
          if (!r) break;  // EndOfLog: past the last sample
          samples.push_back(toSample(*r, known));
        }
      }
    }
    post([samples, tag](ArchiveSource* s) { emit s->rangeReady(samples, tag); });
  }

 private:
  void resolve(const QStringList& names, QStringList& known, std::vector<Pmid>& pmids) {
    if (!context_) return;
    std::vector<std::string> wanted;
    for (const QString& n : names) wanted.push_back(n.toStdString());
    const auto found = context_->lookup(wanted);
    for (std::size_t i = 0; i < found.size(); ++i) {
      if (!found[i]) continue;  // unknown here: simply absent from the answers
      pmids.push_back(*found[i]);
      known << names[static_cast<qsizetype>(i)];
    }
  }

  // Runs `emitIt` on the source's thread. The source waits for this thread before it
  // goes, so `source_` outlives every call posted here.
  template <class F>
  void post(F emitIt) {
    ArchiveSource* s = source_;
    QMetaObject::invokeMethod(s, [s, emitIt] { emitIt(s); }, Qt::QueuedConnection);
  }

  ArchiveSource* source_;
  QString path_;
  std::unique_ptr<ArchiveContext> context_;
  bool metadataWanted_ = false;  // requestMetadata() came before the file was open
};

struct ArchiveSource::Impl {
  QString path;
  QThread thread;
  ArchiveWorker* worker = nullptr;  // deleted on its own thread when the thread finishes

  template <class F>
  void run(F work) {
    QMetaObject::invokeMethod(worker, std::move(work), Qt::QueuedConnection);
  }
};

ArchiveSource::ArchiveSource(const QString& path, QObject* parent) : MetricSource(parent), d_(new Impl) {
  registerSourceMetaTypes();
  d_->path = path;
  d_->worker = new ArchiveWorker(this, path);
  d_->worker->moveToThread(&d_->thread);
  connect(&d_->thread, &QThread::finished, d_->worker, &QObject::deleteLater);
  d_->thread.setObjectName(QStringLiteral("archive"));
  d_->thread.start();
}

ArchiveSource::~ArchiveSource() {
  d_->worker->stopping = true;  // a long fetchRange() ends early
  d_->thread.quit();
  d_->thread.wait();
  delete d_;
}

QString ArchiveSource::description() const { return QFileInfo(d_->path).fileName(); }

void ArchiveSource::open() {
  emit stateChanged(State::Connecting, QStringLiteral("opening %1").arg(description()));
  ArchiveWorker* w = d_->worker;
  d_->run([w] { w->open(); });
}

void ArchiveSource::requestMetadata() {
  ArchiveWorker* w = d_->worker;
  d_->run([w] { w->metadata(); });
}

void ArchiveSource::requestInstances(const QString& metric) {
  ArchiveWorker* w = d_->worker;
  d_->run([w, metric] { w->instances(metric); });
}

void ArchiveSource::fetch(const QStringList& names) {
  ArchiveWorker* w = d_->worker;
  d_->run([w, names] { w->fetch(names); });
}

void ArchiveSource::fetchRange(const QStringList& names, qint64 fromMsec, qint64 toMsec, qint64 stepMsec, int tag) {
  ArchiveWorker* w = d_->worker;
  d_->run([=] { w->range(names, fromMsec, toMsec, stepMsec, tag); });
}

}  // namespace sextant::gui
