#pragma once
// /proc/vmstat: "name value" lines of virtual-memory counters and levels. The set of
// names changes from kernel to kernel, so the snapshot keeps whatever is there.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/Expected.h"

namespace sextant::linuxbe {

struct VmstatSnapshot {
  std::map<std::string, std::uint64_t, std::less<>> fields;
  std::optional<std::uint64_t> get(std::string_view name) const {
    auto it = fields.find(name);
    if (it == fields.end()) return std::nullopt;
    return it->second;
  }
};

// Fails on a line that is not exactly a name and an unsigned number, and on empty text.
Expected<VmstatSnapshot> parseProcVmstat(std::string_view text);

}  // namespace sextant::linuxbe
