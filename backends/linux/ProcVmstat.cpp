#include "backends/linux/ProcVmstat.h"

#include <utility>
#include <vector>

#include "backends/linux/LinuxGroups.h"
#include "backends/linux/MetricFill.h"
#include "backends/linux/TextFields.h"

namespace sextant::linuxbe {

Expected<VmstatSnapshot> parseProcVmstat(std::string_view text, VmstatSnapshot snap) {
  snap.fields.clear();
  for (std::string_view line; nextLine(text, line);) {
    std::string_view rest = line;
    std::string_view name = nextField(rest);
    if (name.empty()) continue;
    std::string_view number = nextField(rest);
    auto v = nextField(rest).empty() ? parseU64(number) : std::nullopt;
    if (!v) return Failure{Error::Value, "/proc/vmstat: malformed line '" + std::string(line) + "'"};
    snap.fields.add(name, *v);
  }
  if (snap.fields.empty()) return Failure{Error::Value, "/proc/vmstat: empty"};
  return snap;
}

namespace {

// The catalog's mem.vmstat.* leaves. Each is the vmstat line of the same name; a kernel
// that does not print it answers no value, as PCP does (e.g. "allocstall" was split per
// zone in kernel 4.10, "workingset_refault" into _anon/_file in 5.9).
const char* const kVmstatNames[] = {
    "allocstall", "compact_stall", "kswapd_inodesteal", "nr_active_anon", "nr_active_file", "nr_anon_pages",
    "nr_dirty", "nr_file_pages", "nr_free_pages", "nr_inactive_anon", "nr_inactive_file", "nr_kernel_stack",
    "nr_mapped", "nr_mlock", "nr_page_table_pages", "nr_shmem", "nr_slab_reclaimable", "nr_slab_unreclaimable",
    "nr_unevictable", "nr_writeback", "numa_hit", "numa_miss", "oom_kill", "pageoutrun", "pgactivate",
    "pgalloc_dma", "pgalloc_dma32", "pgalloc_movable", "pgalloc_normal", "pgdeactivate", "pgfault", "pgfree",
    "pglazyfreed", "pgmajfault", "pgpgin", "pgpgout", "pgscan_direct", "pgscan_kswapd", "pgsteal_kswapd",
    "pgsteal_direct", "pswpin", "pswpout", "slabs_scanned", "thp_fault_alloc", "workingset_refault",
};

class VmstatGroup : public SourceGroup {
 public:
  explicit VmstatGroup(const LinuxContext& ctx) : file_(ctx.path("proc/vmstat")) {}

  std::vector<Binding> bindings() override {
    std::vector<Binding> b;
    for (const char* name : kVmstatNames) {
      std::string key = name;
      b.push_back({"mem.vmstat." + key, [this, key, hint = std::size_t{0}](ValueSet& s) mutable {
                   putOr<std::uint64_t>(s, snap_.fields.get(key, hint));
                 }});
    }
    // Pages read from and written to swap. The catalog type is PCP's 32-bit counter;
    // clients treat the wrap as any counter wrap.
    b.push_back({"swap.pagesin", [this](ValueSet& s) { putOr<std::uint32_t>(s, snap_.get("pswpin")); }});
    b.push_back({"swap.pagesout", [this](ValueSet& s) { putOr<std::uint32_t>(s, snap_.get("pswpout")); }});
    // Swap operations (not pages) came from the "swap" line of 2.4 kernels' /proc/stat;
    // no 2.6+ kernel counts them, and PCP answers "not supported" here too.
    b.push_back({"swap.in", [](ValueSet& s) { noValue(s, Error::AppVersion); }});
    b.push_back({"swap.out", [](ValueSet& s) { noValue(s, Error::AppVersion); }});
    return b;
  }

  int refresh() override {
    auto text = file_.read();
    if (!text) return static_cast<int>(Error::Value);
    auto parsed = parseProcVmstat(*text, std::move(spare_));
    if (!parsed) return static_cast<int>(parsed.error());
    spare_ = std::exchange(snap_, std::move(*parsed));
    return 0;
  }

 private:
  KeptFile file_;  // read on every refresh
  VmstatSnapshot snap_;
  VmstatSnapshot spare_;  // the reading before, whose storage the next one reuses
};

}  // namespace

std::unique_ptr<SourceGroup> makeVmstatGroup(const LinuxContext& ctx) { return std::make_unique<VmstatGroup>(ctx); }

}  // namespace sextant::linuxbe
