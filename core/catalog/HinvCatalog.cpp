// hinv.*: the hardware inventory, values that change only when hardware does.
#include "core/catalog/Row.h"

namespace sextant::catalog {

using namespace detail;

const std::vector<MetricInfo>& hinvMetrics() {
  static const std::vector<MetricInfo> rows = {
      row("hinv.physmem", kernelPmid(1, 9), ValueType::U32, kNoInDom, Semantics::Discrete, kMByte,
          "total usable physical memory in Mbytes",
          "The RAM the kernel manages, in Mbytes: /proc/meminfo MemTotal divided by 1024. "
          "Slightly less than the installed memory, since firmware and the kernel image keep some."),
      row("hinv.pagesize", kernelPmid(1, 11), ValueType::U32, kNoInDom, Semantics::Discrete, kByte,
          "size of a memory page in bytes",
          "The base page size of the virtual memory system, from sysconf(_SC_PAGESIZE). "
          "Usually 4096 on x86-64; 16384 or 65536 on some ARM and POWER kernels."),
      row("hinv.ncpu", kernelPmid(0, 32), ValueType::U32, kNoInDom, Semantics::Discrete, kNone,
          "number of online CPUs",
          "How many logical processors are online, counting each hardware thread once. "
          "Equals the number of cpuN lines in /proc/stat."),
      row("hinv.ndisk", kernelPmid(0, 33), ValueType::U32, kNoInDom, Semantics::Discrete, kNone,
          "number of whole disks",
          "How many whole block devices the disk.dev metrics report, from /proc/diskstats. "
          "Partitions, device-mapper volumes and loop or ram devices are not counted."),
      row("hinv.nfilesys", kernelPmid(5, 0), ValueType::U32, kNoInDom, Semantics::Discrete, kCount,
          "number of mounted block-device file systems",
          "How many file systems the filesys metrics report: the mounts in /proc/mounts whose "
          "source is a block device. Pseudo file systems such as proc and tmpfs are left out."),
      row("hinv.ninterface", kernelPmid(3, 27), ValueType::U32, kNoInDom, Semantics::Discrete, kNone,
          "number of network interfaces",
          "How many network interfaces the network.interface metrics report, loopback included. "
          "On Linux these are the lines of /proc/net/dev."),
      row("hinv.nnode", kernelPmid(0, 19), ValueType::U32, kNoInDom, Semantics::Discrete, kNone,
          "number of NUMA nodes",
          "How many memory nodes the machine has, from /sys/devices/system/node. "
          "A machine without NUMA reports one node."),
      row("hinv.machine", kernelPmid(18, 7), ValueType::String, kNoInDom, Semantics::Discrete, kNone,
          "hardware architecture name",
          "The machine field of uname(2), such as \"x86_64\" or \"aarch64\"."),
      row("hinv.hugepagesize", kernelPmid(1, 59), ValueType::U32, kNoInDom, Semantics::Discrete, kByte,
          "size of a huge page in bytes",
          "The default huge page size, from /proc/meminfo Hugepagesize (given there in kB). "
          "Typically 2 Mbytes on x86-64."),
      row("hinv.cpu.clock", kernelPmid(18, 0), ValueType::Float, kCpuInDom, Semantics::Discrete, kPerMicrosec,
          "clock rate of each CPU in MHz",
          "The \"cpu MHz\" line of /proc/cpuinfo for each processor; cycles per microsecond is MHz. "
          "With frequency scaling this is the rate when last read, not the maximum."),
      row("hinv.cpu.vendor", kernelPmid(18, 1), ValueType::String, kCpuInDom, Semantics::Discrete, kNone,
          "CPU manufacturer", "The vendor_id line of /proc/cpuinfo, such as \"GenuineIntel\" or \"AuthenticAMD\"."),
      row("hinv.cpu.model", kernelPmid(18, 2), ValueType::String, kCpuInDom, Semantics::Discrete, kNone,
          "CPU model number", "The numeric model line of /proc/cpuinfo, as text; see hinv.cpu.model_name for the name."),
      row("hinv.cpu.stepping", kernelPmid(18, 3), ValueType::String, kCpuInDom, Semantics::Discrete, kNone,
          "CPU stepping (revision)", "The stepping line of /proc/cpuinfo: the silicon revision of this model."),
      row("hinv.cpu.cache", kernelPmid(18, 4), ValueType::U32, kCpuInDom, Semantics::Discrete, kKByte,
          "CPU cache size in Kbytes",
          "The \"cache size\" line of /proc/cpuinfo, in Kbytes. On x86 this is usually the "
          "largest cache level the processor reports."),
      row("hinv.cpu.bogomips", kernelPmid(18, 5), ValueType::Float, kCpuInDom, Semantics::Discrete, kNone,
          "kernel's BogoMIPS estimate per CPU",
          "The bogomips line of /proc/cpuinfo: a rough speed figure from the kernel's delay-loop "
          "calibration at boot. Useful only to compare like with like."),
      row("hinv.cpu.model_name", kernelPmid(18, 9), ValueType::String, kCpuInDom, Semantics::Discrete, kNone,
          "CPU model name", "The \"model name\" line of /proc/cpuinfo, the marketing name of the processor."),
      row("hinv.cpu.flags", kernelPmid(18, 10), ValueType::String, kCpuInDom, Semantics::Discrete, kNone,
          "CPU feature flags",
          "The flags line of /proc/cpuinfo: a space-separated list of instruction-set features "
          "the processor and kernel support, such as sse4_2 or avx2."),
  };
  return rows;
}

}  // namespace sextant::catalog
