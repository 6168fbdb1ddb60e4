// HOST[:PORT] as -h takes it, $PMCD_PORT, and the timeout variables: pure parsing.
#include <QtTest>

#include "tools/HostSpec.h"

using namespace sextant::cli;

class HostSpecTest : public QObject {
  Q_OBJECT
 private slots:
  void parse_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");
    QTest::addColumn<QString>("written");  // toString(), or the failure detail
    QTest::newRow("name") << "db1" << true << "db1" << 44321 << "db1:44321";
    QTest::newRow("name:port") << "db1.example.com:24321" << true << "db1.example.com" << 24321
                               << "db1.example.com:24321";
    QTest::newRow("ipv4") << "127.0.0.1" << true << "127.0.0.1" << 44321 << "127.0.0.1:44321";
    QTest::newRow("ipv4:port") << "10.1.2.3:1" << true << "10.1.2.3" << 1 << "10.1.2.3:1";
    QTest::newRow("bare ipv6") << "::1" << true << "::1" << 44321 << "[::1]:44321";
    QTest::newRow("bare ipv6 long") << "fe80::1:2" << true << "fe80::1:2" << 44321 << "[fe80::1:2]:44321";
    QTest::newRow("[ipv6]") << "[::1]" << true << "::1" << 44321 << "[::1]:44321";
    QTest::newRow("[ipv6]:port") << "[::1]:65535" << true << "::1" << 65535 << "[::1]:65535";
    QTest::newRow("empty") << "" << false << "" << 0 << "bad host specification '': no host name";
    QTest::newRow("port only") << ":44321" << false << "" << 0 << "bad host specification ':44321': no host name";
    QTest::newRow("empty port") << "h:" << false << "" << 0
                                << "bad host specification 'h:': port must be a number from 1 to 65535";
    QTest::newRow("port zero") << "h:0" << false << "" << 0
                               << "bad host specification 'h:0': port must be a number from 1 to 65535";
    QTest::newRow("port too big") << "h:65536" << false << "" << 0
                                  << "bad host specification 'h:65536': port must be a number from 1 to 65535";
    QTest::newRow("port junk") << "h:12x" << false << "" << 0
                               << "bad host specification 'h:12x': port must be a number from 1 to 65535";
    QTest::newRow("negative port") << "h:-5" << false << "" << 0
                                   << "bad host specification 'h:-5': port must be a number from 1 to 65535";
    QTest::newRow("unclosed [") << "[::1" << false << "" << 0 << "bad host specification '[::1': missing ']'";
    QTest::newRow("junk after ]") << "[::1]x" << false << "" << 0
                                  << "bad host specification '[::1]x': expected ':PORT' after ']'";
    QTest::newRow("empty []") << "[]:5" << false << "" << 0 << "bad host specification '[]:5': no host name";
    QTest::newRow("space") << "a b" << false << "" << 0 << "bad host specification 'a b': not a host name or address";
  }
  void parse() {
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(QString, host);
    QFETCH(int, port);
    QFETCH(QString, written);
    auto spec = parseHostSpec(text.toStdString());
    QCOMPARE(spec.ok(), ok);
    if (!ok) {
      QCOMPARE(QString::fromStdString(spec.failure().detail), written);
      return;
    }
    QCOMPARE(QString::fromStdString(spec->host), host);
    QCOMPARE(int(spec->port), port);
    QCOMPARE(QString::fromStdString(spec->toString()), written);
  }

  void defaultPortApplies() {
    auto spec = parseHostSpec("h", 24321);
    QVERIFY(spec.ok());
    QCOMPARE(int(spec->port), 24321);
    auto explicitPort = parseHostSpec("h:5", 24321);
    QCOMPARE(int(explicitPort->port), 5);
  }

  void pmcdPort_data() {
    QTest::addColumn<QString>("env");  // "<unset>" for no variable
    QTest::addColumn<int>("port");
    QTest::newRow("unset") << "<unset>" << 44321;
    QTest::newRow("one") << "24321" << 24321;
    QTest::newRow("list: first wins") << "24321,44321" << 24321;
    QTest::newRow("junk") << "pmcd" << 44321;
    QTest::newRow("empty") << "" << 44321;
    QTest::newRow("zero") << "0" << 44321;
    QTest::newRow("too big") << "70000" << 44321;
  }
  void pmcdPort() {
    QFETCH(QString, env);
    QFETCH(int, port);
    std::string value = env.toStdString();
    auto arg = env == "<unset>" ? std::nullopt : std::optional<std::string_view>(value);
    QCOMPARE(int(defaultPmcdPort(arg)), port);
  }

  void timeouts_data() {
    QTest::addColumn<QString>("env");
    QTest::addColumn<int>("ms");  // -1: not usable
    QTest::newRow("seconds") << "5" << 5000;
    QTest::newRow("fraction") << "0.25" << 250;
    QTest::newRow("tiny rounds up to 1 ms") << "0.0001" << 1;
    QTest::newRow("zero") << "0" << -1;
    QTest::newRow("negative") << "-3" << -1;
    QTest::newRow("junk") << "5s" << -1;
    QTest::newRow("empty") << "" << -1;
    QTest::newRow("inf") << "inf" << -1;
    QTest::newRow("nan") << "nan" << -1;
    QTest::newRow("over a day") << "90000" << -1;
  }
  void timeouts() {
    QFETCH(QString, env);
    QFETCH(int, ms);
    std::string value = env.toStdString();
    auto t = parseTimeoutSeconds(std::optional<std::string_view>(value));
    QCOMPARE(t.has_value(), ms >= 0);
    if (t) QCOMPARE(int(t->count()), ms);
    QVERIFY(!parseTimeoutSeconds(std::nullopt).has_value());
  }
};

QTEST_GUILESS_MAIN(HostSpecTest)
#include "HostSpecTest.moc"
