// filesys.*: mounted block-device file systems, one instance per device as listed in
// /proc/mounts, sized with statvfs(3) on the mount point.
#include "core/catalog/Row.h"

namespace sextant::catalog {

using namespace detail;

const std::vector<MetricInfo>& filesysMetrics() {
  static const std::vector<MetricInfo> rows = {
      row("filesys.capacity", kernelPmid(5, 1), ValueType::U64, kFilesysInDom, Semantics::Discrete, kKByte,
          "total size of each file system",
          "statvfs f_blocks times f_frsize, in Kbytes: the whole data area, including the part "
          "reserved for root."),
      row("filesys.used", kernelPmid(5, 2), ValueType::U64, kFilesysInDom, Semantics::Instant, kKByte,
          "space in use on each file system",
          "statvfs (f_blocks minus f_bfree) times f_frsize, in Kbytes, as df(1) counts Used."),
      row("filesys.free", kernelPmid(5, 3), ValueType::U64, kFilesysInDom, Semantics::Instant, kKByte,
          "free space on each file system, including reserved",
          "statvfs f_bfree times f_frsize, in Kbytes. Includes the blocks reserved for root; see "
          "filesys.avail for what ordinary users can still write."),
      row("filesys.maxfiles", kernelPmid(5, 4), ValueType::U32, kFilesysInDom, Semantics::Discrete, kNone,
          "number of inodes on each file system",
          "statvfs f_files: how many files and directories the file system can hold. File systems "
          "that allocate inodes on demand, such as btrfs, may report 0."),
      row("filesys.usedfiles", kernelPmid(5, 5), ValueType::U32, kFilesysInDom, Semantics::Instant, kNone,
          "inodes in use on each file system", "statvfs f_files minus f_ffree, as df -i counts IUsed."),
      row("filesys.freefiles", kernelPmid(5, 6), ValueType::U32, kFilesysInDom, Semantics::Instant, kNone,
          "free inodes on each file system",
          "statvfs f_ffree. When it reaches 0 no new file can be created even with space free."),
      row("filesys.mountdir", kernelPmid(5, 7), ValueType::String, kFilesysInDom, Semantics::Discrete, kNone,
          "where each file system is mounted", "The mount point, the second field of its /proc/mounts line."),
      row("filesys.full", kernelPmid(5, 8), ValueType::Double, kFilesysInDom, Semantics::Instant, kNone,
          "percentage of each file system in use",
          "filesys.used as a percentage of used plus avail, 0 to 100, which is how df(1) computes Use%: "
          "100 means ordinary users can write nothing more."),
      row("filesys.blocksize", kernelPmid(5, 9), ValueType::U32, kFilesysInDom, Semantics::Instant, kByte,
          "block size of each file system", "statvfs f_bsize: the preferred I/O block size in bytes."),
      row("filesys.avail", kernelPmid(5, 10), ValueType::U64, kFilesysInDom, Semantics::Instant, kKByte,
          "space available to ordinary users",
          "statvfs f_bavail times f_frsize, in Kbytes: free space minus the root reserve, as df(1) "
          "counts Avail."),
      row("filesys.readonly", kernelPmid(5, 11), ValueType::U32, kFilesysInDom, Semantics::Instant, kNone,
          "1 if the file system is mounted read-only",
          "The ST_RDONLY bit of statvfs f_flag: 1 when mounted read-only, else 0. A file system that "
          "turns read-only on its own has usually hit an error."),
      // Sextant's own; PCP's filesys cluster stops at item 11.
      row("filesys.type", kernelPmid(5, 32), ValueType::String, kFilesysInDom, Semantics::Discrete, kNone,
          "file system type",
          "The type field, the third of its /proc/mounts line, such as \"ext4\", \"xfs\" or \"btrfs\"."),
  };
  return rows;
}

}  // namespace sextant::catalog
