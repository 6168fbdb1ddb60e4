#pragma once
// The portable metric catalog: every metric Sextant knows how to name on any OS,
// declared once with PCP's names, PMIDs, types, semantics and units (so that PCP's
// tools and their configurations work unchanged) and with Sextant's own help text.
// A backend fills in the values its OS can give; the rest answer "no value".
#include <string_view>
#include <vector>

#include "core/Descriptor.h"

namespace sextant::catalog {

// Domain numbers follow PCP's agents.
inline constexpr unsigned kKernelDomain = 60;  // PCP's linux agent: kernel, mem, disk, network, ...
inline constexpr unsigned kProcDomain = 3;     // PCP's proc agent: per-process metrics

// Instance domains, numbered as PCP's agents number them.
inline constexpr InDom kCpuInDom = InDom::make(60, 0);         // "cpu0", "cpu1", ...
inline constexpr InDom kDiskInDom = InDom::make(60, 1);        // whole disks: "sda", "nvme0n1"
inline constexpr InDom kLoadAvgInDom = InDom::make(60, 2);     // "1 minute", "5 minute", "15 minute"
inline constexpr InDom kInterfaceInDom = InDom::make(60, 3);   // network interfaces
inline constexpr InDom kNetAddrInDom = InDom::make(60, 17);  // interfaces, for hw_addr: "eth0"
inline constexpr InDom kFilesysInDom = InDom::make(60, 5);     // mounted file systems, by device
inline constexpr InDom kSwapDevInDom = InDom::make(60, 6);     // swap devices and files
inline constexpr InDom kPartitionInDom = InDom::make(60, 10);  // disk partitions: "sda1"
inline constexpr InDom kDmInDom = InDom::make(60, 24);         // device-mapper devices, by dm name
inline constexpr InDom kProcessInDom = InDom::make(3, 9);      // processes: id = pid, name "000123 cmd args"

// Rows by subtree; each function returns the same vector every call.
const std::vector<MetricInfo>& hinvMetrics();
const std::vector<MetricInfo>& kernelMetrics();
const std::vector<MetricInfo>& memMetrics();
const std::vector<MetricInfo>& swapMetrics();
const std::vector<MetricInfo>& diskMetrics();
const std::vector<MetricInfo>& networkMetrics();
const std::vector<MetricInfo>& filesysMetrics();
const std::vector<MetricInfo>& processMetrics();  // domain 3

// Every row of domain 60 (all of the above but processMetrics), and the indoms with help.
const std::vector<MetricInfo>& kernelDomainMetrics();
const std::vector<InDomInfo>& kernelDomainInDoms();
const std::vector<InDomInfo>& processInDoms();

// A row by full name, or nullptr.
const MetricInfo* find(std::string_view name);

}  // namespace sextant::catalog
