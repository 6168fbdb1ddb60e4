// proc.*: per-process metrics (PCP's proc agent, domain 3). One instance per process;
// the sources are the files of /proc/<pid>/ (proc(5)).
//
// proc.psinfo.age is deliberately not a row: PCP defines it on the client side as
// kernel.all.uptime - proc.psinfo.start_time (a derived metric, PMID domain 511), so
// PCP clients compute it themselves and no agent may serve domain 511.
#include "core/catalog/Row.h"

namespace sextant::catalog {

using namespace detail;

namespace {

constexpr InDom kP = kProcessInDom;
constexpr Semantics kNow = Semantics::Instant;
constexpr Semantics kFixed = Semantics::Discrete;

// /proc/<pid>/stat fields are numbered from 1 as in proc(5).
std::vector<MetricInfo> buildPsinfoRows() {
  const std::string sinceStart = "the process started";
  return {
      row("proc.nprocs", procPmid(8, 99), ValueType::U32, kNoInDom, kNow, kNone, "number of processes",
          "How many processes exist, counted as the numeric directories of /proc. Threads are not counted."),
      row("proc.psinfo.pid", procPmid(8, 0), ValueType::U32, kP, kFixed, kNone, "process ID",
          "Field 1 of /proc/<pid>/stat; also the instance number."),
      row("proc.psinfo.cmd", procPmid(8, 1), ValueType::String, kP, kFixed, kNone, "command name",
          "Field 2 of /proc/<pid>/stat without its parentheses: the executable name, cut to 15 characters."),
      row("proc.psinfo.sname", procPmid(8, 2), ValueType::String, kP, kNow, kNone, "process state letter",
          "Field 3 of /proc/<pid>/stat: R running, S sleeping, D waiting for I/O, Z zombie, T stopped, "
          "I idle kernel thread."),
      row("proc.psinfo.ppid", procPmid(8, 3), ValueType::U32, kP, kFixed, kNone, "parent process ID",
          "Field 4 of /proc/<pid>/stat. Becomes 1 (or a subreaper) if the parent exits first."),
      row("proc.psinfo.pgrp", procPmid(8, 4), ValueType::U32, kP, kFixed, kNone, "process group ID",
          "Field 5 of /proc/<pid>/stat: the job-control group the process belongs to."),
      row("proc.psinfo.session", procPmid(8, 5), ValueType::U32, kP, kFixed, kNone, "session ID",
          "Field 6 of /proc/<pid>/stat: the PID of the session leader, usually a login shell."),
      row("proc.psinfo.minflt", procPmid(8, 9), ValueType::U32, kP, Semantics::Counter, kCount,
          "minor page faults",
          cumulativeSince("Field 10 of /proc/<pid>/stat: faults resolved without disk I/O.", sinceStart)),
      row("proc.psinfo.maj_flt", procPmid(8, 11), ValueType::U32, kP, Semantics::Counter, kCount,
          "major page faults",
          cumulativeSince("Field 12 of /proc/<pid>/stat: faults that had to read a page from disk.", sinceStart)),
      row("proc.psinfo.utime", procPmid(8, 13), ValueType::U64, kP, Semantics::Counter, kMillisec,
          "CPU time in user mode",
          cumulativeSince("Field 14 of /proc/<pid>/stat, clock ticks converted to milliseconds.", sinceStart)),
      row("proc.psinfo.stime", procPmid(8, 14), ValueType::U64, kP, Semantics::Counter, kMillisec,
          "CPU time in kernel mode",
          cumulativeSince("Field 15 of /proc/<pid>/stat, clock ticks converted to milliseconds.", sinceStart)),
      row("proc.psinfo.cutime", procPmid(8, 15), ValueType::U64, kP, Semantics::Counter, kMillisec,
          "user time of waited-for children",
          "Field 16 of /proc/<pid>/stat in milliseconds: user CPU time of children the process has "
          "reaped with wait(2). Jumps when a child is reaped."),
      row("proc.psinfo.cstime", procPmid(8, 16), ValueType::U64, kP, Semantics::Counter, kMillisec,
          "kernel time of waited-for children",
          "Field 17 of /proc/<pid>/stat in milliseconds: kernel CPU time of children the process has "
          "reaped with wait(2)."),
      row("proc.psinfo.priority", procPmid(8, 17), ValueType::I32, kP, kNow, kNone, "scheduling priority",
          "Field 18 of /proc/<pid>/stat: 20 plus the nice value for normal tasks, negative for real-time ones."),
      row("proc.psinfo.nice", procPmid(8, 18), ValueType::I32, kP, kNow, kNone, "nice value",
          "Field 19 of /proc/<pid>/stat: from -20 (favoured) to 19 (background)."),
      row("proc.psinfo.start_time", procPmid(8, 21), ValueType::U64, kP, kFixed, kMillisec,
          "start time in milliseconds after boot",
          "Field 22 of /proc/<pid>/stat, clock ticks converted to milliseconds. Subtract from "
          "kernel.all.uptime to get the process's age."),
      row("proc.psinfo.vsize", procPmid(8, 22), ValueType::U64, kP, kNow, kKByte, "virtual memory size",
          "Field 23 of /proc/<pid>/stat converted from bytes to Kbytes: all mapped address space, "
          "whether or not it is in RAM."),
      row("proc.psinfo.rss", procPmid(8, 23), ValueType::U64, kP, kNow, kKByte, "resident set size",
          "Field 24 of /proc/<pid>/stat converted from pages to Kbytes: memory of the process now in RAM."),
      row("proc.psinfo.processor", procPmid(8, 38), ValueType::U32, kP, kNow, kNone, "CPU last run on",
          "Field 39 of /proc/<pid>/stat: the number of the CPU that last ran the process."),
      row("proc.psinfo.ttyname", procPmid(8, 39), ValueType::String, kP, kFixed, kNone, "controlling terminal",
          "The terminal named by field 7 of /proc/<pid>/stat, such as \"pts/0\", or \"?\" when there is none."),
      row("proc.psinfo.wchan_s", procPmid(8, 40), ValueType::String, kP, kNow, kNone,
          "kernel function the process sleeps in",
          "/proc/<pid>/wchan: the wait channel of a sleeping process, empty or \"0\" when it is running. "
          "Some kernels hide it unless the reader is privileged."),
      row("proc.psinfo.psargs", procPmid(8, 41), ValueType::String, kP, kFixed, kNone, "full command line",
          "/proc/<pid>/cmdline with its NUL separators turned into spaces. Kernel threads have none; "
          "then the command name is shown instead."),
      row("proc.psinfo.threads", procPmid(24, 28), ValueType::U32, kP, kNow, kNone, "number of threads",
          "The Threads line of /proc/<pid>/status."),
      row("proc.psinfo.vctxsw", procPmid(24, 29), ValueType::U32, kP, kNow, kNone, "voluntary context switches",
          "The voluntary_ctxt_switches line of /proc/<pid>/status: times the process gave up the CPU "
          "to wait, counted since it started."),
      row("proc.psinfo.nvctxsw", procPmid(24, 30), ValueType::U32, kP, kNow, kNone,
          "involuntary context switches",
          "The nonvoluntary_ctxt_switches line of /proc/<pid>/status: times the scheduler took the CPU "
          "away, counted since the process started. Many suggest CPU contention."),
      row("proc.psinfo.exe", procPmid(69, 0), ValueType::String, kP, kFixed, kNone, "path of the executable",
          "The target of the /proc/<pid>/exe link. Reading another user's process needs privilege."),
      row("proc.psinfo.cwd", procPmid(72, 0), ValueType::String, kP, kFixed, kNone, "current working directory",
          "The target of the /proc/<pid>/cwd link. Reading another user's process needs privilege."),
  };
}

// /proc/<pid>/status lines (kB) and /proc/<pid>/statm columns (pages), in Kbytes.
struct MemRow {
  const char* leaf;
  unsigned cluster;
  unsigned item;
  const char* oneLine;
  const char* longHelp;
};

constexpr MemRow kMemory[] = {
    {"vmsize", 24, 20, "virtual memory size", "The VmSize line of /proc/<pid>/status."},
    {"vmlock", 24, 21, "locked memory", "The VmLck line of /proc/<pid>/status: memory pinned with mlock."},
    {"vmrss", 24, 22, "resident memory", "The VmRSS line of /proc/<pid>/status."},
    {"vmdata", 24, 23, "data segment size", "The VmData line of /proc/<pid>/status: heap and private data."},
    {"vmstack", 24, 24, "stack size", "The VmStk line of /proc/<pid>/status: the main thread's stack."},
    {"vmexe", 24, 25, "executable text size", "The VmExe line of /proc/<pid>/status."},
    {"vmlib", 24, 26, "shared library text size", "The VmLib line of /proc/<pid>/status."},
    {"vmswap", 24, 27, "memory swapped out", "The VmSwap line of /proc/<pid>/status."},
    {"vmpeak", 24, 33, "peak virtual memory size", "The VmPeak line of /proc/<pid>/status."},
    {"vmhwm", 24, 35, "peak resident memory", "The VmHWM line of /proc/<pid>/status: the largest VmRSS so far."},
    {"size", 9, 0, "total program size", "Column 1 (size) of /proc/<pid>/statm, pages converted to Kbytes."},
    {"rss", 9, 1, "resident memory", "Column 2 (resident) of /proc/<pid>/statm, pages converted to Kbytes."},
    {"share", 9, 2, "resident shared memory",
     "Column 3 (shared) of /proc/<pid>/statm, pages converted to Kbytes: resident pages backed by files."},
    {"textrss", 9, 3, "program text size",
     "Column 4 (text) of /proc/<pid>/statm, pages converted to Kbytes."},
    {"librss", 9, 4, "library size (always 0)",
     "Column 5 (lib) of /proc/<pid>/statm; the kernel reports 0 here since 2.6."},
    {"datrss", 9, 5, "data and stack size",
     "Column 6 (data) of /proc/<pid>/statm, pages converted to Kbytes."},
};

// Real and effective user and group IDs, from the Uid and Gid lines of /proc/<pid>/status.
struct IdRow {
  const char* leaf;
  unsigned item;
  bool name;  // the name from the user or group database instead of the number
  const char* oneLine;
  const char* longHelp;
};

constexpr IdRow kIds[] = {
    {"uid", 0, false, "real user ID", "The first number of the Uid line of /proc/<pid>/status."},
    {"euid", 1, false, "effective user ID",
     "The second number of the Uid line of /proc/<pid>/status: the ID used for permission checks."},
    {"gid", 4, false, "real group ID", "The first number of the Gid line of /proc/<pid>/status."},
    {"egid", 5, false, "effective group ID", "The second number of the Gid line of /proc/<pid>/status."},
    {"uid_nm", 8, true, "real user name", "proc.id.uid looked up in the user database (getpwuid)."},
    {"euid_nm", 9, true, "effective user name", "proc.id.euid looked up in the user database (getpwuid)."},
    {"gid_nm", 12, true, "real group name", "proc.id.gid looked up in the group database (getgrgid)."},
    {"egid_nm", 13, true, "effective group name", "proc.id.egid looked up in the group database (getgrgid)."},
};

std::vector<MetricInfo> buildProcessRows() {
  std::vector<MetricInfo> rows = buildPsinfoRows();
  for (const MemRow& m : kMemory) {
    rows.push_back(row(std::string("proc.memory.") + m.leaf, procPmid(m.cluster, m.item), ValueType::U32, kP, kNow,
                       kKByte, m.oneLine, std::string(m.longHelp) + " In Kbytes, per process."));
  }
  for (const IdRow& i : kIds) {
    rows.push_back(row(std::string("proc.id.") + i.leaf, procPmid(24, i.item),
                       i.name ? ValueType::String : ValueType::U32, kP, kFixed, kNone, i.oneLine, i.longHelp));
  }
  return rows;
}

}  // namespace

const std::vector<MetricInfo>& processMetrics() {
  static const std::vector<MetricInfo> rows = buildProcessRows();
  return rows;
}

}  // namespace sextant::catalog
