// sextantd's recorder under the failures an archive must survive (DESIGN.md "Storage"):
// the daemon killed with SIGKILL in the middle of recording, and writes that fail for
// want of room. Room runs out through a file-size limit set on the running daemon with
// prlimit(2) (RLIMIT_FSIZE): its writes past the limit then fail with EFBIG, as they
// fail with ENOSPC on a full disk, and lifting the limit is the disk freed again.
#include <signal.h>
#include <sys/resource.h>

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "tests/TestProcess.h"
#include "tests/archive/RecordedArchive.h"
#include "tests/service/TestDaemon.h"

using namespace sextant;
using namespace sextant::test;

namespace {

const QString kSextantd = QStringLiteral(SEXTANT_BIN "/sextantd");

// A config recording two metrics every 100 ms into <dir>/archives under [record NAME].
QString writeConfig(const QTemporaryDir& dir, const QString& name) {
  const QString ini = dir.filePath(name + ".ini");
  QFile f(ini);
  if (!f.open(QIODevice::WriteOnly)) return {};
  f.write(QString("[record %1]\nmetrics = kernel.all.load hinv.ncpu\ninterval = 100ms\ndirectory = %2\n")
              .arg(name, dir.filePath("archives"))
              .toUtf8());
  return ini;
}

std::size_t sampleCount(const QString& path) { return sampleTimes(path).value_or(std::vector<qint64>{}).size(); }

bool strictlyIncreasing(const std::vector<qint64>& v) {
  return std::adjacent_find(v.begin(), v.end(), [](qint64 a, qint64 b) { return b <= a; }) == v.end();
}

// Every sample of the archive decodes through ArchiveContext to the values of this
// machine; an empty string, or what went wrong.
QString checkEverySample(const QString& path, const std::vector<qint64>& times) {
  auto opened = archive::ArchiveContext::open(path.toStdString());
  if (!opened) return QString::fromStdString(opened.failure().message());
  archive::ArchiveContext& a = **opened;
  const std::vector<std::string> names{"hinv.ncpu", "kernel.all.load"};
  std::vector<Pmid> pmids;
  for (auto& p : a.lookup(names)) {
    if (!p) return "a recorded metric is missing";
    pmids.push_back(*p);
  }
  if (nsOf(a.start()) != times.front() || nsOf(a.end()) != times.back()) return "start or end differs from the rows";
  const double cpus = onlineCpus();
  for (qint64 t : times) {
    a.setPosition(timestampOf(t));
    auto f = a.fetch(pmids);
    if (!f) return QString("sample at %1: %2").arg(t).arg(QString::fromStdString(f.failure().message()));
    if (nsOf(f->timestamp) != t) return QString("sample at %1 answered for %2").arg(t).arg(nsOf(f->timestamp));
    if (singleValue(*f, 0) != std::optional<double>(cpus)) return QString("sample at %1: wrong hinv.ncpu").arg(t);
    if (f->sets[1].values.size() != 3) return QString("sample at %1: not 3 load averages").arg(t);
  }
  return {};
}

QStringList linesWith(const QString& text, const QString& start, const QString& end) {
  QStringList out;
  for (const QString& line : text.split('\n'))
    if (line.contains(start) && line.endsWith(end)) out << line;
  return out;
}

bool setFileSizeLimit(qint64 pid, rlim_t limit) {
  const rlimit lim{limit, RLIM_INFINITY};  // the hard limit stays open, so lifting needs no privilege
  return ::prlimit(static_cast<pid_t>(pid), RLIMIT_FSIZE, &lim, nullptr) == 0;
}

}  // namespace

class RecordCrashTest : public QObject {
  Q_OBJECT

 private slots:
  // SIGKILL mid-recording: the archive opens, every sample decodes, in time order, and
  // nothing seen committed before the kill is lost. A restart appends to the same file.
  void killedMidRecording() {
    QTemporaryDir dir;
    const QString ini = writeConfig(dir, "crash"), archives = dir.filePath("archives");
    TestDaemon daemon;
    QVERIFY2(daemon.startSextantd(kSextantd, {"--config", ini, "--socket", ""}), qPrintable(daemon.error()));
    QTRY_VERIFY_WITH_TIMEOUT(dailyArchives(archives).size() == 1 && sampleCount(dailyArchives(archives)[0]) >= 5, 30000);
    const QString path = dailyArchives(archives)[0];
    // Kill just after a new sample is seen committed, so that the kill lands while the
    // recorder is busy.
    const std::size_t seen = sampleCount(path);
    QTRY_VERIFY_WITH_TIMEOUT(sampleCount(path) > seen, 10000);
    const auto before = sampleTimes(path);
    QVERIFY(before.has_value());
    const qint64 killedAt = nsOf(std::chrono::system_clock::now());
    QVERIFY(::kill(static_cast<pid_t>(daemon.pid()), SIGKILL) == 0);
    QTRY_VERIFY_WITH_TIMEOUT(!daemon.running(), 10000);
    QVERIFY2(QFile::exists(path + "-wal"), "a killed writer leaves its write-ahead log");

    QString error;
    const auto after = sampleTimes(path, &error);
    QVERIFY2(after.has_value(), qPrintable(error));
    QVERIFY(strictlyIncreasing(*after));
    // Everything committed before the kill is there as it was; what the kill can take is
    // only a sample not yet committed, so the archive ends at or after the last sample
    // seen, and before the kill.
    QVERIFY(after->size() >= before->size());
    QVERIFY(std::equal(before->begin(), before->end(), after->begin()));
    QVERIFY(after->back() >= before->back());
    QVERIFY(after->back() < killedAt);
    const QString decoded = checkEverySample(path, *after);
    QVERIFY2(decoded.isEmpty(), qPrintable(decoded));

    // A restart the same day goes on in the same file; at a day's change, a new one.
    TestDaemon again;
    QVERIFY2(again.startSextantd(kSextantd, {"--config", ini, "--socket", ""}), qPrintable(again.error()));
    QTRY_VERIFY_WITH_TIMEOUT(sampleCount(path) >= after->size() + 3 || dailyArchives(archives).size() > 1, 30000);
    again.stop();
    if (dailyArchives(archives).size() == 1) {
      QVERIFY2(readAll(again.logPath()).contains("record crash: appending 2 metrics every 0.1s to " + path),
               qPrintable(again.diagnostics()));
      const auto resumed = sampleTimes(path);
      QVERIFY(resumed && resumed->size() >= after->size() + 3);
      QVERIFY(std::equal(after->begin(), after->end(), resumed->begin()));
      QVERIFY(strictlyIncreasing(*resumed));
      const QString all = checkEverySample(path, *resumed);
      QVERIFY2(all.isEmpty(), qPrintable(all));
    } else {
      QCOMPARE(dailyArchives(archives).size(), qsizetype{2});
      QVERIFY(readAll(again.logPath()).contains("record crash: recording 2 metrics every 0.1s to "));
    }
  }

  // Writes that fail (no room) are logged, once and not at every sample, the daemon
  // keeps serving, and recording resumes in the same archive once there is room again.
  void fullDiskIsLoggedAndRecovers() {
    QTemporaryDir dir;
    const QString ini = writeConfig(dir, "full"), archives = dir.filePath("archives");
    TestDaemon daemon;
    QVERIFY2(daemon.startSextantd(kSextantd, {"--config", ini, "--socket", ""}), qPrintable(daemon.error()));
    QTRY_VERIFY_WITH_TIMEOUT(dailyArchives(archives).size() == 1 && sampleCount(dailyArchives(archives)[0]) >= 3, 30000);
    const QString path = dailyArchives(archives)[0];
    // No file of the daemon may grow past the archive's present size (at least 64 KiB,
    // which leaves the small log room): the archive's next growth fails.
    const qint64 limit = std::max({QFileInfo(path).size(), QFileInfo(path + "-wal").size(), qint64{64 * 1024}});
    QVERIFY2(setFileSizeLimit(daemon.pid(), static_cast<rlim_t>(limit)), std::strerror(errno));

    const QString prefix = "sextantd[" + QString::number(daemon.pid()) + "]: record full: ";
    const QString retry = "; retrying at the next sample";
    QTRY_VERIFY_WITH_TIMEOUT(!linesWith(readAll(daemon.logPath()), prefix, retry).isEmpty(), 60000);
    const QStringList first = linesWith(readAll(daemon.logPath()), prefix, retry);
    QVERIFY2(first.first().contains(prefix + "archive " + path + ": "), qPrintable(first.first()));
    QTest::qWait(1500);  // more samples fail meanwhile, at 0.1 s each
    QVERIFY(daemon.running());
    QVERIFY(acceptsConnections(daemon.port()));
    QVERIFY(!readAll(daemon.logPath()).contains("works again"));
    const std::size_t during = sampleCount(path);

    QVERIFY2(setFileSizeLimit(daemon.pid(), RLIM_INFINITY), std::strerror(errno));
    const QString again = prefix + "writing to " + path + " works again after ";
    QTRY_VERIFY_WITH_TIMEOUT(readAll(daemon.logPath()).contains(again), 30000);
    // The recovery line counts the samples lost; there were fewer failure lines than that.
    const QString log = readAll(daemon.logPath());
    const int at = log.indexOf(again) + again.size();
    const int lost = log.mid(at, log.indexOf(' ', at) - at).toInt();
    const qsizetype lines = linesWith(log, prefix, retry).size();
    QVERIFY2(lost >= 2 && lines < lost, qPrintable(QString("%1 failure lines for %2 lost samples").arg(lines).arg(lost)));
    QTRY_VERIFY_WITH_TIMEOUT(sampleCount(path) >= during + 3, 30000);
    daemon.stop();

    const auto times = sampleTimes(path);
    QVERIFY(times && strictlyIncreasing(*times));
    const QString decoded = checkEverySample(path, *times);
    QVERIFY2(decoded.isEmpty(), qPrintable(decoded));
  }
};

QTEST_GUILESS_MAIN(RecordCrashTest)
#include "RecordCrashTest.moc"
