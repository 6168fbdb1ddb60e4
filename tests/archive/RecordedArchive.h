#pragma once
// What the recording tests read back from an archive: the sample rows as they are on
// disk, read with SQLite directly (docs/archive-format.md: table sample, column t in
// nanoseconds since the epoch), so that what ArchiveContext answers is checked against
// a second reader; and each sample's values through ArchiveContext.
#include <sqlite3.h>

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

#include "tools/archive/ArchiveContext.h"

namespace sextant::test {

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StatementCloser {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

// The times of every sample row, in time order; nothing if the file cannot be read
// (then `error` says why). Safe while a writer is adding rows (WAL readers see the
// last commit).
inline std::optional<std::vector<qint64>> sampleTimes(const QString& path, QString* error = nullptr) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.toUtf8().constData(), &raw, SQLITE_OPEN_READONLY, nullptr);
  std::unique_ptr<sqlite3, SqliteCloser> db(raw);
  auto fail = [&](const char* what) -> std::optional<std::vector<qint64>> {
    if (error) *error = path + ": " + what + ": " + (db ? sqlite3_errmsg(db.get()) : "no memory");
    return std::nullopt;
  };
  if (rc != SQLITE_OK) return fail("open");
  sqlite3_busy_timeout(db.get(), 2000);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db.get(), "SELECT t FROM sample ORDER BY t", -1, &stmt, nullptr) != SQLITE_OK)
    return fail("prepare");
  std::unique_ptr<sqlite3_stmt, StatementCloser> select(stmt);
  std::vector<qint64> times;
  int step = 0;
  while ((step = sqlite3_step(select.get())) == SQLITE_ROW) times.push_back(sqlite3_column_int64(select.get(), 0));
  if (step != SQLITE_DONE) return fail("read");
  return times;
}

inline Timestamp timestampOf(qint64 ns) {
  return Timestamp(std::chrono::duration_cast<Timestamp::duration>(std::chrono::nanoseconds(ns)));
}

inline qint64 nsOf(Timestamp t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// The daily archives (<YYYYMMDD>.sextant) of a recorder's directory, sorted.
inline QStringList dailyArchives(const QString& dir) {
  static const QRegularExpression name("^\\d{8}\\.sextant$");
  QStringList out;
  for (const QString& f : QDir(dir).entryList(QDir::Files, QDir::Name))
    if (name.match(f).hasMatch()) out << QDir(dir).filePath(f);
  return out;
}

inline QString readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// The one value of set `index` of `r` (a singular metric), as a double; nothing if absent.
inline std::optional<double> singleValue(const FetchResult& r, std::size_t index) {
  if (index >= r.sets.size() || !r.sets[index].ok() || r.sets[index].values.size() != 1) return std::nullopt;
  return toDouble(r.sets[index].values[0].value);
}

}  // namespace sextant::test
