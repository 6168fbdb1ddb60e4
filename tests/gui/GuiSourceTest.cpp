// The dashboard's data sources against the real thing: RestSource against a sextantd
// started here (connect, metadata, instances, fetch, losing the daemon and finding it
// again with back-off), and ArchiveSource against an archive written by ArchiveWriter.
#include <unistd.h>

#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

#include "../archive/TestArchive.h"
#include "../service/TestDaemon.h"
#include "gui/ArchiveSource.h"
#include "gui/RestSource.h"

using namespace sextant::gui;
using sextant::test::TestDaemon;

namespace {

const QString kSextantd = QStringLiteral(SEXTANT_BIN "/sextantd");
// Generous: a loaded machine may take seconds to answer; nothing here measures time.
constexpr int kWaitMs = 20000;
// Enough for several back-off steps (1 + 2 + 4 + 8 + 16 s) after the daemon is back.
constexpr int kReconnectMs = 60000;

using State = MetricSource::State;

State stateAt(const QSignalSpy& spy, qsizetype i) { return spy.at(i).at(0).value<State>(); }
QString messageAt(const QSignalSpy& spy, qsizetype i) { return spy.at(i).at(1).toString(); }

// Waits until `spy` (on stateChanged) has recorded `wanted` at index `from` or later;
// the index of that signal, or -1.
// A sextantd taking over the REST port another one left (PDU port free, no socket).
bool startOnRestPort(sextant::test::TestDaemon& daemon, quint16 port) {
  return daemon.startSextantd(kSextantd, {"--rest-port", QString::number(port), "--listen", "127.0.0.1", "--socket", ""});
}

qsizetype waitForState(QSignalSpy& spy, State wanted, qsizetype from, int timeoutMs) {
  QDeadlineTimer deadline(timeoutMs);
  for (;;) {
    for (qsizetype i = from; i < spy.size(); ++i)
      if (stateAt(spy, i) == wanted) return i;
    if (deadline.hasExpired() || !spy.wait(static_cast<int>(std::max<qint64>(1, deadline.remainingTime())))) {
      for (qsizetype i = from; i < spy.size(); ++i)
        if (stateAt(spy, i) == wanted) return i;
      return -1;
    }
  }
}

QString states(const QSignalSpy& spy) {
  QStringList all;
  for (qsizetype i = 0; i < spy.size(); ++i) all << QString::number(static_cast<int>(stateAt(spy, i))) + " " + messageAt(spy, i);
  return all.join(" | ");
}

// The one sample a fetch answers, or a failure that names the reason.
Sample fetchOne(MetricSource& source, const QStringList& names, QString& error) {
  QSignalSpy ok(&source, &MetricSource::sampleReady), failed(&source, &MetricSource::fetchFailed);
  source.fetch(names);
  QDeadlineTimer deadline(kWaitMs);
  while (ok.isEmpty() && failed.isEmpty() && !deadline.hasExpired()) ok.wait(100);
  if (!ok.isEmpty()) return ok.at(0).at(0).value<Sample>();
  error = failed.isEmpty() ? QStringLiteral("no answer to the fetch") : failed.at(0).at(0).toString();
  return {};
}

qint64 msecOf(double seconds) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(sextant::test::archiveTime(seconds).time_since_epoch()).count();
}

}  // namespace

class GuiSourceTest : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  TestDaemon daemon_;

 private slots:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    QVERIFY2(daemon_.startSextantdRest(kSextantd), qPrintable(daemon_.error()));
  }

  void retryDelay_data() {
    QTest::addColumn<int>("failures");
    QTest::addColumn<int>("seconds");
    const int table[][2] = {{1, 1}, {2, 2}, {3, 4}, {4, 8}, {5, 16}, {6, 30}, {7, 30}, {50, 30}};
    for (const auto& row : table) QTest::addRow("%d failures", row[0]) << row[0] << row[1];
  }
  void retryDelay() {
    QFETCH(int, failures);
    QFETCH(int, seconds);
    QCOMPARE(RestSource::retryDelaySeconds(failures), seconds);
  }

  void description_data() {
    QTest::addColumn<QString>("given");
    QTest::addColumn<QString>("expected");
    QTest::newRow("host and port") << "127.0.0.1:4000" << "127.0.0.1:4000";
    QTest::newRow("default port") << "localhost" << "localhost:44322";
    QTest::newRow("IPv6 with port") << "[::1]:4001" << "[::1]:4001";
    QTest::newRow("IPv6 without port") << "[::1]" << "[::1]:44322";
  }
  void description() {
    QFETCH(QString, given);
    QFETCH(QString, expected);
    QCOMPARE(RestSource(given).description(), expected);
  }

  void connectAndRead() {
    RestSource source("127.0.0.1:" + QString::number(daemon_.restPort()));
    QSignalSpy stateSpy(&source, &MetricSource::stateChanged);
    source.open();
    const qsizetype at = waitForState(stateSpy, State::Connected, 0, kWaitMs);
    QVERIFY2(at >= 0, qPrintable(states(stateSpy)));
    QCOMPARE(messageAt(stateSpy, at), "connected to 127.0.0.1:" + QString::number(daemon_.restPort()));

    QSignalSpy metaSpy(&source, &MetricSource::metadataReady);
    source.requestMetadata();
    QVERIFY(metaSpy.wait(kWaitMs));
    const auto metrics = metaSpy.at(0).at(0).value<QVector<MetricMeta>>();
    auto find = [&](const QString& name) {
      auto it = std::find_if(metrics.begin(), metrics.end(), [&](const MetricMeta& m) { return m.name == name; });
      return it == metrics.end() ? MetricMeta{} : *it;
    };
    const MetricMeta load = find("kernel.all.load");
    QCOMPARE(load.name, QString("kernel.all.load"));
    QCOMPARE(load.indom, QString("60.2"));
    QCOMPARE(load.pmid, QString("60.2.0"));
    QCOMPARE(load.semantics, QString("instant"));
    QVERIFY(!load.oneLine.isEmpty());
    const MetricMeta ncpu = find("hinv.ncpu");
    QCOMPARE(ncpu.name, QString("hinv.ncpu"));
    QVERIFY(!ncpu.hasInstances());
    QVERIFY(ncpu.isNumeric());

    QSignalSpy instSpy(&source, &MetricSource::instancesReady);
    source.requestInstances("kernel.all.load");
    QVERIFY(instSpy.wait(kWaitMs));
    QCOMPARE(instSpy.at(0).at(0).toString(), QString("kernel.all.load"));
    QStringList names;
    for (const InstanceMeta& i : instSpy.at(0).at(1).value<QVector<InstanceMeta>>()) names << QString::number(i.id) + "=" + i.name;
    QCOMPARE(names, QStringList({"1=1 minute", "5=5 minute", "15=15 minute"}));

    QString error;
    const Sample s = fetchOne(source, {"kernel.all.load", "hinv.ncpu", "no.such.metric"}, error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(s.values.value("kernel.all.load").size(), 3);
    QVERIFY(s.values.value("kernel.all.load").contains(15));
    QCOMPARE(s.values.value("hinv.ncpu").value(kNoInstance, -1), static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN)));
    QVERIFY(!s.values.contains("no.such.metric"));
    // The host's clock, within a day of ours: the seconds were read as seconds.
    QVERIFY(qAbs(s.msec - QDateTime::currentMSecsSinceEpoch()) < 86400000);
  }

  void unreachableRetries() {
    const quint16 port = sextant::test::freePort();  // nobody listens there
    RestSource source("127.0.0.1:" + QString::number(port));
    QSignalSpy stateSpy(&source, &MetricSource::stateChanged);
    source.open();
    const qsizetype at = waitForState(stateSpy, State::Disconnected, 0, kWaitMs);
    QVERIFY2(at >= 0, qPrintable(states(stateSpy)));
    const QString message = messageAt(stateSpy, at);
    QVERIFY2(message.startsWith("cannot reach 127.0.0.1:" + QString::number(port) + ": "), qPrintable(message));
    QVERIFY2(message.endsWith("(retrying in 1 s)"), qPrintable(message));
    QVERIFY(!message.contains('\n'));
    // The retry comes by itself, and says the next wait is longer.
    const qsizetype next = waitForState(stateSpy, State::Disconnected, at + 1, kWaitMs);
    QVERIFY2(next >= 0, qPrintable(states(stateSpy)));
    QVERIFY2(messageAt(stateSpy, next).endsWith("(retrying in 2 s)"), qPrintable(messageAt(stateSpy, next)));
    // A fetch meanwhile fails at once rather than waiting.
    QString error;
    fetchOne(source, {"hinv.ncpu"}, error);
    QVERIFY2(error.contains("retrying"), qPrintable(error));
  }

  // A server that accepts the connection and never answers: the request timeout ends
  // the wait, and the source says so.
  void silentServerTimesOut() {
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    RestSource source("127.0.0.1:" + QString::number(silent.serverPort()));
    source.setRequestTimeout(500);
    QSignalSpy stateSpy(&source, &MetricSource::stateChanged);
    source.open();
    const qsizetype at = waitForState(stateSpy, State::Disconnected, 0, kWaitMs);
    QVERIFY2(at >= 0, qPrintable(states(stateSpy)));
    QCOMPARE(messageAt(stateSpy, at),
             "cannot reach 127.0.0.1:" + QString::number(silent.serverPort()) + ": no answer within 0.5 s (retrying in 1 s)");
  }

  // The daemon goes away and comes back on the same port: a gap, then values again.
  void reconnects() {
    TestDaemon first;
    QVERIFY2(first.startSextantdRest(kSextantd), qPrintable(first.error()));
    const quint16 port = first.restPort();
    RestSource source("127.0.0.1:" + QString::number(port));
    QSignalSpy stateSpy(&source, &MetricSource::stateChanged);
    source.open();
    QVERIFY2(waitForState(stateSpy, State::Connected, 0, kWaitMs) >= 0, qPrintable(states(stateSpy)));
    QString error;
    fetchOne(source, {"hinv.ncpu"}, error);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    first.stop();
    const qsizetype before = stateSpy.size();
    fetchOne(source, {"hinv.ncpu"}, error);
    QVERIFY2(!error.isEmpty(), "a fetch from a stopped daemon did not fail");
    const qsizetype lost = waitForState(stateSpy, State::Disconnected, before, kWaitMs);
    QVERIFY2(lost >= 0, qPrintable(states(stateSpy)));
    QVERIFY2(messageAt(stateSpy, lost).contains("retrying"), qPrintable(messageAt(stateSpy, lost)));

    TestDaemon second;
    QVERIFY2(startOnRestPort(second, port),
             qPrintable(second.error()));
    const qsizetype back = waitForState(stateSpy, State::Connected, lost + 1, kReconnectMs);
    QVERIFY2(back >= 0, qPrintable(states(stateSpy)));
    error.clear();
    const Sample s = fetchOne(source, {"hinv.ncpu"}, error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QCOMPARE(s.values.value("hinv.ncpu").value(kNoInstance, -1), static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN)));
  }

  // A daemon restarted between two fetches no longer knows the context: the source
  // makes a new one and repeats the fetch, without a gap.
  void renewsForgottenContext() {
    TestDaemon first;
    QVERIFY2(first.startSextantdRest(kSextantd), qPrintable(first.error()));
    const quint16 port = first.restPort();
    RestSource source("127.0.0.1:" + QString::number(port));
    QSignalSpy stateSpy(&source, &MetricSource::stateChanged);
    source.open();
    QVERIFY2(waitForState(stateSpy, State::Connected, 0, kWaitMs) >= 0, qPrintable(states(stateSpy)));
    first.stop();
    TestDaemon second;
    QVERIFY2(startOnRestPort(second, port),
             qPrintable(second.error()));
    QTRY_VERIFY_WITH_TIMEOUT(sextant::test::acceptsConnections(port), kWaitMs);
    const qsizetype before = stateSpy.size();
    QString error;
    const Sample s = fetchOne(source, {"hinv.ncpu"}, error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(s.values.contains("hinv.ncpu"));
    QCOMPARE(stateSpy.size(), before);  // never reported as lost
  }

  void archiveOpens() {
    const QString path = tmp_.filePath("bounds.sxa");
    const std::string written = sextant::test::writeTestArchive(path.toStdString());
    QVERIFY2(written.empty(), written.c_str());
    ArchiveSource source(path);
    QVERIFY(source.isArchive());
    QCOMPARE(source.description(), QString("bounds.sxa"));
    QSignalSpy stateSpy(&source, &MetricSource::stateChanged);
    QSignalSpy boundsSpy(&source, &ArchiveSource::boundsReady);
    source.open();
    QVERIFY(boundsSpy.wait(kWaitMs));
    const qsizetype at = waitForState(stateSpy, State::Connected, 0, 0);
    QVERIFY2(at >= 0, qPrintable(states(stateSpy)));
    QCOMPARE(messageAt(stateSpy, at), QString("opened bounds.sxa (testhost, 2024-03-04 13:00:00 - 2024-03-04 13:00:04)"));
    QCOMPARE(boundsSpy.at(0).at(0).toLongLong(), msecOf(0));
    QCOMPARE(boundsSpy.at(0).at(1).toLongLong(), msecOf(4));
    QCOMPARE(boundsSpy.at(0).at(2).toLongLong(), 1000);

    QSignalSpy metaSpy(&source, &MetricSource::metadataReady);
    source.requestMetadata();
    QVERIFY(metaSpy.wait(kWaitMs));
    QStringList described;
    for (const MetricMeta& m : metaSpy.at(0).at(0).value<QVector<MetricMeta>>())
      described << QStringList{m.name, m.pmid, m.indom, m.type, m.semantics, m.units, m.oneLine, m.help}.join('|');
    described.sort();
    QCOMPARE(described, QStringList({
                            "test.load|250.0.2|250.1|double|instant|none|load by queue|load by queue",
                            "test.requests|250.0.1||u64|counter|count|requests served|Requests served since the start.",
                            "test.state|250.0.3||string|discrete|none|server state|server state",
                        }));

    QSignalSpy instSpy(&source, &MetricSource::instancesReady);
    source.requestInstances("test.load");
    QVERIFY(instSpy.wait(kWaitMs));
    QStringList names;
    for (const InstanceMeta& i : instSpy.at(0).at(1).value<QVector<InstanceMeta>>()) names << QString::number(i.id) + "=" + i.name;
    QCOMPARE(names, QStringList({"0=a", "1=b"}));  // "c" joins at the third sample

    // fetch() answers for the position, then steps.
    for (double expected : {0.0, 100.0, 400.0}) {
      QString error;
      const Sample s = fetchOne(source, {"test.requests"}, error);
      QVERIFY2(error.isEmpty(), qPrintable(error));
      QCOMPARE(s.values.value("test.requests").value(kNoInstance, -1), expected);
    }
  }

  void archiveRange_data() {
    QTest::addColumn<double>("from");
    QTest::addColumn<double>("to");
    QTest::addColumn<qint64>("step");
    QTest::addColumn<QList<double>>("times");  // seconds after the start
    QTest::newRow("whole span") << 0.0 << 4.0 << qint64(1000) << QList<double>{0, 1, 2, 3, 4};
    QTest::newRow("from before the start") << -3.0 << 2.0 << qint64(1000) << QList<double>{0, 1, 2};
    QTest::newRow("past the end") << 3.0 << 60.0 << qint64(1000) << QList<double>{3, 4};
    QTest::newRow("every other second") << 0.0 << 4.0 << qint64(2000) << QList<double>{0, 2, 4};
    QTest::newRow("after the end") << 10.0 << 20.0 << qint64(1000) << QList<double>{};
    QTest::newRow("before the start") << -20.0 << -10.0 << qint64(1000) << QList<double>{};
  }
  void archiveRange() {
    QFETCH(double, from);
    QFETCH(double, to);
    QFETCH(qint64, step);
    QFETCH(QList<double>, times);
    const QString path = tmp_.filePath("range.sxa");
    if (!QFile::exists(path)) {
      const std::string written = sextant::test::writeTestArchive(path.toStdString());
      QVERIFY2(written.empty(), written.c_str());
    }
    ArchiveSource source(path);
    QSignalSpy boundsSpy(&source, &ArchiveSource::boundsReady);
    source.open();
    QVERIFY(boundsSpy.wait(kWaitMs));

    QSignalSpy rangeSpy(&source, &ArchiveSource::rangeReady);
    source.fetchRange({"test.requests", "test.load", "test.state", "no.such.metric"}, msecOf(from), msecOf(to), step, 42);
    QVERIFY(rangeSpy.wait(kWaitMs));
    QCOMPARE(rangeSpy.at(0).at(1).toInt(), 42);
    const auto samples = rangeSpy.at(0).at(0).value<QVector<Sample>>();
    QCOMPARE(samples.size(), times.size());
    const double requests[] = {0, 100, 400, 900, 1600};
    for (qsizetype i = 0; i < samples.size(); ++i) {
      const Sample& s = samples[i];
      const int k = static_cast<int>(times[i]);
      QCOMPARE(s.msec, msecOf(times[i]));
      QCOMPARE(s.values.value("test.requests").value(kNoInstance, -1), requests[k]);
      QHash<int, double> load{{0, 1.0 + k}, {1, 10.0 * (k + 1)}};
      if (k >= 2) load.insert(2, 5.0 + k);
      QCOMPARE(s.values.value("test.load"), load);
      QVERIFY(!s.values.contains("test.state"));      // a string: not plotted
      QVERIFY(!s.values.contains("no.such.metric"));  // unknown: absent
    }
  }

  void archiveGarbage_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<bool>("create");
    QTest::newRow("not SQLite") << QByteArray("this is not an archive\n") << true;
    QTest::newRow("missing") << QByteArray() << false;
  }
  void archiveGarbage() {
    QFETCH(QByteArray, content);
    QFETCH(bool, create);
    const QString path = tmp_.filePath(QString("garbage-%1.sxa").arg(create));
    if (create) {
      QFile f(path);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(content);
    }
    ArchiveSource source(path);
    QSignalSpy stateSpy(&source, &MetricSource::stateChanged);
    source.open();
    const qsizetype at = waitForState(stateSpy, State::Disconnected, 0, kWaitMs);
    QVERIFY2(at >= 0, qPrintable(states(stateSpy)));
    const QString message = messageAt(stateSpy, at);
    QVERIFY2(message.contains(QFileInfo(path).fileName()), qPrintable(message));
    QVERIFY2(!message.contains('\n'), qPrintable(message));
  }
};

QTEST_MAIN(GuiSourceTest)
#include "GuiSourceTest.moc"
