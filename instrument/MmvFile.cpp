// POSIX: open/ftruncate/mmap. The only file of sextant_mmv that talks to the system.
#include "instrument/MmvFile.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "instrument/MmvWriter.h"

namespace sextant::mmv {

namespace {

// PCP_TMP_DIR=... from PCP's configuration file: the last assignment wins, quotes removed,
// comments skipped (the file is a shell fragment of NAME=value lines).
std::string tmpDirFromConf(const std::string& confPath) {
  std::ifstream in(confPath);
  std::string line, found;
  constexpr std::string_view kKey = "PCP_TMP_DIR=";
  while (std::getline(in, line)) {
    if (line.size() <= kKey.size() || line.compare(0, kKey.size(), kKey) != 0) continue;
    std::string value = line.substr(kKey.size());
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    found = value;
  }
  return found;
}

}  // namespace

std::string mmvDirectory() {
  std::string tmp;
  if (const char* env = std::getenv("PCP_TMP_DIR"); env && *env) {
    tmp = env;
  } else {
    const char* conf = std::getenv("PCP_CONF");
    tmp = tmpDirFromConf(conf && *conf ? conf : "/etc/pcp.conf");
    if (tmp.empty()) tmp = "/var/tmp";
  }
  return tmp + "/mmv";
}

namespace detail {

std::byte* createMapped(const std::string& directory, const std::string& path, std::size_t size, std::string& error) {
  // The directory's mode is PCP's security model (spec 3); when we must create it, make
  // it like the Install script does: world-writable with the sticky bit.
  if (::mkdir(directory.c_str(), 01777) == 0) ::chmod(directory.c_str(), 01777);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    error = "cannot remove old " + path + ": " + std::strerror(errno);
    return nullptr;
  }
  mode_t old = ::umask(022);  // 0644 whatever the caller's umask: readers need read access
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  ::umask(old);
  if (fd < 0) {
    error = "cannot create " + path + ": " + std::strerror(errno);
    return nullptr;
  }
  if (::ftruncate(fd, static_cast<off_t>(size)) != 0) {
    error = "cannot size " + path + ": " + std::strerror(errno);
    ::close(fd);
    ::unlink(path.c_str());
    return nullptr;
  }
  void* base = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  ::close(fd);
  if (base == MAP_FAILED) {
    error = "cannot map " + path + ": " + std::strerror(errno);
    ::unlink(path.c_str());
    return nullptr;
  }
  return static_cast<std::byte*>(base);
}

void unmap(std::byte* base, std::size_t size) {
  if (base) ::munmap(base, size);
}

void removeFile(const std::string& path) { ::unlink(path.c_str()); }

std::int32_t processId() { return static_cast<std::int32_t>(::getpid()); }

std::uint64_t freshGeneration() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto usec = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  auto gen = (static_cast<std::uint64_t>(usec / 1000000) << 32) | static_cast<std::uint64_t>(usec % 1000000);
  return gen == 0 ? 1 : gen;
}

}  // namespace detail
}  // namespace sextant::mmv
