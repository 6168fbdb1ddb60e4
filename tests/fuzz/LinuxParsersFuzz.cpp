// libFuzzer harness for every pure parser of the Linux backend. The first byte picks
// the parser, the rest is the file text. A parser may reject its input; it must never
// crash, hang, read out of bounds or leak (run under ASan and UBSan).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "backends/linux/ProcCpuinfo.h"
#include "backends/linux/ProcDiskstats.h"
#include "backends/linux/ProcLoadavg.h"
#include "backends/linux/ProcMeminfo.h"
#include "backends/linux/ProcMounts.h"
#include "backends/linux/ProcNetDev.h"
#include "backends/linux/ProcPid.h"
#include "backends/linux/ProcStat.h"
#include "backends/linux/ProcSwaps.h"
#include "backends/linux/ProcUptime.h"
#include "backends/linux/ProcVmstat.h"
#include "backends/linux/SystemGroup.h"
#include "backends/linux/TextFields.h"
#include "backends/linux/Utmp.h"

using namespace sextant::linuxbe;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 20) {
    case 0: (void)parseProcCpuinfo(text); break;
    case 1: (void)parseDiskstats(text); break;
    case 2: (void)schedulerName(text); break;
    case 3: (void)parseProcLoadavg(text); break;
    case 4: (void)parseProcMeminfo(text); break;
    case 5: (void)parseMounts(text); break;
    case 6: (void)parseNetDev(text); break;
    case 7: (void)parseSpeedMbits(text); (void)parseDuplex(text); (void)parseNetFlags(text); break;
    case 8: (void)parsePidStat(text); break;
    case 9: (void)parsePidStatus(text); break;
    case 10: (void)parsePidStatm(text); break;
    case 11: {
      auto args = parseCmdline(text);
      (void)processInstanceName(1, args, text);
      break;
    }
    case 12: (void)parseProcStat(text); break;
    case 13: (void)parseProcSwaps(text); break;
    case 14: (void)parseProcUptime(text); break;
    case 15: (void)parseProcVmstat(text); break;
    case 16: (void)parsePidMax(text); break;
    case 17: (void)countUtmpUsers(text); break;
    default: (void)parseDouble(text); (void)parseU64(text); break;
  }
  return 0;
}
