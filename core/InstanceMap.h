#pragma once
// Stable instance ids for instance domains keyed by name (disks, interfaces, file
// systems): a name keeps its id for the agent's lifetime even when it vanishes and
// comes back, as PCP's agents keep theirs, so that clients and archives can rely on it.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace sextant {

class InstanceMap {
 public:
  std::int32_t idFor(std::string_view name) {
    auto it = ids_.find(name);
    if (it != ids_.end()) return it->second;
    std::int32_t id = next_++;
    ids_.emplace(std::string(name), id);
    return id;
  }

 private:
  std::map<std::string, std::int32_t, std::less<>> ids_;
  std::int32_t next_ = 0;
};

}  // namespace sextant
