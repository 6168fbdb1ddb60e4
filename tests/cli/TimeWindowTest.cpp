// The -S/-T/-O time parser and window rules (PCPIntro(1) "TIME WINDOW SPECIFICATION",
// pmParseTimeWindow(3)), over a fixed archive span, in fixed zones.
#include <time.h>

#include <QtTest>

#include "tools/TimeWindow.h"

using namespace sextant;
using namespace sextant::cli;

namespace {

// 2024-03-04 is a Monday. The archive runs 13:07:47 to 15:00:00 UTC.
Timestamp utc(int year, int month, int day, int hour, int minute, int second, int millis = 0) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return Timestamp(std::chrono::seconds(timegm(&tm))) + std::chrono::milliseconds(millis);
}

const Timestamp kFirst = utc(2024, 3, 4, 13, 7, 47);
const Timestamp kLast = utc(2024, 3, 4, 15, 0, 0);

void setZone(const char* zone) {
  qputenv("TZ", zone);
  tzset();
}

std::optional<TimeSpec> specOf(const QString& text) {
  if (text.isEmpty()) return std::nullopt;
  auto spec = parseTimeSpec(text.toStdString());
  if (!spec) qWarning("%s", spec.failure().detail.c_str());
  return spec ? std::optional<TimeSpec>(*spec) : std::nullopt;
}

}  // namespace

class TimeWindowTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase() { setZone("UTC"); }

  // A spec given to -S: intervals count from the archive's start, "-" ones back from its
  // end, calendar times fill missing leading fields from the start.
  void resolves_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");  // local (UTC) time
    QTest::newRow("bare seconds") << "30" << "2024-03-04 13:08:17.000";
    QTest::newRow("plus seconds") << "+30s" << "2024-03-04 13:08:17.000";
    QTest::newRow("plus hour") << "+1h" << "2024-03-04 14:07:47.000";
    QTest::newRow("compound") << "1h30m" << "2024-03-04 14:37:47.000";
    QTest::newRow("spaced compound") << "1 hour 30 min" << "2024-03-04 14:37:47.000";
    QTest::newRow("plural") << "2 hours" << "2024-03-04 15:07:47.000";
    QTest::newRow("fraction") << "1.5min" << "2024-03-04 13:09:17.000";
    QTest::newRow("milliseconds") << "500ms" << "2024-03-04 13:07:47.500";
    QTest::newRow("msecs") << "250msecs" << "2024-03-04 13:07:47.250";
    QTest::newRow("day") << "1d" << "2024-03-05 13:07:47.000";
    QTest::newRow("upper case unit") << "+2MIN" << "2024-03-04 13:09:47.000";
    QTest::newRow("back from end") << "-5min" << "2024-03-04 14:55:00.000";
    QTest::newRow("minus zero") << "-0" << "2024-03-04 15:00:00.000";
    QTest::newRow("iso minutes") << "2024-03-04 14:00" << "2024-03-04 14:00:00.000";
    QTest::newRow("iso seconds") << "2024-03-04 14:00:30" << "2024-03-04 14:00:30.000";
    QTest::newRow("iso T fraction") << "2024-03-04T14:00:30.25" << "2024-03-04 14:00:30.250";
    QTest::newRow("iso date") << "2024-03-04" << "2024-03-04 00:00:00.000";
    QTest::newRow("iso with @") << "@ 2024-03-04 14:00" << "2024-03-04 14:00:00.000";
    QTest::newRow("time later that day") << "14:10" << "2024-03-04 14:10:00.000";
    QTest::newRow("time same hour") << "13:05" << "2024-03-04 13:05:00.000";  // only the hour is compared
    QTest::newRow("time earlier: next day") << "10:00" << "2024-03-05 10:00:00.000";
    QTest::newRow("time with seconds") << "14:10:05.5" << "2024-03-04 14:10:05.500";
    QTest::newRow("pm") << "2:30pm" << "2024-03-04 14:30:00.000";
    QTest::newRow("midnight am") << "12:00am" << "2024-03-05 00:00:00.000";
    QTest::newRow("ctime full") << "@ Mon Mar  4 13:07:50 2024" << "2024-03-04 13:07:50.000";
    QTest::newRow("ctime date and year") << "@ Mar 4 1996" << "1996-03-04 00:00:00.000";
    QTest::newRow("ctime date") << "@ Mar 5" << "2024-03-05 00:00:00.000";
    QTest::newRow("ctime month") << "@ Mar" << "2024-03-01 00:00:00.000";
    QTest::newRow("ctime earlier month: next year") << "@ Feb" << "2025-02-01 00:00:00.000";
    QTest::newRow("ctime time") << "@ 13:08" << "2024-03-04 13:08:00.000";
    QTest::newRow("ctime time no space") << "@13:08" << "2024-03-04 13:08:00.000";
    QTest::newRow("ctime weekday ignored") << "@ Tuesday Mar 5 10:00 2024" << "2024-03-05 10:00:00.000";
    QTest::newRow("ctime pm token") << "@ Mar 4 2:30 pm" << "2024-03-04 14:30:00.000";
    QTest::newRow("ctime day only") << "@ Mar 4 14:00:01" << "2024-03-04 14:00:01.000";
  }
  void resolves() {
    QFETCH(QString, text);
    QFETCH(QString, expected);
    auto spec = parseTimeSpec(text.toStdString());
    QVERIFY2(spec.ok(), spec.ok() ? "" : spec.failure().detail.c_str());
    QCOMPARE(QString::fromStdString(localTimeText(resolveTime(*spec, kFirst, kLast))), expected);
  }

  void rejects_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("why");  // in the message, after "bad time 'TEXT': "
    const QString forms = "expected an interval";
    QTest::newRow("empty") << "" << "empty";
    QTest::newRow("blank") << "  " << "empty";
    QTest::newRow("word") << "soon" << forms;
    QTest::newRow("unknown unit") << "5 fortnights" << "unknown unit 'fortnights'";
    QTest::newRow("exponent") << "1e3" << "unknown unit 'e'";
    QTest::newRow("plus alone") << "+" << "empty";
    QTest::newRow("minus alone") << "-" << "empty";
    QTest::newRow("minus word") << "-soon" << forms;
    QTest::newRow("at alone") << "@" << forms;
    QTest::newRow("weekday alone") << "@ Mon" << forms;
    QTest::newRow("plus clock") << "+10:00" << forms;
    QTest::newRow("hour 25") << "25:00" << forms;
    QTest::newRow("minute 61") << "10:61" << forms;
    QTest::newRow("month 13") << "2024-13-01" << forms;
    QTest::newRow("day 32") << "@ Mar 32" << forms;
    QTest::newRow("13pm") << "13:00pm" << forms;
    QTest::newRow("zone name") << "2024-03-04 14:00 EST" << forms;
    QTest::newRow("trailing junk") << "@ Mar 4 1996 x" << forms;
    QTest::newRow("too long") << "+40000d" << "longer than 31 years";
  }
  void rejects() {
    QFETCH(QString, text);
    QFETCH(QString, why);
    auto spec = parseTimeSpec(text.toStdString());
    QVERIFY(!spec.ok());
    const QString detail = QString::fromStdString(spec.failure().detail);
    QVERIFY2(detail.startsWith("bad time '" + text + "': " + why), qPrintable(detail));
    QVERIFY(!detail.contains('\n'));
  }

  // -S, -T and -O together over the archive: PCP's pmParseTimeWindow rules.
  void window_data() {
    QTest::addColumn<QString>("start");
    QTest::addColumn<QString>("finish");
    QTest::addColumn<QString>("origin");
    QTest::addColumn<QString>("expected");  // "start | end | origin", or the start of an error
    QTest::newRow("whole archive") << "" << "" << ""
                                   << "2024-03-04 13:07:47.000 | 2024-03-04 15:00:00.000 | 2024-03-04 13:07:47.000";
    QTest::newRow("start offset") << "+10min" << "" << ""
                                  << "2024-03-04 13:17:47.000 | 2024-03-04 15:00:00.000 | 2024-03-04 13:17:47.000";
    QTest::newRow("finish back from end") << "" << "-30min" << ""
                                          << "2024-03-04 13:07:47.000 | 2024-03-04 14:30:00.000 | 2024-03-04 13:07:47.000";
    QTest::newRow("finish counts from start") << "+10min" << "+20min" << ""
                                              << "2024-03-04 13:17:47.000 | 2024-03-04 13:37:47.000 | 2024-03-04 13:17:47.000";
    QTest::newRow("origin counts from start") << "+10min" << "" << "+5min"
                                              << "2024-03-04 13:17:47.000 | 2024-03-04 15:00:00.000 | 2024-03-04 13:22:47.000";
    QTest::newRow("origin at the end") << "" << "-30min" << "-0"
                                       << "2024-03-04 13:07:47.000 | 2024-03-04 14:30:00.000 | 2024-03-04 14:30:00.000";
    QTest::newRow("start before archive: clamped") << "2024-03-04 12:00" << "" << ""
                                                   << "2024-03-04 13:07:47.000 | 2024-03-04 15:00:00.000 | 2024-03-04 13:07:47.000";
    QTest::newRow("finish after archive: clamped") << "" << "+3h" << ""
                                                   << "2024-03-04 13:07:47.000 | 2024-03-04 15:00:00.000 | 2024-03-04 13:07:47.000";
    QTest::newRow("start after archive") << "2024-03-05 00:00" << "" << ""
                                         << "the time window starts at 2024-03-05 00:00:00.000, after the archive ends "
                                            "(2024-03-04 15:00:00.000)";
    QTest::newRow("start past end by offset") << "+3h" << "" << ""
                                              << "the time window starts at 2024-03-04 16:07:47.000, after the archive ends";
    QTest::newRow("finish before archive") << "" << "2024-03-04 12:00" << ""
                                           << "the time window ends at 2024-03-04 12:00:00.000, before the archive starts "
                                              "(2024-03-04 13:07:47.000)";
    QTest::newRow("finish before start") << "+1h" << "2024-03-04 13:30" << ""
                                         << "the time window ends at 2024-03-04 13:30:00.000, before it starts "
                                            "(2024-03-04 14:07:47.000)";
    QTest::newRow("origin outside") << "" << "-1h" << "2024-03-04 14:30"
                                    << "the origin 2024-03-04 14:30:00.000 is outside the time window "
                                       "(2024-03-04 13:07:47.000 to 2024-03-04 14:00:00.000)";
  }
  void window() {
    QFETCH(QString, start);
    QFETCH(QString, finish);
    QFETCH(QString, origin);
    QFETCH(QString, expected);
    WindowSpecs specs{specOf(start), specOf(finish), specOf(origin)};
    QCOMPARE(specs.start.has_value(), !start.isEmpty());
    QCOMPARE(specs.finish.has_value(), !finish.isEmpty());
    QCOMPARE(specs.origin.has_value(), !origin.isEmpty());
    auto w = resolveWindow(specs, kFirst, kLast);
    if (expected.contains(" | ")) {
      QVERIFY2(w.ok(), w.ok() ? "" : w.failure().detail.c_str());
      QCOMPARE(QString::fromStdString(localTimeText(w->start) + " | " + localTimeText(w->end) + " | " +
                                      localTimeText(w->origin)),
               expected);
    } else {
      QVERIFY(!w.ok());
      QVERIFY2(QString::fromStdString(w.failure().detail).startsWith(expected), w.failure().detail.c_str());
    }
  }

  // Calendar times and printed times follow TZ (-Z, -z set it): a zone five hours
  // behind UTC, POSIX style so that no zone database is needed.
  void zones() {
    setZone("EST5");
    auto spec = parseTimeSpec("2024-03-04 08:07:47");
    QVERIFY(spec.ok());
    QCOMPARE(resolveTime(*spec, kFirst, kLast), kFirst);
    QCOMPARE(QString::fromStdString(localTimeText(kFirst)), QString("2024-03-04 08:07:47.000"));
    QCOMPARE(QString::fromStdString(isoTimeText(kFirst + std::chrono::milliseconds(250))),
             QString("2024-03-04T08:07:47.250-05:00"));
    setZone("IST-5:30");
    QCOMPARE(QString::fromStdString(isoTimeText(kFirst)), QString("2024-03-04T18:37:47.000+05:30"));
    setZone("UTC");
    QCOMPARE(QString::fromStdString(isoTimeText(kFirst)), QString("2024-03-04T13:07:47.000+00:00"));
  }

  void offsets_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("millis");
    QTest::newRow("seconds") << "2" << qint64(2000);
    QTest::newRow("hours and minutes") << "2h30m" << qint64(9'000'000);
    QTest::newRow("millisecond words") << "3 milliseconds" << qint64(3);
    QTest::newRow("hr") << "1hr" << qint64(3'600'000);
    QTest::newRow("days") << "2days" << qint64(172'800'000);
  }
  void offsets() {
    QFETCH(QString, text);
    QFETCH(qint64, millis);
    auto n = parseOffset(text.toStdString());
    QVERIFY(n.ok());
    QCOMPARE(std::chrono::duration_cast<std::chrono::milliseconds>(*n).count(), millis);
  }
};

QTEST_GUILESS_MAIN(TimeWindowTest)
#include "TimeWindowTest.moc"
