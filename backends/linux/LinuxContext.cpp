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

}  // namespace sextant::linuxbe
