#pragma once
// The context labels of this machine, as PCP's pmcd sets them: hostname, domainname,
// machineid, and the client's userid and groupid. System calls live here, in tools/,
// so that core stays standard-library only.
#include <string>

#include "core/Labels.h"

namespace sextant {

struct HostIdentity {
  std::string hostName;
  LabelSet labels;
};

// `root` is where etc/machine-id is read from ("/" on a live system).
HostIdentity localHostIdentity(const std::string& root = "/");

}  // namespace sextant
