#pragma once
// /proc/mounts (the same text as /proc/self/mounts; fstab(5) layout): device, mount
// point, type, options, dump, pass. Blanks, tabs, newlines and backslashes in the
// first two fields are written as octal escapes ("\040" for a space).
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sextant::linuxbe {

struct MountEntry {
  std::string device;    // "/dev/nvme0n1p2", "tmpfs"
  std::string mountDir;  // escapes decoded: "/media/My Disk"
  std::string type;      // "ext4"
  std::string options;   // "rw,relatime"
  bool readOnly = false; // "ro" among the options
};

struct MountsSnapshot {
  std::vector<MountEntry> mounts;  // in file order
  std::size_t badLines = 0;        // lines with fewer than four fields (skipped)
};

// Pure: never throws.
MountsSnapshot parseMounts(std::string_view text);

// "\040" -> " ": a backslash and three octal digits become that byte; anything else
// is kept as written.
std::string decodeMountEscapes(std::string_view s);

// A file system in PCP's sense: one mounted from a block device ("/dev/...");
// pseudo file systems (proc, tmpfs, cgroup, overlay) are left out.
bool isBlockDeviceMount(const MountEntry& m);

}  // namespace sextant::linuxbe
