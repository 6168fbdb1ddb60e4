#pragma once
// /proc/stat (proc(5)): CPU times in USER_HZ ticks, interrupt and context-switch
// counters, boot time and process counts.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/Expected.h"

namespace sextant::linuxbe {

// The columns of a "cpu" line, in the kernel's order. Older kernels print fewer:
// iowait, irq and softirq since 2.6.0, steal since 2.6.11, guest since 2.6.24,
// guest_nice since 2.6.33.
enum class CpuField : std::size_t { User = 0, Nice, System, Idle, IoWait, Irq, SoftIrq, Steal, Guest, GuestNice };
inline constexpr std::size_t kCpuFieldCount = 10;

struct CpuTimes {
  std::array<std::uint64_t, kCpuFieldCount> ticks{};
  std::size_t present = 0;  // how many leading columns the kernel printed
  std::optional<std::uint64_t> get(CpuField f) const {
    auto i = static_cast<std::size_t>(f);
    if (i >= present) return std::nullopt;
    return ticks[i];
  }
};

struct PerCpuTimes {
  std::int32_t cpu = 0;  // N of "cpuN"
  CpuTimes times;
};

struct StatSnapshot {
  CpuTimes all;                 // the "cpu" line: every CPU together
  std::vector<PerCpuTimes> cpus;  // the "cpuN" lines: online CPUs only, in file order
  std::optional<std::uint64_t> intr;  // first number of "intr": every interrupt since boot
  std::optional<std::uint64_t> ctxt;
  std::optional<std::int64_t> btime;  // seconds since the epoch
  std::optional<std::uint64_t> processes;  // forks since boot
  std::optional<std::uint64_t> procsRunning;
  std::optional<std::uint64_t> procsBlocked;
};

// Fails when the aggregate "cpu" line is missing or any cpu line is malformed
// (fewer than the four columns every kernel prints, or a non-number). `reuse`, an
// earlier snapshot, lends its storage.
Expected<StatSnapshot> parseProcStat(std::string_view text, StatSnapshot reuse = {});

}  // namespace sextant::linuxbe
