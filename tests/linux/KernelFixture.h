#pragma once
// Reading recorded Linux files for the kernel/memory parser tests.
#include <fstream>
#include <sstream>
#include <string>

namespace sextant::testing {

inline std::string kernelFixturePath(const std::string& rel) { return std::string(SEXTANT_FIXTURES) + "/linux/" + rel; }

// The whole recorded file, or "" if missing (tests then fail on the parse).
inline std::string kernelFixtureText(const std::string& rel) {
  std::ifstream in(kernelFixturePath(rel), std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace sextant::testing
