#pragma once
// One line per notable event (start, stop, reload, refused connection, malformed or
// oversized PDU), to standard error or an appended file, safe from every thread.
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

#include "core/Expected.h"

namespace sextant::service {

class Log {
 public:
  Log() = default;
  ~Log();
  Log(const Log&) = delete;
  Log& operator=(const Log&) = delete;

  // Appends to `path` from now on (empty: standard error).
  Expected<bool> open(const std::string& path);
  // "2026-05-09 14:03:11 sextantd[812]: <text>"
  void line(std::string_view text);

 private:
  std::mutex lock_;
  std::FILE* file_ = nullptr;  // owned when not stderr
};

}  // namespace sextant::service
