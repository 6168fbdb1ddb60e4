#include "core/Platform.h"

namespace sextant {

std::vector<std::unique_ptr<Agent>> makePlatformAgents(const PlatformOptions&) { return {}; }

}  // namespace sextant
