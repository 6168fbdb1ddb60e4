#pragma once
// The per-process files of proc(5): /proc/<pid>/stat, status, statm and cmdline.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sextant::linuxbe {

// /proc/<pid>/stat. Times are in clock ticks (USER_HZ), as the kernel writes them.
struct PidStat {
  std::int32_t pid = 0;
  std::string comm;  // without the parentheses; may hold blanks and ')'
  char state = '?';  // "R", "S", "D", "Z", "T", "t", "X", "I"
  std::int64_t ppid = 0, pgrp = 0, session = 0, ttyNr = 0;
  std::uint64_t minFlt = 0, majFlt = 0;
  std::uint64_t utime = 0, stime = 0;
  std::int64_t cutime = 0, cstime = 0;
  std::int64_t priority = 0, nice = 0, numThreads = 0;
  std::uint64_t startTime = 0;  // ticks after boot
  std::uint64_t vsizeBytes = 0;
  std::int64_t rssPages = 0;
  std::optional<std::int64_t> processor;  // since Linux 2.2.8
};

// Pure: nothing when the text is not a stat line (no "(comm)", too few fields, or a
// field that is not a number).
std::optional<PidStat> parsePidStat(std::string_view text);

// /proc/<pid>/status: the lines proc.* uses. Kernel threads have no Vm* lines.
struct PidStatus {
  std::optional<std::uint32_t> uid, euid, gid, egid;
  // kB, as the kernel writes them
  std::optional<std::uint64_t> vmPeak, vmSize, vmLck, vmHwm, vmRss, vmData, vmStk, vmExe, vmLib, vmSwap;
  std::optional<std::uint64_t> threads, voluntaryCtxt, nonvoluntaryCtxt;
};

// Pure: unknown or malformed lines are ignored (their fields stay empty).
PidStatus parsePidStatus(std::string_view text);

// /proc/<pid>/statm: sizes in pages.
struct PidStatm {
  std::uint64_t size = 0, resident = 0, shared = 0, text = 0, lib = 0, data = 0;
};
std::optional<PidStatm> parsePidStatm(std::string_view text);

// /proc/<pid>/cmdline: arguments separated (and usually ended) by NUL bytes. Empty
// for kernel threads and zombies.
std::vector<std::string> parseCmdline(std::string_view text);

// What ps(1) and PCP show as the arguments: joined by blanks, or "(comm)" when
// there are none.
std::string psArgs(const std::vector<std::string>& args, std::string_view comm);
// PCP's instance name: the pid in six digits, a blank, the first word of psArgs.
std::string processInstanceName(std::int32_t pid, const std::vector<std::string>& args, std::string_view comm);

// The controlling terminal of a stat tty_nr (major in bits 8-15, minor in bits 0-7
// and 20-31): "pts/3", "tty1", "ttyS0", or "?" for none or an unknown device.
std::string ttyName(std::int64_t ttyNr);

}  // namespace sextant::linuxbe
