#include "backends/linux/ProcStat.h"

#include <algorithm>
#include <string>
#include <utility>

#include "backends/linux/LinuxGroups.h"
#include "backends/linux/MetricFill.h"
#include "backends/linux/TextFields.h"
#include "core/Catalog.h"

namespace sextant::linuxbe {

namespace {

Failure bad(std::string detail) { return Failure{Error::Value, "/proc/stat: " + std::move(detail)}; }

// Fills `out` from the numbers after a cpu label (`rest`); every kernel prints at least four.
bool parseCpuTimes(std::string_view rest, CpuTimes& out) {
  std::size_t n = 0;
  for (auto f = nextField(rest); !f.empty() && n < kCpuFieldCount; f = nextField(rest)) {
    auto v = parseU64(f);
    if (!v) return false;
    out.ticks[n++] = *v;
  }
  out.present = n;
  return n >= 4;
}

// The number after a label ("ctxt 123"; "intr 123 4 5 ..." gives the first), or nothing.
std::optional<std::uint64_t> single(std::string_view rest) { return parseU64(nextField(rest)); }

}  // namespace

Expected<StatSnapshot> parseProcStat(std::string_view text, StatSnapshot reuse) {
  StatSnapshot snap;
  snap.cpus = std::move(reuse.cpus);
  snap.cpus.clear();
  bool sawAll = false;
  for (std::string_view line; nextLine(text, line);) {
    std::string_view rest = line;
    std::string_view key = nextField(rest);
    if (key.empty()) continue;
    if (key == "cpu") {
      if (!parseCpuTimes(rest, snap.all)) return bad("malformed aggregate cpu line");
      sawAll = true;
    } else if (key.size() > 3 && key.substr(0, 3) == "cpu") {
      auto n = parseU64(key.substr(3));
      if (!n || *n > 0x7FFFFFFF) return bad("bad cpu label '" + std::string(key) + "'");
      PerCpuTimes cpu;
      cpu.cpu = static_cast<std::int32_t>(*n);
      if (!parseCpuTimes(rest, cpu.times)) return bad("malformed line for " + std::string(key));
      snap.cpus.push_back(cpu);
    } else if (key == "intr") {
      snap.intr = single(rest);
    } else if (key == "ctxt") {
      snap.ctxt = single(rest);
    } else if (key == "btime") {
      snap.btime = parseI64(nextField(rest));
    } else if (key == "processes") {
      snap.processes = single(rest);
    } else if (key == "procs_running") {
      snap.procsRunning = single(rest);
    } else if (key == "procs_blocked") {
      snap.procsBlocked = single(rest);
    }
  }
  if (!sawAll) return bad("no aggregate cpu line");
  return snap;
}

namespace {

using TicksFn = std::optional<std::uint64_t> (*)(const CpuTimes&);

std::optional<std::uint64_t> field(const CpuTimes& t, CpuField f) { return t.get(f); }

// a - b for the v-figures; the kernel adds guest time to user time in the same update,
// so a < b only if the two were read mid-update: answer 0 rather than wrap around.
std::optional<std::uint64_t> minus(std::optional<std::uint64_t> a, std::optional<std::uint64_t> b) {
  if (!a || !b) return std::nullopt;
  return *a > *b ? *a - *b : 0;
}

// The metric leaves under kernel.{all,percpu}.cpu and how each derives from the columns.
// Checked against PCP 6's pmcd on a live system: its "user" and "nice" are the raw
// columns, which on Linux include guest time (the kernel's account_guest_time() adds
// guest ticks to user/nice too); "vuser"/"vnice" take the guest share out; "intr" is
// hard plus soft interrupt time; "wait.total" is iowait.
struct CpuLeaf {
  const char* leaf;
  TicksFn ticks;
};
const CpuLeaf kCpuLeaves[] = {
    {"user", [](const CpuTimes& t) { return field(t, CpuField::User); }},
    {"nice", [](const CpuTimes& t) { return field(t, CpuField::Nice); }},
    {"sys", [](const CpuTimes& t) { return field(t, CpuField::System); }},
    {"idle", [](const CpuTimes& t) { return field(t, CpuField::Idle); }},
    {"wait.total", [](const CpuTimes& t) { return field(t, CpuField::IoWait); }},
    {"irq.hard", [](const CpuTimes& t) { return field(t, CpuField::Irq); }},
    {"irq.soft", [](const CpuTimes& t) { return field(t, CpuField::SoftIrq); }},
    {"intr",
     [](const CpuTimes& t) -> std::optional<std::uint64_t> {
       auto hard = t.get(CpuField::Irq), soft = t.get(CpuField::SoftIrq);
       if (!hard || !soft) return std::nullopt;
       return *hard + *soft;
     }},
    {"steal", [](const CpuTimes& t) { return field(t, CpuField::Steal); }},
    {"guest", [](const CpuTimes& t) { return field(t, CpuField::Guest); }},
    {"guest_nice", [](const CpuTimes& t) { return field(t, CpuField::GuestNice); }},
    {"vuser", [](const CpuTimes& t) { return minus(t.get(CpuField::User), t.get(CpuField::Guest)); }},
    {"vnice", [](const CpuTimes& t) { return minus(t.get(CpuField::Nice), t.get(CpuField::GuestNice)); }},
};

class StatGroup : public SourceGroup {
 public:
  explicit StatGroup(const LinuxContext& ctx) : ctx_(ctx), file_(ctx.path("proc/stat")) {}

  std::vector<Binding> bindings() override {
    std::vector<Binding> b;
    for (const CpuLeaf& leaf : kCpuLeaves) {
      TicksFn fn = leaf.ticks;
      b.push_back({std::string("kernel.all.cpu.") + leaf.leaf, [this, fn](ValueSet& set) {
                     auto t = fn(snap_.all);
                     if (!t) return noValue(set);
                     put<std::uint64_t>(set, toMillis(*t));
                   }});
      b.push_back({std::string("kernel.percpu.cpu.") + leaf.leaf, [this, fn](ValueSet& set) {
                     for (const auto& c : snap_.cpus)
                       if (auto t = fn(c.times)) put<std::uint64_t>(set, toMillis(*t), c.cpu);
                     if (set.values.empty() && !snap_.cpus.empty()) noValue(set);
                   }});
    }
    b.push_back({"kernel.all.intr", [this](ValueSet& s) { putOr<std::uint64_t>(s, snap_.intr); }});
    b.push_back({"kernel.all.pswitch", [this](ValueSet& s) { putOr<std::uint64_t>(s, snap_.ctxt); }});
    b.push_back({"kernel.all.sysfork", [this](ValueSet& s) { putOr<std::uint64_t>(s, snap_.processes); }});
    b.push_back({"kernel.all.running", [this](ValueSet& s) { putOr<std::uint64_t>(s, snap_.procsRunning); }});
    b.push_back({"kernel.all.blocked", [this](ValueSet& s) { putOr<std::uint64_t>(s, snap_.procsBlocked); }});
    b.push_back({"kernel.all.boottime", [this](ValueSet& s) { putOr<std::int64_t>(s, snap_.btime); }});
    // Online CPUs, as PCP counts them: the cpuN lines of /proc/stat.
    b.push_back({"hinv.ncpu", [this](ValueSet& s) { put<std::uint32_t>(s, static_cast<std::uint32_t>(snap_.cpus.size())); }});
    return b;
  }

  int refresh() override {
    auto text = file_.read();
    if (!text) return static_cast<int>(Error::Value);
    auto parsed = parseProcStat(*text, std::move(spare_));
    if (!parsed) return static_cast<int>(parsed.error());
    spare_ = std::exchange(snap_, std::move(*parsed));
    return 0;
  }

  std::vector<InDom> ownedInDoms() const override { return {catalog::kCpuInDom}; }
  std::vector<Instance> instances(InDom) const override {
    std::vector<Instance> out;
    for (const auto& c : snap_.cpus) out.push_back({c.cpu, "cpu" + std::to_string(c.cpu)});
    return out;
  }

 private:
  std::uint64_t toMillis(std::uint64_t ticks) const {
    return ticks * 1000u / static_cast<std::uint64_t>(ctx_.clockTicks > 0 ? ctx_.clockTicks : 100);
  }
  LinuxContext ctx_;
  KeptFile file_;  // read on every refresh
  StatSnapshot snap_;
  StatSnapshot spare_;  // the reading before, whose storage the next one reuses
};

}  // namespace

std::unique_ptr<SourceGroup> makeStatGroup(const LinuxContext& ctx) { return std::make_unique<StatGroup>(ctx); }

}  // namespace sextant::linuxbe
