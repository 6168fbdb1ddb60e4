#pragma once
// /proc/vmstat: "name value" lines of virtual-memory counters and levels. The set of
// names changes from kernel to kernel, so the snapshot keeps whatever is there.
#include <cstdint>
#include <optional>
#include <string_view>

#include "backends/linux/TextFields.h"
#include "core/Expected.h"

namespace sextant::linuxbe {

struct VmstatSnapshot {
  NamedNumbers fields;
  std::optional<std::uint64_t> get(std::string_view name) const { return fields.get(name); }
};

// Fails on a line that is not exactly a name and an unsigned number, and on empty text.
// `reuse`, an earlier snapshot, lends its storage.
Expected<VmstatSnapshot> parseProcVmstat(std::string_view text, VmstatSnapshot reuse = {});

}  // namespace sextant::linuxbe
