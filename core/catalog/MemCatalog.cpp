// mem.*: memory use (/proc/meminfo) and virtual-memory activity (/proc/vmstat).
#include "core/catalog/Row.h"

namespace sextant::catalog {

using namespace detail;

namespace {

// A level from /proc/meminfo, in Kbytes unless noted (the file says "kB"; it means KiB).
struct MeminfoRow {
  const char* leaf;  // below mem.util
  unsigned item;
  const char* oneLine;
  const char* longHelp;
};

constexpr MeminfoRow kUtil[] = {
    {"used", 1, "memory in use, including caches",
     "/proc/meminfo MemTotal minus MemFree, in Kbytes. Counts page cache and buffers as used; "
     "see mem.util.available for what could be handed out."},
    {"free", 2, "unused memory", "/proc/meminfo MemFree, in Kbytes: memory holding nothing at all."},
    {"shared", 3, "shared memory (obsolete)",
     "Kept for old tools; modern Linux kernels do not report it and give no value. See mem.util.shmem."},
    {"bufmem", 4, "memory in block-device buffers",
     "/proc/meminfo Buffers, in Kbytes: cached raw block-device pages and file system metadata."},
    {"cached", 5, "memory in the page cache",
     "/proc/meminfo Cached, in Kbytes: file contents kept in memory, including tmpfs and shared "
     "memory but not the swap cache."},
    {"other", 12, "used memory that is not cache",
     "MemTotal minus MemFree, Cached and Buffers from /proc/meminfo, in Kbytes: what applications "
     "and the kernel really hold."},
    {"swapCached", 13, "memory also present in swap",
     "/proc/meminfo SwapCached, in Kbytes: pages read back from swap whose swap copy is still valid, "
     "so they can be dropped again without writing."},
    {"active", 14, "recently used memory",
     "/proc/meminfo Active, in Kbytes: pages on the active LRU lists, reclaimed only under pressure."},
    {"inactive", 15, "memory not used recently",
     "/proc/meminfo Inactive, in Kbytes: pages on the inactive LRU lists, the first candidates for reclaim."},
    {"highTotal", 16, "total high memory",
     "/proc/meminfo HighTotal, in Kbytes: memory not permanently mapped by a 32-bit kernel. "
     "No value on 64-bit kernels."},
    {"highFree", 17, "free high memory", "/proc/meminfo HighFree, in Kbytes; only 32-bit kernels have it."},
    {"lowTotal", 18, "total low memory",
     "/proc/meminfo LowTotal, in Kbytes: memory the kernel can address directly; only 32-bit kernels have it."},
    {"lowFree", 19, "free low memory", "/proc/meminfo LowFree, in Kbytes; only 32-bit kernels have it."},
    {"swapTotal", 20, "total swap space", "/proc/meminfo SwapTotal, in Kbytes: all active swap devices and files."},
    {"swapFree", 21, "unused swap space", "/proc/meminfo SwapFree, in Kbytes."},
    {"dirty", 22, "memory waiting to be written to disk",
     "/proc/meminfo Dirty, in Kbytes: modified file pages not yet written back."},
    {"writeback", 23, "memory being written to disk now",
     "/proc/meminfo Writeback, in Kbytes: dirty pages with write I/O in flight."},
    {"mapped", 24, "file pages mapped into processes",
     "/proc/meminfo Mapped, in Kbytes: page cache mapped by mmap, such as program code and libraries."},
    {"slab", 25, "kernel slab allocator memory",
     "/proc/meminfo Slab, in Kbytes: kernel object caches such as inodes and dentries."},
    {"committed_AS", 26, "memory promised to processes",
     "/proc/meminfo Committed_AS, in Kbytes: the memory all current allocations would need if fully "
     "used. Above mem.util.commitLimit the system relies on overcommit."},
    {"pageTables", 27, "memory in page tables",
     "/proc/meminfo PageTables, in Kbytes: the tables that map virtual to physical addresses."},
    {"anonpages", 30, "anonymous memory mapped by processes",
     "/proc/meminfo AnonPages, in Kbytes: heap, stack and other memory not backed by a file."},
    {"commitLimit", 31, "limit on committed memory",
     "/proc/meminfo CommitLimit, in Kbytes: swap plus the overcommit share of RAM. Enforced only when "
     "vm.overcommit_memory is 2."},
    {"slabReclaimable", 34, "slab memory that can be reclaimed",
     "/proc/meminfo SReclaimable, in Kbytes: slab caches the kernel can free under pressure."},
    {"slabUnreclaimable", 35, "slab memory that cannot be reclaimed", "/proc/meminfo SUnreclaim, in Kbytes."},
    {"active_anon", 36, "recently used anonymous memory", "/proc/meminfo Active(anon), in Kbytes."},
    {"inactive_anon", 37, "anonymous memory not used recently",
     "/proc/meminfo Inactive(anon), in Kbytes: anonymous pages that would be swapped first."},
    {"active_file", 38, "recently used file cache", "/proc/meminfo Active(file), in Kbytes."},
    {"inactive_file", 39, "file cache not used recently",
     "/proc/meminfo Inactive(file), in Kbytes: cached file pages that would be dropped first."},
    {"unevictable", 40, "memory that cannot be reclaimed",
     "/proc/meminfo Unevictable, in Kbytes: locked pages and ramfs or similar memory."},
    {"mlocked", 41, "memory locked by mlock",
     "/proc/meminfo Mlocked, in Kbytes: pages processes pinned in RAM with mlock(2)."},
    {"shmem", 42, "shared memory and tmpfs",
     "/proc/meminfo Shmem, in Kbytes: System V and POSIX shared memory plus tmpfs file contents."},
    {"kernelStack", 43, "memory in kernel stacks",
     "/proc/meminfo KernelStack, in Kbytes: one kernel stack per thread."},
    {"vmallocTotal", 50, "size of the vmalloc address space",
     "/proc/meminfo VmallocTotal, in Kbytes: address space, not memory; huge on 64-bit kernels."},
    {"vmallocUsed", 51, "vmalloc space in use", "/proc/meminfo VmallocUsed, in Kbytes."},
    {"anonhugepages", 56, "anonymous memory in transparent huge pages",
     "/proc/meminfo AnonHugePages, in Kbytes."},
    {"available", 58, "memory available for new work",
     "/proc/meminfo MemAvailable, in Kbytes (since kernel 3.14): the kernel's estimate of how much "
     "could be allocated without swapping, counting reclaimable cache. The best single free figure."},
};

// A line of /proc/vmstat. Counters are event counts since boot; nr_* lines are levels
// in pages.
struct VmstatRow {
  const char* leaf;  // below mem.vmstat, the /proc/vmstat key itself
  unsigned item;
  Semantics sem;
  Units units;
  const char* longHelp;  // the meaning; the source sentence is added
};

constexpr Semantics kCtr = Semantics::Counter;
constexpr Semantics kNow = Semantics::Instant;

constexpr VmstatRow kVmstat[] = {
    {"allocstall", 35, kCtr, kCount, "Allocations that had to reclaim memory themselves (direct reclaim)."},
    {"compact_stall", 61, kCtr, kCount, "Allocations that stalled to compact memory into larger free blocks."},
    {"kswapd_inodesteal", 33, kCtr, kCount, "Pages freed by kswapd by dropping cached inodes."},
    {"nr_active_anon", 45, kNow, kCount, "Pages on the active anonymous LRU list."},
    {"nr_active_file", 46, kNow, kCount, "Pages on the active file LRU list."},
    {"nr_anon_pages", 39, kNow, kNone, "Anonymous pages mapped into processes."},
    {"nr_dirty", 0, kNow, kNone, "File pages modified and not yet written back."},
    {"nr_file_pages", 41, kNow, kNone, "Pages in the page cache."},
    {"nr_free_pages", 47, kNow, kCount, "Free pages."},
    {"nr_inactive_anon", 48, kNow, kCount, "Pages on the inactive anonymous LRU list."},
    {"nr_inactive_file", 49, kNow, kCount, "Pages on the inactive file LRU list."},
    {"nr_kernel_stack", 52, kNow, kCount, "Kernel stack usage as /proc/vmstat reports it (Kbytes on recent kernels)."},
    {"nr_mapped", 4, kNow, kNone, "File pages mapped into process address spaces."},
    {"nr_mlock", 53, kNow, kCount, "Pages locked in memory with mlock."},
    {"nr_page_table_pages", 3, kNow, kNone, "Pages used for page tables."},
    {"nr_shmem", 54, kNow, kCount, "Pages of shared memory and tmpfs."},
    {"nr_slab_reclaimable", 37, kNow, kNone, "Slab pages that can be reclaimed."},
    {"nr_slab_unreclaimable", 38, kNow, kNone, "Slab pages that cannot be reclaimed."},
    {"nr_unevictable", 55, kNow, kCount, "Pages that cannot be reclaimed."},
    {"nr_writeback", 1, kNow, kNone, "Pages under write-back I/O."},
    {"numa_hit", 96, kCtr, kCount, "Allocations satisfied from the intended NUMA node."},
    {"numa_miss", 99, kCtr, kCount, "Allocations that fell back to another NUMA node."},
    {"oom_kill", 166, kCtr, kCount, "Processes killed by the out-of-memory killer (since kernel 4.13)."},
    {"pageoutrun", 34, kCtr, kCount, "Times kswapd started a reclaim pass."},
    {"pgactivate", 14, kCtr, kCount, "Pages moved from the inactive to the active LRU lists."},
    {"pgalloc_dma", 12, kCtr, kCount, "Page allocations from the DMA zone."},
    {"pgalloc_dma32", 63, kCtr, kCount, "Page allocations from the DMA32 zone."},
    {"pgalloc_movable", 64, kCtr, kCount, "Page allocations from the Movable zone."},
    {"pgalloc_normal", 11, kCtr, kCount, "Page allocations from the Normal zone."},
    {"pgdeactivate", 15, kCtr, kCount, "Pages moved from the active to the inactive LRU lists."},
    {"pgfault", 16, kCtr, kCount, "Page faults of any kind, minor and major."},
    {"pgfree", 13, kCtr, kCount, "Pages freed."},
    {"pglazyfreed", 116, kCtr, kCount, "Pages released with MADV_FREE and then reclaimed."},
    {"pgmajfault", 17, kCtr, kCount, "Major page faults: faults that had to read from disk."},
    {"pgpgin", 6, kCtr, kCount, "Data read from block devices, in Kbytes as the kernel counts it."},
    {"pgpgout", 7, kCtr, kCount, "Data written to block devices, in Kbytes as the kernel counts it."},
    {"pgscan_direct", 146, kCtr, kCount, "Pages scanned by direct reclaim."},
    {"pgscan_kswapd", 148, kCtr, kCount, "Pages scanned by kswapd."},
    {"pgsteal_kswapd", 150, kCtr, kCount, "Pages reclaimed by kswapd."},
    {"pgsteal_direct", 149, kCtr, kCount, "Pages reclaimed by direct reclaim."},
    {"pswpin", 8, kCtr, kCount, "Pages read in from swap."},
    {"pswpout", 9, kCtr, kCount, "Pages written out to swap."},
    {"slabs_scanned", 31, kCtr, kCount, "Slab objects examined while shrinking kernel caches."},
    {"thp_fault_alloc", 73, kCtr, kCount, "Page faults served by allocating a transparent huge page."},
    {"workingset_refault", 125, kCtr, kCount,
     "Evicted file pages faulted back in soon after: a sign the page cache is too small "
     "(split into _anon and _file since kernel 5.9)."},
};

std::vector<MetricInfo> buildMemRows() {
  std::vector<MetricInfo> rows = {
      row("mem.physmem", kernelPmid(1, 0), ValueType::U64, kNoInDom, Semantics::Discrete, kKByte,
          "total usable physical memory",
          "/proc/meminfo MemTotal, in Kbytes: RAM the kernel manages, a little less than installed."),
      row("mem.freemem", kernelPmid(1, 10), ValueType::U64, kNoInDom, Semantics::Instant, kKByte,
          "unused memory", "/proc/meminfo MemFree, in Kbytes; the same value as mem.util.free."),
  };
  for (const MeminfoRow& m : kUtil) {
    rows.push_back(row(std::string("mem.util.") + m.leaf, kernelPmid(1, m.item), ValueType::U64, kNoInDom,
                       Semantics::Instant, kKByte, m.oneLine, m.longHelp));
  }
  // Huge page counts are pages of hinv.hugepagesize, not Kbytes.
  rows.push_back(row("mem.util.hugepagesTotal", kernelPmid(1, 44), ValueType::U64, kNoInDom, Semantics::Instant,
                     kCount, "huge pages in the pool",
                     "/proc/meminfo HugePages_Total: pages of hinv.hugepagesize reserved for huge page use."));
  rows.push_back(row("mem.util.hugepagesFree", kernelPmid(1, 45), ValueType::U64, kNoInDom, Semantics::Instant,
                     kCount, "huge pages not allocated", "/proc/meminfo HugePages_Free: pool pages still unused."));
  for (const VmstatRow& v : kVmstat) {
    std::string leaf = v.leaf;
    std::string help = std::string(v.longHelp) + " The " + leaf + " line of /proc/vmstat.";
    if (v.sem == Semantics::Counter)
      help = sinceBoot(std::move(help));
    else
      help += " A current level, not a count of events.";
    // The one-line help is the meaning's first clause, lower-cased: "pages freed".
    std::string oneLine = v.longHelp;
    if (auto cut = oneLine.find_first_of(".:("); cut != std::string::npos) oneLine.resize(cut);
    while (!oneLine.empty() && oneLine.back() == ' ') oneLine.pop_back();
    if (!oneLine.empty() && oneLine[0] >= 'A' && oneLine[0] <= 'Z') oneLine[0] = static_cast<char>(oneLine[0] - 'A' + 'a');
    rows.push_back(row("mem.vmstat." + leaf, kernelPmid(28, v.item), ValueType::U64, kNoInDom, v.sem, v.units,
                       oneLine, help));
  }
  return rows;
}

}  // namespace

const std::vector<MetricInfo>& memMetrics() {
  static const std::vector<MetricInfo> rows = buildMemRows();
  return rows;
}

}  // namespace sextant::catalog
