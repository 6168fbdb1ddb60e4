#include "backends/linux/ProcMounts.h"

#include "backends/linux/TextFields.h"

namespace sextant::linuxbe {

namespace {

bool isOctal(char c) { return c >= '0' && c <= '7'; }

bool hasOption(std::string_view options, std::string_view want) {
  while (!options.empty()) {
    std::size_t comma = options.find(',');
    if (options.substr(0, comma) == want) return true;
    if (comma == std::string_view::npos) break;
    options.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

std::string decodeMountEscapes(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && isOctal(s[i + 1]) && isOctal(s[i + 2]) && isOctal(s[i + 3])) {
      int v = (s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0');
      if (v <= 0xFF) {
        out += static_cast<char>(v);
        i += 3;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

MountsSnapshot parseMounts(std::string_view text) {
  MountsSnapshot snap;
  for (std::string_view line : splitLines(text)) {
    if (trim(line).empty()) continue;
    auto f = splitFields(line);
    if (f.size() < 4) {
      ++snap.badLines;
      continue;
    }
    MountEntry m;
    m.device = decodeMountEscapes(f[0]);
    m.mountDir = decodeMountEscapes(f[1]);
    m.type = std::string(f[2]);
    m.options = std::string(f[3]);
    m.readOnly = hasOption(f[3], "ro");
    snap.mounts.push_back(std::move(m));
  }
  return snap;
}

bool isBlockDeviceMount(const MountEntry& m) { return m.device.rfind("/dev/", 0) == 0; }

}  // namespace sextant::linuxbe
