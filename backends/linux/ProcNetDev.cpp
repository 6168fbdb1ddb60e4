#include "backends/linux/ProcNetDev.h"

#include <array>

#include "backends/linux/TextFields.h"

namespace sextant::linuxbe {

namespace {

constexpr std::size_t kCounters = 16;

std::optional<NetDevStats> parseLine(std::string_view line) {
  // The name ends at the last ':' (counters never contain one); a long name or a
  // large first counter may leave no blank after it ("eth0:123456").
  std::size_t colon = line.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::string_view name = trim(line.substr(0, colon));
  if (name.empty()) return std::nullopt;
  auto f = splitFields(line.substr(colon + 1));
  if (f.size() != kCounters) return std::nullopt;
  std::array<std::uint64_t, kCounters> n{};
  for (std::size_t i = 0; i < kCounters; ++i) {
    auto v = parseU64(f[i]);
    if (!v) return std::nullopt;
    n[i] = *v;
  }
  NetDevStats s;
  s.name = std::string(name);
  s.rxBytes = n[0];
  s.rxPackets = n[1];
  s.rxErrors = n[2];
  s.rxDrops = n[3];
  s.rxFifo = n[4];
  s.rxFrame = n[5];
  s.rxCompressed = n[6];
  s.rxMulticast = n[7];
  s.txBytes = n[8];
  s.txPackets = n[9];
  s.txErrors = n[10];
  s.txDrops = n[11];
  s.txFifo = n[12];
  s.txCollisions = n[13];
  s.txCarrier = n[14];
  s.txCompressed = n[15];
  return s;
}

}  // namespace

NetDevSnapshot parseNetDev(std::string_view text) {
  NetDevSnapshot snap;
  for (std::string_view line : splitLines(text)) {
    if (trim(line).empty()) continue;
    // The two header lines are the only ones with '|' column separators.
    if (line.find('|') != std::string_view::npos) continue;
    if (auto s = parseLine(line))
      snap.interfaces.push_back(std::move(*s));
    else
      ++snap.badLines;
  }
  return snap;
}

std::optional<std::uint64_t> parseSpeedMbits(std::string_view text) {
  auto v = parseI64(trim(text));
  if (!v || *v < 0) return std::nullopt;  // -1 is SPEED_UNKNOWN (ethtool.h)
  return static_cast<std::uint64_t>(*v);
}

std::optional<std::uint32_t> parseDuplex(std::string_view text) {
  text = trim(text);
  if (text == "half") return 1;
  if (text == "full") return 2;
  return std::nullopt;
}

std::optional<std::uint32_t> parseNetFlags(std::string_view text) {
  text = trim(text);
  if (text.substr(0, 2) != "0x" && text.substr(0, 2) != "0X") return std::nullopt;
  return parseNumber<std::uint32_t>(text.substr(2), 16);
}

}  // namespace sextant::linuxbe
