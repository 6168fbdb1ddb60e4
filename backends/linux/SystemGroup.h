#pragma once
// Facts of the running system that are not one procfs table: page size and clock
// rate (from the context), NUMA node count, pid_max, logged-in users.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/Expected.h"

namespace sextant::linuxbe {

// The number of "nodeN" entries among the names of /sys/devices/system/node.
std::uint32_t countNumaNodes(const std::vector<std::string>& entries);

// /proc/sys/kernel/pid_max: one number and a newline.
Expected<std::uint32_t> parsePidMax(std::string_view text);

}  // namespace sextant::linuxbe
