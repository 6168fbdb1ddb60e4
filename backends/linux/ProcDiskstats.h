#pragma once
// /proc/diskstats: one line of I/O counters per block device (the kernel's
// Documentation/admin-guide/iostats.rst). Three layouts exist: 14 fields (major,
// minor, name and 11 counters), 18 fields (since kernel 4.18: four discard
// counters) and 20 fields (since kernel 5.5: two flush counters).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sextant::linuxbe {

struct DiskStats {
  unsigned major = 0;
  unsigned minor = 0;
  std::string name;  // "sda", "nvme0n1p2", "dm-0"
  std::uint64_t readIos = 0;       // reads completed
  std::uint64_t readMerges = 0;    // adjacent reads merged
  std::uint64_t readSectors = 0;   // 512-byte sectors read
  std::uint64_t readTicks = 0;     // ms spent reading
  std::uint64_t writeIos = 0;
  std::uint64_t writeMerges = 0;
  std::uint64_t writeSectors = 0;
  std::uint64_t writeTicks = 0;
  std::uint64_t inFlight = 0;      // I/Os currently in progress
  std::uint64_t ioTicks = 0;       // ms the device had I/O in progress
  std::uint64_t timeInQueue = 0;   // weighted ms: in-progress count x time
  // since kernel 4.18
  std::optional<std::uint64_t> discardIos, discardMerges, discardSectors, discardTicks;
  // since kernel 5.5
  std::optional<std::uint64_t> flushIos, flushTicks;
};

struct DiskstatsSnapshot {
  std::vector<DiskStats> devices;  // in file order
  std::size_t badLines = 0;        // lines that matched no layout (skipped)
};

// Pure: never throws; a line with a wrong field count or a non-numeric counter is
// skipped and counted in badLines.
DiskstatsSnapshot parseDiskstats(std::string_view text);

// /sys/block/<disk>/queue/scheduler lists the available I/O schedulers with the
// active one in brackets ("[mq-deadline] kyber none"); this is the active one, or the
// single listed name when there are no brackets, or "" for empty text.
std::string schedulerName(std::string_view text);

}  // namespace sextant::linuxbe
