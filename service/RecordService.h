#pragma once
// sextantd's recorders (pmlogger's role, DESIGN.md "Storage"): one thread per [record]
// section, sampling the daemon's own collector into <directory>/<YYYYMMDD>.sextant.
// A new file starts at local midnight; after a restart the same day the recorder
// appends to that day's file; at each new file, archives older than keep_days go.
// A failed write (a full disk) is logged and the next sample tries again.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/Collector.h"
#include "service/Config.h"
#include "service/Log.h"

namespace sextant::service {

class RecordService {
 public:
  // `lock` is the mutex every front end takes around `collector`.
  RecordService(Collector& collector, std::mutex& lock, Log& log, std::string hostName);
  ~RecordService();
  RecordService(const RecordService&) = delete;
  RecordService& operator=(const RecordService&) = delete;

  // Starts a recorder per section. Problems (a directory that cannot be made, unknown
  // metric names) are logged by each recorder, which keeps trying at its interval.
  void start(const std::vector<RecordSettings>& records);
  // Stops every recorder after the sample it is taking; the archives stay consistent.
  void stop();

 private:
  class Worker;
  Collector& collector_;
  std::mutex& lock_;
  Log& log_;
  std::string hostName_;
  std::vector<std::unique_ptr<Worker>> workers_;
};

// "20261122": the local date of `t`, as archive files are named.
std::string archiveDay(std::chrono::system_clock::time_point t);
// Names of archive files under `dir` of a day more than `keepDays` days before `today`
// (both YYYYMMDD): "<YYYYMMDD>.sextant", "<YYYYMMDD>.<N>.sextant" and their SQLite side
// files. Other files are never listed.
std::vector<std::string> expiredArchives(const std::string& dir, const std::string& today, unsigned keepDays);

}  // namespace sextant::service
