// swap.* (all swap together) and swapdev.* (one instance per swap device or file).
#include "core/catalog/Row.h"

namespace sextant::catalog {

using namespace detail;

const std::vector<MetricInfo>& swapMetrics() {
  static const std::vector<MetricInfo> rows = {
      row("swap.pagesin", kernelPmid(0, 8), ValueType::U32, kNoInDom, Semantics::Counter, kCount,
          "pages read in from swap",
          sinceBoot("The pswpin line of /proc/vmstat: pages brought back into memory from swap. "
                    "A steady non-zero rate means the working set does not fit in RAM.")),
      row("swap.pagesout", kernelPmid(0, 9), ValueType::U32, kNoInDom, Semantics::Counter, kCount,
          "pages written out to swap",
          sinceBoot("The pswpout line of /proc/vmstat: pages the kernel evicted to swap to free memory.")),
      row("swap.in", kernelPmid(0, 10), ValueType::U32, kNoInDom, Semantics::Counter, kCount,
          "swap-in operations",
          sinceBoot("Read operations on swap, as opposed to pages read. Only very old kernels "
                    "(before 2.6) report it; elsewhere there is no value.")),
      row("swap.out", kernelPmid(0, 11), ValueType::U32, kNoInDom, Semantics::Counter, kCount,
          "swap-out operations",
          sinceBoot("Write operations on swap, as opposed to pages written. Only very old kernels "
                    "(before 2.6) report it; elsewhere there is no value.")),
      row("swap.free", kernelPmid(1, 8), ValueType::U64, kNoInDom, Semantics::Instant, kByte,
          "unused swap space in bytes", "/proc/meminfo SwapFree converted to bytes, over all swap devices."),
      row("swap.length", kernelPmid(1, 6), ValueType::U64, kNoInDom, Semantics::Instant, kByte,
          "total swap space in bytes", "/proc/meminfo SwapTotal converted to bytes, over all swap devices."),
      row("swap.used", kernelPmid(1, 7), ValueType::U64, kNoInDom, Semantics::Instant, kByte,
          "swap space in use in bytes", "/proc/meminfo SwapTotal minus SwapFree, converted to bytes."),
      row("swapdev.free", kernelPmid(6, 0), ValueType::U32, kSwapDevInDom, Semantics::Instant, kKByte,
          "unused space on each swap device",
          "The Size column minus the Used column of /proc/swaps, in Kbytes, for each swap device or file."),
      row("swapdev.length", kernelPmid(6, 1), ValueType::U32, kSwapDevInDom, Semantics::Discrete, kKByte,
          "size of each swap device",
          "The Size column of /proc/swaps, in Kbytes: the usable space of each swap device or file."),
      row("swapdev.maxswap", kernelPmid(6, 2), ValueType::U32, kSwapDevInDom, Semantics::Discrete, kKByte,
          "largest size each swap device may reach",
          "For Linux this is the same as swapdev.length, the Size column of /proc/swaps in Kbytes, since "
          "a swap area cannot grow once enabled."),
      row("swapdev.vlength", kernelPmid(6, 3), ValueType::U32, kSwapDevInDom, Semantics::Discrete, kKByte,
          "virtual size of each swap device",
          "Swap space that is promised but not backed by storage. Linux has no such thing and reports 0."),
      row("swapdev.priority", kernelPmid(6, 4), ValueType::I32, kSwapDevInDom, Semantics::Instant, kNone,
          "priority of each swap device",
          "The Priority column of /proc/swaps: higher-priority areas fill first, and areas of equal "
          "priority are used in turn. Negative values are the kernel's defaults."),
  };
  return rows;
}

}  // namespace sextant::catalog
