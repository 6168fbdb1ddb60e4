#include "tools/HostIdentity.h"

#include <unistd.h>

#include <fstream>

namespace sextant {
namespace {

std::string trimmed(std::string s) {
  auto end = s.find_last_not_of(" \t\r\n");
  s.erase(end == std::string::npos ? 0 : end + 1);
  auto begin = s.find_first_not_of(" \t\r\n");
  return begin == std::string::npos ? std::string() : s.substr(begin);
}

}  // namespace

HostIdentity localHostIdentity(const std::string& root) {
  HostIdentity id;
  char buf[256] = {};
  // gethostname(2) may leave the name unterminated when truncated; the last byte stays 0.
  if (::gethostname(buf, sizeof buf - 1) == 0) id.hostName = buf;
  if (id.hostName.empty()) id.hostName = "localhost";
  id.labels.setString("hostname", id.hostName);

  // getdomainname(2) answers "(none)" when no NIS domain is set; pmcd then says
  // "localdomain", and so do we so that labels match between the two.
  std::string domain;
  char dbuf[256] = {};
  if (::getdomainname(dbuf, sizeof dbuf - 1) == 0) domain = dbuf;
  if (domain.empty() || domain == "(none)") domain = "localdomain";
  id.labels.setString("domainname", domain);

  // machine-id(5): 32 hex digits and a newline; absent on some minimal systems.
  std::string base = root.empty() || root.back() == '/' ? root : root + '/';
  std::ifstream in(base + "etc/machine-id");
  std::string machineId;
  if (in && std::getline(in, machineId)) {
    machineId = trimmed(machineId);
    if (!machineId.empty()) id.labels.setString("machineid", machineId);
  }

  id.labels.setJson("userid", std::to_string(::getuid()));
  id.labels.setJson("groupid", std::to_string(::getgid()));
  return id;
}

}  // namespace sextant
