#include "service/MmvWatch.h"

#include <unistd.h>

#ifdef __linux__
#include <poll.h>
#include <sys/inotify.h>
#include <sys/syscall.h>
#endif

#include <cerrno>

namespace sextant::service {

MmvWatch::~MmvWatch() { close(); }

void MmvWatch::close() {
  if (dirFd_ >= 0) ::close(dirFd_);
  for (int fd : pidFds_) ::close(fd);
  dirFd_ = -1;
  pidFds_.clear();
  broken_ = gone_ = false;
}

#if defined(__linux__) && defined(SYS_pidfd_open)

void MmvWatch::watchDirectory(const std::string& dir) {
  close();
  dirFd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (dirFd_ < 0) return;
  constexpr std::uint32_t kEvents = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_MODIFY | IN_ATTRIB |
                                    IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
  if (inotify_add_watch(dirFd_, dir.c_str(), kEvents) < 0) {
    ::close(dirFd_);  // no directory (yet): the agent stats it by hand until it appears
    dirFd_ = -1;
  }
}

void MmvWatch::watchProcesses(std::span<const std::int32_t> pids) {
  if (dirFd_ < 0) return;
  for (std::int32_t pid : pids) {
    const int fd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
    if (fd >= 0) {
      pidFds_.push_back(fd);
    } else if (errno == ESRCH) {
      gone_ = true;
    } else {
      broken_ = true;  // no pidfds here (kernel before 5.3, or a limit): check by hand
      return;
    }
  }
}

bool MmvWatch::fired() {
  if (dirFd_ < 0 || broken_ || gone_) return true;
  pollfd fds[64];
  // One poll over the directory and up to 63 writers at a time; almost always one call.
  std::size_t next = 0;
  bool first = true;
  while (first || next < pidFds_.size()) {
    nfds_t n = 0;
    if (first) fds[n++] = pollfd{dirFd_, POLLIN, 0};
    while (n < 64 && next < pidFds_.size()) fds[n++] = pollfd{pidFds_[next++], POLLIN, 0};
    first = false;
    const int ready = ::poll(fds, n, 0);
    if (ready != 0) return true;  // an event, or an error: rescan either way
  }
  return false;
}

#else

void MmvWatch::watchDirectory(const std::string&) { close(); }
void MmvWatch::watchProcesses(std::span<const std::int32_t>) {}
bool MmvWatch::fired() { return true; }

#endif

}  // namespace sextant::service
