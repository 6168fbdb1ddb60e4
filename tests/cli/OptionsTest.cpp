// The CLI's parsers: intervals, sample counts, options, and the JSON writer.
#include <QtTest>

#include <cmath>
#include <limits>

#include "tools/Interval.h"
#include "tools/JsonWriter.h"
#include "tools/Options.h"

using namespace sextant;
using namespace sextant::cli;

namespace {

const std::vector<OptionSpec> kSpecs = {
    {'d', "desc", false, "", "descriptor"},
    {'f', "fetch", false, "", "values"},
    {'t', "interval", true, "INTERVAL", "interval"},
    {'s', "samples", true, "N", "samples"},
    {0, "json", false, "", "json"},
};

// "d,f|interval=1,2|pos:a,b" style summary of a parse, for exact comparison.
QString summary(const ParsedOptions& p) {
  QStringList parts;
  for (const auto& [key, vals] : p.values) {
    QStringList vs;
    for (const auto& v : vals) vs << QString::fromStdString(v);
    parts << QString::fromStdString(key) + "=" + vs.join(',');
  }
  QStringList pos;
  for (const auto& v : p.positional) pos << QString::fromStdString(v);
  return parts.join('|') + " pos:" + pos.join(',');
}

std::vector<std::string> split(const QString& s) {
  std::vector<std::string> out;
  for (const auto& w : s.split(' ', Qt::SkipEmptyParts)) out.push_back(w.toStdString());
  return out;
}

}  // namespace

class OptionsTest : public QObject {
  Q_OBJECT
 private slots:
  void interval_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("micros");
    QTest::newRow("seconds") << "1" << qint64(1000000);
    QTest::newRow("fraction") << "0.5" << qint64(500000);
    QTest::newRow("leading dot") << ".25" << qint64(250000);
    QTest::newRow("s") << "2s" << qint64(2000000);
    QTest::newRow("sec with space") << "2 sec" << qint64(2000000);
    QTest::newRow("seconds word") << "3seconds" << qint64(3000000);
    QTest::newRow("ms") << "500ms" << qint64(500000);
    QTest::newRow("msec") << "250msec" << qint64(250000);
    QTest::newRow("fractional ms") << "1.5ms" << qint64(1500);
    QTest::newRow("min") << "1min" << qint64(60000000);
    QTest::newRow("m") << "2m" << qint64(120000000);
    QTest::newRow("minutes") << "0.5minutes" << qint64(30000000);
    QTest::newRow("h") << "1h" << qint64(3600000000);
    QTest::newRow("hours") << "1.5hours" << qint64(5400000000);
    QTest::newRow("a day") << "24h" << qint64(86400000000);
    QTest::newRow("microsecond") << "0.001ms" << qint64(1);
  }
  void interval() {
    QFETCH(QString, text);
    QFETCH(qint64, micros);
    auto r = parseInterval(text.toStdString());
    QVERIFY2(r.ok(), qPrintable(text));
    QCOMPARE(qint64(r->count()), micros);
  }

  void badInterval_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("why");
    QTest::newRow("empty") << "" << "empty";
    QTest::newRow("zero") << "0" << "greater than zero";
    QTest::newRow("zero ms") << "0ms" << "greater than zero";
    QTest::newRow("negative") << "-1" << "greater than zero";
    QTest::newRow("plus sign") << "+1" << "expected a number";
    QTest::newRow("word") << "abc" << "expected a number";
    QTest::newRow("unit only") << "ms" << "expected a number";
    QTest::newRow("unknown unit") << "5x" << "unknown unit 'x'";
    QTest::newRow("exponent") << "1e3" << "unknown unit 'e3'";
    QTest::newRow("two spaces") << "1  s" << "unknown unit ' s'";
    QTest::newRow("trailing space") << "1 " << "trailing space";
    QTest::newRow("inf") << "inf" << "not a finite number";
    QTest::newRow("nan") << "nan" << "not a finite number";
    QTest::newRow("too long") << "25h" << "longer than a day";
    QTest::newRow("too fine") << "0.0000001" << "shorter than a microsecond";
  }
  void badInterval() {
    QFETCH(QString, text);
    QFETCH(QString, why);
    auto r = parseInterval(text.toStdString());
    QVERIFY2(!r.ok(), qPrintable(text));
    const QString detail = QString::fromStdString(r.failure().detail);
    QVERIFY2(detail.startsWith("bad interval '" + text + "': "), qPrintable(detail));
    QVERIFY2(detail.contains(why), qPrintable(detail));
  }

  void count_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<long>("expected");  // 0: must fail
    QTest::newRow("one") << "1" << 1L;
    QTest::newRow("many") << "1000" << 1000L;
    QTest::newRow("zero") << "0" << 0L;
    QTest::newRow("negative") << "-3" << 0L;
    QTest::newRow("fraction") << "1.5" << 0L;
    QTest::newRow("empty") << "" << 0L;
    QTest::newRow("trailing") << "3x" << 0L;
    QTest::newRow("space") << " 3" << 0L;
    QTest::newRow("overflow") << "99999999999999999999999" << 0L;
  }
  void count() {
    QFETCH(QString, text);
    QFETCH(long, expected);
    auto r = parseCount(text.toStdString());
    if (expected == 0) {
      QVERIFY2(!r.ok(), qPrintable(text));
      QVERIFY(QString::fromStdString(r.failure().detail).startsWith("bad sample count '" + text + "'"));
    } else {
      QVERIFY2(r.ok(), qPrintable(text));
      QCOMPARE(*r, expected);
    }
  }

  void options_data() {
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("nothing") << "" << " pos:";
    QTest::newRow("flags") << "-d -f a" << "desc=|fetch= pos:a";
    QTest::newRow("cluster") << "-df a b" << "desc=|fetch= pos:a,b";
    QTest::newRow("value apart") << "-t 2 x" << "interval=2 pos:x";
    QTest::newRow("value joined") << "-t2 x" << "interval=2 pos:x";
    QTest::newRow("cluster ending in value") << "-dt 0.5 x" << "desc=|interval=0.5 pos:x";
    QTest::newRow("cluster with joined value") << "-dt0.5 x" << "desc=|interval=0.5 pos:x";
    QTest::newRow("long flag") << "--json a" << "json= pos:a";
    QTest::newRow("long value apart") << "--interval 3 a" << "interval=3 pos:a";
    QTest::newRow("long value equals") << "--interval=3 a" << "interval=3 pos:a";
    QTest::newRow("negative value") << "-s -1" << "samples=-1 pos:";
    QTest::newRow("repeated") << "-t 1 -t 2" << "interval=1,2 pos:";
    QTest::newRow("interleaved") << "a -d b" << "desc= pos:a,b";
    QTest::newRow("double dash") << "-d -- -f --json" << "desc= pos:-f,--json";
    QTest::newRow("lone dash") << "- a" << " pos:-,a";
  }
  void options() {
    QFETCH(QString, args);
    QFETCH(QString, expected);
    auto a = split(args);
    auto r = parseOptions(a, kSpecs);
    QVERIFY2(r.ok(), r.ok() ? "" : r.failure().detail.c_str());
    QCOMPARE(summary(*r), expected);
  }

  void badOptions_data() {
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown short") << "-x" << "unknown option '-x'";
    QTest::newRow("unknown in cluster") << "-dqf" << "unknown option '-q'";
    QTest::newRow("unknown long") << "--bogus" << "unknown option '--bogus'";
    QTest::newRow("unknown long with value") << "--bogus=1" << "unknown option '--bogus'";
    QTest::newRow("missing short value") << "-t" << "option '-t' needs a value";
    QTest::newRow("missing long value") << "a --interval" << "option '--interval' needs a value";
    QTest::newRow("value on a flag") << "--json=yes" << "option '--json' takes no value";
  }
  void badOptions() {
    QFETCH(QString, args);
    QFETCH(QString, message);
    auto a = split(args);
    auto r = parseOptions(a, kSpecs);
    QVERIFY(!r.ok());
    QCOMPARE(QString::fromStdString(r.failure().detail), message);
  }

  void lastValueWins() {
    std::vector<std::string> a = {"-t", "1", "--interval=5"};
    auto r = parseOptions(a, kSpecs);
    QVERIFY(r.ok());
    QCOMPARE(r->value("interval").value_or(""), std::string("5"));
    QVERIFY(!r->value("samples").has_value());
    QVERIFY(r->has("interval"));
    QVERIFY(!r->has("desc"));
  }

  void help() {
    const std::string text = optionsHelp(kSpecs);
    QCOMPARE(QString::fromStdString(text),
             QString("  -d, --desc               descriptor\n"
                     "  -f, --fetch              values\n"
                     "  -t, --interval=INTERVAL  interval\n"
                     "  -s, --samples=N          samples\n"
                     "      --json               json\n"));
  }

  void json() {
    JsonWriter j;
    j.beginObject();
    j.key("s").value("a\"b\\c\n\x01");
    j.key("i").value(std::int64_t(-5));
    j.key("u").value(std::uint64_t(18446744073709551615ull));
    j.key("d").value(0.1);
    j.key("f").value(0.21f);
    j.key("nan").value(std::numeric_limits<double>::quiet_NaN());
    j.key("inf").value(-std::numeric_limits<float>::infinity());
    j.key("b").value(true);
    j.key("n").null();
    j.key("a").beginArray().value(std::int64_t(1)).beginObject().endObject().beginArray().endArray().endArray();
    j.endObject();
    QCOMPARE(QString::fromStdString(j.text()),
             QString("{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"i\":-5,\"u\":18446744073709551615,\"d\":0.1,"
                     "\"f\":0.21,\"nan\":null,\"inf\":null,\"b\":true,\"n\":null,\"a\":[1,{},[]]}"));
  }
};

QTEST_APPLESS_MAIN(OptionsTest)
#include "OptionsTest.moc"
