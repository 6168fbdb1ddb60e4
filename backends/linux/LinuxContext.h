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

}  // namespace sextant::linuxbe
