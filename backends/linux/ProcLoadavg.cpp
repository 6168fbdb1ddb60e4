#include "backends/linux/ProcLoadavg.h"

#include <limits>
#include <string>
#include <vector>

#include "backends/linux/LinuxGroups.h"
#include "backends/linux/MetricFill.h"
#include "backends/linux/TextFields.h"
#include "core/Catalog.h"

namespace sextant::linuxbe {

namespace {
std::optional<std::uint32_t> parseU32(std::string_view s) {
  auto v = parseU64(s);
  if (!v || *v > std::numeric_limits<std::uint32_t>::max()) return std::nullopt;
  return static_cast<std::uint32_t>(*v);
}
}  // namespace

Expected<LoadavgSnapshot> parseProcLoadavg(std::string_view text) {
  auto fields = splitFields(trim(text.substr(0, text.find('\n'))));
  if (fields.size() != 5) return Failure{Error::Value, "/proc/loadavg: expected 5 fields"};
  LoadavgSnapshot snap;
  auto l1 = parseDouble(fields[0]), l5 = parseDouble(fields[1]), l15 = parseDouble(fields[2]);
  auto slash = fields[3].find('/');
  if (!l1 || !l5 || !l15 || slash == std::string_view::npos)
    return Failure{Error::Value, "/proc/loadavg: malformed"};
  auto runnable = parseU32(fields[3].substr(0, slash));
  auto nprocs = parseU32(fields[3].substr(slash + 1));
  auto last = parseU32(fields[4]);
  if (!runnable || !nprocs || !last) return Failure{Error::Value, "/proc/loadavg: malformed counts"};
  snap.load1 = *l1;
  snap.load5 = *l5;
  snap.load15 = *l15;
  snap.runnable = *runnable;
  snap.nprocs = *nprocs;
  snap.lastPid = *last;
  return snap;
}

namespace {

class LoadavgGroup : public SourceGroup {
 public:
  explicit LoadavgGroup(const LinuxContext& ctx) : file_(ctx.path("proc/loadavg")) {}

  std::vector<Binding> bindings() override {
    return {
        // Instance ids are the minutes, as PCP numbers them.
        {"kernel.all.load",
         [this](ValueSet& s) {
           put<float>(s, static_cast<float>(snap_.load1), 1);
           put<float>(s, static_cast<float>(snap_.load5), 5);
           put<float>(s, static_cast<float>(snap_.load15), 15);
         }},
        {"kernel.all.runnable", [this](ValueSet& s) { put<std::uint32_t>(s, snap_.runnable); }},
        {"kernel.all.nprocs", [this](ValueSet& s) { put<std::uint32_t>(s, snap_.nprocs); }},
        {"kernel.all.lastpid", [this](ValueSet& s) { put<std::uint32_t>(s, snap_.lastPid); }},
    };
  }

  int refresh() override {
    auto text = file_.read();
    if (!text) return static_cast<int>(Error::Value);
    auto parsed = parseProcLoadavg(*text);
    if (!parsed) return static_cast<int>(parsed.error());
    snap_ = *parsed;
    return 0;
  }

  std::vector<InDom> ownedInDoms() const override { return {catalog::kLoadAvgInDom}; }
  std::vector<Instance> instances(InDom) const override {
    return {{1, "1 minute"}, {5, "5 minute"}, {15, "15 minute"}};
  }

 private:
  KeptFile file_;  // read on every refresh
  LoadavgSnapshot snap_;
};

}  // namespace

std::unique_ptr<SourceGroup> makeLoadavgGroup(const LinuxContext& ctx) { return std::make_unique<LoadavgGroup>(ctx); }

}  // namespace sextant::linuxbe
