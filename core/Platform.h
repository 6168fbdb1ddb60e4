#pragma once
// The one entry point of an OS backend. cmake/Platform.cmake picks the backend that
// defines it; core only declares it.
#include <memory>
#include <string>
#include <vector>

#include "core/Agent.h"

namespace sextant {

struct PlatformOptions {
  // Where the OS's files are read from: "/" on a live system, a fixture tree in tests
  // (e.g. tests/fixtures/linux/<case>/, holding proc/ and sys/).
  std::string root = "/";
  // Facts a fixture cannot tell; 0 means "ask the running system".
  long clockTicks = 0;  // USER_HZ, the unit of /proc/stat CPU times
  long pageSize = 0;    // bytes
};

// The agents of this platform: the portable catalog's domains and any OS extras.
std::vector<std::unique_ptr<Agent>> makePlatformAgents(const PlatformOptions& options);

}  // namespace sextant
