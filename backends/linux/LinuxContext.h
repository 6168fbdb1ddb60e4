#pragma once
// What every Linux reader needs to know: where procfs and sysfs are (a fixture tree in
// tests) and the facts the files do not state.
#include <optional>
#include <string>
#include <string_view>

namespace sextant::linuxbe {

struct LinuxContext {
  std::string root = "/";  // holds proc/ and sys/
  long clockTicks = 100;   // USER_HZ: the unit of CPU times in /proc/stat and /proc/PID/stat
  long pageSize = 4096;    // bytes

  // root joined with a relative path such as "proc/stat".
  std::string path(std::string_view rel) const;
};

// The whole file, or nothing if it cannot be opened or read. procfs files report a
// size of 0, so this reads until end of file rather than trusting stat().
std::optional<std::string> readFile(const std::string& path);

// A file read again and again, such as /proc/stat on every fetch: opened once and read
// from offset 0 each time (procfs regenerates the text on such a read), which saves an
// open and a close per fetch. A file that cannot be opened is tried again next time.
class KeptFile {
 public:
  explicit KeptFile(std::string path) : path_(std::move(path)) {}
  ~KeptFile();
  KeptFile(const KeptFile&) = delete;
  KeptFile& operator=(const KeptFile&) = delete;

  // The whole current text, or nothing if the file cannot be read. Valid until the next call.
  std::optional<std::string_view> read();

 private:
  std::string path_;
  int fd_ = -1;
  std::string buf_;
};

}  // namespace sextant::linuxbe
