#include "backends/linux/Utmp.h"

#include <utmpx.h>

#include <cstring>

namespace sextant::linuxbe {

Expected<std::uint32_t> countUtmpUsers(std::string_view bytes) {
  constexpr std::size_t kRecord = sizeof(struct utmpx);
  if (!bytes.empty() && bytes.size() < kRecord) return Failure{Error::Value, "utmp: shorter than one record"};
  std::uint32_t users = 0;
  for (std::size_t off = 0; off + kRecord <= bytes.size(); off += kRecord) {
    struct utmpx rec;
    std::memcpy(&rec, bytes.data() + off, kRecord);  // the bytes need not be aligned
    if (rec.ut_type == USER_PROCESS) ++users;
  }
  return users;
}

}  // namespace sextant::linuxbe
