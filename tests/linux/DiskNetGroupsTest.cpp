// The disk, network, file-system and process groups end to end on fixture trees:
// agents from makePlatformAgents, values through Collector::fetch, exact numbers.
#include <QtTest>

#include <map>

#include "core/Collector.h"
#include "core/Platform.h"
#include "core/TableAgent.h"

using namespace sextant;

namespace {

std::unique_ptr<Collector> collectorFor(const char* fixtureCase) {
  auto c = std::make_unique<Collector>();
  PlatformOptions opt;
  opt.root = std::string(SEXTANT_FIXTURES) + "/linux/" + fixtureCase;
  opt.clockTicks = 100;
  opt.pageSize = 4096;
  for (auto& a : makePlatformAgents(opt)) {
    if (!c->addAgent(std::move(a))) return nullptr;
  }
  return c;
}

// Instance name -> formatted value (as pminfo prints it) of one metric, or the
// error code under the key "!".
std::map<std::string, std::string> values(const Collector& c, const char* metric) {
  std::map<std::string, std::string> out;
  auto pmid = c.lookup(metric);
  if (!pmid) return {{"!", "unknown metric"}};
  Pmid ids[] = {*pmid};
  FetchResult r = c.fetch(ids);
  const ValueSet& set = r.sets.at(0);
  if (!set.ok()) return {{"!", std::to_string(set.status)}};
  std::map<std::int32_t, std::string> names;
  auto desc = c.descriptor(*pmid);
  if (desc && !desc->indom.isNull()) {
    auto insts = c.instances(desc->indom);
    if (insts)
      for (const auto& i : *insts) names[i.id] = i.name;
  }
  for (const auto& v : set.values) {
    std::string key = v.inst == kNullInstance ? "" : (names.count(v.inst) ? names[v.inst] : "#" + std::to_string(v.inst));
    out[key] = formatValue(v.value);
  }
  return out;
}

using Expect = std::map<std::string, std::string>;

}  // namespace

class DiskNetGroupsTest : public QObject {
  Q_OBJECT
 private slots:
  void fetch_data() {
    QTest::addColumn<QString>("fixtureCase");
    QTest::addColumn<QString>("metric");
    QTest::addColumn<QStringList>("expect");  // "instance=value", "=value" for a singular metric
    auto row = [](const char* c, const char* m, QStringList e) { QTest::addRow("%s %s", c, m) << c << m << e; };
    // server-64cpu: nvme0n1, nvme1n1, sda and sdb are disks; md0, dm-*, loop* are not.
    row("server-64cpu", "hinv.ndisk", {"=4"});
    row("server-64cpu", "disk.dev.read", {"nvme0n1=1000", "nvme1n1=3000", "sda=500", "sdb=50"});
    row("server-64cpu", "disk.all.read", {"=4550"});
    row("server-64cpu", "disk.all.write", {"=6660"});
    row("server-64cpu", "disk.all.blkread", {"=324400"});
    row("server-64cpu", "disk.all.read_bytes", {"=162200"});
    row("server-64cpu", "disk.all.total_bytes", {"=404840"});
    row("server-64cpu", "disk.all.aveq", {"=4805"});
    row("server-64cpu", "disk.all.flush", {"=130"});
    row("server-64cpu", "disk.dev.total_rawactive", {"nvme0n1=1200", "nvme1n1=2900", "sda=550", "sdb=55"});
    row("server-64cpu", "disk.dev.scheduler", {"nvme0n1=\"none\"", "nvme1n1=\"none\"", "sda=\"mq-deadline\"", "sdb=\"bfq\""});
    row("server-64cpu", "disk.dev.capacity", {"nvme0n1=937692504", "nvme1n1=1875374424", "sda=3907018584", "sdb=3907018584"});
    row("server-64cpu", "disk.partitions.read", {"nvme0n1p1=100", "nvme0n1p2=880", "sda1=490"});
    row("server-64cpu", "disk.partitions.write_bytes", {"nvme0n1p1=800", "nvme0n1p2=79000", "sda1=2350"});
    row("server-64cpu", "disk.partitions.capacity", {"nvme0n1p1=524288", "nvme0n1p2=937167360", "sda1=3907017728"});
    row("server-64cpu", "disk.dm.read", {"vg0-root=950", "vg0-swap=20"});
    row("server-64cpu", "disk.dm.discard", {"vg0-root=30", "vg0-swap=0"});
    row("server-64cpu", "disk.dm.capacity", {"vg0-root=104857600", "vg0-swap=8388608"});
    // arm-8cpu: 14-field lines have no discard or flush counters: no values, not zeros.
    row("arm-8cpu", "hinv.ndisk", {"=1"});
    row("arm-8cpu", "disk.dev.read", {"mmcblk0=24000"});
    row("arm-8cpu", "disk.dev.discard", {});
    row("arm-8cpu", "disk.all.discard", {"!=-12351"});
    row("arm-8cpu", "disk.dev.scheduler", {"mmcblk0=\"cfq\""});
    row("arm-8cpu", "disk.partitions.blkread", {"mmcblk0p1=9000", "mmcblk0p2=1490000"});
    row("vm-2cpu", "disk.dev.read", {"vda=63375"});
    row("vm-2cpu", "hinv.ndisk", {"=1"});

    row("server-64cpu", "hinv.ninterface", {"=7"});
    row("server-64cpu", "network.interface.in.bytes",
        {"lo=123456789", "eth0=9876543210", "eth1=8765432109", "bond0=18641975319", "eth0.100=555555555", "docker0=0",
         "veth1a2b3c4=1048576"});
    row("server-64cpu", "network.interface.total.bytes",
        {"lo=246913578", "eth0=11111111100", "eth1=9888888898", "bond0=20999999998", "eth0.100=888888888",
         "docker0=4242", "veth1a2b3c4=3145728"});
    row("server-64cpu", "network.interface.collisions",
        {"lo=0", "eth0=0", "eth1=0", "bond0=0", "eth0.100=0", "docker0=0", "veth1a2b3c4=7"});
    // docker0 reports speed -1 (unknown) and lo has no speed: both left out.
    row("server-64cpu", "network.interface.baudrate",
        {"eth0=1250000000", "eth1=1250000000", "bond0=2500000000", "eth0.100=1250000000", "veth1a2b3c4=1250000000"});
    row("server-64cpu", "network.interface.speed",
        {"eth0=1192.0929", "eth1=1192.0929", "bond0=2384.1858", "eth0.100=1192.0929", "veth1a2b3c4=1192.0929"});
    row("server-64cpu", "network.interface.duplex",
        {"eth0=2", "eth1=2", "bond0=2", "eth0.100=2", "veth1a2b3c4=2"});
    row("server-64cpu", "network.interface.mtu",
        {"lo=65536", "eth0=9000", "eth1=9000", "bond0=9000", "eth0.100=1500", "docker0=1500", "veth1a2b3c4=1500"});
    row("server-64cpu", "network.interface.up",
        {"lo=1", "eth0=1", "eth1=1", "bond0=1", "eth0.100=1", "docker0=1", "veth1a2b3c4=1"});
    row("server-64cpu", "network.interface.running",
        {"lo=1", "eth0=1", "eth1=1", "bond0=1", "eth0.100=1", "docker0=0", "veth1a2b3c4=1"});
    row("server-64cpu", "network.interface.hw_addr",
        {"lo=\"00:00:00:00:00:00\"", "eth0=\"3c:ec:ef:10:20:30\"", "eth1=\"3c:ec:ef:10:20:30\"",
         "bond0=\"3c:ec:ef:10:20:30\"", "eth0.100=\"3c:ec:ef:10:20:30\"", "docker0=\"02:42:8f:1c:2d:3e\"",
         "veth1a2b3c4=\"9a:5e:01:02:03:04\""});
    row("arm-8cpu", "network.interface.duplex", {"eth0=1"});
    row("arm-8cpu", "network.interface.running", {"lo=1", "eth0=0", "wlan0=1"});
    row("arm-8cpu", "network.interface.in.mcasts", {"lo=0", "eth0=0", "wlan0=3456"});
    row("vm-2cpu", "network.interface.in.bytes", {"lo=3767", "ifb0=0", "ifb1=0", "eth0=70160507"});
    row("vm-2cpu", "network.interface.speed", {});

    // File systems: block-device mounts only, one per device; statvfs is not asked
    // of a fixture tree, so space figures have no value.
    row("server-64cpu", "hinv.nfilesys", {"=3"});
    row("server-64cpu", "filesys.mountdir",
        {"/dev/mapper/vg0-root=\"/\"", "/dev/nvme0n1p1=\"/boot/efi\"", "/dev/md0=\"/srv\""});
    row("server-64cpu", "filesys.type", {"/dev/mapper/vg0-root=\"ext4\"", "/dev/nvme0n1p1=\"vfat\"", "/dev/md0=\"xfs\""});
    row("server-64cpu", "filesys.capacity", {"!=-12351"});
    row("server-64cpu", "filesys.full", {"!=-12351"});
    row("arm-8cpu", "filesys.mountdir",
        {"/dev/root=\"/\"", "/dev/mmcblk0p1=\"/boot\"", "/dev/sda1=\"/media/pi/My Passport\""});
    row("arm-8cpu", "filesys.readonly", {"/dev/root=0", "/dev/mmcblk0p1=1", "/dev/sda1=0"});
    row("vm-2cpu", "filesys.mountdir", {"/dev/vda=\"/\""});

    // Processes.
    row("server-64cpu", "proc.nprocs", {"=3"});
    row("server-64cpu", "proc.psinfo.cmd",
        {"000001 /sbin/init=\"systemd\"", "004321 /opt/app/bin/worker=\"my) (worker\"",
         "000088 (kworker/3:1H-kblockd)=\"kworker/3:1H-kblockd\""});
    row("server-64cpu", "proc.psinfo.psargs",
        {"000001 /sbin/init=\"/sbin/init splash\"", "004321 /opt/app/bin/worker=\"/opt/app/bin/worker --threads 12 --name my worker\"",
         "000088 (kworker/3:1H-kblockd)=\"(kworker/3:1H-kblockd)\""});
    row("server-64cpu", "proc.psinfo.utime",
        {"000001 /sbin/init=45670", "004321 /opt/app/bin/worker=2500", "000088 (kworker/3:1H-kblockd)=0"});
    row("server-64cpu", "proc.psinfo.start_time",
        {"000001 /sbin/init=40", "004321 /opt/app/bin/worker=5000000", "000088 (kworker/3:1H-kblockd)=3000"});
    row("server-64cpu", "proc.psinfo.rss",
        {"000001 /sbin/init=13120", "004321 /opt/app/bin/worker=500000", "000088 (kworker/3:1H-kblockd)=0"});
    row("server-64cpu", "proc.psinfo.vsize",
        {"000001 /sbin/init=169804", "004321 /opt/app/bin/worker=2400000", "000088 (kworker/3:1H-kblockd)=0"});
    row("server-64cpu", "proc.psinfo.nice",
        {"000001 /sbin/init=0", "004321 /opt/app/bin/worker=5", "000088 (kworker/3:1H-kblockd)=-20"});
    row("server-64cpu", "proc.psinfo.sname",
        {"000001 /sbin/init=\"S\"", "004321 /opt/app/bin/worker=\"R\"", "000088 (kworker/3:1H-kblockd)=\"I\""});
    row("server-64cpu", "proc.psinfo.ttyname",
        {"000001 /sbin/init=\"?\"", "004321 /opt/app/bin/worker=\"pts/0\"", "000088 (kworker/3:1H-kblockd)=\"?\""});
    row("server-64cpu", "proc.memory.vmrss", {"000001 /sbin/init=13120", "004321 /opt/app/bin/worker=500000"});
    row("server-64cpu", "proc.memory.size",
        {"000001 /sbin/init=169812", "004321 /opt/app/bin/worker=2400000", "000088 (kworker/3:1H-kblockd)=0"});
    row("server-64cpu", "proc.id.euid",
        {"000001 /sbin/init=0", "004321 /opt/app/bin/worker=1001", "000088 (kworker/3:1H-kblockd)=0"});
    row("server-64cpu", "proc.id.uid_nm",
        {"000001 /sbin/init=\"root\"", "004321 /opt/app/bin/worker=\"4000000\"", "000088 (kworker/3:1H-kblockd)=\"root\""});
    row("arm-8cpu", "proc.psinfo.psargs", {"000512 python3=\"python3 /home/pi/sensor logger.py\""});
    row("vm-2cpu", "proc.psinfo.cmd",
        {"000002 (kthreadd)=\"kthreadd\"", "004498 /usr/lib/pcp/bin/pmcd=\"pmcd\"",
         "004503 /var/lib/pcp/pmdas/linux/pmdalinux=\"pmdalinux\""});
  }
  void fetch() {
    QFETCH(QString, fixtureCase);
    QFETCH(QString, metric);
    QFETCH(QStringList, expect);
    auto c = collectorFor(fixtureCase.toStdString().c_str());
    QVERIFY(c);
    Expect want;
    for (const auto& e : expect) {
      qsizetype eq = e.indexOf('=');
      want[e.left(eq).toStdString()] = e.mid(eq + 1).toStdString();
    }
    Expect got = values(*c, metric.toStdString().c_str());
    if (got != want) {
      for (const auto& [k, v] : got) qWarning("got %s=%s", k.c_str(), v.c_str());
    }
    QVERIFY(got == want);
  }

  void everyBindingHasACatalogRow() {
    PlatformOptions opt;
    opt.root = std::string(SEXTANT_FIXTURES) + "/linux/server-64cpu";
    for (auto& a : makePlatformAgents(opt)) {
      auto* t = dynamic_cast<TableAgent*>(a.get());
      QVERIFY(t);
      for (const auto& name : t->bindingErrors()) qWarning("no catalog row: %s", name.c_str());
      QVERIFY(t->bindingErrors().empty());
    }
  }

  void instanceIdsStayStable() {
    // Two fetches of the same tree give each name the same id.
    auto c = collectorFor("server-64cpu");
    QVERIFY(c);
    auto first = c->instances(InDom::make(60, 10));
    auto second = c->instances(InDom::make(60, 10));
    QVERIFY(first && second);
    QCOMPARE(first->size(), std::size_t(3));
    QVERIFY(*first == *second);
  }
};

QTEST_GUILESS_MAIN(DiskNetGroupsTest)
#include "DiskNetGroupsTest.moc"
