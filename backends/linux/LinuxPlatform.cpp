#include <unistd.h>

#include "backends/linux/LinuxGroups.h"
#include "core/Catalog.h"
#include "core/Platform.h"

namespace sextant {

std::vector<std::unique_ptr<Agent>> makePlatformAgents(const PlatformOptions& options) {
  using namespace linuxbe;
  LinuxContext ctx;
  ctx.root = options.root;
  ctx.clockTicks = options.clockTicks > 0 ? options.clockTicks : ::sysconf(_SC_CLK_TCK);
  ctx.pageSize = options.pageSize > 0 ? options.pageSize : ::sysconf(_SC_PAGESIZE);

  std::vector<std::unique_ptr<SourceGroup>> kernel;
  kernel.push_back(makeStatGroup(ctx));
  kernel.push_back(makeMeminfoGroup(ctx));
  kernel.push_back(makeVmstatGroup(ctx));
  kernel.push_back(makeLoadavgGroup(ctx));
  kernel.push_back(makeUptimeGroup(ctx));
  kernel.push_back(makeCpuinfoGroup(ctx));
  kernel.push_back(makeSwapsGroup(ctx));
  kernel.push_back(makeSystemGroup(ctx));
  kernel.push_back(makeDiskGroup(ctx));
  kernel.push_back(makeNetGroup(ctx));
  kernel.push_back(makeFilesysGroup(ctx));
  std::vector<std::unique_ptr<SourceGroup>> process;
  process.push_back(makeProcessGroup(ctx));

  std::vector<std::unique_ptr<Agent>> agents;
  agents.push_back(std::make_unique<TableAgent>(catalog::kKernelDomain, "linux", catalog::kernelDomainMetrics(),
                                                catalog::kernelDomainInDoms(), std::move(kernel)));
  agents.push_back(std::make_unique<TableAgent>(catalog::kProcDomain, "proc", catalog::processMetrics(),
                                                catalog::processInDoms(), std::move(process)));
  return agents;
}

}  // namespace sextant
