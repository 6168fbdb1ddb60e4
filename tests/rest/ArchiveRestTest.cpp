// Web contexts over archives (/pmapi/context?archivename=PATH) through sextantd's REST
// front end: creation, metadata from the archive, each fetch answering for the next
// recorded interval, pmproxy's error text past the end, and one-line reasons for files
// that are not archives. The archives are written by the real ArchiveWriter with known
// values (tests/archive/TestArchive.h).
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QUrl>
#include <QtTest>

#include "../archive/TestArchive.h"
#include "../service/TestDaemon.h"
#include "HttpClient.h"

using namespace sextant::test;

namespace {

const QString kSextantd = QStringLiteral(SEXTANT_BIN "/sextantd");

QJsonObject json(const HttpReply& r) { return QJsonDocument::fromJson(r.body).object(); }

}  // namespace

class ArchiveRestTest : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  TestDaemon daemon_;
  QString archive_;

  quint16 port() const { return daemon_.restPort(); }
  QByteArray archiveParam(const QString& path) const { return "archivename=" + QUrl::toPercentEncoding(path); }

  // A new context over `path`; its id, or 0 after a failed comparison.
  qint64 newContext(const QString& path) {
    const HttpReply r = httpGet(port(), "/pmapi/context?polltimeout=60&" + archiveParam(path));
    if (r.status != 200) qWarning("%s", qPrintable(r.summary()));
    return r.status == 200 ? json(r)["context"].toInteger() : 0;
  }

  HttpReply fetch(qint64 context, const QByteArray& names) {
    return httpGet(port(), "/pmapi/" + QByteArray::number(context) + "/fetch?names=" + names);
  }

 private slots:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    archive_ = tmp_.filePath("rest.sextant");
    const std::string why = writeTestArchive(archive_.toStdString());
    QVERIFY2(why.empty(), why.c_str());
    // Archives are served from the directories the configuration names, no others.
    QFile config(tmp_.filePath("sextantd.ini"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("[rest]\narchive_dirs = " + tmp_.path().toUtf8() + "\n");
    config.close();
    QVERIFY2(daemon_.startSextantdRest(kSextantd, {"--config", config.fileName()}), qPrintable(daemon_.error()));
  }

  // The context describes the recorded host, not the daemon's.
  void context() {
    const HttpReply r = httpGet(port(), "/pmapi/context?client=c7&" + archiveParam(archive_));
    QVERIFY2(r.status == 200, qPrintable(r.summary()));
    const QJsonObject o = json(r);
    QVERIFY(o["context"].toInteger() > 0);
    QCOMPARE(o["client"].toString(), QString("c7"));
    QCOMPARE(o["hostspec"].toString(), QString("testhost"));
    QCOMPARE(o["labels"].toObject(), QJsonObject({{"hostname", "testhost"}}));
    QCOMPARE(o["source"].toString().size(), 40);
  }

  // Each fetch answers for the next recorded interval, with the archive's times; past the
  // last sample pmFetch's PM_ERR_EOL, as pmproxy reports a failed fetch.
  void fetchMovesThroughTheArchive() {
    const qint64 id = newContext(archive_);
    QVERIFY(id > 0);
    const char* values[] = {"0", "100", "400", "900", "1600"};
    for (int k = 0; k < 5; ++k) {
      const HttpReply r = fetch(id, "test.requests");
      QVERIFY2(r.status == 200, qPrintable(r.summary()));
      const QByteArray expected = "{\"context\":" + QByteArray::number(id) + ",\"timestamp\":" +
                                  QByteArray::number(1709557200 + k) + ".000000000,\"values\":[{\"pmid\":\"250.0.1\","
                                  "\"name\":\"test.requests\",\"instances\":[{\"instance\":null,\"value\":" + values[k] +
                                  "}]}]}\r\n";
      QCOMPARE(r.body, expected);
    }
    const HttpReply end = fetch(id, "test.requests");
    QCOMPARE(end.status, 400);
    QCOMPARE(end.body, "{\"context\":" + QByteArray::number(id) + ",\"message\":\"End of PCP archive log\","
                       "\"success\":false}\r\n");
    QCOMPARE(fetch(id, "test.requests").status, 400);  // and stays there
  }

  // Instances as recorded at each time: "c" joins at the third sample.
  void instancesFollowTheRecording() {
    const qint64 id = newContext(archive_);
    QVERIFY(id > 0);
    QList<int> counts;
    QJsonArray last;
    for (int k = 0; k < 3; ++k) {
      const HttpReply r = fetch(id, "test.load,test.state");
      QVERIFY2(r.status == 200, qPrintable(r.summary()));
      const QJsonArray sets = json(r)["values"].toArray();
      QCOMPARE(sets.size(), 2);
      last = sets[0].toObject()["instances"].toArray();
      counts << last.size();
      QCOMPARE(sets[1].toObject()["instances"].toArray()[0].toObject()["value"].toString(),
               QString(k == 1 ? "busy, queued" : "idle"));
    }
    QCOMPARE(counts, QList<int>({2, 2, 3}));
    QCOMPARE(last[2].toObject()["instance"].toInt(), 2);
    QCOMPARE(last[2].toObject()["value"].toDouble(), 7.0);
    // The position is now the fourth sample's time, where a, b and c are members.
    const HttpReply in = httpGet(port(), "/pmapi/" + QByteArray::number(id) + "/indom?name=test.load");
    QVERIFY2(in.status == 200, qPrintable(in.summary()));
    QStringList names;
    for (const auto& i : json(in)["instances"].toArray()) names << i.toObject()["name"].toString();
    QCOMPARE(names, QStringList({"a", "b", "c"}));
  }

  void metricMetadata() {
    const qint64 id = newContext(archive_);
    const HttpReply r = httpGet(port(), "/pmapi/" + QByteArray::number(id) + "/metric?names=test.requests,test.load");
    QVERIFY2(r.status == 200, qPrintable(r.summary()));
    const QJsonArray metrics = json(r)["metrics"].toArray();
    QCOMPARE(metrics.size(), 2);
    const QJsonObject requests = metrics[0].toObject();
    QCOMPARE(requests["pmid"].toString(), QString("250.0.1"));
    QCOMPARE(requests["type"].toString(), QString("u64"));
    QCOMPARE(requests["sem"].toString(), QString("counter"));
    QCOMPARE(requests["units"].toString(), QString("count"));
    QCOMPARE(requests["text-oneline"].toString(), QString("requests served"));
    QCOMPARE(requests["text-help"].toString(), QString("Requests served since the start."));
    QCOMPARE(metrics[1].toObject()["indom"].toString(), QString("250.1"));
  }

  // Without a context a request makes one: at the archive's first sample.
  void contextlessFetch() {
    for (int i = 0; i < 2; ++i) {
      const HttpReply r = httpGet(port(), "/pmapi/fetch?names=test.requests&" + archiveParam(archive_));
      QVERIFY2(r.status == 200, qPrintable(r.summary()));
      QCOMPARE(json(r)["timestamp"].toDouble(), 1709557200.0);
      QCOMPARE(json(r)["values"].toArray()[0].toObject()["instances"].toArray()[0].toObject()["value"].toInt(), 0);
    }
  }

  // A web client cannot open, or learn about, files outside those directories.
  void outsideTheArchiveDirs_data() {
    QTest::addColumn<QString>("path");
    QTest::newRow("another file") << "/etc/hostname";
    QTest::newRow("missing") << "/nonexistent/x.sextant";
    QTest::newRow("climbing out") << tmp_.path() + "/../x.sextant";
    QTest::newRow("the directory itself") << tmp_.path();
  }
  void outsideTheArchiveDirs() {
    QFETCH(QString, path);
    const HttpReply r = httpGet(port(), "/pmapi/context?" + archiveParam(path));
    QVERIFY2(r.status == 400, qPrintable(r.summary()));
    QCOMPARE(json(r)["message"].toString(), "cannot open archive \"" + path +
                                                "\": not in a directory sextantd serves archives from ([rest] archive_dirs)");
  }

  void badArchives_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("reason");
    QTest::newRow("missing") << "missing.sextant" << "no such file";
    QTest::newRow("garbage") << "garbage.sextant" << "not a Sextant archive (file is not a database)";
    QTest::newRow("directory") << "dir" << "not a regular file";
  }
  void badArchives() {
    QFETCH(QString, name);
    QFETCH(QString, reason);
    const QString path = tmp_.filePath(name);
    if (name == "garbage.sextant") {
      QFile f(path);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(QByteArray(4096, 'g'));
    } else if (name == "dir") {
      QVERIFY(QDir(tmp_.path()).mkpath(name));
    }
    const HttpReply r = httpGet(port(), "/pmapi/context?" + archiveParam(path));
    QVERIFY2(r.status == 400, qPrintable(r.summary()));
    QCOMPARE(json(r)["message"].toString(), "cannot open archive \"" + path + "\": " + reason);
    QCOMPARE(json(r)["success"].toBool(true), false);
    QVERIFY(!json(r).contains("context"));
    QCOMPARE(httpGet(port(), "/pmapi/fetch?names=hinv.ncpu").status, 200);  // still serving
  }
};

QTEST_GUILESS_MAIN(ArchiveRestTest)
#include "ArchiveRestTest.moc"
