#include "backends/linux/ProcDiskstats.h"

#include "backends/linux/TextFields.h"

namespace sextant::linuxbe {

namespace {

constexpr std::size_t kBaseFields = 14;     // major minor name + 11 counters
constexpr std::size_t kDiscardFields = 18;  // since kernel 4.18
constexpr std::size_t kFlushFields = 20;    // since kernel 5.5

std::optional<DiskStats> parseLine(std::string_view line) {
  auto f = splitFields(line);
  if (f.size() != kBaseFields && f.size() != kDiscardFields && f.size() != kFlushFields) return std::nullopt;
  auto major = parseNumber<unsigned>(f[0]);
  auto minor = parseNumber<unsigned>(f[1]);
  if (!major || !minor) return std::nullopt;
  std::vector<std::uint64_t> n;
  n.reserve(f.size() - 3);
  for (std::size_t i = 3; i < f.size(); ++i) {
    auto v = parseU64(f[i]);
    if (!v) return std::nullopt;
    n.push_back(*v);
  }
  DiskStats d;
  d.major = *major;
  d.minor = *minor;
  d.name = std::string(f[2]);
  d.readIos = n[0];
  d.readMerges = n[1];
  d.readSectors = n[2];
  d.readTicks = n[3];
  d.writeIos = n[4];
  d.writeMerges = n[5];
  d.writeSectors = n[6];
  d.writeTicks = n[7];
  d.inFlight = n[8];
  d.ioTicks = n[9];
  d.timeInQueue = n[10];
  if (n.size() >= kDiscardFields - 3) {
    d.discardIos = n[11];
    d.discardMerges = n[12];
    d.discardSectors = n[13];
    d.discardTicks = n[14];
  }
  if (n.size() >= kFlushFields - 3) {
    d.flushIos = n[15];
    d.flushTicks = n[16];
  }
  return d;
}

}  // namespace

DiskstatsSnapshot parseDiskstats(std::string_view text) {
  DiskstatsSnapshot snap;
  for (std::string_view line : splitLines(text)) {
    if (trim(line).empty()) continue;
    if (auto d = parseLine(line))
      snap.devices.push_back(std::move(*d));
    else
      ++snap.badLines;
  }
  return snap;
}

std::string schedulerName(std::string_view text) {
  text = trim(text);
  std::size_t open = text.find('[');
  std::size_t close = text.find(']', open == std::string_view::npos ? 0 : open);
  if (open != std::string_view::npos && close != std::string_view::npos)
    return std::string(text.substr(open + 1, close - open - 1));
  auto f = splitFields(text);
  return f.empty() ? std::string() : std::string(f.front());
}

}  // namespace sextant::linuxbe
