#include "backends/linux/SystemGroup.h"

#include <dirent.h>

#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "backends/linux/LinuxGroups.h"
#include "backends/linux/MetricFill.h"
#include "backends/linux/TextFields.h"
#include "backends/linux/Utmp.h"

namespace sextant::linuxbe {

std::uint32_t countNumaNodes(const std::vector<std::string>& entries) {
  std::uint32_t n = 0;
  for (const auto& e : entries)
    if (e.size() > 4 && e.compare(0, 4, "node") == 0 && parseU64(std::string_view(e).substr(4))) ++n;
  return n;
}

Expected<std::uint32_t> parsePidMax(std::string_view text) {
  auto v = parseU64(trim(text.substr(0, text.find('\n'))));
  if (!v || *v > std::numeric_limits<std::uint32_t>::max()) return Failure{Error::Value, "pid_max: not a number"};
  return static_cast<std::uint32_t>(*v);
}

namespace {

// The names in a directory, or nothing if it cannot be opened.
std::optional<std::vector<std::string>> listDir(const std::string& path) {
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(path.c_str()), ::closedir);
  if (!dir) return std::nullopt;
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(dir.get())) names.emplace_back(e->d_name);
  return names;
}

class SystemGroup : public SourceGroup {
 public:
  explicit SystemGroup(const LinuxContext& ctx) : ctx_(ctx) {}

  std::vector<Binding> bindings() override {
    return {
        {"hinv.pagesize", [this](ValueSet& s) { put<std::uint32_t>(s, static_cast<std::uint32_t>(ctx_.pageSize)); }},
        // USER_HZ, the unit of /proc/stat times, which is what PCP reports as HZ.
        {"kernel.all.hz", [this](ValueSet& s) { put<std::uint32_t>(s, static_cast<std::uint32_t>(ctx_.clockTicks)); }},
        {"hinv.nnode", [this](ValueSet& s) { put<std::uint32_t>(s, nodes_); }},
        {"kernel.all.pid_max",
         [this](ValueSet& s) {
           if (pidMax_) put<std::uint32_t>(s, *pidMax_);
           else noValue(s, pidMax_.error());
         }},
        {"kernel.all.nusers",
         [this](ValueSet& s) {
           if (users_) put<std::uint32_t>(s, *users_);
           else noValue(s, users_.error());
         }},
    };
  }

  int refresh() override {
    // A kernel built without CONFIG_NUMA has no node directory and one memory node.
    auto entries = listDir(ctx_.path("sys/devices/system/node"));
    nodes_ = entries ? countNumaNodes(*entries) : 1;
    if (nodes_ == 0) nodes_ = 1;

    auto pm = readFile(ctx_.path("proc/sys/kernel/pid_max"));
    pidMax_ = pm ? parsePidMax(*pm) : Expected<std::uint32_t>(Error::Value);

    // utmp lives in /run on current distributions and /var/run on older ones (where
    // /var/run is usually a link to /run). No file means no login was ever recorded
    // since boot (login(1) and sshd create it), so zero users, as PCP reports; tools
    // such as pcp-uptime stop with a conversion error when the metric has no value.
    std::optional<std::string> ut = readFile(ctx_.path("var/run/utmp"));
    if (!ut) ut = readFile(ctx_.path("run/utmp"));
    users_ = ut ? countUtmpUsers(*ut) : Expected<std::uint32_t>(0u);
    return 0;
  }

 private:
  LinuxContext ctx_;
  std::uint32_t nodes_ = 1;
  Expected<std::uint32_t> pidMax_ = Error::Value;
  Expected<std::uint32_t> users_ = Error::Value;
};

}  // namespace

std::unique_ptr<SourceGroup> makeSystemGroup(const LinuxContext& ctx) { return std::make_unique<SystemGroup>(ctx); }

}  // namespace sextant::linuxbe
