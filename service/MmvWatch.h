#pragma once
// Whether anything the MMV agent serves may have changed, in one system call: the
// directory gained, lost or rewrote a file (inotify: creations, removals, renames,
// truncations, writes), or a writer process of a PROCESS-flagged file exited (a pidfd
// per writer). Values stored through a mapping raise no event, so a busy writer costs
// nothing here; generation changes are seen in the mapping itself.
//
// Linux only. Elsewhere, or when a watch cannot be set up, armed() is false and the
// agent checks the directory, the file sizes and the processes by hand.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace sextant::service {

class MmvWatch {
 public:
  MmvWatch() = default;
  ~MmvWatch();
  MmvWatch(const MmvWatch&) = delete;
  MmvWatch& operator=(const MmvWatch&) = delete;

  // Starts watching `dir` afresh, forgetting earlier events and processes. Called
  // before the directory is read, so that nothing happening during the scan is missed.
  void watchDirectory(const std::string& dir);
  // Adds the writers found by the scan. A process that is already gone fires the watch.
  void watchProcesses(std::span<const std::int32_t> pids);

  bool armed() const { return dirFd_ >= 0 && !broken_; }
  // True once anything happened since watchDirectory(), or if the watch broke.
  bool fired();

 private:
  void close();
  int dirFd_ = -1;
  bool broken_ = false;
  bool gone_ = false;  // a watched writer had exited before its pidfd was opened
  std::vector<int> pidFds_;
};

}  // namespace sextant::service
