#pragma once
// RAII over the sqlite3 C API (https://sqlite.org/c3ref/intro.html): a connection and
// its prepared statements, each released by its destructor. Only what the archive needs.
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace sextant::archive::sql {

class Statement {
 public:
  Statement() = default;
  explicit Statement(sqlite3_stmt* s) : s_(s) {}
  ~Statement() { sqlite3_finalize(s_); }
  Statement(Statement&& o) noexcept : s_(std::exchange(o.s_, nullptr)) {}
  Statement& operator=(Statement&& o) noexcept {
    if (this != &o) {
      sqlite3_finalize(s_);
      s_ = std::exchange(o.s_, nullptr);
    }
    return *this;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  explicit operator bool() const { return s_ != nullptr; }

  // Parameters count from 1, as in SQL text (?1, ?2, ...). Text and blobs are copied.
  void bind(int i, std::int64_t v) { sqlite3_bind_int64(s_, i, v); }
  void bindNull(int i) { sqlite3_bind_null(s_, i); }
  void bindText(int i, std::string_view v) {
    sqlite3_bind_text64(s_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  }
  void bindBlob(int i, std::string_view v) {
    // A zero-length blob must still be a blob, not NULL: give SQLite a valid pointer.
    sqlite3_bind_blob64(s_, i, v.empty() ? "" : v.data(), v.size(), SQLITE_TRANSIENT);
  }
  // Not copied: the caller keeps the bytes unchanged until the statement is reset (run()).
  void bindBlobInPlace(int i, std::string_view v) {
    sqlite3_bind_blob64(s_, i, v.empty() ? "" : v.data(), v.size(), SQLITE_STATIC);
  }

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(s_); }
  // Ready for another run with new parameters.
  void reset() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  // Runs a statement that returns no rows, then resets it: SQLITE_DONE or the error.
  int run() {
    const int rc = step();
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
    return rc;
  }

  // Columns count from 0.
  std::int64_t int64(int c) const { return sqlite3_column_int64(s_, c); }
  bool isNull(int c) const { return sqlite3_column_type(s_, c) == SQLITE_NULL; }
  std::string_view text(int c) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, c));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, c))) : std::string_view();
  }
  std::string_view blob(int c) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(s_, c));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, c))) : std::string_view();
  }

 private:
  sqlite3_stmt* s_ = nullptr;
};

class Database {
 public:
  Database() = default;
  ~Database() { sqlite3_close_v2(db_); }
  Database(Database&& o) noexcept : db_(std::exchange(o.db_, nullptr)) {}
  Database& operator=(Database&& o) noexcept {
    if (this != &o) {
      sqlite3_close_v2(db_);
      db_ = std::exchange(o.db_, nullptr);
    }
    return *this;
  }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // sqlite3_open_v2 with `flags`; false with the reason in error() on failure.
  bool open(const std::string& path, int flags) {
    sqlite3_close_v2(db_);
    db_ = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      openError_ = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close_v2(db_);
      db_ = nullptr;
      return false;
    }
    // A reader that meets a writer's WAL recovery, or a second writer, waits a moment
    // rather than failing at once (https://sqlite.org/c3ref/busy_timeout.html).
    sqlite3_busy_timeout(db_, 2000);
    return true;
  }

  // Runs SQL text of one or more statements: SQLITE_OK or the error.
  int exec(const char* sqlText) { return sqlite3_exec(db_, sqlText, nullptr, nullptr, nullptr); }
  // A prepared statement, empty on failure (then error() says why).
  Statement prepare(std::string_view sqlText) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sqlText.data(), static_cast<int>(sqlText.size()), SQLITE_PREPARE_PERSISTENT, &s, nullptr) !=
        SQLITE_OK) {
      sqlite3_finalize(s);
      return Statement();
    }
    return Statement(s);
  }
  // The last error of this connection, as SQLite words it ("database or disk is full").
  std::string error() const { return db_ ? sqlite3_errmsg(db_) : openError_; }
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::string openError_;
};

}  // namespace sextant::archive::sql
