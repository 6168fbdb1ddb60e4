// disk.*: block-device I/O from /proc/diskstats, in four families that share their
// fields: disk.dev (each whole disk), disk.all (whole disks summed), disk.partitions
// and disk.dm (device-mapper volumes). The field meanings are written once; each
// family lists the fields it has, with PCP's item numbers and types.
#include <span>
#include <string_view>

#include "core/catalog/Row.h"

namespace sextant::catalog {

using namespace detail;

namespace {

// What a field means, whichever family it is in. Columns of /proc/diskstats are
// numbered after the device name (Documentation/admin-guide/iostats.rst).
struct Field {
  const char* leaf;
  Semantics sem;
  Units units;
  const char* oneLine;
  const char* longHelp;
};

constexpr Semantics kCtr = Semantics::Counter;

constexpr Field kFields[] = {
    {"read", kCtr, kCount, "read operations completed", "Column 1 of /proc/diskstats: reads completed."},
    {"write", kCtr, kCount, "write operations completed", "Column 5 of /proc/diskstats: writes completed."},
    {"total", kCtr, kCount, "read and write operations completed",
     "Columns 1 plus 5 of /proc/diskstats: reads and writes completed, the device's IOPS when shown as a rate."},
    {"blkread", kCtr, kCount, "512-byte sectors read",
     "Column 3 of /proc/diskstats: sectors read. The kernel always counts 512-byte sectors here, "
     "whatever the device's real sector size."},
    {"blkwrite", kCtr, kCount, "512-byte sectors written", "Column 7 of /proc/diskstats: 512-byte sectors written."},
    {"blktotal", kCtr, kCount, "512-byte sectors read and written", "Columns 3 plus 7 of /proc/diskstats."},
    {"read_bytes", kCtr, kKByte, "Kbytes read", "Column 3 of /proc/diskstats (512-byte sectors read) halved to Kbytes."},
    {"write_bytes", kCtr, kKByte, "Kbytes written",
     "Column 7 of /proc/diskstats (512-byte sectors written) halved to Kbytes."},
    {"total_bytes", kCtr, kKByte, "Kbytes read and written", "Columns 3 plus 7 of /proc/diskstats, in Kbytes."},
    {"read_merge", kCtr, kCount, "reads merged with a neighbour",
     "Column 2 of /proc/diskstats: read requests the block layer joined to an adjacent request "
     "before issuing them."},
    {"write_merge", kCtr, kCount, "writes merged with a neighbour",
     "Column 6 of /proc/diskstats: write requests joined to an adjacent request before issuing them."},
    {"avactive", kCtr, kMillisec, "time the device was busy",
     "Column 10 of /proc/diskstats: milliseconds with at least one request in flight. As a rate "
     "divided by 1000 it is the device's utilisation; near 1 means saturated, though devices that "
     "serve requests in parallel can do more."},
    {"read_rawactive", kCtr, kMillisec, "time spent on reads",
     "Column 4 of /proc/diskstats: milliseconds reads took, summed over all reads, so overlapping "
     "reads count more than once. Divided by the read count it is the average read latency."},
    {"write_rawactive", kCtr, kMillisec, "time spent on writes",
     "Column 8 of /proc/diskstats: milliseconds writes took, summed over all writes. Divided by the "
     "write count it is the average write latency."},
    {"total_rawactive", kCtr, kMillisec, "time spent on reads and writes",
     "Columns 4 plus 8 of /proc/diskstats: milliseconds all reads and writes took, summed."},
    {"aveq", kCtr, kMillisec, "time-weighted queue length",
     "Column 11 of /proc/diskstats: milliseconds in flight summed over every request. As a rate "
     "divided by 1000 it is the average number of requests queued or in service."},
    {"scheduler", Semantics::Discrete, kNone, "I/O scheduler in use",
     "The bracketed entry of /sys/block/<disk>/queue/scheduler, such as \"mq-deadline\" or \"none\"."},
    {"capacity", Semantics::Discrete, kKByte, "size of the device",
     "/sys/class/block/<name>/size (512-byte sectors) converted to Kbytes."},
    {"discard", kCtr, kCount, "discard operations completed",
     "Column 12 of /proc/diskstats (since kernel 4.18): discard (TRIM) requests completed."},
    {"flush", kCtr, kCount, "cache flush operations completed",
     "Column 16 of /proc/diskstats (since kernel 5.5): cache flush requests completed."},
    {"inflight", Semantics::Instant, kNone, "requests in flight now",
     "Column 9 of /proc/diskstats: requests issued to the device and not yet completed."},
};

const Field* field(std::string_view leaf) {
  for (const Field& f : kFields)
    if (leaf == f.leaf) return &f;
  return nullptr;
}

// A field as one family serves it.
struct Member {
  const char* leaf;
  unsigned item;
  ValueType type;
};

constexpr ValueType kU32 = ValueType::U32;
constexpr ValueType kU64 = ValueType::U64;

constexpr Member kDev[] = {
    {"read", 4, kU64},          {"write", 5, kU64},           {"total", 28, kU64},
    {"blkread", 6, kU64},       {"blkwrite", 7, kU64},        {"blktotal", 36, kU64},
    {"read_bytes", 38, kU64},   {"write_bytes", 39, kU64},    {"total_bytes", 40, kU64},
    {"read_merge", 49, kU64},   {"write_merge", 50, kU64},    {"avactive", 46, kU32},
    {"read_rawactive", 72, kU32}, {"write_rawactive", 73, kU32}, {"total_rawactive", 79, kU32},
    {"aveq", 47, kU32},         {"scheduler", 59, ValueType::String}, {"capacity", 87, kU64},
    {"discard", 88, kU64},      {"flush", 93, kU64},          {"inflight", 95, kU32},
};

constexpr Member kAll[] = {
    {"read", 24, kU64},         {"write", 25, kU64},          {"total", 29, kU64},
    {"blkread", 26, kU64},      {"blkwrite", 27, kU64},       {"blktotal", 37, kU64},
    {"read_bytes", 41, kU64},   {"write_bytes", 42, kU64},    {"total_bytes", 43, kU64},
    {"read_merge", 51, kU64},   {"write_merge", 52, kU64},    {"avactive", 44, kU64},
    {"read_rawactive", 74, kU64}, {"write_rawactive", 75, kU64}, {"total_rawactive", 80, kU64},
    {"aveq", 45, kU64},         {"discard", 96, kU64},        {"flush", 101, kU64},
    {"inflight", 104, kU64},
};

constexpr Member kPartitions[] = {
    {"read", 0, kU64},          {"write", 1, kU64},           {"total", 2, kU64},
    {"blkread", 3, kU64},       {"blkwrite", 4, kU64},        {"blktotal", 5, kU64},
    {"read_bytes", 6, kU64},    {"write_bytes", 7, kU64},     {"total_bytes", 8, kU64},
    {"read_merge", 9, kU64},    {"write_merge", 10, kU64},    {"avactive", 11, kU32},
    {"aveq", 12, kU32},         {"read_rawactive", 13, kU32}, {"write_rawactive", 14, kU32},
    {"total_rawactive", 15, kU32}, {"capacity", 16, kU64},    {"discard", 17, kU64},
    {"flush", 22, kU64},        {"inflight", 24, kU32},
};

// PCP declares the dm byte counts as 32-bit; kept so PCP's tools agree with us.
constexpr Member kDm[] = {
    {"read", 0, kU64},          {"write", 1, kU64},           {"total", 2, kU64},
    {"blkread", 3, kU64},       {"blkwrite", 4, kU64},        {"blktotal", 5, kU64},
    {"read_bytes", 6, kU32},    {"write_bytes", 7, kU32},     {"total_bytes", 8, kU32},
    {"read_merge", 9, kU64},    {"write_merge", 10, kU64},    {"avactive", 11, kU32},
    {"aveq", 12, kU32},         {"read_rawactive", 14, kU32}, {"write_rawactive", 15, kU32},
    {"total_rawactive", 16, kU32}, {"capacity", 17, kU64},    {"discard", 18, kU64},
    {"flush", 23, kU64},        {"inflight", 25, kU32},
};

struct Family {
  const char* prefix;  // "disk.dev."
  unsigned cluster;
  InDom indom;
  const char* scope;        // appended to the one-line help
  const char* scopeDetail;  // appended to the long help
  std::span<const Member> members;
};

void addFamily(std::vector<MetricInfo>& rows, const Family& fam) {
  for (const Member& m : fam.members) {
    const Field* f = field(m.leaf);
    if (f == nullptr) continue;  // a typo in a table; CatalogTest catches the missing row
    std::string help = std::string(f->longHelp) + ' ' + fam.scopeDetail;
    if (f->sem == Semantics::Counter) help = sinceBoot(std::move(help));
    rows.push_back(row(fam.prefix + std::string(m.leaf), kernelPmid(fam.cluster, m.item), m.type, fam.indom,
                       f->sem, f->units, std::string(f->oneLine) + ", " + fam.scope, help));
  }
}

std::vector<MetricInfo> buildDiskRows() {
  const Family families[] = {
      {"disk.dev.", 0, kDiskInDom, "per disk", "One value per whole disk.", kDev},
      {"disk.all.", 0, kNoInDom, "all disks",
       "Summed over the whole disks of disk.dev; partitions and device-mapper volumes are left out "
       "so that no I/O is counted twice.",
       kAll},
      {"disk.partitions.", 10, kPartitionInDom, "per partition", "One value per disk partition.", kPartitions},
      {"disk.dm.", 54, kDmInDom, "per device-mapper volume",
       "One value per device-mapper volume (LVM, dm-crypt, multipath), named as in /dev/mapper.", kDm},
  };
  std::vector<MetricInfo> rows;
  for (const Family& fam : families) addFamily(rows, fam);
  return rows;
}

}  // namespace

const std::vector<MetricInfo>& diskMetrics() {
  static const std::vector<MetricInfo> rows = buildDiskRows();
  return rows;
}

}  // namespace sextant::catalog
