// The catalog as a whole: domain 60's rows gathered from each subtree, the instance
// domains with their help, and lookup by name.
#include "core/Catalog.h"

#include <map>

namespace sextant::catalog {

const std::vector<MetricInfo>& kernelDomainMetrics() {
  static const std::vector<MetricInfo> rows = [] {
    std::vector<MetricInfo> all;
    for (const auto* part : {&hinvMetrics(), &kernelMetrics(), &memMetrics(), &swapMetrics(), &diskMetrics(),
                             &networkMetrics(), &filesysMetrics()})
      all.insert(all.end(), part->begin(), part->end());
    return all;
  }();
  return rows;
}

const std::vector<InDomInfo>& kernelDomainInDoms() {
  static const std::vector<InDomInfo> indoms = {
      {kCpuInDom, "set of online CPUs",
       "One instance per logical processor, named \"cpu0\", \"cpu1\", ... with the CPU number as the "
       "instance number, as in the cpuN lines of /proc/stat."},
      {kDiskInDom, "set of whole disks",
       "One instance per whole block device in /proc/diskstats, named by its kernel name such as "
       "\"sda\" or \"nvme0n1\". Partitions, device-mapper, loop and ram devices are not members."},
      {kLoadAvgInDom, "the three load average periods",
       "Three instances: \"1 minute\", \"5 minute\" and \"15 minute\", numbered 1, 5 and 15."},
      {kInterfaceInDom, "set of network interfaces",
       "One instance per interface listed in /proc/net/dev, named as the kernel names it, such as "
       "\"lo\" or \"eth0\". Virtual interfaces come and go with containers."},
      {kFilesysInDom, "set of mounted block-device file systems",
       "One instance per mounted file system whose source is a block device, named by the device path "
       "from /proc/mounts such as \"/dev/sda1\"."},
      {kSwapDevInDom, "set of active swap areas",
       "One instance per swap device or file listed in /proc/swaps, named by its path."},
      {kPartitionInDom, "set of disk partitions",
       "One instance per partition in /proc/diskstats, named by its kernel name such as \"sda1\" or "
       "\"nvme0n1p2\"."},
      {kNetAddrInDom, "set of network interfaces, for their addresses",
       "One instance per network interface, named as in /sys/class/net such as \"eth0\"; used by "
       "the per-interface address metrics."},
      {kDmInDom, "set of device-mapper volumes",
       "One instance per device-mapper device, named by its /dev/mapper name (from "
       "/sys/block/dm-N/dm/name), such as an LVM logical volume."},
  };
  return indoms;
}

const std::vector<InDomInfo>& processInDoms() {
  static const std::vector<InDomInfo> indoms = {
      {kProcessInDom, "set of processes",
       "One instance per process, the instance number being the PID and the name the PID as six "
       "digits followed by the command line, such as \"000123 /usr/sbin/sshd -D\"."},
  };
  return indoms;
}

const MetricInfo* find(std::string_view name) {
  static const std::map<std::string_view, const MetricInfo*, std::less<>> byName = [] {
    std::map<std::string_view, const MetricInfo*, std::less<>> m;
    for (const auto* part : {&kernelDomainMetrics(), &processMetrics()})
      for (const MetricInfo& info : *part) m.emplace(info.name, &info);
    return m;
  }();
  auto it = byName.find(name);
  return it == byName.end() ? nullptr : it->second;
}

}  // namespace sextant::catalog
