#pragma once
// /proc/net/dev: two header lines, then one line per interface, "name:" followed by
// 8 receive and 8 transmit counters (proc(5)), and the small /sys/class/net/<if>/
// attribute files that describe each interface (the kernel's
// Documentation/ABI/testing/sysfs-class-net).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sextant::linuxbe {

struct NetDevStats {
  std::string name;  // "eth0", "bond0", "eth0.100"
  std::uint64_t rxBytes = 0, rxPackets = 0, rxErrors = 0, rxDrops = 0;
  std::uint64_t rxFifo = 0, rxFrame = 0, rxCompressed = 0, rxMulticast = 0;
  std::uint64_t txBytes = 0, txPackets = 0, txErrors = 0, txDrops = 0;
  std::uint64_t txFifo = 0, txCollisions = 0, txCarrier = 0, txCompressed = 0;
};

struct NetDevSnapshot {
  std::vector<NetDevStats> interfaces;  // in file order
  std::size_t badLines = 0;             // lines that are neither header nor interface
};

// Pure: never throws; a malformed interface line is skipped and counted.
NetDevSnapshot parseNetDev(std::string_view text);

// sysfs "speed" in Mbit/s; nothing for "-1" (SPEED_UNKNOWN) or unreadable text.
std::optional<std::uint64_t> parseSpeedMbits(std::string_view text);
// sysfs "duplex" as PCP counts it: 1 half, 2 full; nothing for "unknown".
std::optional<std::uint32_t> parseDuplex(std::string_view text);
// sysfs "flags", hexadecimal "0x1003" (the IFF_* bits of netdevice(7)).
std::optional<std::uint32_t> parseNetFlags(std::string_view text);

}  // namespace sextant::linuxbe
