#pragma once
// The archive's SQLite schema and the check every opener makes of a file before trusting
// it (docs/archive-format.md). Shared by the writer and the reader.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "core/Expected.h"
#include "tools/archive/Sqlite.h"

namespace sextant::archive {

// PRAGMA application_id: 'SXTA', so that file(1) and any reader can tell our files apart.
inline constexpr std::int64_t kApplicationId = 0x53585441;
// PRAGMA user_version: the format version this code writes and the newest it reads.
inline constexpr std::int64_t kFormatVersion = 1;
// A keyframe (absolute values) at least this often, so a seek decodes at most this many rows.
inline constexpr int kKeyframeEvery = 64;

inline constexpr const char* kSchema = R"sql(
CREATE TABLE archive(key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE metric(pmid INTEGER PRIMARY KEY, name TEXT NOT NULL, type INTEGER NOT NULL,
                    semantics INTEGER NOT NULL, units INTEGER NOT NULL, indom INTEGER,
                    one_line TEXT NOT NULL, long_help TEXT NOT NULL, labels TEXT NOT NULL);
CREATE TABLE indom(indom INTEGER PRIMARY KEY, one_line TEXT NOT NULL, long_help TEXT NOT NULL);
CREATE TABLE instance(indom INTEGER NOT NULL, inst INTEGER NOT NULL, name TEXT NOT NULL,
                      since_ns INTEGER NOT NULL, until_ns INTEGER, labels TEXT);
CREATE INDEX instance_open ON instance(indom, inst) WHERE until_ns IS NULL;
CREATE TABLE layout(id INTEGER PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE sample(t INTEGER PRIMARY KEY, layout INTEGER NOT NULL, key INTEGER NOT NULL, data BLOB NOT NULL);
)sql";

inline std::int64_t toNs(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}
inline std::chrono::system_clock::time_point fromNs(std::int64_t ns) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::nanoseconds(ns)));
}

// One integer PRAGMA; nothing when SQLite refuses (a file that is not a database).
inline bool pragmaInt(sql::Database& db, const char* name, std::int64_t& out) {
  sql::Statement s = db.prepare(std::string("PRAGMA ") + name);
  if (!s || s.step() != SQLITE_ROW) return false;
  out = s.int64(0);
  return true;
}

// Whether the open file is an archive this code reads: Error::LogLabel naming `path`
// and the reason when it is not.
inline Expected<bool> checkArchive(sql::Database& db, const std::string& path) {
  std::int64_t app = 0, version = 0;
  if (!pragmaInt(db, "application_id", app) || !pragmaInt(db, "user_version", version))
    return Failure{Error::LogLabel, "archive " + path + ": not a Sextant archive (" + db.error() + ")"};
  if (app != kApplicationId) {
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08llx", static_cast<unsigned long long>(app) & 0xFFFFFFFFull);
    return Failure{Error::LogLabel, "archive " + path + ": not a Sextant archive (SQLite application_id " + hex + ")"};
  }
  if (version > kFormatVersion)
    return Failure{Error::LogLabel, "archive " + path + ": format version " + std::to_string(version) +
                                        " is newer than this sextant reads (" + std::to_string(kFormatVersion) + ")"};
  if (version < 1)
    return Failure{Error::LogLabel, "archive " + path + ": format version " + std::to_string(version) + " is not valid"};
  return true;
}

}  // namespace sextant::archive
