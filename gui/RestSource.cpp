#include "gui/RestSource.h"

#include <cmath>
#include <deque>
#include <functional>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>

namespace sextant::gui {
namespace {

// pmproxy's port, which sextantd serves too.
constexpr quint16 kDefaultPort = 44322;
// The whole name space with help texts is one large answer: it gets longer than a fetch.
constexpr int kMetadataTimeoutFactor = 6;

struct Address {
  QString host;
  quint16 port = kDefaultPort;
  bool valid = true;
};

// "HOST", "HOST:PORT", "[V6]:PORT", "[V6]" or a bare IPv6 address.
Address parseAddress(const QString& text) {
  Address a;
  QString portText;
  const QString t = text.trimmed();
  if (t.startsWith('[')) {
    const qsizetype close = t.indexOf(']');
    if (close < 0) return {t, kDefaultPort, false};
    a.host = t.mid(1, close - 1);
    const QString rest = t.mid(close + 1);
    if (rest.startsWith(':')) portText = rest.mid(1);
    else if (!rest.isEmpty()) a.valid = false;
  } else if (t.count(':') == 1) {
    a.host = t.section(':', 0, 0);
    portText = t.section(':', 1);
  } else {
    a.host = t;  // a name, an IPv4 address, or an IPv6 address without a port
  }
  if (!portText.isEmpty()) {
    bool ok = false;
    const uint port = portText.toUInt(&ok);
    if (!ok || port == 0 || port > 65535) a.valid = false;
    else a.port = static_cast<quint16>(port);
  }
  if (a.host.isEmpty()) a.valid = false;
  return a;
}

bool isContextGone(const QString& message) {
  return message.startsWith(QLatin1String("unknown context identifier")) ||
         message.startsWith(QLatin1String("expired context identifier"));
}

// A comma-separated list with each element percent-encoded, the commas left as separators.
QByteArray encodedList(const QStringList& names) {
  QByteArrayList parts;
  for (const QString& n : names) parts << QUrl::toPercentEncoding(n);
  return parts.join(',');
}

}  // namespace

struct RestSource::Impl {
  // A request waiting for a context. `fail` null: it waits across failed attempts until
  // the host answers again (metadata); otherwise it is told of the failure (fetch).
  struct Waiter {
    std::function<void()> run;
    std::function<void(const QString&)> fail;
  };

  // What one reply turned out to be.
  enum class Outcome { Ok, Unreachable, ContextGone, Refused };

  RestSource* q;
  QString given;
  Address address;
  QUrl base;
  QNetworkAccessManager nam;
  QTimer retry;
  QString contextId;
  bool creating = false;
  std::deque<Waiter> waiting;
  int failures = 0;
  int timeoutMs = 5000;
  State state = State::Disconnected;
  QString lastMessage;

  explicit Impl(RestSource* owner, const QString& hostPort) : q(owner), given(hostPort), address(parseAddress(hostPort)) {
    base.setScheme(QStringLiteral("http"));
    base.setHost(address.host);
    base.setPort(address.port);
    retry.setSingleShot(true);
  }

  QString hostPort() const {
    const QString host = address.host.contains(':') ? '[' + address.host + ']' : address.host;
    return host + ':' + QString::number(address.port);
  }

  void setState(State s, const QString& message) {
    state = s;
    lastMessage = message;
    emit q->stateChanged(s, message);
  }

  QNetworkReply* get(const QString& path, const QByteArray& query, int timeout) {
    QUrl url = base;
    url.setPath(path);
    if (!query.isEmpty()) url.setQuery(QString::fromLatin1(query));
    QNetworkRequest request(url);
    request.setTransferTimeout(timeout);
    request.setRawHeader("Accept", "application/json");
    return nam.get(request);
  }

  // Reads a finished reply: its JSON object, or the one-line reason it is not usable.
  Outcome read(QNetworkReply* reply, QJsonObject& json, QString& why, int timeout) const {
    const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!status.isValid()) {
      // No HTTP answer at all: refused, reset, unknown host, or the transfer timeout.
      const bool timedOut = reply->error() == QNetworkReply::OperationCanceledError ||
                            reply->error() == QNetworkReply::TimeoutError;
      why = timedOut ? QStringLiteral("no answer within %1 s").arg(timeout / 1000.0) : reply->errorString();
      return Outcome::Unreachable;
    }
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(reply->readAll(), &parseError);
    json = doc.object();
    const QString message = json.value(QLatin1String("message")).toString();
    if (status.toInt() != 200) {
      why = message.isEmpty() ? QStringLiteral("HTTP status %1").arg(status.toInt()) : message;
      return status.toInt() == 400 && isContextGone(message) ? Outcome::ContextGone : Outcome::Refused;
    }
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
      why = QStringLiteral("not a PCP REST answer (%1)").arg(parseError.errorString());
      return Outcome::Refused;
    }
    return Outcome::Ok;
  }

  void scheduleRetry(const QString& reason) {
    ++failures;
    const int delay = retryDelaySeconds(failures);
    retry.start(delay * 1000);
    setState(State::Disconnected, QStringLiteral("cannot reach %1: %2 (retrying in %3 s)").arg(hostPort(), reason).arg(delay));
  }

  // The host went away: forget the context, tell those who cannot wait, try again later.
  void lost(const QString& reason) {
    contextId.clear();
    if (creating || retry.isActive()) return;  // already being dealt with
    scheduleRetry(reason);
    failWaiters();
  }

  void failWaiters() {
    std::deque<Waiter> kept;
    for (Waiter& w : waiting) {
      if (w.fail) w.fail(lastMessage);
      else kept.push_back(std::move(w));
    }
    waiting.swap(kept);
  }

  void makeContext() {
    if (creating) return;
    if (!address.valid) {
      setState(State::Disconnected, QStringLiteral("bad host address \"%1\": expected HOST, HOST:PORT or [IPv6]:PORT").arg(given));
      failWaiters();
      return;
    }
    creating = true;
    retry.stop();
    QNetworkReply* reply = get(QStringLiteral("/pmapi/context"), "polltimeout=60", timeoutMs);
    QObject::connect(reply, &QNetworkReply::finished, q, [this, reply] {
      reply->deleteLater();
      creating = false;
      QJsonObject json;
      QString why;
      const Outcome outcome = read(reply, json, why, timeoutMs);
      const QJsonValue id = json.value(QLatin1String("context"));
      if (outcome == Outcome::Ok && !id.isDouble()) why = QStringLiteral("no context in the answer");
      if (outcome != Outcome::Ok || !id.isDouble()) {
        contextId.clear();
        scheduleRetry(why);
        failWaiters();
        return;
      }
      contextId = QString::number(static_cast<qint64>(id.toDouble()));
      failures = 0;
      if (state != State::Connected) setState(State::Connected, QStringLiteral("connected to %1").arg(hostPort()));
      std::deque<Waiter> ready;
      ready.swap(waiting);
      for (Waiter& w : ready) w.run();
    });
  }

  // Runs `run` once there is a context, making one if needed. While the host cannot be
  // reached, `fail` (if given) hears so at once; without it the request waits.
  void withContext(std::function<void()> run, std::function<void(const QString&)> fail) {
    if (!contextId.isEmpty()) {
      run();
      return;
    }
    if (fail && state == State::Disconnected && !creating) {
      fail(lastMessage);
      return;
    }
    waiting.push_back({std::move(run), std::move(fail)});
    if (!creating && !retry.isActive()) makeContext();
  }

  // GET /pmapi/<context>/<command>?<query>; `ok` gets the JSON answer, `fail` a refusal
  // or (for a request that cannot wait) the lost connection. A context the server no
  // longer knows is made again and the request repeated once.
  void call(const QString& command, const QByteArray& query, int timeout, std::function<void(const QJsonObject&)> ok,
            std::function<void(const QString&)> fail, bool canWait, bool repeated = false) {
    auto send = [=, this] {
      const QString used = contextId;
      QNetworkReply* reply = get(QStringLiteral("/pmapi/%1/%2").arg(used, command), query, timeout);
      QObject::connect(reply, &QNetworkReply::finished, q, [=, this] {
        reply->deleteLater();
        QJsonObject json;
        QString why;
        switch (read(reply, json, why, timeout)) {
          case Outcome::Ok: ok(json); return;
          case Outcome::Refused: fail(why); return;
          case Outcome::ContextGone:
            if (contextId == used) contextId.clear();
            if (!repeated) {
              call(command, query, timeout, ok, fail, canWait, true);
              return;
            }
            fail(why);
            return;
          case Outcome::Unreachable:
            lost(why);
            if (canWait) call(command, query, timeout, ok, fail, canWait, repeated);
            else if (state == State::Disconnected) fail(lastMessage);
            else fail(QStringLiteral("cannot reach %1: %2").arg(hostPort(), why));  // a new context is on its way
            return;
        }
      });
    };
    withContext(send, canWait ? std::function<void(const QString&)>() : fail);
  }
};

RestSource::RestSource(const QString& hostPort, QObject* parent) : MetricSource(parent), d_(new Impl(this, hostPort)) {
  registerSourceMetaTypes();
  connect(&d_->retry, &QTimer::timeout, this, [this] { d_->makeContext(); });
}

RestSource::~RestSource() {
  // Replies still under way must not call back into a half-destroyed source.
  const auto replies = d_->nam.findChildren<QNetworkReply*>();
  for (QNetworkReply* r : replies) r->disconnect(this);
  delete d_;
}

QString RestSource::description() const { return d_->address.valid ? d_->hostPort() : d_->given; }

void RestSource::open() {
  d_->failures = 0;
  d_->contextId.clear();
  d_->setState(State::Connecting, QStringLiteral("connecting to %1").arg(description()));
  d_->makeContext();
}

void RestSource::requestMetadata() {
  // No "prefix": the whole name space (WebApi::metric).
  d_->call(
      QStringLiteral("metric"), {}, d_->timeoutMs * kMetadataTimeoutFactor,
      [this](const QJsonObject& json) {
        QVector<MetricMeta> metrics;
        const QJsonArray list = json.value(QLatin1String("metrics")).toArray();
        metrics.reserve(list.size());
        for (const QJsonValue& v : list) {
          const QJsonObject m = v.toObject();
          if (m.contains(QLatin1String("success"))) continue;  // a name that failed to resolve
          MetricMeta meta;
          meta.name = m.value(QLatin1String("name")).toString();
          meta.pmid = m.value(QLatin1String("pmid")).toString();
          meta.indom = m.value(QLatin1String("indom")).toString();
          meta.type = m.value(QLatin1String("type")).toString();
          meta.semantics = m.value(QLatin1String("sem")).toString();
          meta.units = m.value(QLatin1String("units")).toString();
          meta.oneLine = m.value(QLatin1String("text-oneline")).toString();
          meta.help = m.value(QLatin1String("text-help")).toString();
          if (!meta.name.isEmpty()) metrics.push_back(std::move(meta));
        }
        emit metadataReady(metrics);
      },
      [this](const QString&) { emit metadataReady({}); }, true);
}

void RestSource::requestInstances(const QString& metric) {
  d_->call(
      QStringLiteral("indom"), "name=" + QUrl::toPercentEncoding(metric), d_->timeoutMs,
      [this, metric](const QJsonObject& json) {
        QVector<InstanceMeta> instances;
        for (const QJsonValue& v : json.value(QLatin1String("instances")).toArray()) {
          const QJsonObject i = v.toObject();
          instances.push_back({i.value(QLatin1String("instance")).toInt(kNoInstance), i.value(QLatin1String("name")).toString()});
        }
        emit instancesReady(metric, instances);
      },
      // A metric without instances, or one the host does not know: no instances.
      [this, metric](const QString&) { emit instancesReady(metric, {}); }, true);
}

void RestSource::fetch(const QStringList& names) {
  d_->call(
      QStringLiteral("fetch"), "names=" + encodedList(names), d_->timeoutMs,
      [this](const QJsonObject& json) {
        Sample sample;
        // Seconds with a fraction (spec 5); a double holds them to well under a millisecond.
        sample.msec = std::llround(json.value(QLatin1String("timestamp")).toDouble() * 1000.0);
        for (const QJsonValue& v : json.value(QLatin1String("values")).toArray()) {
          const QJsonObject metric = v.toObject();
          QHash<int, double> values;
          for (const QJsonValue& iv : metric.value(QLatin1String("instances")).toArray()) {
            const QJsonObject inst = iv.toObject();
            const QJsonValue value = inst.value(QLatin1String("value"));
            if (!value.isDouble()) continue;  // strings and null are not plotted
            const QJsonValue id = inst.value(QLatin1String("instance"));
            values.insert(id.isDouble() ? id.toInt() : kNoInstance, value.toDouble());
          }
          if (!values.isEmpty()) sample.values.insert(metric.value(QLatin1String("name")).toString(), values);
        }
        emit sampleReady(sample);
      },
      [this](const QString& why) { emit fetchFailed(why); }, false);
}

int RestSource::retryDelaySeconds(int failures) {
  constexpr int kLongest = 30;
  if (failures <= 1) return 1;
  if (failures > 5) return kLongest;
  return 1 << (failures - 1);
}

void RestSource::setRequestTimeout(int msec) { d_->timeoutMs = msec > 0 ? msec : 1; }

}  // namespace sextant::gui
