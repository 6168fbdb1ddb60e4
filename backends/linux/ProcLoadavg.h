#pragma once
// /proc/loadavg (proc(5)): "1min 5min 15min runnable/total lastpid".
#include <cstdint>
#include <string_view>

#include "core/Expected.h"

namespace sextant::linuxbe {

struct LoadavgSnapshot {
  double load1 = 0, load5 = 0, load15 = 0;
  std::uint32_t runnable = 0;  // scheduling entities now runnable
  std::uint32_t nprocs = 0;    // scheduling entities (threads) that exist
  std::uint32_t lastPid = 0;   // most recently created pid
};

// Fails unless the text has the five fields in that form.
Expected<LoadavgSnapshot> parseProcLoadavg(std::string_view text);

}  // namespace sextant::linuxbe
