#pragma once
// /proc/swaps (proc(5), swapon(8)): a header line, then one line per active swap area:
// "Filename Type Size Used Priority", sizes in KiB.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/Expected.h"

namespace sextant::linuxbe {

struct SwapDevice {
  std::string path;  // as the kernel prints it (space, tab, newline and '\' octal-escaped)
  std::string type;  // "partition" or "file"
  std::uint64_t sizeKb = 0;
  std::uint64_t usedKb = 0;
  std::int32_t priority = 0;
};

struct SwapsSnapshot {
  std::vector<SwapDevice> devices;  // empty when no swap is active
};

// Fails when the header is missing or a device line lacks a field or a number.
Expected<SwapsSnapshot> parseProcSwaps(std::string_view text);

}  // namespace sextant::linuxbe
