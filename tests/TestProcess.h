#pragma once
// Running programs from tests (the sextant CLI, sextantd, PCP's tools) and the few
// facts about this machine that several tests compare against.
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStringList>

namespace sextant::test {

struct Run {
  int exitCode = -1;  // -2: crashed or killed
  QString out;
  QString err;
};

struct RunOptions {
  QStringList env;  // extra NAME=VALUE entries
  QString workDir;
  int timeoutMs = 60000;
};

// Runs a program to completion. PCP's client-side derived metrics are switched off
// (PCP_DERIVED_CONFIG empty, wire protocol spec 9.4) so that name lists hold only
// what the server serves.
inline Run run(const QString& program, const QStringList& args, const RunOptions& options = {}) {
  QProcess p;
  QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
  e.insert("PCP_DERIVED_CONFIG", "");
  for (const auto& kv : options.env) e.insert(kv.section('=', 0, 0), kv.section('=', 1));
  p.setProcessEnvironment(e);
  if (!options.workDir.isEmpty()) p.setWorkingDirectory(options.workDir);
  p.start(program, args);
  Run r;
  if (!p.waitForStarted(options.timeoutMs)) {
    r.err = "could not start " + program + ": " + p.errorString();
    return r;
  }
  p.waitForFinished(options.timeoutMs);
  r.out = QString::fromUtf8(p.readAllStandardOutput());
  r.err = QString::fromUtf8(p.readAllStandardError());
  r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
  return r;
}

// Online CPUs, as the system says (sysconf's _NPROCESSORS_ONLN: what /proc/stat lists).
inline int onlineCpus() {
  Run r = run("getconf", {"_NPROCESSORS_ONLN"});
  return r.exitCode == 0 ? r.out.trimmed().toInt() : -1;
}

// MemTotal from /proc/meminfo, in KiB: what mem.physmem reports.
inline qint64 memTotalKb() {
  QFile f("/proc/meminfo");
  if (!f.open(QIODevice::ReadOnly)) return -1;
  const QRegularExpression re("^MemTotal:\\s+(\\d+) kB$", QRegularExpression::MultilineOption);
  auto m = re.match(QString::fromUtf8(f.readAll()));
  return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}

// The sample lines of `sextant watch` output: those starting with a clock time
// (HH:MM:SS.mmm), split on spaces.
inline QList<QStringList> sampleLines(const QString& out) {
  static const QRegularExpression time("^\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d$");
  QList<QStringList> lines;
  for (const auto& line : out.split('\n')) {
    QStringList fields = line.split(' ', Qt::SkipEmptyParts);
    if (!fields.isEmpty() && time.match(fields.first()).hasMatch()) lines << fields;
  }
  return lines;
}

}  // namespace sextant::test
