#pragma once
// /proc/uptime (proc(5)): seconds since boot, and idle seconds summed over every CPU
// (so idle can exceed uptime on a multi-CPU machine).
#include <string_view>

#include "core/Expected.h"

namespace sextant::linuxbe {

struct UptimeSnapshot {
  double uptime = 0;
  double idle = 0;
};

// Fails unless the text is two non-negative numbers.
Expected<UptimeSnapshot> parseProcUptime(std::string_view text);

}  // namespace sextant::linuxbe
