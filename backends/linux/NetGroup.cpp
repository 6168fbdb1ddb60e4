// network.interface.* and hinv.ninterface from /proc/net/dev, with the attributes
// of each interface from /sys/class/net/<if>/.
#include <functional>
#include <optional>

#include "backends/linux/MetricFill.h"
#include "core/Catalog.h"
#include "backends/linux/LinuxGroups.h"
#include "backends/linux/ProcNetDev.h"
#include "backends/linux/TextFields.h"
#include "core/InstanceMap.h"

namespace sextant::linuxbe {

namespace {

// network.interface.hw_addr lives in PCP's interface-address domain (60.17); its
// instances are the interfaces, with the same ids as in kInterfaceInDom.
constexpr InDom kHwAddrInDom = catalog::kNetAddrInDom;
constexpr std::uint32_t kIffUp = 0x1;  // netdevice(7)

struct Interface {
  std::int32_t id = 0;
  NetDevStats stats;
  std::optional<std::uint32_t> mtu, duplex, flags;
  std::optional<std::uint64_t> speedMbits;
  std::optional<bool> carrier;
  std::optional<std::string> address;
};

using Counter = std::function<std::uint64_t(const NetDevStats&)>;

const std::vector<std::pair<std::string, Counter>>& counters() {
  static const std::vector<std::pair<std::string, Counter>> kCounters = {
      {"in.bytes", [](const NetDevStats& s) { return s.rxBytes; }},
      {"in.packets", [](const NetDevStats& s) { return s.rxPackets; }},
      {"in.errors", [](const NetDevStats& s) { return s.rxErrors; }},
      {"in.drops", [](const NetDevStats& s) { return s.rxDrops; }},
      {"in.fifo", [](const NetDevStats& s) { return s.rxFifo; }},
      {"in.frame", [](const NetDevStats& s) { return s.rxFrame; }},
      {"in.compressed", [](const NetDevStats& s) { return s.rxCompressed; }},
      {"in.mcasts", [](const NetDevStats& s) { return s.rxMulticast; }},
      {"out.bytes", [](const NetDevStats& s) { return s.txBytes; }},
      {"out.packets", [](const NetDevStats& s) { return s.txPackets; }},
      {"out.errors", [](const NetDevStats& s) { return s.txErrors; }},
      {"out.drops", [](const NetDevStats& s) { return s.txDrops; }},
      {"out.fifo", [](const NetDevStats& s) { return s.txFifo; }},
      {"out.carrier", [](const NetDevStats& s) { return s.txCarrier; }},
      {"out.compressed", [](const NetDevStats& s) { return s.txCompressed; }},
      {"collisions", [](const NetDevStats& s) { return s.txCollisions; }},
      {"total.bytes", [](const NetDevStats& s) { return s.rxBytes + s.txBytes; }},
      {"total.packets", [](const NetDevStats& s) { return s.rxPackets + s.txPackets; }},
      {"total.errors", [](const NetDevStats& s) { return s.rxErrors + s.txErrors; }},
      {"total.drops", [](const NetDevStats& s) { return s.rxDrops + s.txDrops; }},
      // The kernel counts multicast on receive only.
      {"total.mcasts", [](const NetDevStats& s) { return s.rxMulticast; }},
  };
  return kCounters;
}

class NetGroup : public SourceGroup {
 public:
  explicit NetGroup(const LinuxContext& ctx) : ctx_(ctx) {}

  std::vector<Binding> bindings() override {
    std::vector<Binding> out;
    for (const auto& [suffix, counter] : counters()) {
      std::string name = "network.interface." + suffix;
      out.push_back({name, [this, c = counter](ValueSet& set) {
                       for (const auto& i : ifs_) set.values.push_back({i.id, asU64(c(i.stats))});
                     }});
    }
    bindOptional(out, "network.interface.mtu", [](const Interface& i) -> std::optional<std::uint64_t> { return i.mtu; });
    bindOptional(out, "network.interface.duplex", [](const Interface& i) -> std::optional<std::uint64_t> { return i.duplex; });
    // sysfs gives Mbit/s; PCP's baudrate is byte/sec and speed is Mbyte/sec
    // (2^20 bytes), so 1000 Mbit/s is 125000000 byte/s and 119.20929 Mbyte/s.
    bindOptional(out, "network.interface.baudrate", [](const Interface& i) -> std::optional<std::uint64_t> {
      if (!i.speedMbits) return std::nullopt;
      return *i.speedMbits * 1000000 / 8;
    });
    out.push_back({"network.interface.speed", [this](ValueSet& set) {
                     for (const auto& i : ifs_)
                       if (i.speedMbits)
                         set.values.push_back({i.id, static_cast<float>(static_cast<double>(*i.speedMbits) * 1e6 / 8.0 / 1048576.0)});
                   }});
    bindOptional(out, "network.interface.up", [](const Interface& i) -> std::optional<std::uint64_t> {
      if (!i.flags) return std::nullopt;
      return (*i.flags & kIffUp) ? 1 : 0;
    });
    // IFF_RUNNING is not in sysfs "flags" (that is the administrative dev->flags);
    // the kernel reports it when the interface is up and has carrier (dev_get_flags).
    bindOptional(out, "network.interface.running", [](const Interface& i) -> std::optional<std::uint64_t> {
      if (!i.flags) return std::nullopt;
      return ((*i.flags & kIffUp) && i.carrier.value_or(false)) ? 1 : 0;
    });
    out.push_back({"network.interface.hw_addr", [this](ValueSet& set) {
                     for (const auto& i : ifs_)
                       if (i.address) set.values.push_back({i.id, *i.address});
                   }});
    out.push_back({"hinv.ninterface", [this](ValueSet& set) {
                     set.values.push_back({kNullInstance, asU64(ifs_.size())});
                   }});
    return out;
  }

  int refresh() override {
    auto text = readFile(ctx_.path("proc/net/dev"));
    if (!text) return static_cast<int>(Error::Value);
    NetDevSnapshot snap = parseNetDev(*text);
    ifs_.clear();
    for (auto& s : snap.interfaces) {
      Interface i;
      i.id = ids_.idFor(s.name);
      std::string dir = ctx_.path("sys/class/net/" + s.name + "/");
      // Each attribute may be missing: e.g. reading "speed" of lo fails with EINVAL.
      auto attr = [&](const char* file) -> std::optional<std::string> { return readFile(dir + file); };
      if (auto v = attr("mtu")) {
        if (auto n = parseNumber<std::uint32_t>(trim(*v))) i.mtu = *n;
      }
      if (auto v = attr("speed")) i.speedMbits = parseSpeedMbits(*v);
      if (auto v = attr("duplex")) i.duplex = parseDuplex(*v);
      if (auto v = attr("flags")) i.flags = parseNetFlags(*v);
      if (auto v = attr("carrier")) i.carrier = trim(*v) == "1";
      if (auto v = attr("address")) {
        if (auto a = trim(*v); !a.empty()) i.address = std::string(a);
      }
      i.stats = std::move(s);
      ifs_.push_back(std::move(i));
    }
    return 0;
  }

  std::vector<InDom> ownedInDoms() const override { return {catalog::kInterfaceInDom, kHwAddrInDom}; }
  std::vector<Instance> instances(InDom indom) const override {
    std::vector<Instance> out;
    if (indom == catalog::kInterfaceInDom || indom == kHwAddrInDom)
      for (const auto& i : ifs_) out.push_back({i.id, i.stats.name});
    return out;
  }

 private:
  void bindOptional(std::vector<Binding>& out, const std::string& name,
                    std::function<std::optional<std::uint64_t>(const Interface&)> get) {
    out.push_back({name, [this, get = std::move(get)](ValueSet& set) {
                     for (const auto& i : ifs_)
                       if (auto v = get(i)) set.values.push_back({i.id, asU64(*v)});
                   }});
  }

  LinuxContext ctx_;
  InstanceMap ids_;
  std::vector<Interface> ifs_;
};

}  // namespace

std::unique_ptr<SourceGroup> makeNetGroup(const LinuxContext& ctx) { return std::make_unique<NetGroup>(ctx); }

}  // namespace sextant::linuxbe
