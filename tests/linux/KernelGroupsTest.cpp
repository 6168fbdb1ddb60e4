// The kernel, memory, swap and hardware groups end to end: the platform's agents built
// over recorded fixture trees, values fetched through the Collector.
#include <QtTest>

#include "KernelFixture.h"
#include "core/Catalog.h"
#include "core/Collector.h"
#include "core/Platform.h"
#include "core/TableAgent.h"

using namespace sextant;

namespace {

std::unique_ptr<Collector> collectorFor(const std::string& fixture) {
  PlatformOptions opt;
  opt.root = testing::kernelFixturePath(fixture);
  opt.clockTicks = 100;
  opt.pageSize = 4096;
  auto collector = std::make_unique<Collector>();
  for (auto& agent : makePlatformAgents(opt)) {
    if (!collector->addAgent(std::move(agent))) return nullptr;
  }
  return collector;
}

}  // namespace

class KernelGroupsTest : public QObject {
  Q_OBJECT
 private slots:
  void values_data();
  void values();
  void everyKernelMetricBound();
  void instanceDomains();
};

void KernelGroupsTest::values_data() {
  QTest::addColumn<QString>("fixture");
  QTest::addColumn<QString>("metric");
  QTest::addColumn<QString>("instance");  // empty for a singular metric
  QTest::addColumn<int>("status");        // 0, or the Error code expected
  QTest::addColumn<QString>("value");     // as formatValue prints it

  const int ok = 0, noValue = int(Error::Value);
  auto row = [&](const char* fx, const char* metric, const char* inst, int status, const char* value) {
    QTest::addRow("%s %s %s", fx, metric, inst) << fx << metric << inst << status << value;
  };
  // server-64cpu, 100 ticks a second: CPU milliseconds are ticks * 10.
  row("server-64cpu", "kernel.all.cpu.user", "", ok, "64745920");  // includes guest, as the kernel counts it
  row("server-64cpu", "kernel.all.cpu.vuser", "", ok, "64005120");  // (6474592 - 74080) * 10
  row("server-64cpu", "kernel.all.cpu.nice", "", ok, "148160");
  row("server-64cpu", "kernel.all.cpu.vnice", "", ok, "121600");   // (14816 - 2656) * 10
  row("server-64cpu", "kernel.all.cpu.intr", "", ok, "892480");    // (27616 + 61632) * 10
  row("server-64cpu", "kernel.all.cpu.irq.hard", "", ok, "276160");
  row("server-64cpu", "kernel.all.cpu.wait.total", "", ok, "1020480");
  row("server-64cpu", "kernel.all.cpu.guest_nice", "", ok, "26560");
  row("server-64cpu", "kernel.percpu.cpu.idle", "cpu63", ok, "50063630");
  row("server-64cpu", "kernel.percpu.cpu.user", "cpu0", ok, "1000000");
  row("server-64cpu", "kernel.percpu.cpu.vuser", "cpu1", ok, "990320");  // (100037 - 1005) * 10
  row("server-64cpu", "kernel.all.intr", "", ok, "9876543210");
  row("server-64cpu", "kernel.all.pswitch", "", ok, "123456789012");
  row("server-64cpu", "kernel.all.sysfork", "", ok, "4567890");
  row("server-64cpu", "kernel.all.running", "", ok, "18");
  row("server-64cpu", "kernel.all.blocked", "", ok, "2");
  row("server-64cpu", "kernel.all.boottime", "", ok, "1700000000");
  row("server-64cpu", "hinv.ncpu", "", ok, "64");
  row("server-64cpu", "mem.physmem", "", ok, "527988956");
  row("server-64cpu", "mem.util.free", "", ok, "301234560");
  row("server-64cpu", "mem.util.used", "", ok, "226754396");
  row("server-64cpu", "mem.util.other", "", ok, "126754404");  // used - Cached - Buffers
  row("server-64cpu", "mem.util.hugepagesTotal", "", ok, "16384");
  row("server-64cpu", "mem.util.available", "", ok, "402345678");
  row("server-64cpu", "mem.util.shared", "", noValue, "");
  row("server-64cpu", "mem.util.highTotal", "", noValue, "");
  row("server-64cpu", "hinv.physmem", "", ok, "515614");
  row("server-64cpu", "hinv.hugepagesize", "", ok, "2097152");
  row("server-64cpu", "swap.length", "", ok, "10737410048");
  row("server-64cpu", "swap.used", "", ok, "536883200");
  row("server-64cpu", "swap.free", "", ok, "10200526848");
  row("server-64cpu", "swap.pagesin", "", ok, "1103514");
  row("server-64cpu", "swap.in", "", int(Error::AppVersion), "");
  row("server-64cpu", "mem.vmstat.pgsteal_kswapd", "", ok, "2123483");
  row("server-64cpu", "mem.vmstat.allocstall", "", noValue, "");
  row("server-64cpu", "swapdev.free", "/var/swapfile", ok, "2097136");
  row("server-64cpu", "swapdev.length", "/dev/sda3", ok, "8388604");
  row("server-64cpu", "swapdev.maxswap", "/dev/sda3", ok, "8388604");
  row("server-64cpu", "swapdev.priority", "/var/swapfile", ok, "-3");
  row("server-64cpu", "swapdev.vlength", "", noValue, "");
  row("server-64cpu", "kernel.all.load", "5 minute", ok, "10.83");
  row("server-64cpu", "kernel.all.load", "15 minute", ok, "9.6099997");  // float, as pminfo shows it
  row("server-64cpu", "kernel.all.nprocs", "", ok, "2143");
  row("server-64cpu", "kernel.all.runnable", "", ok, "18");
  row("server-64cpu", "kernel.all.lastpid", "", ok, "987654");
  row("server-64cpu", "kernel.all.uptime", "", ok, "1234567.89");
  row("server-64cpu", "kernel.all.idletime", "", ok, "78012345.67");
  row("server-64cpu", "hinv.cpu.model_name", "cpu17", ok, "\"Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz\"");
  row("server-64cpu", "hinv.cpu.clock", "cpu8", ok, "1000.008");
  row("server-64cpu", "hinv.cpu.cache", "cpu8", ok, "49152");
  row("server-64cpu", "hinv.machine", "", ok, "\"x86_64\"");
  row("server-64cpu", "hinv.nnode", "", ok, "2");
  row("server-64cpu", "hinv.pagesize", "", ok, "4096");
  row("server-64cpu", "kernel.all.hz", "", ok, "100");
  row("server-64cpu", "kernel.all.pid_max", "", ok, "4194304");
  row("server-64cpu", "kernel.all.nusers", "", ok, "0");  // no utmp file: no login recorded, as PCP
  // arm-8cpu: arm64 cpuinfo, a 4.4 kernel, no swap, no NUMA directory.
  row("arm-8cpu", "hinv.ncpu", "", ok, "8");
  row("arm-8cpu", "hinv.cpu.vendor", "cpu7", ok, "\"0x41\"");
  row("arm-8cpu", "hinv.cpu.model", "cpu7", ok, "\"0xd08\"");
  row("arm-8cpu", "hinv.cpu.bogomips", "cpu3", ok, "48");
  row("arm-8cpu", "hinv.cpu.model_name", "", noValue, "");
  row("arm-8cpu", "hinv.cpu.clock", "", noValue, "");
  row("arm-8cpu", "hinv.machine", "", noValue, "");  // no /proc/sys/kernel/arch recorded
  row("arm-8cpu", "hinv.nnode", "", ok, "1");
  row("arm-8cpu", "mem.vmstat.allocstall", "", ok, "1593");
  row("arm-8cpu", "mem.vmstat.oom_kill", "", noValue, "");
  row("arm-8cpu", "mem.vmstat.numa_hit", "", noValue, "");
  row("arm-8cpu", "swap.length", "", ok, "0");
  row("arm-8cpu", "kernel.all.cpu.guest", "", ok, "0");
  row("arm-8cpu", "kernel.percpu.cpu.sys", "cpu7", ok, "98400");
  // vm-2cpu: this machine, recorded.
  row("vm-2cpu", "hinv.ncpu", "", ok, "2");
  row("vm-2cpu", "mem.physmem", "", ok, "24684092");
  row("vm-2cpu", "mem.util.cached", "", ok, "385676");
  row("vm-2cpu", "kernel.all.cpu.steal", "", ok, "420");
  row("vm-2cpu", "kernel.percpu.cpu.wait.total", "cpu1", ok, "5580");
  row("vm-2cpu", "hinv.cpu.model_name", "cpu0", ok, "\"AMD EPYC\"");
  row("vm-2cpu", "hinv.nnode", "", ok, "1");
}

void KernelGroupsTest::values() {
  QFETCH(QString, fixture);
  QFETCH(QString, metric);
  QFETCH(QString, instance);
  QFETCH(int, status);
  QFETCH(QString, value);
  auto collector = collectorFor(fixture.toStdString());
  QVERIFY(collector);
  auto pmid = collector->lookup(metric.toStdString());
  QVERIFY2(pmid.ok(), qPrintable(metric));
  auto desc = collector->descriptor(*pmid);
  QVERIFY(desc.ok());
  Pmid ids[] = {*pmid};
  FetchResult result = collector->fetch(ids);
  QCOMPARE(result.sets.size(), std::size_t(1));
  const ValueSet& set = result.sets[0];
  QCOMPARE(set.status < 0 ? set.status : 0, status);
  if (status != 0) {
    QVERIFY(set.values.empty());
    return;
  }
  std::int32_t inst = kNullInstance;
  if (!instance.isEmpty()) {
    auto insts = collector->instances(desc->indom);
    QVERIFY(insts.ok());
    bool found = false;
    for (const auto& i : *insts)
      if (i.name == instance.toStdString()) {
        inst = i.id;
        found = true;
      }
    QVERIFY2(found, qPrintable(instance));
  }
  const InstanceValue* hit = nullptr;
  for (const auto& v : set.values)
    if (v.inst == inst) hit = &v;
  QVERIFY(hit);
  QCOMPARE(valueTypeOf(hit->value), desc->type);  // the catalog's type, exactly
  QCOMPARE(QString::fromStdString(formatValue(hit->value)), value);
}

void KernelGroupsTest::everyKernelMetricBound() {
  // Every catalog row of these subtrees is served by one of the kernel groups (the
  // three inventory counts belong to the disk, network and filesys groups).
  auto collector = collectorFor("server-64cpu");
  QVERIFY(collector);
  auto* agent = dynamic_cast<TableAgent*>(collector->agent(catalog::kKernelDomain));
  QVERIFY(agent);
  QVERIFY(agent->bindingErrors().empty());
  int checked = 0;
  for (const auto* rows : {&catalog::kernelMetrics(), &catalog::memMetrics(), &catalog::swapMetrics(),
                           &catalog::hinvMetrics()}) {
    for (const MetricInfo& m : *rows) {
      auto pmid = collector->lookup(m.name);
      QVERIFY2(pmid.ok(), m.name.c_str());
      ++checked;
    }
  }
  QVERIFY(checked > 150);
}

void KernelGroupsTest::instanceDomains() {
  auto collector = collectorFor("server-64cpu");
  QVERIFY(collector);
  auto cpus = collector->instances(catalog::kCpuInDom);
  QVERIFY(cpus.ok());
  QCOMPARE(cpus->size(), std::size_t(64));
  QCOMPARE(cpus->at(63), (Instance{63, "cpu63"}));
  auto loads = collector->instances(catalog::kLoadAvgInDom);
  QVERIFY(loads.ok());
  QCOMPARE(*loads, (std::vector<Instance>{{1, "1 minute"}, {5, "5 minute"}, {15, "15 minute"}}));
  auto swaps = collector->instances(catalog::kSwapDevInDom);
  QVERIFY(swaps.ok());
  QCOMPARE(*swaps, (std::vector<Instance>{{0, "/dev/sda3"}, {1, "/var/swapfile"}}));
  auto none = collectorFor("arm-8cpu");
  QVERIFY(none);
  auto noSwaps = none->instances(catalog::kSwapDevInDom);
  QVERIFY(noSwaps.ok());
  QVERIFY(noSwaps->empty());
}

QTEST_GUILESS_MAIN(KernelGroupsTest)
#include "KernelGroupsTest.moc"
