#include "backends/linux/ProcMeminfo.h"

#include <utility>
#include <vector>

#include "backends/linux/LinuxGroups.h"
#include "backends/linux/MetricFill.h"
#include "backends/linux/TextFields.h"

namespace sextant::linuxbe {

Expected<MeminfoSnapshot> parseProcMeminfo(std::string_view text, MeminfoSnapshot snap) {
  snap.fields.clear();
  for (std::string_view line; nextLine(text, line);) {
    auto colon = line.find(':');
    if (colon == std::string_view::npos && trim(line).empty()) continue;
    if (colon == std::string_view::npos || colon == 0)
      return Failure{Error::Value, "/proc/meminfo: no 'Key:' in '" + std::string(line) + "'"};
    std::string_view key = line.substr(0, colon);
    std::string_view rest = line.substr(colon + 1);
    std::string_view number = nextField(rest), unit = nextField(rest);
    bool unitOk = nextField(rest).empty() && (unit.empty() || unit == "kB");
    auto value = parseU64(number);
    if (!unitOk || !value)
      return Failure{Error::Value, "/proc/meminfo: bad value for '" + std::string(key) + "'"};
    snap.fields.add(key, *value);
  }
  if (!snap.get("MemTotal")) return Failure{Error::Value, "/proc/meminfo: no MemTotal"};
  return snap;
}

namespace {

std::optional<std::uint64_t> difference(std::optional<std::uint64_t> a, std::optional<std::uint64_t> b) {
  if (!a || !b) return std::nullopt;
  return *a > *b ? *a - *b : 0;
}

class MeminfoGroup : public SourceGroup {
 public:
  explicit MeminfoGroup(const LinuxContext& ctx) : file_(ctx.path("proc/meminfo")) {}

  std::vector<Binding> bindings() override {
    std::vector<Binding> b;
    // mem.util.* leaves that are one meminfo line each, in KiB (count for hugepages).
    // mem.util.shared has no line since kernel 2.6 ("MemShared" was 2.4's); PCP answers
    // no value there too, and Shmem is mem.util.shmem.
    static const std::pair<const char*, const char*> kDirect[] = {
        {"mem.physmem", "MemTotal"},
        {"mem.freemem", "MemFree"},
        {"mem.util.free", "MemFree"},
        {"mem.util.shared", "MemShared"},
        {"mem.util.bufmem", "Buffers"},
        {"mem.util.cached", "Cached"},  // the page cache; PCP does not add SReclaimable
        {"mem.util.swapCached", "SwapCached"},
        {"mem.util.active", "Active"},
        {"mem.util.inactive", "Inactive"},
        {"mem.util.highTotal", "HighTotal"},  // 32-bit kernels with CONFIG_HIGHMEM only
        {"mem.util.highFree", "HighFree"},
        {"mem.util.lowTotal", "LowTotal"},
        {"mem.util.lowFree", "LowFree"},
        {"mem.util.swapTotal", "SwapTotal"},
        {"mem.util.swapFree", "SwapFree"},
        {"mem.util.dirty", "Dirty"},
        {"mem.util.writeback", "Writeback"},
        {"mem.util.mapped", "Mapped"},
        {"mem.util.slab", "Slab"},
        {"mem.util.committed_AS", "Committed_AS"},
        {"mem.util.pageTables", "PageTables"},
        {"mem.util.anonpages", "AnonPages"},
        {"mem.util.commitLimit", "CommitLimit"},
        {"mem.util.slabReclaimable", "SReclaimable"},
        {"mem.util.slabUnreclaimable", "SUnreclaim"},
        {"mem.util.active_anon", "Active(anon)"},
        {"mem.util.inactive_anon", "Inactive(anon)"},
        {"mem.util.active_file", "Active(file)"},
        {"mem.util.inactive_file", "Inactive(file)"},
        {"mem.util.unevictable", "Unevictable"},
        {"mem.util.mlocked", "Mlocked"},
        {"mem.util.shmem", "Shmem"},
        {"mem.util.kernelStack", "KernelStack"},
        {"mem.util.hugepagesTotal", "HugePages_Total"},
        {"mem.util.hugepagesFree", "HugePages_Free"},
        {"mem.util.vmallocTotal", "VmallocTotal"},
        {"mem.util.vmallocUsed", "VmallocUsed"},
        {"mem.util.anonhugepages", "AnonHugePages"},
        {"mem.util.available", "MemAvailable"},  // since kernel 3.14
    };
    for (const auto& [name, key] : kDirect) {
      std::string k = key;
      b.push_back({name, [this, k, hint = std::size_t{0}](ValueSet& s) mutable {
        putOr<std::uint64_t>(s, snap_.fields.get(k, hint));
      }});
    }
    // As PCP (checked against its pmcd): used = MemTotal - MemFree, and other = used
    // minus page cache minus buffers.
    b.push_back({"mem.util.used", [this](ValueSet& s) { putOr<std::uint64_t>(s, used()); }});
    b.push_back({"mem.util.other", [this](ValueSet& s) {
                   putOr<std::uint64_t>(s, difference(difference(used(), snap_.get("Cached")), snap_.get("Buffers")));
                 }});
    // hinv.physmem is whole MiB, rounded down as PCP does.
    b.push_back({"hinv.physmem", [this](ValueSet& s) {
                   auto kb = snap_.get("MemTotal");
                   if (!kb) return noValue(s);
                   put<std::uint32_t>(s, static_cast<std::uint32_t>(*kb / 1024));
                 }});
    // Hugepagesize is KiB in meminfo; the catalog wants bytes.
    b.push_back({"hinv.hugepagesize", [this](ValueSet& s) {
                   auto kb = snap_.get("Hugepagesize");
                   if (!kb) return noValue(s);
                   put<std::uint32_t>(s, static_cast<std::uint32_t>(*kb * 1024));
                 }});
    // swap.* totals are bytes (PCP's units), from the KiB of meminfo.
    auto bytes = [](std::optional<std::uint64_t> kb) -> std::optional<std::uint64_t> {
      if (!kb) return std::nullopt;
      return *kb * 1024;
    };
    b.push_back({"swap.length", [this, bytes](ValueSet& s) { putOr<std::uint64_t>(s, bytes(snap_.get("SwapTotal"))); }});
    b.push_back({"swap.free", [this, bytes](ValueSet& s) { putOr<std::uint64_t>(s, bytes(snap_.get("SwapFree"))); }});
    b.push_back({"swap.used", [this, bytes](ValueSet& s) {
                   putOr<std::uint64_t>(s, bytes(difference(snap_.get("SwapTotal"), snap_.get("SwapFree"))));
                 }});
    return b;
  }

  int refresh() override {
    auto text = file_.read();
    if (!text) return static_cast<int>(Error::Value);
    auto parsed = parseProcMeminfo(*text, std::move(spare_));
    if (!parsed) return static_cast<int>(parsed.error());
    spare_ = std::exchange(snap_, std::move(*parsed));
    return 0;
  }

 private:
  std::optional<std::uint64_t> used() const { return difference(snap_.get("MemTotal"), snap_.get("MemFree")); }
  KeptFile file_;  // read on every refresh
  MeminfoSnapshot snap_;
  MeminfoSnapshot spare_;  // the reading before, whose storage the next one reuses
};

}  // namespace

std::unique_ptr<SourceGroup> makeMeminfoGroup(const LinuxContext& ctx) { return std::make_unique<MeminfoGroup>(ctx); }

}  // namespace sextant::linuxbe
