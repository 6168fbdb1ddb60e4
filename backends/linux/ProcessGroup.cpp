// proc.nprocs, proc.psinfo.*, proc.memory.* and proc.id.* (domain 3). A refresh
// lists the numeric directories of /proc and reads stat, status, statm and cmdline
// of every process (plus wchan, and the exe and cwd links where permitted), whatever
// metrics were asked for: simple, and a few thousand small reads at most. A process
// that exits between the listing and the reads is left out.
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <map>
#include <optional>

#include "backends/linux/IdNames.h"
#include "backends/linux/MetricFill.h"
#include "core/Catalog.h"
#include "backends/linux/LinuxGroups.h"
#include "backends/linux/ProcPid.h"
#include "backends/linux/TextFields.h"

namespace sextant::linuxbe {

namespace {

namespace fs = std::filesystem;

struct Process {
  PidStat stat;
  PidStatus status;
  std::optional<PidStatm> statm;
  std::vector<std::string> args;
  std::optional<std::string> wchan, exe, cwd;
  std::string instName;
};

// The target of a /proc symlink, or nothing when it cannot be read (a kernel thread
// has no exe; another user's process needs privileges).
std::optional<std::string> readLink(const std::string& path) {
  char buf[4096];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof buf);
  if (n < 0 || static_cast<std::size_t>(n) >= sizeof buf) return std::nullopt;
  return std::string(buf, static_cast<std::size_t>(n));
}

using Num = std::function<std::optional<std::uint64_t>(const Process&)>;
using Signed = std::function<std::optional<std::int64_t>(const Process&)>;
using Str = std::function<std::optional<std::string>(const Process&)>;

class ProcessGroup : public SourceGroup {
 public:
  explicit ProcessGroup(const LinuxContext& ctx) : ctx_(ctx) {}

  std::vector<Binding> bindings() override {
    std::vector<Binding> out;
    const std::uint64_t hz = ctx_.clockTicks > 0 ? static_cast<std::uint64_t>(ctx_.clockTicks) : 100;
    const std::uint64_t pageKb = static_cast<std::uint64_t>(ctx_.pageSize > 0 ? ctx_.pageSize : 4096) / 1024;
    auto ms = [hz](std::uint64_t ticks) { return ticks * 1000 / hz; };
    auto some = [](auto v) { return std::optional<std::uint64_t>(static_cast<std::uint64_t>(v)); };

    num(out, "proc.psinfo.pid", [some](const Process& p) { return some(p.stat.pid); });
    num(out, "proc.psinfo.ppid", [some](const Process& p) { return some(p.stat.ppid); });
    num(out, "proc.psinfo.pgrp", [some](const Process& p) { return some(p.stat.pgrp); });
    num(out, "proc.psinfo.session", [some](const Process& p) { return some(p.stat.session); });
    num(out, "proc.psinfo.minflt", [some](const Process& p) { return some(p.stat.minFlt); });
    num(out, "proc.psinfo.maj_flt", [some](const Process& p) { return some(p.stat.majFlt); });
    num(out, "proc.psinfo.utime", [ms](const Process& p) { return std::optional(ms(p.stat.utime)); });
    num(out, "proc.psinfo.stime", [ms](const Process& p) { return std::optional(ms(p.stat.stime)); });
    num(out, "proc.psinfo.cutime", [ms](const Process& p) { return std::optional(ms(static_cast<std::uint64_t>(p.stat.cutime))); });
    num(out, "proc.psinfo.cstime", [ms](const Process& p) { return std::optional(ms(static_cast<std::uint64_t>(p.stat.cstime))); });
    num(out, "proc.psinfo.start_time", [ms](const Process& p) { return std::optional(ms(p.stat.startTime)); });
    num(out, "proc.psinfo.vsize", [](const Process& p) { return std::optional(p.stat.vsizeBytes / 1024); });
    num(out, "proc.psinfo.rss", [pageKb](const Process& p) { return std::optional(static_cast<std::uint64_t>(p.stat.rssPages) * pageKb); });
    num(out, "proc.psinfo.processor", [](const Process& p) -> std::optional<std::uint64_t> {
      if (!p.stat.processor) return std::nullopt;
      return static_cast<std::uint64_t>(*p.stat.processor);
    });
    num(out, "proc.psinfo.threads", [](const Process& p) { return p.status.threads; });
    num(out, "proc.psinfo.vctxsw", [](const Process& p) { return p.status.voluntaryCtxt; });
    num(out, "proc.psinfo.nvctxsw", [](const Process& p) { return p.status.nonvoluntaryCtxt; });
    sgn(out, "proc.psinfo.priority", [](const Process& p) { return std::optional(p.stat.priority); });
    sgn(out, "proc.psinfo.nice", [](const Process& p) { return std::optional(p.stat.nice); });

    str(out, "proc.psinfo.cmd", [](const Process& p) { return std::optional(p.stat.comm); });
    str(out, "proc.psinfo.psargs", [](const Process& p) { return std::optional(psArgs(p.args, p.stat.comm)); });
    str(out, "proc.psinfo.sname", [](const Process& p) { return std::optional(std::string(1, p.stat.state)); });
    str(out, "proc.psinfo.ttyname", [](const Process& p) { return std::optional(ttyName(p.stat.ttyNr)); });
    str(out, "proc.psinfo.wchan_s", [](const Process& p) { return p.wchan; });
    str(out, "proc.psinfo.exe", [](const Process& p) { return p.exe; });
    str(out, "proc.psinfo.cwd", [](const Process& p) { return p.cwd; });

    // status figures are already in kB.
    const std::vector<std::pair<const char*, std::optional<std::uint64_t> PidStatus::*>> vm = {
        {"proc.memory.vmpeak", &PidStatus::vmPeak}, {"proc.memory.vmsize", &PidStatus::vmSize},
        {"proc.memory.vmlock", &PidStatus::vmLck},  {"proc.memory.vmhwm", &PidStatus::vmHwm},
        {"proc.memory.vmrss", &PidStatus::vmRss},   {"proc.memory.vmdata", &PidStatus::vmData},
        {"proc.memory.vmstack", &PidStatus::vmStk}, {"proc.memory.vmexe", &PidStatus::vmExe},
        {"proc.memory.vmlib", &PidStatus::vmLib},   {"proc.memory.vmswap", &PidStatus::vmSwap},
    };
    // (Explicit captures, not structured bindings: clang 14 cannot capture those.)
    for (const auto& entry : vm)
      num(out, entry.first, [member = entry.second](const Process& p) { return p.status.*member; });

    // statm figures are pages.
    const std::vector<std::pair<const char*, std::uint64_t PidStatm::*>> statm = {
        {"proc.memory.size", &PidStatm::size},     {"proc.memory.rss", &PidStatm::resident},
        {"proc.memory.share", &PidStatm::shared},  {"proc.memory.textrss", &PidStatm::text},
        {"proc.memory.librss", &PidStatm::lib},    {"proc.memory.datrss", &PidStatm::data},
    };
    for (const auto& entry : statm)
      num(out, entry.first, [member = entry.second, pageKb](const Process& p) -> std::optional<std::uint64_t> {
        if (!p.statm) return std::nullopt;
        return (*p.statm).*member * pageKb;
      });

    num(out, "proc.id.uid", [](const Process& p) -> std::optional<std::uint64_t> { return p.status.uid; });
    num(out, "proc.id.euid", [](const Process& p) -> std::optional<std::uint64_t> { return p.status.euid; });
    num(out, "proc.id.gid", [](const Process& p) -> std::optional<std::uint64_t> { return p.status.gid; });
    num(out, "proc.id.egid", [](const Process& p) -> std::optional<std::uint64_t> { return p.status.egid; });
    str(out, "proc.id.uid_nm", [this](const Process& p) -> std::optional<std::string> {
      if (!p.status.uid) return std::nullopt;
      return names_.user(*p.status.uid);
    });
    str(out, "proc.id.euid_nm", [this](const Process& p) -> std::optional<std::string> {
      if (!p.status.euid) return std::nullopt;
      return names_.user(*p.status.euid);
    });
    str(out, "proc.id.gid_nm", [this](const Process& p) -> std::optional<std::string> {
      if (!p.status.gid) return std::nullopt;
      return names_.group(*p.status.gid);
    });
    str(out, "proc.id.egid_nm", [this](const Process& p) -> std::optional<std::string> {
      if (!p.status.egid) return std::nullopt;
      return names_.group(*p.status.egid);
    });

    out.push_back({"proc.nprocs", [this](ValueSet& set) {
                     set.values.push_back({kNullInstance, asU64(procs_.size())});
                   }});
    return out;
  }

  int refresh() override {
    procs_.clear();
    names_.revalidate();
    std::error_code ec;
    std::string procDir = ctx_.path("proc");
    for (fs::directory_iterator it(procDir, ec), end; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      auto pid = parseNumber<std::int32_t>(name);
      if (!pid) continue;
      std::string dir = procDir + "/" + name + "/";
      auto statText = readFile(dir + "stat");
      if (!statText) continue;  // exited since the listing
      auto stat = parsePidStat(*statText);
      if (!stat) continue;
      Process p;
      p.stat = std::move(*stat);
      if (auto s = readFile(dir + "status")) p.status = parsePidStatus(*s);
      if (auto s = readFile(dir + "statm")) p.statm = parsePidStatm(*s);
      if (auto s = readFile(dir + "cmdline")) p.args = parseCmdline(*s);
      if (auto s = readFile(dir + "wchan")) p.wchan = (*s == "0") ? std::string() : *s;
      p.exe = readLink(dir + "exe");
      p.cwd = readLink(dir + "cwd");
      p.instName = processInstanceName(p.stat.pid, p.args, p.stat.comm);
      procs_.emplace(p.stat.pid, std::move(p));
    }
    if (ec) return static_cast<int>(Error::Value);
    return 0;
  }

  std::vector<InDom> ownedInDoms() const override { return {catalog::kProcessInDom}; }
  std::vector<Instance> instances(InDom indom) const override {
    std::vector<Instance> out;
    if (indom == catalog::kProcessInDom)
      for (const auto& [pid, p] : procs_) out.push_back({pid, p.instName});
    return out;
  }

 private:
  void num(std::vector<Binding>& out, const std::string& name, Num get) {
    out.push_back({name, [this, get = std::move(get)](ValueSet& set) {
                     for (const auto& [pid, p] : procs_)
                       if (auto v = get(p)) set.values.push_back({pid, asU64(*v)});
                   }});
  }
  void sgn(std::vector<Binding>& out, const std::string& name, Signed get) {
    out.push_back({name, [this, get = std::move(get)](ValueSet& set) {
                     for (const auto& [pid, p] : procs_)
                       if (auto v = get(p)) set.values.push_back({pid, asI64(*v)});
                   }});
  }
  void str(std::vector<Binding>& out, const std::string& name, Str get) {
    out.push_back({name, [this, get = std::move(get)](ValueSet& set) {
                     for (const auto& [pid, p] : procs_)
                       if (auto v = get(p)) set.values.push_back({pid, std::move(*v)});
                   }});
  }

  LinuxContext ctx_;
  std::map<std::int32_t, Process> procs_;
  IdNames names_;
};

}  // namespace

std::unique_ptr<SourceGroup> makeProcessGroup(const LinuxContext& ctx) { return std::make_unique<ProcessGroup>(ctx); }

}  // namespace sextant::linuxbe
