#pragma once
// /proc/cpuinfo: one block of "key : value" lines per online CPU. The keys depend on
// the architecture: x86 prints vendor_id, model name, cpu MHz, cache size, flags;
// arm64 prints CPU implementer, CPU part, CPU revision, BogoMIPS, Features and no
// model name or clock (arch/arm64/kernel/cpuinfo.c).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/Expected.h"

namespace sextant::linuxbe {

struct CpuinfoEntry {
  std::int32_t processor = 0;
  std::optional<std::string> vendor;     // x86 vendor_id; arm64 CPU implementer
  std::optional<std::string> model;      // x86 model; arm64 CPU part
  std::optional<std::string> modelName;  // x86 "model name"
  std::optional<std::string> stepping;   // x86 stepping; arm64 CPU revision
  std::optional<std::string> flags;      // x86 flags; arm64 Features
  std::optional<float> clockMhz;         // x86 "cpu MHz"
  std::optional<std::uint32_t> cacheKb;  // x86 "cache size: 1024 KB"
  std::optional<float> bogomips;         // x86 bogomips; arm64 BogoMIPS
};

struct CpuinfoSnapshot {
  std::vector<CpuinfoEntry> cpus;  // in file order
};

// Fails on a non-empty line without ':', on a processor number that is not a number,
// and when no processor block is found. A field whose value cannot be read as the
// number it should be is left absent rather than guessed.
Expected<CpuinfoSnapshot> parseProcCpuinfo(std::string_view text);

}  // namespace sextant::linuxbe
