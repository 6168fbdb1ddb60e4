#include "backends/linux/ProcUptime.h"

#include <vector>

#include "backends/linux/LinuxGroups.h"
#include "backends/linux/MetricFill.h"
#include "backends/linux/TextFields.h"

namespace sextant::linuxbe {

Expected<UptimeSnapshot> parseProcUptime(std::string_view text) {
  auto fields = splitFields(trim(text.substr(0, text.find('\n'))));
  if (fields.size() != 2) return Failure{Error::Value, "/proc/uptime: expected 2 fields"};
  auto up = parseDouble(fields[0]), idle = parseDouble(fields[1]);
  if (!up || !idle || *up < 0 || *idle < 0) return Failure{Error::Value, "/proc/uptime: malformed"};
  return UptimeSnapshot{*up, *idle};
}

namespace {

class UptimeGroup : public SourceGroup {
 public:
  explicit UptimeGroup(const LinuxContext& ctx) : file_(ctx.path("proc/uptime")) {}

  std::vector<Binding> bindings() override {
    return {
        {"kernel.all.uptime", [this](ValueSet& s) { put<double>(s, snap_.uptime); }},
        // Summed over CPUs, as the kernel prints it and PCP reports it.
        {"kernel.all.idletime", [this](ValueSet& s) { put<double>(s, snap_.idle); }},
    };
  }

  int refresh() override {
    auto text = file_.read();
    if (!text) return static_cast<int>(Error::Value);
    auto parsed = parseProcUptime(*text);
    if (!parsed) return static_cast<int>(parsed.error());
    snap_ = *parsed;
    return 0;
  }

 private:
  KeptFile file_;  // read on every refresh
  UptimeSnapshot snap_;
};

}  // namespace

std::unique_ptr<SourceGroup> makeUptimeGroup(const LinuxContext& ctx) { return std::make_unique<UptimeGroup>(ctx); }

}  // namespace sextant::linuxbe
