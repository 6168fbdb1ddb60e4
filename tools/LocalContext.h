#pragma once
// A Context over agents loaded in this process (PCP's PM_CONTEXT_LOCAL): no daemon, the
// platform's agents answer directly. It owns its Collector.
#include <memory>
#include <string>

#include "core/Collector.h"
#include "core/CollectorContext.h"
#include "core/Platform.h"

namespace sextant {

// The Collector is a base so that it is built before the CollectorContext that uses it.
struct OwnedCollector {
  Collector owned;
};

class LocalContext final : private OwnedCollector, public CollectorContext {
 public:
  // Builds the platform's agents. `contextLabels` are the host's labels (hostname,
  // domainname, machineid, ...), gathered by the caller so that this class makes no
  // system calls of its own; `hostName` is what hostName() reports.
  static Expected<std::unique_ptr<LocalContext>> open(const PlatformOptions& options, LabelSet contextLabels,
                                                      std::string hostName);

  const Collector& collector() const { return owned; }

 private:
  explicit LocalContext(std::string hostName) : CollectorContext(owned, nullptr, std::move(hostName)) {}
};

}  // namespace sextant
