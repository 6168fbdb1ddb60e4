// sextantd's REST front end as a daemon: keep-alive, HTTPS with a certificate the test
// makes, a host reached over PDUs, and bad input (over-long URLs, bad parameters, a
// flood of contexts, expired contexts, a client that stops half-way through a request):
// each gets its answer and the daemon keeps serving.
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/StreamSocket.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include "../TestProcess.h"
#include "../service/TestDaemon.h"
#include "HttpClient.h"

using namespace sextant::test;

namespace {

const QString kSextantd = QStringLiteral(SEXTANT_BIN "/sextantd");

QJsonObject json(const HttpReply& r) { return QJsonDocument::fromJson(r.body).object(); }

QByteArray message(const HttpReply& r) { return json(r).value("message").toString().toUtf8(); }

}  // namespace

class RestDaemonTest : public QObject {
  Q_OBJECT

  QTemporaryDir tmp_;
  TestDaemon daemon_;

  quint16 port() const { return daemon_.restPort(); }

 private slots:
  void initTestCase() {
    QVERIFY(tmp_.isValid());
    // Small limits so that the flood and timeout cases are quick to reach.
    QFile conf(tmp_.filePath("sextantd.ini"));
    QVERIFY(conf.open(QIODevice::WriteOnly));
    conf.write("[rest]\nmax_contexts = 5\ntimeout = 2\n");
    conf.close();
    QVERIFY2(daemon_.startSextantdRest(kSextantd, {"--config", conf.fileName()}), qPrintable(daemon_.error()));
  }

  // Many requests on one kept-alive connection.
  void keepAlive() {
    Poco::Net::HTTPClientSession session("127.0.0.1", port());
    session.setKeepAlive(true);
    for (int i = 0; i < 50; ++i) {
      Poco::Net::HTTPRequest request("GET", "/pmapi/fetch?names=hinv.ncpu", Poco::Net::HTTPMessage::HTTP_1_1);
      request.setKeepAlive(true);
      session.sendRequest(request);
      Poco::Net::HTTPResponse response;
      std::istream& in = session.receiveResponse(response);
      std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      QCOMPARE(static_cast<int>(response.getStatus()), 200);
      QVERIFY(response.getKeepAlive());
      const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(body)).object();
      QCOMPARE(doc["values"].toArray()[0].toObject()["instances"].toArray()[0].toObject()["value"].toInt(),
               onlineCpus());
    }
  }

  void badParameters_data() {
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("empty list") << QByteArray("/pmapi/fetch?names=") << QByteArray("Insufficient elements in list");
    QTest::newRow("bad polltimeout") << QByteArray("/pmapi/context?polltimeout=5s")
                                     << QByteArray("invalid timeout requested in polltime");
    QTest::newRow("bad context") << QByteArray("/pmapi/fetch?context=abc&names=hinv.ncpu")
                                 << QByteArray("invalid context identifier: abc");
    QTest::newRow("unknown context") << QByteArray("/pmapi/fetch?context=77&names=hinv.ncpu")
                                     << QByteArray("unknown context identifier: 77");
    QTest::newRow("unknown name") << QByteArray("/pmapi/fetch?name=no.such.metric") << QByteArray("bad parameters passed");
    QTest::newRow("singular indom") << QByteArray("/pmapi/indom?name=hinv.ncpu")
                                    << QByteArray("hinv.ncpu - metric has null indom");
    QTest::newRow("bad match") << QByteArray("/pmapi/indom?name=kernel.all.load&iname=x&match=fuzzy")
                               << QByteArray("fuzzy - invalid 'match' parameter value");
    QTest::newRow("bad expr") << QByteArray("/pmapi/profile?expr=swap&indom=60.2")
                              << QByteArray("swap - invalid 'expr' parameter value");
    QTest::newRow("bad value") << QByteArray("/pmapi/store?name=mmv.control.debug&value=abc")
                               << QByteArray("failed to store value to metric mmv.control.debug: Unknown or illegal metric type");
    QTest::newRow("unreachable host") << QByteArray("/pmapi/context?hostspec=127.0.0.1:1")
                                      << QByteArray("cannot connect to PMCD: ");
  }

  void badParameters() {
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, expected);
    const HttpReply r = httpGet(port(), target);
    QVERIFY2(r.status == 400, qPrintable(r.summary()));
    QCOMPARE(r.mediaType(), QByteArray("application/json"));
    QVERIFY2(message(r).startsWith(expected), qPrintable(r.summary()));
    QCOMPARE(json(r)["success"].toBool(true), false);
    QCOMPARE(httpGet(port(), "/pmapi/fetch?names=hinv.ncpu").status, 200);  // still serving
  }

  void routingErrorsAreHtml() {
    for (const QByteArray& target : {QByteArray("/pmapi/fetch"), QByteArray("/pmapi/12x/fetch"), QByteArray("/nowhere")}) {
      const HttpReply r = httpGet(port(), target);
      QVERIFY2(r.status == 400 && r.mediaType() == "text/html", qPrintable(target + ": " + r.summary()));
      QVERIFY(r.body.contains("400 Bad Request"));
    }
  }

  void overlongUrl() {
    const QByteArray target = "/pmapi/fetch?names=" + QByteArray(9000, 'a');
    const HttpReply r = httpRaw(port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
    QVERIFY2(r.status == 414, qPrintable(r.summary()));
    QCOMPARE(httpGet(port(), "/pmapi/fetch?names=hinv.ncpu").status, 200);
  }

  // With max_contexts = 5, thirty creations leave the last five; the first is gone.
  void contextFlood() {
    QList<int> ids;
    for (int i = 0; i < 30; ++i) {
      const HttpReply r = httpGet(port(), "/pmapi/context?polltimeout=600");
      QVERIFY2(r.status == 200, qPrintable(r.summary()));
      ids << json(r)["context"].toInt();
    }
    const HttpReply first = httpGet(port(), "/pmapi/" + QByteArray::number(ids.first()) + "/fetch?names=hinv.ncpu");
    QVERIFY2(first.status == 400 && message(first).startsWith("unknown context identifier"), qPrintable(first.summary()));
    for (int i = 25; i < 30; ++i) {
      const HttpReply r = httpGet(port(), "/pmapi/" + QByteArray::number(ids[i]) + "/fetch?names=hinv.ncpu");
      QVERIFY2(r.status == 200, qPrintable(r.summary()));
    }
  }

  // polltimeout: expired once the inactivity passes, gone after the next collection.
  void contextExpiry() {
    const HttpReply made = httpGet(port(), "/pmapi/context?polltimeout=0.5");
    QVERIFY2(made.status == 200, qPrintable(made.summary()));
    const QByteArray id = QByteArray::number(json(made)["context"].toInt());
    QThread::msleep(1000);
    HttpReply r = httpGet(port(), "/pmapi/" + id + "/fetch?names=hinv.ncpu");
    QVERIFY2(r.status == 400 && (message(r) == "expired context identifier: " + id ||
                                 message(r) == "unknown context identifier: " + id),
             qPrintable(r.summary()));
    QCOMPARE(json(r)["context"].toInt(), id.toInt());
    QThread::msleep(2500);  // past the next collection (every 2 s)
    r = httpGet(port(), "/pmapi/" + id + "/fetch?names=hinv.ncpu");
    QCOMPARE(message(r), "unknown context identifier: " + id);
  }

  // A client that stops in the middle of its request is dropped after the timeout
  // (2 s here); others are served meanwhile.
  void slowClientDropped() {
    Poco::Net::StreamSocket slow(Poco::Net::SocketAddress("127.0.0.1", port()));
    const char* partial = "GET /pmapi/fetch?names=hinv.ncpu HTTP/1.1\r\nHost: x\r\n";
    slow.sendBytes(partial, static_cast<int>(std::strlen(partial)));
    QCOMPARE(httpGet(port(), "/pmapi/fetch?names=hinv.ncpu").status, 200);
    slow.setReceiveTimeout(Poco::Timespan(20, 0));
    char buf[512];
    int n = -1;
    try {
      n = slow.receiveBytes(buf, sizeof buf);  // the server's close (or its error reply), then EOF
      while (n > 0) n = slow.receiveBytes(buf, sizeof buf);
    } catch (const Poco::Exception& e) {
      QFAIL(qPrintable("the silent client was not dropped: " + QString::fromStdString(e.displayText())));
    }
    QCOMPARE(n, 0);
  }

  // This daemon's own PDU port named as a remote host: the PDU client path.
  void remoteHost() {
    const QByteArray spec = "127.0.0.1:" + QByteArray::number(daemon_.port());
    const HttpReply made = httpGet(port(), "/pmapi/context?polltimeout=60&hostspec=" + spec);
    QVERIFY2(made.status == 200, qPrintable(made.summary()));
    const QByteArray id = QByteArray::number(json(made)["context"].toInt());
    HttpReply r = httpGet(port(), "/pmapi/" + id + "/fetch?names=hinv.ncpu,kernel.all.load");
    QVERIFY2(r.status == 200, qPrintable(r.summary()));
    const auto values = json(r)["values"].toArray();
    QCOMPARE(values.size(), 2);
    QCOMPARE(values[0].toObject()["instances"].toArray()[0].toObject()["value"].toInt(), onlineCpus());
    QCOMPARE(values[1].toObject()["instances"].toArray().size(), 3);
    r = httpGet(port(), "/pmapi/" + id + "/store?name=mmv.control.debug&value=9");
    QVERIFY2(r.status == 200, qPrintable(r.summary()));
    r = httpGet(port(), "/pmapi/" + id + "/fetch?names=mmv.control.debug");
    QCOMPARE(json(r)["values"].toArray()[0].toObject()["instances"].toArray()[0].toObject()["value"].toInt(), 9);
    r = httpGet(port(), "/pmapi/" + id + "/metric?names=kernel.all.load");
    QCOMPARE(json(r)["metrics"].toArray()[0].toObject()["pmid"].toString(), QString("60.2.0"));
  }

  // HTTPS on a second port, with a self-signed certificate made here by openssl.
  void https() {
    const QString cert = tmp_.filePath("cert.pem"), key = tmp_.filePath("key.pem");
    Run made = run("openssl", {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                               "-days", "2", "-subj", "/CN=localhost"});
    QVERIFY2(made.exitCode == 0, qPrintable("openssl (Debian package openssl) could not make a certificate: " + made.err));
    TestDaemon secure;
    const quint16 tlsPort = freePort();
    QVERIFY2(secure.startSextantdRest(kSextantd, {"--tls-port", QString::number(tlsPort), "--tls-cert", cert,
                                                  "--tls-key", key}),
             qPrintable(secure.error()));
    Poco::Net::initializeSSL();
    Poco::Net::Context::Ptr trust = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", cert.toStdString(),
                                                           Poco::Net::Context::VERIFY_RELAXED);
    std::string body;
    int status = 0;
    for (int attempt = 0; attempt < 50 && status == 0; ++attempt) {  // the TLS port may open a moment later
      try {
        Poco::Net::HTTPSClientSession session("localhost", tlsPort, trust);
        Poco::Net::HTTPRequest request("GET", "/pmapi/fetch?names=hinv.ncpu", Poco::Net::HTTPMessage::HTTP_1_1);
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        status = static_cast<int>(response.getStatus());
      } catch (const Poco::Exception& e) {
        if (attempt == 49) QFAIL(qPrintable("HTTPS request failed: " + QString::fromStdString(e.displayText())));
        QThread::msleep(100);
      }
    }
    QCOMPARE(status, 200);
    const auto doc = QJsonDocument::fromJson(QByteArray::fromStdString(body)).object();
    QCOMPARE(doc["values"].toArray()[0].toObject()["instances"].toArray()[0].toObject()["value"].toInt(), onlineCpus());
    // Plain HTTP to the TLS port gets no JSON.
    const HttpReply plain = httpGet(tlsPort, "/pmapi/fetch?names=hinv.ncpu");
    QVERIFY2(plain.status != 200, qPrintable(plain.summary()));
    Poco::Net::uninitializeSSL();
  }
};

QTEST_GUILESS_MAIN(RestDaemonTest)
#include "RestDaemonTest.moc"
