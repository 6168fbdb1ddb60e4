#include "backends/linux/ProcSwaps.h"

#include <limits>

#include "backends/linux/LinuxGroups.h"
#include "backends/linux/MetricFill.h"
#include "backends/linux/TextFields.h"
#include "core/Catalog.h"
#include "core/InstanceMap.h"

namespace sextant::linuxbe {

Expected<SwapsSnapshot> parseProcSwaps(std::string_view text) {
  auto lines = splitLines(text);
  if (lines.empty() || splitFields(lines[0]).empty() || splitFields(lines[0])[0] != "Filename")
    return Failure{Error::Value, "/proc/swaps: no header line"};
  SwapsSnapshot snap;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto f = splitFields(lines[i]);
    if (f.empty()) continue;
    if (f.size() != 5) return Failure{Error::Value, "/proc/swaps: expected 5 fields in '" + std::string(lines[i]) + "'"};
    auto size = parseU64(f[2]), used = parseU64(f[3]);
    auto prio = parseI64(f[4]);
    if (!size || !used || !prio || *prio < std::numeric_limits<std::int32_t>::min() ||
        *prio > std::numeric_limits<std::int32_t>::max())
      return Failure{Error::Value, "/proc/swaps: bad number in '" + std::string(lines[i]) + "'"};
    snap.devices.push_back(
        SwapDevice{std::string(f[0]), std::string(f[1]), *size, *used, static_cast<std::int32_t>(*prio)});
  }
  return snap;
}

namespace {

class SwapsGroup : public SourceGroup {
 public:
  explicit SwapsGroup(const LinuxContext& ctx) : ctx_(ctx) {}

  std::vector<Binding> bindings() override {
    auto kb = [](std::uint64_t v) { return static_cast<std::uint32_t>(v); };  // catalog type is 32-bit KiB
    return {
        {"swapdev.length", [this, kb](ValueSet& s) { each(s, [&](const SwapDevice& d) { return kb(d.sizeKb); }); }},
        // "same as swapdev.length on Linux" (PCP): there is no separate maximum.
        {"swapdev.maxswap", [this, kb](ValueSet& s) { each(s, [&](const SwapDevice& d) { return kb(d.sizeKb); }); }},
        {"swapdev.free",
         [this, kb](ValueSet& s) {
           each(s, [&](const SwapDevice& d) { return kb(d.sizeKb > d.usedKb ? d.sizeKb - d.usedKb : 0); });
         }},
        {"swapdev.priority", [this](ValueSet& s) { each(s, [](const SwapDevice& d) { return d.priority; }); }},
        // Virtual swap is an IRIX notion Linux does not have; PCP prints a constant zero,
        // we answer "no value" rather than invent one.
        {"swapdev.vlength", [](ValueSet& s) { noValue(s); }},
    };
  }

  int refresh() override {
    auto text = readFile(ctx_.path("proc/swaps"));
    if (!text) return static_cast<int>(Error::Value);
    auto parsed = parseProcSwaps(*text);
    if (!parsed) return static_cast<int>(parsed.error());
    snap_ = std::move(*parsed);
    ids_.clear();
    for (const auto& d : snap_.devices) ids_.push_back(names_.idFor(d.path));
    return 0;
  }

  std::vector<InDom> ownedInDoms() const override { return {catalog::kSwapDevInDom}; }
  std::vector<Instance> instances(InDom) const override {
    std::vector<Instance> out;
    for (std::size_t i = 0; i < snap_.devices.size(); ++i) out.push_back({ids_[i], snap_.devices[i].path});
    return out;
  }

 private:
  template <class Fn>
  void each(ValueSet& s, Fn value) const {
    for (std::size_t i = 0; i < snap_.devices.size(); ++i) put(s, value(snap_.devices[i]), ids_[i]);
  }

  LinuxContext ctx_;
  SwapsSnapshot snap_;
  InstanceMap names_;  // a device keeps its id across swapoff/swapon
  std::vector<std::int32_t> ids_;
};

}  // namespace

std::unique_ptr<SourceGroup> makeSwapsGroup(const LinuxContext& ctx) { return std::make_unique<SwapsGroup>(ctx); }

}  // namespace sextant::linuxbe
