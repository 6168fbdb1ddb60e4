// disk.dev.*, disk.all.*, disk.partitions.*, disk.dm.* and hinv.ndisk from
// /proc/diskstats, with /sys/block telling what each device is: a name under
// /sys/block/ is a whole disk, /sys/block/<disk>/<part>/partition marks a partition,
// /sys/block/dm-N/dm/name is a device-mapper device's name ("vg0-root").
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <type_traits>

#include "backends/linux/MetricFill.h"
#include "core/Catalog.h"
#include "backends/linux/LinuxGroups.h"
#include "backends/linux/ProcDiskstats.h"
#include "backends/linux/TextFields.h"
#include "core/InstanceMap.h"

namespace sextant::linuxbe {

namespace {

namespace fs = std::filesystem;
using Field = std::function<std::optional<std::uint64_t>(const DiskStats&)>;

struct Device {
  std::int32_t id = 0;
  std::string name;  // instance name: kernel name, or the dm name for disk.dm
  DiskStats stats;
  std::optional<std::uint64_t> capacityKb;  // from sysfs "size", 512-byte sectors
  std::optional<std::string> scheduler;
};

bool startsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Loop, RAM and compressed-RAM devices are not disks, and md/dm devices are
// aggregates of disks that would count the same I/O twice (PCP leaves them out of
// disk.dev too).
bool countsAsDisk(std::string_view name) {
  for (std::string_view p : {"loop", "ram", "zram", "dm-", "md"})
    if (startsWith(name, p)) return false;
  return true;
}

std::optional<std::uint64_t> sectorsFileKb(const std::string& path) {
  auto text = readFile(path);
  if (!text) return std::nullopt;
  auto sectors = parseU64(trim(*text));
  if (!sectors) return std::nullopt;
  return *sectors / 2;
}

// The per-device counters, by metric suffix, as PCP derives them. Sectors are
// always 512 bytes in diskstats whatever the device's block size (iostats.rst).
const std::vector<std::pair<std::string, Field>>& fields() {
  static const std::vector<std::pair<std::string, Field>> kFields = {
      {"read", [](const DiskStats& d) { return std::optional(d.readIos); }},
      {"write", [](const DiskStats& d) { return std::optional(d.writeIos); }},
      {"total", [](const DiskStats& d) { return std::optional(d.readIos + d.writeIos); }},
      {"blkread", [](const DiskStats& d) { return std::optional(d.readSectors); }},
      {"blkwrite", [](const DiskStats& d) { return std::optional(d.writeSectors); }},
      {"blktotal", [](const DiskStats& d) { return std::optional(d.readSectors + d.writeSectors); }},
      {"read_bytes", [](const DiskStats& d) { return std::optional(d.readSectors / 2); }},
      {"write_bytes", [](const DiskStats& d) { return std::optional(d.writeSectors / 2); }},
      {"total_bytes", [](const DiskStats& d) { return std::optional((d.readSectors + d.writeSectors) / 2); }},
      {"read_merge", [](const DiskStats& d) { return std::optional(d.readMerges); }},
      {"write_merge", [](const DiskStats& d) { return std::optional(d.writeMerges); }},
      {"avactive", [](const DiskStats& d) { return std::optional(d.ioTicks); }},
      {"aveq", [](const DiskStats& d) { return std::optional(d.timeInQueue); }},
      {"read_rawactive", [](const DiskStats& d) { return std::optional(d.readTicks); }},
      {"write_rawactive", [](const DiskStats& d) { return std::optional(d.writeTicks); }},
      {"total_rawactive", [](const DiskStats& d) { return std::optional(d.readTicks + d.writeTicks); }},
      {"discard", [](const DiskStats& d) { return d.discardIos; }},
      {"flush", [](const DiskStats& d) { return d.flushIos; }},
      {"inflight", [](const DiskStats& d) { return std::optional(d.inFlight); }},
  };
  return kFields;
}

class DiskGroup : public SourceGroup {
 public:
  explicit DiskGroup(const LinuxContext& ctx) : ctx_(ctx) {}

  std::vector<Binding> bindings() override {
    std::vector<Binding> out;
    for (const auto& [suffix, field] : fields()) {
      bindPerDevice(out, "disk.dev." + suffix, &DiskGroup::disks_, field);
      bindPerDevice(out, "disk.partitions." + suffix, &DiskGroup::partitions_, field);
      bindPerDevice(out, "disk.dm." + suffix, &DiskGroup::dms_, field);
      std::string all = "disk.all." + suffix;
      out.push_back({all, [this, f = field](ValueSet& set) {
                       std::optional<std::uint64_t> sum;
                       for (const auto& d : disks_)
                         if (auto v = f(d.stats)) sum = sum.value_or(0) + *v;
                       if (!sum) set.status = static_cast<int>(Error::Value);
                       else set.values.push_back({kNullInstance, asU64(*sum)});
                     }});
    }
    for (auto [prefix, list] : {std::pair{"disk.dev.", &DiskGroup::disks_}, std::pair{"disk.partitions.", &DiskGroup::partitions_},
                                std::pair{"disk.dm.", &DiskGroup::dms_}}) {
      bindPerDevice(out, std::string(prefix) + "capacity", list, [](const Device& d) { return d.capacityKb; });
    }
    out.push_back({"disk.dev.scheduler", [this](ValueSet& set) {
                     for (const auto& d : disks_)
                       if (d.scheduler) set.values.push_back({d.id, *d.scheduler});
                   }});
    out.push_back({"hinv.ndisk", [this](ValueSet& set) {
                     set.values.push_back({kNullInstance, asU64(disks_.size())});
                   }});
    return out;
  }

  int refresh() override {
    auto text = readFile(ctx_.path("proc/diskstats"));
    if (!text) return static_cast<int>(Error::Value);
    DiskstatsSnapshot snap = parseDiskstats(*text);
    disks_.clear();
    partitions_.clear();
    dms_.clear();
    std::string sysBlock = ctx_.path("sys/block");
    // Walking /sys/block costs hundreds of stat calls; the layout only changes when a
    // device comes or goes, which changes the device list in diskstats.
    std::vector<std::string> names;
    for (const auto& s : snap.devices) names.push_back(s.name);
    if (names != knownDevices_) {
      partitionDirs_ = findPartitions(sysBlock);
      knownDevices_ = std::move(names);
    }
    const auto& partitionDirs = partitionDirs_;
    for (auto& s : snap.devices) {
      Device d;
      d.stats = std::move(s);
      d.name = d.stats.name;
      std::error_code ec;
      std::string dir = sysBlock + "/" + d.name;
      if (auto p = partitionDirs.find(d.name); p != partitionDirs.end()) {
        d.capacityKb = sectorsFileKb(p->second + "/size");
        d.id = partitionIds_.idFor(d.name);
        partitions_.push_back(std::move(d));
      } else if (fs::is_directory(dir, ec)) {
        const bool dm = startsWith(d.name, "dm-");
        if (!dm && !countsAsDisk(d.name)) continue;
        d.capacityKb = sectorsFileKb(dir + "/size");
        if (dm) {
          // The dm name ("vg0-root") is what people know the device by.
          auto dmName = readFile(dir + "/dm/name");
          if (!dmName || trim(*dmName).empty()) continue;
          d.name = std::string(trim(*dmName));
          d.id = dmIds_.idFor(d.name);
          dms_.push_back(std::move(d));
        } else {
          if (auto sched = readFile(dir + "/queue/scheduler")) d.scheduler = schedulerName(*sched);
          d.id = diskIds_.idFor(d.name);
          disks_.push_back(std::move(d));
        }
      }
    }
    return 0;
  }

  std::vector<InDom> ownedInDoms() const override {
    return {catalog::kDiskInDom, catalog::kPartitionInDom, catalog::kDmInDom};
  }
  std::vector<Instance> instances(InDom indom) const override {
    const std::vector<Device>* list = indom == catalog::kDiskInDom        ? &disks_
                                      : indom == catalog::kPartitionInDom ? &partitions_
                                      : indom == catalog::kDmInDom        ? &dms_
                                                                          : nullptr;
    std::vector<Instance> out;
    if (list)
      for (const auto& d : *list) out.push_back({d.id, d.name});
    return out;
  }

 private:
  template <class F>
  void bindPerDevice(std::vector<Binding>& out, const std::string& name, std::vector<Device> DiskGroup::*list, F field) {
    out.push_back({name, [this, list, field](ValueSet& set) {
                     for (const auto& d : this->*list) {
                       std::optional<std::uint64_t> v;
                       if constexpr (std::is_invocable_v<F, const DiskStats&>) v = field(d.stats);
                       else v = field(d);
                       // A counter this kernel does not have (discard before 4.18) is
                       // left out for that device rather than shown as zero.
                       if (v) set.values.push_back({d.id, asU64(*v)});
                     }
                   }});
  }

  // Partition name -> its sysfs directory, from /sys/block/<disk>/<part>/partition.
  static std::map<std::string, std::string> findPartitions(const std::string& sysBlock) {
    std::map<std::string, std::string> out;
    std::error_code ec;
    for (fs::directory_iterator disk(sysBlock, ec), end; !ec && disk != end; disk.increment(ec)) {
      std::error_code ec2;
      for (fs::directory_iterator part(disk->path(), ec2); !ec2 && part != end; part.increment(ec2)) {
        std::error_code ec3;
        if (fs::exists(part->path() / "partition", ec3)) out[part->path().filename().string()] = part->path().string();
      }
    }
    return out;
  }

  LinuxContext ctx_;
  InstanceMap diskIds_, partitionIds_, dmIds_;
  std::vector<Device> disks_, partitions_, dms_;
  std::vector<std::string> knownDevices_;
  std::map<std::string, std::string> partitionDirs_;
};

}  // namespace

std::unique_ptr<SourceGroup> makeDiskGroup(const LinuxContext& ctx) { return std::make_unique<DiskGroup>(ctx); }

}  // namespace sextant::linuxbe
