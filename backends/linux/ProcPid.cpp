#include "backends/linux/ProcPid.h"

#include "backends/linux/TextFields.h"

namespace sextant::linuxbe {

std::optional<PidStat> parsePidStat(std::string_view text) {
  // "pid (comm) state ppid ...": comm is whatever the process named itself, so it
  // may contain ") (" itself; only the last ')' ends it.
  std::size_t open = text.find('(');
  std::size_t close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return std::nullopt;
  auto pid = parseNumber<std::int32_t>(trim(text.substr(0, open)));
  if (!pid) return std::nullopt;
  auto f = splitFields(text.substr(close + 1));
  // f[0] is field 3 of proc(5) (state); rss, field 24, is f[21].
  constexpr std::size_t kNeeded = 22;
  if (f.size() < kNeeded || f[0].size() != 1) return std::nullopt;
  auto field = [&](std::size_t procField) { return f[procField - 3]; };
  auto u = [&](std::size_t procField) { return parseU64(field(procField)); };
  auto s = [&](std::size_t procField) { return parseI64(field(procField)); };

  PidStat st;
  st.pid = *pid;
  st.comm = std::string(text.substr(open + 1, close - open - 1));
  st.state = f[0][0];
  auto ppid = s(4), pgrp = s(5), session = s(6), tty = s(7);
  auto minflt = u(10), majflt = u(12), utime = u(14), stime = u(15);
  auto cutime = s(16), cstime = s(17), prio = s(18), nice = s(19), threads = s(20);
  auto start = u(22), vsize = u(23);
  auto rss = s(24);
  if (!ppid || !pgrp || !session || !tty || !minflt || !majflt || !utime || !stime || !cutime || !cstime || !prio ||
      !nice || !threads || !start || !vsize || !rss)
    return std::nullopt;
  st.ppid = *ppid;
  st.pgrp = *pgrp;
  st.session = *session;
  st.ttyNr = *tty;
  st.minFlt = *minflt;
  st.majFlt = *majflt;
  st.utime = *utime;
  st.stime = *stime;
  st.cutime = *cutime;
  st.cstime = *cstime;
  st.priority = *prio;
  st.nice = *nice;
  st.numThreads = *threads;
  st.startTime = *start;
  st.vsizeBytes = *vsize;
  st.rssPages = *rss;
  constexpr std::size_t kProcessorField = 39;
  if (f.size() >= kProcessorField - 2) st.processor = s(kProcessorField);
  return st;
}

PidStatus parsePidStatus(std::string_view text) {
  PidStatus st;
  for (std::string_view line : splitLines(text)) {
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view key = line.substr(0, colon);
    auto f = splitFields(line.substr(colon + 1));
    if (f.empty()) continue;
    if (key == "Uid" || key == "Gid") {
      // real, effective, saved, file-system
      if (f.size() < 2) continue;
      auto real = parseNumber<std::uint32_t>(f[0]);
      auto eff = parseNumber<std::uint32_t>(f[1]);
      if (!real || !eff) continue;
      (key == "Uid" ? st.uid : st.gid) = real;
      (key == "Uid" ? st.euid : st.egid) = eff;
      continue;
    }
    std::optional<std::uint64_t>* slot = nullptr;
    if (key == "VmPeak") slot = &st.vmPeak;
    else if (key == "VmSize") slot = &st.vmSize;
    else if (key == "VmLck") slot = &st.vmLck;
    else if (key == "VmHWM") slot = &st.vmHwm;
    else if (key == "VmRSS") slot = &st.vmRss;
    else if (key == "VmData") slot = &st.vmData;
    else if (key == "VmStk") slot = &st.vmStk;
    else if (key == "VmExe") slot = &st.vmExe;
    else if (key == "VmLib") slot = &st.vmLib;
    else if (key == "VmSwap") slot = &st.vmSwap;
    else if (key == "Threads") slot = &st.threads;
    else if (key == "voluntary_ctxt_switches") slot = &st.voluntaryCtxt;
    else if (key == "nonvoluntary_ctxt_switches") slot = &st.nonvoluntaryCtxt;
    if (slot) *slot = parseU64(f[0]);
  }
  return st;
}

std::optional<PidStatm> parsePidStatm(std::string_view text) {
  auto f = splitFields(text);
  if (f.size() < 6) return std::nullopt;
  std::uint64_t n[6];
  for (std::size_t i = 0; i < 6; ++i) {
    auto v = parseU64(f[i]);
    if (!v) return std::nullopt;
    n[i] = *v;
  }
  return PidStatm{n[0], n[1], n[2], n[3], n[4], n[5]};
}

std::vector<std::string> parseCmdline(std::string_view text) {
  std::vector<std::string> args;
  while (!text.empty()) {
    std::size_t nul = text.find('\0');
    args.emplace_back(text.substr(0, nul));
    if (nul == std::string_view::npos) break;
    text.remove_prefix(nul + 1);
  }
  return args;
}

std::string psArgs(const std::vector<std::string>& args, std::string_view comm) {
  if (args.empty()) return "(" + std::string(comm) + ")";
  std::string out;
  for (const auto& a : args) {
    if (!out.empty()) out += ' ';
    out += a;
  }
  return out;
}

std::string processInstanceName(std::int32_t pid, const std::vector<std::string>& args, std::string_view comm) {
  std::string digits = std::to_string(pid);
  if (digits.size() < 6) digits.insert(0, 6 - digits.size(), '0');
  std::string first = args.empty() ? "(" + std::string(comm) + ")" : args.front();
  // A process that rewrote its arguments may have blanks in argv[0]; the name
  // keeps the first word, as PCP's does.
  if (!args.empty()) first = first.substr(0, first.find(' '));
  return digits + " " + first;
}

std::string ttyName(std::int64_t ttyNr) {
  if (ttyNr <= 0) return "?";
  auto nr = static_cast<std::uint64_t>(ttyNr);
  std::uint64_t major = (nr >> 8) & 0xFF;
  std::uint64_t minor = (nr & 0xFF) | ((nr >> 12) & 0xFFF00);
  // Documentation/admin-guide/devices.txt: 136-143 Unix98 PTY slaves, 4 virtual
  // consoles (minor < 64) and serial ports (minor 64 and up).
  if (major >= 136 && major <= 143) return "pts/" + std::to_string((major - 136) * 256 + minor);
  if (major == 4 && minor < 64) return "tty" + std::to_string(minor);
  if (major == 4) return "ttyS" + std::to_string(minor - 64);
  return "?";
}

}  // namespace sextant::linuxbe
