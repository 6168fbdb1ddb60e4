#include "tools/LocalContext.h"

namespace sextant {

Expected<std::unique_ptr<LocalContext>> LocalContext::open(const PlatformOptions& options, LabelSet contextLabels,
                                                           std::string hostName) {
  std::unique_ptr<LocalContext> ctx(new LocalContext(std::move(hostName)));
  for (auto& agent : makePlatformAgents(options)) {
    if (auto added = ctx->owned.addAgent(std::move(agent)); !added) return added.failure();
  }
  ctx->owned.setContextLabels(std::move(contextLabels));
  return ctx;
}

}  // namespace sextant
