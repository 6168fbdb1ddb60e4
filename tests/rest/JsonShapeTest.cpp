// The shape comparison the REST tests rely on (JsonShape.h): what it must report, and
// what it must let through (values, server-specific order of traversals and instances).
#include <QtTest>

#include "JsonShape.h"

using namespace sextant::test;

class JsonShapeTest : public QObject {
  Q_OBJECT

 private slots:
  void compare_data() {
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QByteArray>("actual");
    QTest::addColumn<QString>("differences");
    auto row = [](const char* name, const char* e, const char* a, const char* d) {
      QTest::newRow(name) << QByteArray(e) << QByteArray(a) << QString(d);
    };
    row("same shape, other values", R"({"a":1,"b":"x","c":[1,2]})", R"({"a":7,"b":"y","c":[3]})", "");
    row("missing key", R"({"metrics":[{"name":"m","labels":{"agent":"linux","host":"h"}}]})",
        R"({"metrics":[{"name":"m","labels":{"host":"h"}}]})", R"(metrics[0].labels: missing key "agent")");
    row("unexpected key", R"({"a":1})", R"({"a":1,"z":2})", R"((top): unexpected key "z")");
    row("type", R"({"v":[{"instance":null,"value":1}]})", R"({"v":[{"instance":0,"value":1}]})",
        "v[0].instance: null from pmproxy, number from sextantd");
    row("paired by instance", R"({"v":[{"instance":1},{"instance":5}]})", R"({"v":[{"instance":5},{"instance":2}]})",
        "v: no element with instance 1 from sextantd|v: element with instance 2 only from sextantd");
    row("nested type", R"({"v":{"x":1}})", R"({"v":{"x":"1"}})", "v.x: number from pmproxy, string from sextantd");
    row("key order", R"({"name":"m","pmid":"1.2.3"})", R"({"pmid":"1.2.3","name":"m"})",
        "(top): key order name,pmid from pmproxy, pmid,name from sextantd");
    row("paired by name", R"([{"name":"a","indom":"1"},{"name":"b"}])", R"([{"name":"b"},{"name":"a","indom":"2"}])", "");
    row("element missing", R"([{"name":"a"},{"name":"b"}])", R"([{"name":"a"}])",
        R"((top): no element with name "b" from sextantd)");
    row("empty against full", R"({"instances":[{"instance":1}]})", R"({"instances":[]})",
        "instances: 1 elements from pmproxy, 0 from sextantd");
    row("invalid JSON", R"({"a":1})", R"({"value":-nan})", "sextantd: invalid JSON...");
  }

  void compare() {
    QFETCH(QByteArray, expected);
    QFETCH(QByteArray, actual);
    QFETCH(QString, differences);
    const QStringList got = compareJsonShapes(expected, actual);
    if (differences.endsWith("...")) {
      QCOMPARE(got.size(), 1);
      QVERIFY2(got[0].startsWith(differences.chopped(3)), qPrintable(got[0]));
    } else {
      QCOMPARE(got.join('|'), differences);
    }
  }

  void freeKeysAndOrder() {
    ShapeOptions o;
    o.freeKeys = QRegularExpression("labels$");
    QVERIFY(compareJsonShapes(R"({"labels":{"a":1}})", R"({"labels":{"b":"x"}})", o).isEmpty());
    ShapeOptions optional;
    optional.optionalKeys = QStringList{"agent"};
    QVERIFY(compareJsonShapes(R"({"labels":{"agent":"a","b":1}})", R"({"labels":{"b":2}})", optional).isEmpty());
    QCOMPARE(compareJsonShapes(R"({"labels":{"agent":"a","b":1}})", R"({"labels":{}})", optional).join('|'),
             QString(R"(labels: missing key "b")"));
    o.keyOrder = false;
    QVERIFY(compareJsonShapes(R"({"x":1,"y":2})", R"({"y":2,"x":1})", o).isEmpty());
  }
};

QTEST_GUILESS_MAIN(JsonShapeTest)
#include "JsonShapeTest.moc"
