#pragma once
// User and group names for ids, as proc.id.*_nm shows them. Each lookup through the
// system's user database can read /etc/passwd or ask a name service, so answers are
// cached and the cache is dropped only when /etc/passwd or /etc/group changes.
#include <sys/types.h>

#include <cstdint>
#include <ctime>
#include <string>
#include <unordered_map>

namespace sextant::linuxbe {

class IdNames {
 public:
  // Drops the cache if the user or group database changed since the last call.
  void revalidate();
  const std::string& user(std::uint32_t uid);   // the name, or the number as ps(1) shows an unknown id
  const std::string& group(std::uint32_t gid);

 private:
  std::unordered_map<std::uint32_t, std::string> users_, groups_;
  std::timespec passwdTime_{}, groupTime_{};
};

}  // namespace sextant::linuxbe
