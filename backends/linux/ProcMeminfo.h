#pragma once
// /proc/meminfo (proc(5)): "Key:   value kB" lines. Most values are KiB; the
// HugePages_* lines are page counts with no unit.
#include <cstdint>
#include <optional>
#include <string_view>

#include "backends/linux/TextFields.h"
#include "core/Expected.h"

namespace sextant::linuxbe {

struct MeminfoSnapshot {
  NamedNumbers fields;  // key -> number as printed
  std::optional<std::uint64_t> get(std::string_view key) const { return fields.get(key); }
};

// Fails on a line that is not "Key: number" with an optional "kB", and when MemTotal
// (printed by every kernel) is missing. `reuse`, an earlier snapshot, lends its storage.
Expected<MeminfoSnapshot> parseProcMeminfo(std::string_view text, MeminfoSnapshot reuse = {});

}  // namespace sextant::linuxbe
