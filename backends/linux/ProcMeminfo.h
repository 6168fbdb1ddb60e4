#pragma once
// /proc/meminfo (proc(5)): "Key:   value kB" lines. Most values are KiB; the
// HugePages_* lines are page counts with no unit.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/Expected.h"

namespace sextant::linuxbe {

struct MeminfoSnapshot {
  std::map<std::string, std::uint64_t, std::less<>> fields;  // key -> number as printed
  std::optional<std::uint64_t> get(std::string_view key) const {
    auto it = fields.find(key);
    if (it == fields.end()) return std::nullopt;
    return it->second;
  }
};

// Fails on a line that is not "Key: number" with an optional "kB", and when MemTotal
// (printed by every kernel) is missing.
Expected<MeminfoSnapshot> parseProcMeminfo(std::string_view text);

}  // namespace sextant::linuxbe
