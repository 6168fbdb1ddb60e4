// kernel.all.* and kernel.percpu.*: scheduler, load and CPU time.
#include "core/catalog/Row.h"

namespace sextant::catalog {

using namespace detail;

namespace {

// One CPU time state, served both summed over all CPUs and per CPU. The times are
// the columns of the cpu lines of /proc/stat (proc(5)), converted from clock ticks
// to milliseconds.
struct CpuState {
  const char* leaf;  // name below kernel.all.cpu / kernel.percpu.cpu
  unsigned allItem;
  unsigned perCpuItem;
  const char* what;    // for the one-line help
  const char* detail;  // the long help's middle sentence
};

constexpr CpuState kCpuStates[] = {
    {"user", 20, 0, "time in user mode",
     "The user column of the /proc/stat cpu lines, which on Linux includes time spent running guests."},
    {"nice", 21, 1, "time in user mode at lowered priority",
     "The nice column of the /proc/stat cpu lines: user time of processes with a positive nice value."},
    {"sys", 22, 2, "time in kernel mode",
     "The system column of the /proc/stat cpu lines: time running kernel code on behalf of processes."},
    {"idle", 23, 3, "idle time",
     "The idle column of the /proc/stat cpu lines: time with nothing to run and no I/O waited on."},
    {"intr", 34, 31, "time servicing interrupts",
     "The sum of the irq and softirq columns of the /proc/stat cpu lines."},
    {"steal", 55, 58, "time stolen by the hypervisor",
     "The steal column of the /proc/stat cpu lines: time a virtual CPU wanted to run but the host ran "
     "something else. Zero on bare metal."},
    {"guest", 60, 61, "time running guest virtual CPUs",
     "The guest column of the /proc/stat cpu lines: time this kernel spent running a virtual machine's "
     "CPUs. Linux also counts it in user time."},
    {"vuser", 78, 76, "user time excluding guest time",
     "The user column of the /proc/stat cpu lines minus the guest column, so host work and guest "
     "work can be told apart."},
    {"guest_nice", 81, 83, "time running niced guest virtual CPUs",
     "The guest_nice column of the /proc/stat cpu lines; Linux also counts it in nice time."},
    {"vnice", 82, 84, "nice time excluding niced guest time",
     "The nice column of the /proc/stat cpu lines minus the guest_nice column."},
    {"wait.total", 35, 30, "time idle while waiting for I/O",
     "The iowait column of the /proc/stat cpu lines: idle time during which some disk I/O was "
     "outstanding. Only a hint, since a waiting task may later run on another CPU."},
    {"irq.soft", 53, 56, "time servicing soft interrupts",
     "The softirq column of the /proc/stat cpu lines: deferred interrupt work such as network receive."},
    {"irq.hard", 54, 57, "time servicing hardware interrupts", "The irq column of the /proc/stat cpu lines."},
};

std::vector<MetricInfo> buildKernelRows() {
  std::vector<MetricInfo> rows = {
      row("kernel.all.load", kernelPmid(2, 0), ValueType::Float, kLoadAvgInDom, Semantics::Instant, kNone,
          "1, 5 and 15 minute load averages",
          "The first three fields of /proc/loadavg: exponentially damped averages of the number of "
          "tasks running, ready to run or in uninterruptible sleep. Compare with hinv.ncpu."),
      row("kernel.all.intr", kernelPmid(0, 12), ValueType::U64, kNoInDom, Semantics::Counter, kCount,
          "interrupts serviced",
          sinceBoot("The first number of the intr line of /proc/stat: every interrupt on every CPU.")),
      row("kernel.all.pswitch", kernelPmid(0, 13), ValueType::U64, kNoInDom, Semantics::Counter, kCount,
          "context switches",
          sinceBoot("The ctxt line of /proc/stat: how often a CPU switched from one task to another.")),
      row("kernel.all.sysfork", kernelPmid(0, 14), ValueType::U64, kNoInDom, Semantics::Counter, kCount,
          "processes and threads created",
          sinceBoot("The processes line of /proc/stat: every fork, vfork and clone, threads included.")),
      row("kernel.all.running", kernelPmid(0, 15), ValueType::U64, kNoInDom, Semantics::Instant, kNone,
          "tasks currently runnable",
          "The procs_running line of /proc/stat: tasks running or waiting for a CPU right now, "
          "sampled at the moment of the fetch."),
      row("kernel.all.blocked", kernelPmid(0, 16), ValueType::U64, kNoInDom, Semantics::Instant, kNone,
          "tasks blocked waiting for I/O",
          "The procs_blocked line of /proc/stat: tasks in uninterruptible sleep, usually waiting for "
          "disk or network file system I/O."),
      row("kernel.all.boottime", kernelPmid(0, 17), ValueType::I64, kNoInDom, Semantics::Discrete, kSec,
          "boot time in seconds since the epoch",
          "The btime line of /proc/stat: when the system started, as seconds since 1970-01-01 UTC."),
      row("kernel.all.hz", kernelPmid(0, 48), ValueType::U32, kNoInDom, Semantics::Discrete, kCountPerSec,
          "kernel clock ticks per second",
          "The USER_HZ rate in which /proc reports times, from sysconf(_SC_CLK_TCK); almost always 100. "
          "Sextant already converts tick counts to milliseconds."),
      row("kernel.all.uptime", kernelPmid(26, 0), ValueType::Double, kNoInDom, Semantics::Instant, kSec,
          "seconds since boot",
          "The first field of /proc/uptime: wall-clock time since the system started, including "
          "time suspended on most kernels."),
      row("kernel.all.idletime", kernelPmid(26, 1), ValueType::Double, kNoInDom, Semantics::Instant, kSec,
          "idle time of all CPUs in seconds",
          "The second field of /proc/uptime: idle time summed over every CPU, so it can exceed "
          "kernel.all.uptime on a machine with more than one CPU."),
      row("kernel.all.nusers", kernelPmid(25, 0), ValueType::U32, kNoInDom, Semantics::Instant, kNone,
          "number of user sessions logged in",
          "The number of USER_PROCESS entries in the utmp database, as who(1) counts them."),
      row("kernel.all.lastpid", kernelPmid(2, 1), ValueType::U32, kNoInDom, Semantics::Instant, kNone,
          "most recently assigned process ID",
          "The last field of /proc/loadavg: the PID given to the newest process or thread."),
      row("kernel.all.runnable", kernelPmid(2, 2), ValueType::U32, kNoInDom, Semantics::Instant, kNone,
          "runnable scheduling entities",
          "The number before the slash in the fourth field of /proc/loadavg: threads currently "
          "running or ready to run."),
      row("kernel.all.nprocs", kernelPmid(2, 3), ValueType::U32, kNoInDom, Semantics::Instant, kNone,
          "scheduling entities that exist",
          "The number after the slash in the fourth field of /proc/loadavg: every process and thread "
          "on the system."),
      row("kernel.all.pid_max", kernelPmid(72, 2), ValueType::U32, kNoInDom, Semantics::Discrete, kNone,
          "largest process ID before wrapping",
          "/proc/sys/kernel/pid_max: PIDs are handed out in increasing order up to this value, then "
          "start again from the bottom."),
  };
  for (const CpuState& s : kCpuStates) {
    std::string leaf = s.leaf;
    rows.push_back(row("kernel.all.cpu." + leaf, kernelPmid(0, s.allItem), ValueType::U64, kNoInDom,
                       Semantics::Counter, kMillisec, std::string("total CPU ") + s.what + ", all CPUs",
                       sinceBoot(std::string(s.detail) + " Summed over every CPU, in milliseconds.")));
  }
  for (const CpuState& s : kCpuStates) {
    std::string leaf = s.leaf;
    rows.push_back(row("kernel.percpu.cpu." + leaf, kernelPmid(0, s.perCpuItem), ValueType::U64, kCpuInDom,
                       Semantics::Counter, kMillisec, std::string("CPU ") + s.what + ", per CPU",
                       sinceBoot(std::string(s.detail) + " One value per CPU, in milliseconds.")));
  }
  return rows;
}

}  // namespace

const std::vector<MetricInfo>& kernelMetrics() {
  static const std::vector<MetricInfo> rows = buildKernelRows();
  return rows;
}

}  // namespace sextant::catalog
