// Replay through the real sextant binary: watch, fetch, info and dump over archives
// written by the real ArchiveWriter with known values (TestArchive.h), so that rates,
// windows, interpolation and the dump's text have exact expected values.
#include <QTemporaryDir>
#include <QtTest>

#include "../TestProcess.h"
#include "TestArchive.h"
#include "tools/archive/Sqlite.h"

using sextant::test::Run;
using sextant::test::sampleLines;

namespace {

// Times print in the zone of TZ: UTC, so that the expected text is the same anywhere.
Run sextantCli(const QStringList& args) {
  sextant::test::RunOptions options;
  options.env = {"TZ=UTC"};
  return sextant::test::run(QStringLiteral(SEXTANT_BIN "/sextant"), args, options);
}

// The sample lines of watch output as "TIME V1 V2;TIME V1 V2".
QString samples(const Run& r) {
  QStringList lines;
  for (const auto& fields : sampleLines(r.out)) lines << fields.join(' ');
  return lines.join(';');
}

}  // namespace

class ReplayCliTest : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  QString full_, tiny_, eastern_;

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    full_ = dir_.filePath("full.sextant");
    tiny_ = dir_.filePath("tiny.sextant");
    eastern_ = dir_.filePath("eastern.sextant");
    for (auto [path, count, zone] : {std::tuple{full_, 5, "UTC"}, {tiny_, 3, "UTC"}, {eastern_, 5, "EST5"}}) {
      const std::string why = sextant::test::writeTestArchive(path.toStdString(), count, zone);
      QVERIFY2(why.empty(), why.c_str());
    }
  }

  // A counter as a rate per second, from recorded time without waiting, to the end.
  void watchRates() {
    Run r = sextantCli({"watch", "-a", full_, "test.requests"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(r.err, QString());  // the end of the recording ends it quietly
    QCOMPARE(samples(r), QString("13:00:01.000 100.0000;13:00:02.000 300.0000;13:00:03.000 500.0000;"
                                 "13:00:04.000 700.0000"));
    for (const QString line : {"metric:    test.requests\n", "host:      testhost\n", "interval:  1.00 sec\n",
                               "start:     2024-03-04 13:00:00.000\n", "end:       2024-03-04 13:00:04.000\n",
                               "semantics: cumulative counter (converting to rate)\n"})
      QVERIFY2(r.out.contains(line), qPrintable(line + " in:\n" + r.out));
    QVERIFY(r.out.contains("archive:   " + full_ + "\n"));
  }

  void windows_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    const QString counter = "test.requests";
    QTest::newRow("start and finish") << QStringList{"-S", "+1s", "-T", "+2s", counter}
                                      << "13:00:02.000 300.0000;13:00:03.000 500.0000";
    QTest::newRow("finish back from end") << QStringList{"-T", "-2s", counter}
                                          << "13:00:01.000 100.0000;13:00:02.000 300.0000";
    QTest::newRow("start at a time") << QStringList{"-S", "@ 13:00:02", counter}
                                     << "13:00:03.000 500.0000;13:00:04.000 700.0000";
    QTest::newRow("start at a date and time") << QStringList{"-S", "2024-03-04 13:00:03", counter}
                                              << "13:00:04.000 700.0000";
    QTest::newRow("origin") << QStringList{"-O", "+2s", counter} << "13:00:03.000 500.0000;13:00:04.000 700.0000";
    QTest::newRow("samples") << QStringList{"-s", "2", counter} << "13:00:01.000 100.0000;13:00:02.000 300.0000";
    QTest::newRow("instances, no silent first") << QStringList{"-S", "+3s", "test.load"}
                                                << "13:00:03.000 4.0000 40.0000 8.0000;13:00:04.000 5.0000 50.0000 9.0000";
    // Half the recorded interval: counters and instants interpolated between samples.
    QTest::newRow("half interval counter")
        << QStringList{"-t", "0.5", counter}
        << "13:00:00.500 100.0000;13:00:01.000 100.0000;13:00:01.500 300.0000;13:00:02.000 300.0000;"
           "13:00:02.500 500.0000;13:00:03.000 500.0000;13:00:03.500 700.0000;13:00:04.000 700.0000";
    QTest::newRow("half interval instant")
        << QStringList{"-t", "500ms", "-S", "+2s", "test.load"}
        << "13:00:02.000 3.0000 30.0000 7.0000;13:00:02.500 3.5000 35.0000 7.5000;13:00:03.000 4.0000 40.0000 8.0000;"
           "13:00:03.500 4.5000 45.0000 8.5000;13:00:04.000 5.0000 50.0000 9.0000";
    QTest::newRow("two intervals") << QStringList{"-t", "2", counter}
                                   << "13:00:02.000 200.0000;13:00:04.000 600.0000";
  }
  void windows() {
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    Run r = sextantCli(QStringList{"watch", "-a", full_} + args);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(samples(r), expected);
  }

  void halfIntervalHeader() {
    Run r = sextantCli({"watch", "-a", full_, "-t", "0.5", "-s", "1", "test.requests"});
    QVERIFY(r.out.contains("interval:  0.50 sec\n"));
  }

  // -z: the archive's zone (EST5 is five hours behind UTC); -Z: one given.
  void zones() {
    Run z = sextantCli({"watch", "-a", eastern_, "-z", "-s", "1", "test.requests"});
    QCOMPARE(samples(z), QString("08:00:01.000 100.0000"));
    Run at = sextantCli({"watch", "-a", eastern_, "-z", "-S", "@08:00:02", "-s", "1", "test.requests"});
    QCOMPARE(samples(at), QString("08:00:03.000 500.0000"));
    Run given = sextantCli({"watch", "-a", eastern_, "-Z", "UTC-1", "-s", "1", "test.requests"});
    QCOMPARE(samples(given), QString("14:00:01.000 100.0000"));
    Run both = sextantCli({"watch", "-a", eastern_, "-Z", "UTC", "-z", "test.requests"});
    QCOMPARE(both.exitCode, 2);
  }

  // Times are kept in UTC and only shown in a zone: across the switch to summer time in
  // Paris (2024-03-31 01:00 UTC, local clocks jump from 02:00 to 03:00) samples stay one
  // second apart, rates stay right, and local times jump with the clocks.
  void daylightSaving() {
    const QString path = dir_.filePath("paris.sextant");
    {
      using namespace sextant;
      archive::ArchiveMeta meta;
      meta.hostName = "paris";
      meta.timezone = "Europe/Paris";
      auto w = archive::ArchiveWriter::create(path.toStdString(), meta);
      QVERIFY(w.ok());
      const Descriptor d{sextant::test::kRequests, ValueType::U64, InDom(), Semantics::Counter, Units::count()};
      QVERIFY((*w)->addMetric({"test.requests", d, "requests", "", {}}).ok());
      const Timestamp switchAt{std::chrono::seconds(1711846800)};  // 2024-03-31T01:00:00Z
      for (int k = -2; k < 2; ++k) {
        const FetchResult sample{switchAt + std::chrono::seconds(k),
                                 {{sextant::test::kRequests, 0, {{kNullInstance, std::uint64_t(1000 + 100 * (k + 2))}}}}};
        QVERIFY((*w)->writeSample(sample).ok());
      }
    }
    Run csv = sextantCli({"dump", "--csv", "-z", path});
    QVERIFY2(csv.exitCode == 0, qPrintable(csv.err));
    QCOMPARE(csv.out, QString("time,test.requests\n2024-03-31T01:59:58.000+01:00,1000\n2024-03-31T01:59:59.000+01:00,1100\n"
                              "2024-03-31T03:00:00.000+02:00,1200\n2024-03-31T03:00:01.000+02:00,1300\n"));
    Run watch = sextantCli({"watch", "-a", path, "-z", "test.requests"});
    QVERIFY2(watch.exitCode == 0, qPrintable(watch.err));
    QCOMPARE(samples(watch), QString("01:59:59.000 100.0000;03:00:00.000 100.0000;03:00:01.000 100.0000"));
    Run utc = sextantCli({"dump", "--csv", "-Z", "UTC", path});
    QVERIFY(utc.out.contains("2024-03-31T00:59:59.000+00:00,1100\n2024-03-31T01:00:00.000+00:00,1200\n"));
  }

  void fetchAndInfo_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("first sample") << QStringList{"fetch", "test.requests", "test.load"}
                                  << "test.requests 0\ntest.load[a] 1\ntest.load[b] 10\n";
    QTest::newRow("origin") << QStringList{"fetch", "-O", "+3s", "test.requests", "test.load"}
                            << "test.requests 900\ntest.load[a] 4\ntest.load[b] 40\ntest.load[c] 8\n";
    QTest::newRow("between samples") << QStringList{"fetch", "-S", "+2.5s", "test.requests"} << "test.requests 650\n";
    QTest::newRow("string held") << QStringList{"fetch", "-O", "+1.5s", "test.state"} << "test.state \"busy, queued\"\n";
    QTest::newRow("info -f") << QStringList{"info", "-f", "-O", "-0", "test.requests"} << "\ntest.requests\n    value 1600\n";
    QTest::newRow("info names") << QStringList{"info"} << "test.load\ntest.requests\ntest.state\n";
    QTest::newRow("info -d") << QStringList{"info", "-d", "test.load"}
                             << "\ntest.load\n    Data Type: double  InDom: 250.1 0x3e800001\n"
                                "    Semantics: instant  Units: none\n";
  }
  void fetchAndInfo() {
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    Run r = sextantCli(QStringList{"-a", full_} + args);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(r.out, expected);
  }

  void fetchJsonTimestamp() {
    Run r = sextantCli({"fetch", "--json", "-a", full_, "-O", "+1s", "test.requests"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("{\"timestamp\":1709557201,"), qPrintable(r.out));
  }

  void dump() {
    Run r = sextantCli({"dump", full_});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QString expected[] = {
        "Archive:   " + full_ + "\nHost:      testhost\nTimezone:  UTC\nStart:     2024-03-04 13:00:00.000\n"
        "End:       2024-03-04 13:00:04.000\nInterval:  1 sec\nSamples:   5\nLabels:    {\"hostname\":\"testhost\"}\n",
        "PMID: 250.0.1 (test.requests)\n    Data Type: 64-bit unsigned int  InDom: PM_INDOM_NULL 0xffffffff\n"
        "    Semantics: counter  Units: count\n",
        "PMID: 250.0.3 (test.state)\n    Data Type: string  InDom: PM_INDOM_NULL 0xffffffff\n"
        "    Semantics: discrete  Units: none\n",
        "InDom: 250.1 [queues]\n    2024-03-04 13:00:00.000  2 instances\n        0 or \"a\"\n        1 or \"b\"\n"
        "    2024-03-04 13:00:02.000  3 instances\n        0 or \"a\"\n        1 or \"b\"\n        2 or \"c\"\n",
        "2024-03-04 13:00:01.000  3 metrics\n    250.0.2 (test.load): inst [0 or \"a\"] value 2\n"
        "                         inst [1 or \"b\"] value 20\n    250.0.1 (test.requests): value 100\n"
        "    250.0.3 (test.state): value \"busy, queued\"\n",
        "2024-03-04 13:00:04.000  3 metrics\n    250.0.2 (test.load): inst [0 or \"a\"] value 5\n"
        "                         inst [1 or \"b\"] value 50\n                         inst [2 or \"c\"] value 9\n"
        "    250.0.1 (test.requests): value 1600\n",
    };
    for (const QString& part : expected) QVERIFY2(r.out.contains(part), qPrintable(part + "\nnot in:\n" + r.out));
    QCOMPARE(r.out.count(QRegularExpression("^2024-03-04 13:00:0\\d.000  3 metrics$", QRegularExpression::MultilineOption)),
             5);
  }

  void dumpWindowAndNames() {
    Run r = sextantCli({"dump", "-S", "+3s", full_, "test.requests"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains("Window:    2024-03-04 13:00:03.000 to 2024-03-04 13:00:04.000\n"));
    QVERIFY(r.out.contains("\nSamples:\n2024-03-04 13:00:03.000  1 metric\n    250.0.1 (test.requests): value 900\n"
                           "2024-03-04 13:00:04.000  1 metric\n    250.0.1 (test.requests): value 1600\n"));
    QVERIFY(!r.out.contains("(test.load)"));
  }

  void csv_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    const QString header = "time,test.load[a],test.load[b],test.load[c],test.requests,test.state\n";
    QTest::newRow("raw") << QStringList{"--csv"}
                         << header + "2024-03-04T13:00:00.000+00:00,1,10,,0,idle\n"
                                     "2024-03-04T13:00:01.000+00:00,2,20,,100,\"busy, queued\"\n"
                                     "2024-03-04T13:00:02.000+00:00,3,30,7,400,idle\n";
    QTest::newRow("rates") << QStringList{"--csv", "--rate"}
                           << header + "2024-03-04T13:00:00.000+00:00,1,10,,,idle\n"
                                       "2024-03-04T13:00:01.000+00:00,2,20,,100,\"busy, queued\"\n"
                                       "2024-03-04T13:00:02.000+00:00,3,30,7,300,idle\n";
    QTest::newRow("window") << QStringList{"--csv", "-S", "+1s", "-T", "+0"}
                            << "time,test.load[a],test.load[b],test.requests,test.state\n"
                               "2024-03-04T13:00:01.000+00:00,2,20,100,\"busy, queued\"\n";
    QTest::newRow("names") << QStringList{"--csv", "-z", "test.requests"}
                           << "time,test.requests\n2024-03-04T13:00:00.000+00:00,0\n"
                              "2024-03-04T13:00:01.000+00:00,100\n2024-03-04T13:00:02.000+00:00,400\n";
    QTest::newRow("zone") << QStringList{"--csv", "-Z", "EST5", "test.requests"}
                          << "time,test.requests\n2024-03-04T08:00:00.000-05:00,0\n"
                             "2024-03-04T08:00:01.000-05:00,100\n2024-03-04T08:00:02.000-05:00,400\n";
  }
  void csv() {
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    QStringList all = QStringList{"dump"} + args;
    all.insert(args.contains("test.requests") ? all.size() - 1 : all.size(), tiny_);
    Run r = sextantCli(all);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(r.out, expected);
  }

  // A file that is not an archive, and no file at all: one line naming it, status 1.
  void badFiles_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("reason");
    QTest::newRow("garbage") << "garbage.sextant" << "not a Sextant archive (file is not a database)";
    QTest::newRow("other SQLite") << "other.db" << "not a Sextant archive (SQLite application_id 0x00000000)";
    QTest::newRow("missing") << "missing.sextant" << "no such file";
    QTest::newRow("no samples") << "empty.sextant" << "no samples";
  }
  void badFiles() {
    QFETCH(QString, name);
    QFETCH(QString, reason);
    const QString path = dir_.filePath(name);
    if (name.startsWith("garbage")) {
      QFile f(path);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(QByteArray(8192, 'x').prepend("SQLite format 2\n"));
    } else if (name.startsWith("other") && !QFile::exists(path)) {
      sextant::archive::sql::Database db;
      QVERIFY(db.open(path.toStdString(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
      QCOMPARE(db.exec("CREATE TABLE t(x); INSERT INTO t VALUES(1);"), SQLITE_OK);
    } else if (name.startsWith("empty") && !QFile::exists(path)) {
      const std::string why = sextant::test::writeTestArchive(path.toStdString(), 0);
      QVERIFY2(why.empty(), why.c_str());
    }
    const QString expected = "sextant: archive " + path + ": " + reason + "\n";
    for (const QStringList& args : {QStringList{"watch", "-a", path, "test.requests"},
                                    QStringList{"fetch", "-a", path, "test.requests"},
                                    QStringList{"-a", path, "info"}, QStringList{"dump", path},
                                    QStringList{"dump", "--csv", path}}) {
      Run r = sextantCli(args);
      QVERIFY2(r.exitCode == 1, qPrintable(args.join(' ') + ": " + QString::number(r.exitCode) + " " + r.err));
      QCOMPARE(r.err, expected);
      QCOMPARE(r.out, QString());
    }
  }

  // A time that does not parse is a usage error naming it; a window the archive does
  // not cover is a failure saying so.
  void badTimes_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("expected");
    QTest::newRow("word") << QStringList{"watch", "-S", "soon", "test.requests"} << 2 << "sextant: -S: bad time 'soon': ";
    QTest::newRow("bad clock") << QStringList{"watch", "-T", "25:00", "test.requests"} << 2
                               << "sextant: -T: bad time '25:00': ";
    QTest::newRow("bad unit") << QStringList{"fetch", "-O", "+5 fortnights", "test.requests"} << 2
                              << "sextant: -O: bad time '+5 fortnights': unknown unit 'fortnights'";
    QTest::newRow("after the end") << QStringList{"watch", "-S", "+1h", "test.requests"} << 1
                                   << "sextant: the time window starts at 2024-03-04 14:00:00.000, after the archive "
                                      "ends (2024-03-04 13:00:04.000)\n";
    QTest::newRow("before the start") << QStringList{"dump", "-T", "2024-03-04 12:00"} << 1
                                      << "sextant: the time window ends at 2024-03-04 12:00:00.000, before the "
                                         "archive starts (2024-03-04 13:00:00.000)\n";
    QTest::newRow("origin outside") << QStringList{"fetch", "-S", "+1s", "-O", "@13:00:00", "test.requests"} << 1
                                    << "sextant: the origin 2024-03-04 13:00:00.000 is outside the time window";
    QTest::newRow("window without archive") << QStringList{"fetch", "-L", "-S", "+1s", "hinv.ncpu"} << 2
                                            << "sextant: -S +1s: a time window needs an archive (-a ARCHIVE)\n";
  }
  void badTimes() {
    QFETCH(QStringList, args);
    QFETCH(int, code);
    QFETCH(QString, expected);
    if (args.first() == "dump") args << full_;
    else if (!args.contains("-L")) args = QStringList{"-a", full_} + args;
    Run r = sextantCli(args);
    QVERIFY2(r.exitCode == code, qPrintable(QString::number(r.exitCode) + " " + r.err));
    QVERIFY2(r.err.startsWith(expected), qPrintable(r.err));
    QCOMPARE(r.err.count('\n'), 1);
  }
};

QTEST_GUILESS_MAIN(ReplayCliTest)
#include "ReplayCliTest.moc"
