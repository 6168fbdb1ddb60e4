// Recording end to end: the real `sextant record` and sextantd's [record] sections record
// this machine, and what they write is read back (ArchiveContext, and SQLite directly)
// and compared with what the live host answers through the same binaries.
#include <signal.h>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <map>

#include "tests/TestProcess.h"
#include "tests/archive/RecordedArchive.h"
#include "tests/service/TestDaemon.h"
#include "tools/HostContext.h"

using namespace sextant;
using namespace sextant::test;
using namespace std::chrono_literals;

namespace {

const QString kSextant = QStringLiteral(SEXTANT_BIN "/sextant");
const QString kSextantd = QStringLiteral(SEXTANT_BIN "/sextantd");

Run sextantCli(const QStringList& args, const RunOptions& options = {}) { return run(kSextant, args, options); }

// The leaf names below `roots` as the live host lists them (sextant info).
QStringList liveNames(const QStringList& context, const QStringList& roots) {
  return sextantCli(context + QStringList{"info"} + roots).out.split('\n', Qt::SkipEmptyParts);
}

// The values sextant info -f prints: "name" or "name[instance name]" -> value.
std::map<QString, QString> liveValues(const QStringList& context, const QStringList& roots) {
  static const QRegularExpression inst("^    inst \\[-?\\d+ or \"(.*)\"\\] value (.*)$");
  std::map<QString, QString> out;
  QString metric;
  for (const QString& line : sextantCli(context + QStringList{"info", "-f"} + roots).out.split('\n')) {
    if (!line.isEmpty() && !line.startsWith(' ')) metric = line;
    if (line.startsWith("    value ")) out[metric] = line.mid(10);
    if (auto m = inst.match(line); m.hasMatch()) out[metric + "[" + m.captured(1) + "]"] = m.captured(2);
  }
  return out;
}

// The host name a client shows for a context (sextant watch's header).
QString liveHost(const QStringList& context) {
  static const QRegularExpression host("^host:\\s+(\\S+)$", QRegularExpression::MultilineOption);
  return host.match(sextantCli(context + QStringList{"watch", "-s", "1", "hinv.ncpu"}).out).captured(1);
}

// The descriptors of `names` in `c` laid out as `sextant info -d` (pminfo -d) prints them.
QString describe(Context& c, const QStringList& names) {
  QString out;
  for (const QString& name : names) {
    const std::vector<std::string> one{name.toStdString()};
    auto pmid = c.lookup(one).at(0);
    if (!pmid) return "no metric " + name;
    auto d = c.descriptor(*pmid);
    if (!d) return "no descriptor of " + name;
    out += QString("\n%1\n    Data Type: %2  InDom: %3 0x%4\n    Semantics: %5  Units: %6\n")
               .arg(name, QString::fromStdString(std::string(typeName(d->type))),
                    QString::fromStdString(d->indom.toString()), QString::number(d->indom.raw(), 16),
                    QString::fromStdString(std::string(semanticsName(d->semantics))),
                    QString::fromStdString(d->units.toString()));
  }
  return out;
}

// PMIDs of `names` in the archive, in order; empty if one is missing.
std::vector<Pmid> pmidsOf(Context& c, const QStringList& names) {
  std::vector<std::string> list;
  for (const auto& n : names) list.push_back(n.toStdString());
  std::vector<Pmid> out;
  for (auto& p : c.lookup(list)) {
    if (!p) return {};
    out.push_back(*p);
  }
  return out;
}

bool strictlyIncreasing(const std::vector<qint64>& v) {
  return std::adjacent_find(v.begin(), v.end(), [](qint64 a, qint64 b) { return b <= a; }) == v.end();
}

// A sextantd of the test's own, and a HostContext on it.
struct DaemonHost {
  TestDaemon daemon;
  std::unique_ptr<HostContext> host;
  QString error;
  bool start() {
    if (!daemon.startSextantd(kSextantd, {"--socket", ""})) {
      error = daemon.error();
      return false;
    }
    auto spec = cli::parseHostSpec(daemon.hostSpec().toStdString());
    auto opened = spec ? HostContext::open(*spec) : Expected<std::unique_ptr<HostContext>>(spec.failure());
    if (!opened) {
      error = QString::fromStdString(opened.failure().message());
      return false;
    }
    host = std::move(*opened);
    return true;
  }
};

}  // namespace

class RecordTest : public QObject {
  Q_OBJECT

 private slots:
  void helpDocumentsEveryOption() {
    Run r = sextantCli({"help", "record"});
    QCOMPARE(r.exitCode, 0);
    for (const char* word : {"-c, --config=CONFIG", "-t, --interval=INTERVAL", "-T, --duration=DURATION",
                             "-s, --samples=SAMPLES", "-o, --output=FILE", "-h, --host=HOST[:PORT]", "-L, --local",
                             "SIGTERM", "status 2"})
      QVERIFY2(r.out.contains(word), word);
    QVERIFY(sextantCli({"--help"}).out.contains("record"));
  }

  // The recording of this machine against the live values taken around it.
  void recordsThisMachine() {
    QTemporaryDir dir;
    const QString path = dir.filePath("local.sextant");
    const QStringList roots{"kernel.all.load", "mem.util.free", "hinv.ncpu", "kernel.all.cpu"};
    const QStringList names = liveNames({"-L"}, roots);
    QVERIFY(names.size() > 4 && names.contains("kernel.all.cpu.user"));
    const auto before = liveValues({"-L"}, {"kernel.all.cpu"});
    Run r = sextantCli(QStringList{"record", "-L", "-t", "0.2", "-s", "10", "-o", path} + roots);
    const auto after = liveValues({"-L"}, {"kernel.all.cpu"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(r.err, QString());
    const QStringList lines = r.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.first(), QString("recording %1 metrics every 0.2s to %2").arg(names.size()).arg(path));
    QCOMPARE(lines.last(), QString("recorded 10 samples to %1").arg(path));

    QString error;
    auto times = sampleTimes(path, &error);
    QVERIFY2(times, qPrintable(error));
    QCOMPARE(times->size(), std::size_t{10});
    QVERIFY(strictlyIncreasing(*times));

    auto opened = archive::ArchiveContext::open(path.toStdString());
    QVERIFY2(opened.ok(), opened.ok() ? "" : opened.failure().message().c_str());
    archive::ArchiveContext& a = **opened;
    QCOMPARE(nsOf(a.start()), times->front());
    QCOMPARE(nsOf(a.end()), times->back());
    QCOMPARE(a.recordedInterval(), std::chrono::milliseconds(200));
    QCOMPARE(QString::fromStdString(a.hostName()), liveHost({"-L"}));
    auto recorded = a.traverse("");
    QVERIFY(recorded.ok());
    QStringList recordedNames;
    for (const auto& n : *recorded) recordedNames << QString::fromStdString(n);
    recordedNames.sort();
    QStringList expected = names;
    expected.sort();
    QCOMPARE(recordedNames, expected);
    QCOMPARE(describe(a, names), sextantCli(QStringList{"-L", "info", "-d"} + names).out);

    const std::vector<Pmid> pmids = pmidsOf(a, names);
    QCOMPARE(pmids.size(), std::size_t(names.size()));
    const int cpus = onlineCpus();
    const qint64 memKb = memTotalKb();
    QVERIFY(cpus > 0 && memKb > 0);
    std::map<QString, double> previous;
    for (qint64 t : *times) {
      a.setPosition(timestampOf(t));
      auto f = a.fetch(pmids);
      QVERIFY2(f.ok(), f.ok() ? "" : f.failure().message().c_str());
      QCOMPARE(nsOf(f->timestamp), t);
      QCOMPARE(singleValue(*f, names.indexOf("hinv.ncpu")), std::optional<double>(cpus));
      const auto freeKb = singleValue(*f, names.indexOf("mem.util.free"));
      QVERIFY(freeKb && *freeKb > 0 && *freeKb <= memKb);
      const ValueSet& load = f->sets[names.indexOf("kernel.all.load")];
      QCOMPARE(load.values.size(), std::size_t{3});
      for (const auto& v : load.values) QVERIFY(toDouble(v.value).value_or(-1) >= 0);
      // Counters lie between the live values read before and after the recording,
      // and never go down from one sample to the next.
      for (int i = 0; i < names.size(); ++i) {
        if (!names[i].startsWith("kernel.all.cpu.")) continue;
        const auto v = singleValue(*f, static_cast<std::size_t>(i));
        QVERIFY2(v.has_value() == (before.count(names[i]) > 0), qPrintable(names[i]));
        if (!v) continue;
        QVERIFY2(*v >= before.at(names[i]).toDouble() && *v <= after.at(names[i]).toDouble(), qPrintable(names[i]));
        QVERIFY2(!previous.count(names[i]) || *v >= previous[names[i]], qPrintable(names[i]));
        previous[names[i]] = *v;
      }
    }

    // The load average's instances, named as the live host names them.
    auto loadDesc = a.descriptor(pmids[static_cast<std::size_t>(names.indexOf("kernel.all.load"))]);
    QVERIFY(loadDesc.ok());
    auto members = a.instances(loadDesc->indom);
    QVERIFY(members.ok());
    QStringList memberNames, liveMembers;
    for (const auto& m : *members) memberNames << "kernel.all.load[" + QString::fromStdString(m.name) + "]";
    for (const auto& [key, value] : liveValues({"-L"}, {"kernel.all.load"})) liveMembers << key;
    memberNames.sort();
    liveMembers.sort();
    QCOMPARE(memberNames, liveMembers);
  }

  // From a live sextantd over its PDU port: the daemon's host, zone and descriptors.
  void recordsFromDaemon() {
    TestDaemon daemon;
    QVERIFY2(daemon.startSextantd(kSextantd, {"--socket", ""}), qPrintable(daemon.error()));
    const QStringList ctx{"-h", daemon.hostSpec()};
    QTemporaryDir dir;
    const QString path = dir.filePath("remote.sextant");
    const QStringList names = liveNames(ctx, {"kernel.all.load", "hinv.ncpu", "pmcd.numagents"});
    QCOMPARE(names.size(), 3);
    Run r = sextantCli(ctx + QStringList{"record", "-t", "0.2", "-s", "5", "-o", path} + names);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + daemon.diagnostics()));
    QVERIFY(r.out.startsWith(QString("recording 3 metrics every 0.2s to %1\n").arg(path)));

    auto times = sampleTimes(path);
    QVERIFY(times);
    QCOMPARE(times->size(), std::size_t{5});
    auto opened = archive::ArchiveContext::open(path.toStdString());
    QVERIFY2(opened.ok(), opened.ok() ? "" : opened.failure().message().c_str());
    archive::ArchiveContext& a = **opened;
    QCOMPARE(QString::fromStdString(a.hostName()), liveHost(ctx));
    QCOMPARE(describe(a, names), sextantCli(ctx + QStringList{"info", "-d"} + names).out);
    // The zone is the daemon's own (pmcd.zoneinfo, else pmcd.timezone), as pmlogger takes it.
    const auto zone = liveValues(ctx, {"pmcd.zoneinfo", "pmcd.timezone"});
    QString expectedZone = zone.count("pmcd.zoneinfo") ? zone.at("pmcd.zoneinfo") : QString();
    expectedZone.remove('"');
    if (expectedZone.startsWith(':')) expectedZone.remove(0, 1);
    if (expectedZone.isEmpty() && zone.count("pmcd.timezone")) expectedZone = QString(zone.at("pmcd.timezone")).remove('"');
    QVERIFY(!expectedZone.isEmpty());
    QCOMPARE(QString::fromStdString(a.timezone()), expectedZone);
    auto labels = a.labels(LabelLevel::Context, 0);
    QVERIFY(labels.ok() && labels->json("hostname").has_value());

    const std::vector<Pmid> pmids = pmidsOf(a, names);
    QCOMPARE(pmids.size(), std::size_t{3});
    const double agents = liveValues(ctx, {"pmcd.numagents"}).at("pmcd.numagents").toDouble();
    for (qint64 t : *times) {
      a.setPosition(timestampOf(t));
      auto f = a.fetch(pmids);
      QVERIFY(f.ok());
      QCOMPARE(singleValue(*f, names.indexOf("hinv.ncpu")), std::optional<double>(onlineCpus()));
      QCOMPARE(singleValue(*f, names.indexOf("pmcd.numagents")), std::optional<double>(agents));
    }
  }

  // The zone of a recording of this machine comes from TZ when it is set.
  void localZoneFromTz() {
    QTemporaryDir dir;
    const QString path = dir.filePath("tz.sextant");
    RunOptions env;
    env.env << "TZ=:Pacific/Auckland";
    Run r = sextantCli({"record", "-L", "-t", "0.1", "-s", "1", "-o", path, "hinv.ncpu"}, env);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    auto opened = archive::ArchiveContext::open(path.toStdString());
    QVERIFY(opened.ok());
    QCOMPARE(QString::fromStdString((*opened)->timezone()), QString("Pacific/Auckland"));
  }

  // -c: names from a file, with comments; a bad line or unknown name names FILE:LINE.
  void configFile() {
    QTemporaryDir dir;
    auto write = [&](const QString& name, const QByteArray& text) {
      QFile f(dir.filePath(name));
      if (f.open(QIODevice::WriteOnly)) f.write(text);
      return f.fileName();
    };
    const QString good = write("good.conf", "# what to record\nkernel.all.load   # the load average\n\n  hinv.ncpu\n");
    const QString out = dir.filePath("good.sextant");
    Run r = sextantCli({"record", "-c", good, "-t", "0.1", "-s", "3", "-o", out});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    auto opened = archive::ArchiveContext::open(out.toStdString());
    QVERIFY(opened.ok());
    auto recorded = (*opened)->traverse("");
    QVERIFY(recorded.ok());
    QCOMPARE(*recorded, (std::vector<std::string>{"hinv.ncpu", "kernel.all.load"}));
    QCOMPARE(sampleTimes(out)->size(), std::size_t{3});

    const QString bad = write("bad.conf", "kernel.all.load\n# fine\nmem util free\n");
    const QString badOut = dir.filePath("bad.sextant");
    r = sextantCli({"record", "-c", bad, "-t", "0.1", "-s", "1", "-o", badOut});
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err, QString("sextant: %1:3: 'mem util free': one metric name per line\n").arg(bad));
    const QString odd = write("odd.conf", "kernel.all.load\nkernel/all\n");
    r = sextantCli({"record", "-c", odd, "-t", "0.1", "-s", "1", "-o", badOut});
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err, QString("sextant: %1:2: 'kernel/all' is not a metric name\n").arg(odd));
    const QString unknown = write("unknown.conf", "kernel.all.load\n\nno.such.metric\n");
    r = sextantCli({"record", "-c", unknown, "-t", "0.1", "-s", "1", "-o", badOut});
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err, QString("sextant: %1:3: no.such.metric: Unknown metric name\n").arg(unknown));
    QVERIFY(!QFile::exists(badOut));
  }

  void usageErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("stderrText");  // %D: the test's directory
    const QString exists = "%D/exists.sextant", fresh = "%D/new.sextant";
    QTest::newRow("output exists") << QStringList{"record", "-t", "1", "-s", "1", "-o", exists, "hinv.ncpu"}
                                   << "sextant: %D/exists.sextant: already exists; record never overwrites an archive\n";
    QTest::newRow("unknown metric") << QStringList{"record", "-t", "1", "-s", "1", "-o", fresh, "hinv.ncpu", "no.such.metric"}
                                    << "sextant: no.such.metric: Unknown metric name\n";
    QTest::newRow("unknown subtree") << QStringList{"record", "-t", "1", "-o", fresh, "kernel.nosuch"}
                                     << "sextant: kernel.nosuch: Unknown metric name\n";
    QTest::newRow("no output") << QStringList{"record", "-t", "1", "hinv.ncpu"}
                               << "sextant: record needs -o FILE (the archive to write)\n";
    QTest::newRow("no interval") << QStringList{"record", "-o", fresh, "hinv.ncpu"}
                                 << "sextant: record needs -t INTERVAL (time between samples, e.g. 1s)\n";
    QTest::newRow("no names") << QStringList{"record", "-t", "1", "-o", fresh}
                              << "sextant: record needs metric names: NAME... or -c CONFIG (see sextant help record)\n";
    QTest::newRow("bad interval") << QStringList{"record", "-t", "soon", "-o", fresh, "hinv.ncpu"}
                                  << "sextant: bad interval 'soon': expected a number of seconds, e.g. 1, 0.5, 500ms\n";
    QTest::newRow("sub-millisecond") << QStringList{"record", "-t", "0.0002", "-o", fresh, "hinv.ncpu"}
                                     << "sextant: bad interval '0.0002': shorter than a millisecond (archives keep "
                                        "milliseconds)\n";
    QTest::newRow("bad duration") << QStringList{"record", "-t", "1", "-T", "3 weeks", "-o", fresh, "hinv.ncpu"}
                                  << "sextant: bad duration '3 weeks': unknown unit 'weeks' (use ms, s, min, h or d)\n";
    QTest::newRow("zero duration") << QStringList{"record", "-t", "1", "-T", "0", "-o", fresh, "hinv.ncpu"}
                                   << "sextant: bad duration '0': must be greater than zero\n";
    QTest::newRow("bad samples") << QStringList{"record", "-t", "1", "-s", "0", "-o", fresh, "hinv.ncpu"}
                                 << "sextant: bad sample count '0': must be at least 1\n";
    QTest::newRow("bad name") << QStringList{"record", "-t", "1", "-o", fresh, "kernel..load"}
                              << "sextant: 'kernel..load' is not a metric name\n";
    QTest::newRow("missing config") << QStringList{"record", "-t", "1", "-c", "%D/none.conf", "-o", fresh}
                                    << "sextant: %D/none.conf: cannot be read: No such file or directory\n";
  }
  // Each is refused with status 2 and one line, and leaves no file behind nor touches one.
  void usageErrors() {
    QFETCH(QStringList, args);
    QFETCH(QString, stderrText);
    QTemporaryDir dir;
    QFile existing(dir.filePath("exists.sextant"));
    QVERIFY(existing.open(QIODevice::WriteOnly));
    existing.write("keep me");
    existing.close();
    for (QString& a : args) a.replace("%D", dir.path());
    Run r = sextantCli(args);
    QCOMPARE(r.exitCode, 2);
    QCOMPARE(r.err, QString(stderrText).replace("%D", dir.path()));
    QVERIFY(!QFile::exists(dir.filePath("new.sextant")));
    QCOMPARE(readAll(dir.filePath("exists.sextant")), QString("keep me"));
  }

  // The recorder's fetch in two halves (ask at one tick, take at the next) against a
  // real sextantd: the same answer as a whole fetch, and a call in between that would
  // have read the answer as its own reply instead drops it, and the context stays usable.
  void splitFetch() {
    DaemonHost d;
    QVERIFY2(d.start(), qPrintable(d.error));
    HostContext& host = *d.host;
    const std::vector<std::string> names{"hinv.ncpu", "kernel.all.load"};
    std::vector<Pmid> pmids;
    for (auto& p : host.lookup(names)) {
      QVERIFY(p.ok());
      pmids.push_back(*p);
    }
    const Value ncpu(static_cast<std::uint32_t>(sysconf(_SC_NPROCESSORS_ONLN)));
    const auto checkAnswer = [&](const FetchResult& r) {
      QCOMPARE(r.sets.size(), std::size_t{2});
      QCOMPARE(r.sets[0].values.size(), std::size_t{1});
      QCOMPARE(r.sets[0].values[0].value, ncpu);
      QCOMPARE(r.sets[1].values.size(), std::size_t{3});  // 1, 5 and 15 minutes
    };

    FetchResult whole, halves;
    QVERIFY(host.fetchInto(pmids, whole).ok());
    checkAnswer(whole);
    const std::size_t bytes = host.lastFetchBytes();
    QVERIFY(bytes > 12);  // more than a PDU header
    QVERIFY(host.startFetch(pmids).ok());
    QVERIFY(host.finishFetch(halves).ok());
    checkAnswer(halves);
    QCOMPARE(host.lastFetchBytes(), bytes);
    QVERIFY(halves.timestamp >= whole.timestamp);

    // Another request between the halves gets its own reply; the fetch's is dropped.
    QVERIFY(host.startFetch(pmids).ok());
    auto desc = host.descriptor(pmids[1]);  // known already: no request
    QVERIFY(desc.ok());
    auto members = host.instances(desc->indom);
    QVERIFY2(members.ok(), members.ok() ? "" : members.failure().message().c_str());
    QCOMPARE(members->size(), std::size_t{3});
    auto late = host.finishFetch(halves);
    QVERIFY(!late.ok());
    QCOMPARE(QString::fromStdString(late.failure().detail), QString("fetch: no request was sent"));
    // Two asks in a row: the second one's answer is taken.
    QVERIFY(host.startFetch(pmids).ok());
    QVERIFY(host.startFetch(pmids).ok());
    QVERIFY(host.finishFetch(halves).ok());
    checkAnswer(halves);
    QVERIFY(host.fetchInto(pmids, whole).ok());
    checkAnswer(whole);
  }

  // A PMID the host does not know, between two it does: its set carries the host's
  // error, and the metric after it (whose type is looked up once values come) is read
  // as its own type, each time.
  void fetchPastUnknownMetric() {
    DaemonHost d;
    QVERIFY2(d.start(), qPrintable(d.error));
    HostContext& host = *d.host;
    const std::vector<std::string> names{"hinv.ncpu", "kernel.all.load"};
    auto known = host.lookup(names);
    QVERIFY(known.size() == 2 && known[0].ok() && known[1].ok());
    const Pmid unknown = Pmid::make(60, 4000, 1000);
    QVERIFY(!host.descriptor(unknown).ok());
    const std::vector<Pmid> pmids{*known[0], unknown, *known[1]};
    const Value ncpu(static_cast<std::uint32_t>(sysconf(_SC_NPROCESSORS_ONLN)));
    FetchResult r;
    for (int round = 0; round < 2; ++round) {
      QVERIFY(host.fetchInto(pmids, r).ok());
      QCOMPARE(r.sets.size(), std::size_t{3});
      QCOMPARE(r.sets[0].values.size(), std::size_t{1});
      QCOMPARE(r.sets[0].values[0].value, ncpu);
      QCOMPARE(r.sets[1].pmid, unknown);
      QVERIFY2(r.sets[1].status < 0, qPrintable(QString::number(r.sets[1].status)));
      QVERIFY(r.sets[1].values.empty());
      QCOMPARE(r.sets[2].status, 0);
      QCOMPARE(r.sets[2].values.size(), std::size_t{3});  // 1, 5 and 15 minutes
      for (const InstanceValue& v : r.sets[2].values) QCOMPARE(valueTypeOf(v.value), ValueType::Float);
    }
  }

  // Ctrl-C or SIGTERM ends the recording after the sample in progress, with status 0.
  void stopsOnSignal_data() {
    QTest::addColumn<int>("sig");
    QTest::newRow("SIGINT") << int(SIGINT);
    QTest::newRow("SIGTERM") << int(SIGTERM);
  }
  void stopsOnSignal() {
    QFETCH(int, sig);
    QTemporaryDir dir;
    const QString path = dir.filePath("signal.sextant");
    QProcess p;
    p.start(kSextant, {"record", "-L", "-t", "0.1", "-o", path, "kernel.all.load", "hinv.ncpu"});
    QVERIFY(p.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(sampleTimes(path).value_or(std::vector<qint64>{}).size() >= 3, 30000);
    QVERIFY(::kill(static_cast<pid_t>(p.processId()), sig) == 0);
    QVERIFY(p.waitForFinished(10000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 0);
    const QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
    auto times = sampleTimes(path);
    QVERIFY(times && times->size() >= 3);
    QCOMPARE(lines.last(), QString("recorded %1 samples to %2").arg(times->size()).arg(path));
    QVERIFY(archive::ArchiveContext::open(path.toStdString()).ok());
  }

  // Instances that come and go during a recording: a process that starts is recorded
  // from the sample where its values first appear; when it has gone, the next change
  // the recorder sees (another process starting) records it as gone.
  void recordsInstancesComingAndGoing() {
    QTemporaryDir dir;
    const QString path = dir.filePath("procs.sextant");
    QProcess recorder;
    recorder.start(kSextant, {"record", "-L", "-t", "0.05", "-s", "100000", "-o", path, "proc.psinfo.pid"});
    QVERIFY(recorder.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(sampleTimes(path).value_or(std::vector<qint64>{}).size() >= 3, 30000);
    // Starts `p` and waits until three samples have been taken since; its pid, or 0.
    auto runFor = [&](QProcess& p) -> std::int32_t {
      p.start("sleep", {"60"});
      const std::size_t now = sampleTimes(path).value_or(std::vector<qint64>{}).size();
      if (!p.waitForStarted()) return 0;
      const auto pid = static_cast<std::int32_t>(p.processId());
      const bool sampled = QTest::qWaitFor(
          [&] { return sampleTimes(path).value_or(std::vector<qint64>{}).size() >= now + 3; }, 30000);
      return sampled ? pid : 0;
    };
    QProcess first, second;
    const std::int32_t firstPid = runFor(first);
    QVERIFY(firstPid > 0);
    first.kill();
    QVERIFY(first.waitForFinished());
    const std::int32_t secondPid = runFor(second);
    QVERIFY(secondPid > 0);
    second.kill();
    QVERIFY(second.waitForFinished());
    QVERIFY(::kill(static_cast<pid_t>(recorder.processId()), SIGINT) == 0);
    QVERIFY(recorder.waitForFinished(10000));
    QCOMPARE(recorder.exitCode(), 0);

    auto opened = archive::ArchiveContext::open(path.toStdString());
    QVERIFY(opened.ok());
    archive::ArchiveContext& a = **opened;
    const std::vector<Pmid> pmids = pmidsOf(a, {"proc.psinfo.pid"});
    QCOMPARE(pmids.size(), std::size_t{1});
    auto desc = a.descriptor(pmids[0]);
    QVERIFY(desc.ok() && !desc->indom.isNull());
    // The instances at a sample, and whether the sample has values for `pid`.
    auto at = [&](qint64 t, std::int32_t pid, std::vector<Instance>& members) {
      a.setPosition(timestampOf(t));
      auto list = a.instances(desc->indom);
      members = list.ok() ? *list : std::vector<Instance>{};
      auto f = a.fetch(pmids);
      return f.ok() && std::any_of(f->sets[0].values.begin(), f->sets[0].values.end(),
                                   [&](const InstanceValue& v) { return v.inst == pid; });
    };
    auto has = [](const std::vector<Instance>& members, std::int32_t pid) {
      return std::any_of(members.begin(), members.end(), [&](const Instance& i) {
        return i.id == pid && QString::fromStdString(i.name).contains("sleep");
      });
    };
    std::optional<qint64> firstSeen, secondSeen;
    std::vector<Instance> members;
    const auto times = sampleTimes(path);
    QVERIFY(times.has_value());
    for (qint64 t : *times) {
      if (!firstSeen && at(t, firstPid, members)) {
        firstSeen = t;
        QVERIFY2(has(members, firstPid), "a new process is a member from its first sample on");
      }
      if (!secondSeen && at(t, secondPid, members)) {
        secondSeen = t;
        QVERIFY2(has(members, secondPid), "a new process is a member from its first sample on");
        QVERIFY2(!has(members, firstPid), "a process gone is no longer a member");
      }
    }
    QVERIFY(firstSeen && secondSeen && *firstSeen < *secondSeen);
  }

  // -T ends the recording: samples are due at 0, 100, ... 400 ms, none at 500 ms or later.
  void durationEndsRecording() {
    QTemporaryDir dir;
    const QString path = dir.filePath("duration.sextant");
    Run r = sextantCli({"record", "-t", "100ms", "-T", "0.5s", "-o", path, "hinv.ncpu"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    auto times = sampleTimes(path);
    QVERIFY(times);
    QVERIFY2(!times->empty() && times->size() <= 5, qPrintable(QString::number(times->size())));
  }

  // A [record] section of sextantd: a daily file in the directory given, the old
  // archives there removed, other files left alone.
  void daemonRecordSection() {
    QTemporaryDir dir;
    const QString archives = dir.filePath("archives");
    QVERIFY(QDir().mkpath(archives));
    for (const char* name : {"20000101.sextant", "20000101.sextant-wal", "20000102.1.sextant", "notes.txt"}) {
      QFile f(archives + "/" + name);
      QVERIFY(f.open(QIODevice::WriteOnly));
    }
    const QString ini = dir.filePath("sextantd.ini");
    QFile conf(ini);
    QVERIFY(conf.open(QIODevice::WriteOnly));
    conf.write(QString("[record t]\nmetrics = kernel.all.load, hinv.ncpu\ninterval = 100ms\ndirectory = %1\n"
                       "keep_days = 30\n")
                   .arg(archives)
                   .toUtf8());
    conf.close();
    TestDaemon daemon;
    QVERIFY2(daemon.startSextantd(kSextantd, {"--config", ini, "--socket", ""}), qPrintable(daemon.error()));
    QTRY_VERIFY_WITH_TIMEOUT(dailyArchives(archives).size() == 1 &&
                                 sampleTimes(dailyArchives(archives).at(0)).value_or(std::vector<qint64>{}).size() >= 3,
                             30000);
    const QString path = dailyArchives(archives).at(0);
    QVERIFY2(readAll(daemon.logPath()).contains("record t: recording 2 metrics every 0.1s to " + path),
             qPrintable(daemon.diagnostics()));
    QVERIFY(!QFile::exists(archives + "/20000101.sextant"));
    QVERIFY(!QFile::exists(archives + "/20000101.sextant-wal"));
    QVERIFY(!QFile::exists(archives + "/20000102.1.sextant"));
    QVERIFY(QFile::exists(archives + "/notes.txt"));
    QVERIFY(readAll(daemon.logPath()).contains("record t: removed " + archives + "/20000101.sextant (older than 30 days)"));

    auto opened = archive::ArchiveContext::open(path.toStdString());
    QVERIFY2(opened.ok(), opened.ok() ? "" : opened.failure().message().c_str());
    archive::ArchiveContext& a = **opened;
    QCOMPARE(a.recordedInterval(), std::chrono::milliseconds(100));
    auto recorded = a.traverse("");
    QVERIFY(recorded.ok());
    QCOMPARE(*recorded, (std::vector<std::string>{"hinv.ncpu", "kernel.all.load"}));
    const std::vector<Pmid> pmids = pmidsOf(a, {"hinv.ncpu"});
    QCOMPARE(pmids.size(), std::size_t{1});
    a.setPosition(a.end());
    auto f = a.fetch(pmids);
    QVERIFY(f.ok());
    QCOMPARE(singleValue(*f, 0), std::optional<double>(onlineCpus()));
  }
};

QTEST_GUILESS_MAIN(RecordTest)
#include "RecordTest.moc"
