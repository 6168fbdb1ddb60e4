#pragma once
// The source groups of the Linux backend, one per OS data source (or a few related
// ones), as PCP's linux agent has clusters. LinuxPlatform.cpp assembles them.
#include <memory>

#include "backends/linux/LinuxContext.h"
#include "core/TableAgent.h"

namespace sextant::linuxbe {

// domain 60 (the portable catalog)
std::unique_ptr<SourceGroup> makeStatGroup(const LinuxContext&);      // /proc/stat: cpu times, intr, ctxt, btime, procs
std::unique_ptr<SourceGroup> makeMeminfoGroup(const LinuxContext&);   // /proc/meminfo: mem.util, mem.physmem, swap totals
std::unique_ptr<SourceGroup> makeVmstatGroup(const LinuxContext&);    // /proc/vmstat: mem.vmstat, swap paging
std::unique_ptr<SourceGroup> makeLoadavgGroup(const LinuxContext&);   // /proc/loadavg: load, nprocs, running
std::unique_ptr<SourceGroup> makeUptimeGroup(const LinuxContext&);    // /proc/uptime
std::unique_ptr<SourceGroup> makeCpuinfoGroup(const LinuxContext&);   // /proc/cpuinfo: hinv.cpu.*
std::unique_ptr<SourceGroup> makeSwapsGroup(const LinuxContext&);     // /proc/swaps: swapdev.*
std::unique_ptr<SourceGroup> makeSystemGroup(const LinuxContext&);    // constants and uname: hinv.pagesize, kernel.all.hz, users
std::unique_ptr<SourceGroup> makeDiskGroup(const LinuxContext&);      // /proc/diskstats + /sys/block: disk.*
std::unique_ptr<SourceGroup> makeNetGroup(const LinuxContext&);       // /proc/net/dev + /sys/class/net: network.interface.*
std::unique_ptr<SourceGroup> makeFilesysGroup(const LinuxContext&);   // /proc/mounts + statvfs: filesys.*
// domain 3
std::unique_ptr<SourceGroup> makeProcessGroup(const LinuxContext&);   // /proc/PID/{stat,status,cmdline}: proc.*

}  // namespace sextant::linuxbe
