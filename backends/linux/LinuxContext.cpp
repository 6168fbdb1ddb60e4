#include "backends/linux/LinuxContext.h"

#include <fcntl.h>
#include <unistd.h>

namespace sextant::linuxbe {

std::string LinuxContext::path(std::string_view rel) const {
  std::string p = root;
  if (p.empty() || p.back() != '/') p += '/';
  p += rel;
  return p;
}

std::optional<std::string> readFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string out;
  char buf[16384];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

KeptFile::~KeptFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::optional<std::string_view> KeptFile::read() {
  if (fd_ < 0) fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return std::nullopt;
  if (buf_.size() < 4096) buf_.resize(4096);
  while (true) {
    // The whole text in one read from 0; a full buffer may have cut it, so it is read
    // again whole into a larger one (continuing would mix two generations of the text).
    const ssize_t n = ::pread(fd_, buf_.data(), buf_.size(), 0);
    if (n < 0) {
      ::close(fd_);  // reopened next time: the file may have been replaced
      fd_ = -1;
      return std::nullopt;
    }
    if (static_cast<std::size_t>(n) < buf_.size()) return std::string_view(buf_.data(), static_cast<std::size_t>(n));
    buf_.resize(buf_.size() * 2);
  }
}

}  // namespace sextant::linuxbe
