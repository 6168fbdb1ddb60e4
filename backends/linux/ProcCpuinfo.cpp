#include "backends/linux/ProcCpuinfo.h"

#include <sys/utsname.h>

#include "backends/linux/LinuxGroups.h"
#include "backends/linux/MetricFill.h"
#include "backends/linux/TextFields.h"

namespace sextant::linuxbe {

namespace {

std::optional<float> parseFloat(std::string_view s) {
  auto d = parseDouble(s);
  if (!d) return std::nullopt;
  return static_cast<float>(*d);
}

// "1024 KB" (x86 prints KB; the number is KiB).
std::optional<std::uint32_t> parseCache(std::string_view s) {
  auto fields = splitFields(s);
  if (fields.empty() || fields.size() > 2) return std::nullopt;
  if (fields.size() == 2 && fields[1] != "KB") return std::nullopt;
  auto v = parseU64(fields[0]);
  if (!v || *v > 0xFFFFFFFFu) return std::nullopt;
  return static_cast<std::uint32_t>(*v);
}

void apply(CpuinfoEntry& e, std::string_view key, std::string_view value) {
  std::string v(value);
  if (key == "vendor_id" || key == "CPU implementer") e.vendor = v;
  else if (key == "model" || key == "CPU part") e.model = v;
  else if (key == "model name") e.modelName = v;
  else if (key == "stepping" || key == "CPU revision") e.stepping = v;
  else if (key == "flags" || key == "Features") e.flags = v;
  else if (key == "cpu MHz") e.clockMhz = parseFloat(value);
  else if (key == "cache size") e.cacheKb = parseCache(value);
  else if (key == "bogomips" || key == "BogoMIPS") e.bogomips = parseFloat(value);
}

}  // namespace

Expected<CpuinfoSnapshot> parseProcCpuinfo(std::string_view text) {
  CpuinfoSnapshot snap;
  CpuinfoEntry* current = nullptr;
  for (std::string_view line : splitLines(text)) {
    if (trim(line).empty()) continue;
    auto colon = line.find(':');
    if (colon == std::string_view::npos)
      return Failure{Error::Value, "/proc/cpuinfo: no ':' in '" + std::string(line) + "'"};
    std::string_view key = trim(line.substr(0, colon));
    std::string_view value = trim(line.substr(colon + 1));
    if (key == "processor") {
      auto n = parseU64(value);
      if (!n || *n > 0x7FFFFFFF) return Failure{Error::Value, "/proc/cpuinfo: bad processor '" + std::string(value) + "'"};
      snap.cpus.push_back(CpuinfoEntry{});
      current = &snap.cpus.back();
      current->processor = static_cast<std::int32_t>(*n);
    } else if (current) {
      apply(*current, key, value);
    }
    // Lines before the first processor (a few architectures print a header) are not per-CPU.
  }
  if (snap.cpus.empty()) return Failure{Error::Value, "/proc/cpuinfo: no processor entries"};
  return snap;
}

namespace {

template <class T>
using EntryField = std::optional<T> CpuinfoEntry::*;

class CpuinfoGroup : public SourceGroup {
 public:
  explicit CpuinfoGroup(const LinuxContext& ctx) : ctx_(ctx) {}

  std::vector<Binding> bindings() override {
    return {
        perCpu<float>("hinv.cpu.clock", &CpuinfoEntry::clockMhz),
        perCpu<std::string>("hinv.cpu.vendor", &CpuinfoEntry::vendor),
        perCpu<std::string>("hinv.cpu.model", &CpuinfoEntry::model),
        perCpu<std::string>("hinv.cpu.model_name", &CpuinfoEntry::modelName),
        perCpu<std::string>("hinv.cpu.stepping", &CpuinfoEntry::stepping),
        perCpu<std::uint32_t>("hinv.cpu.cache", &CpuinfoEntry::cacheKb),
        perCpu<float>("hinv.cpu.bogomips", &CpuinfoEntry::bogomips),
        perCpu<std::string>("hinv.cpu.flags", &CpuinfoEntry::flags),
        {"hinv.machine", [this](ValueSet& s) { putOr<std::string>(s, machine_); }},
    };
  }

  int refresh() override {
    machine_ = readMachine();
    auto text = readFile(ctx_.path("proc/cpuinfo"));
    if (!text) return static_cast<int>(Error::Value);
    auto parsed = parseProcCpuinfo(*text);
    if (!parsed) return static_cast<int>(parsed.error());
    snap_ = std::move(*parsed);
    return 0;
  }

 private:
  // One value per CPU that reports the field; no value at all if none does (e.g.
  // model_name on arm64).
  template <class T>
  Binding perCpu(const char* name, EntryField<T> member) {
    return {name, [this, member](ValueSet& s) {
              for (const auto& e : snap_.cpus)
                if (const auto& v = e.*member) put<T>(s, *v, e.processor);
              if (s.values.empty()) noValue(s);
            }};
  }

  // The machine hardware name as uname(2) gives it ("x86_64", "aarch64"). The kernel
  // also publishes it as /proc/sys/kernel/arch, which a fixture tree can hold; on the
  // live system uname answers when that file is missing (older kernels).
  std::optional<std::string> readMachine() const {
    if (auto arch = readFile(ctx_.path("proc/sys/kernel/arch"))) {
      auto t = trim(std::string_view(*arch).substr(0, arch->find('\n')));
      if (!t.empty()) return std::string(t);
    }
    if (ctx_.root == "/" || ctx_.root.empty()) {
      struct utsname u {};
      if (::uname(&u) == 0) return std::string(u.machine);
    }
    return std::nullopt;
  }

  LinuxContext ctx_;
  CpuinfoSnapshot snap_;
  std::optional<std::string> machine_;
};

}  // namespace

std::unique_ptr<SourceGroup> makeCpuinfoGroup(const LinuxContext& ctx) { return std::make_unique<CpuinfoGroup>(ctx); }

}  // namespace sextant::linuxbe
