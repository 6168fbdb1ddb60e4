#include "backends/linux/IdNames.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>

#include <vector>

namespace sextant::linuxbe {

namespace {

bool changed(const char* path, std::timespec& seen) {
  struct stat st {};
  std::timespec now{};
  if (::stat(path, &st) == 0) now = st.st_mtim;
  bool differs = now.tv_sec != seen.tv_sec || now.tv_nsec != seen.tv_nsec;
  seen = now;
  return differs;
}

}  // namespace

void IdNames::revalidate() {
  if (changed("/etc/passwd", passwdTime_)) users_.clear();
  if (changed("/etc/group", groupTime_)) groups_.clear();
}

const std::string& IdNames::user(std::uint32_t uid) {
  auto it = users_.find(uid);
  if (it != users_.end()) return it->second;
  struct passwd pw {};
  struct passwd* found = nullptr;
  std::vector<char> buf(16384);
  std::string name = (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) == 0 && found)
                         ? std::string(pw.pw_name)
                         : std::to_string(uid);
  return users_.emplace(uid, std::move(name)).first->second;
}

const std::string& IdNames::group(std::uint32_t gid) {
  auto it = groups_.find(gid);
  if (it != groups_.end()) return it->second;
  struct group gr {};
  struct group* found = nullptr;
  std::vector<char> buf(16384);
  std::string name = (::getgrgid_r(gid, &gr, buf.data(), buf.size(), &found) == 0 && found)
                         ? std::string(gr.gr_name)
                         : std::to_string(gid);
  return groups_.emplace(gid, std::move(name)).first->second;
}

}  // namespace sextant::linuxbe
