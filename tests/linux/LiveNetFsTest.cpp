// The disk, network, file-system and process groups on this machine, compared with
// what the kernel shows directly (sysfs, statvfs, /proc).
#include <sys/statvfs.h>
#include <unistd.h>

#include <QtTest>

#include <filesystem>
#include <set>

#include "backends/linux/LinuxContext.h"
#include "backends/linux/ProcMounts.h"
#include "core/Collector.h"
#include "core/Platform.h"

using namespace sextant;

namespace {

std::unique_ptr<Collector> liveCollector() {
  auto c = std::make_unique<Collector>();
  for (auto& a : makePlatformAgents(PlatformOptions{})) {
    if (!c->addAgent(std::move(a))) return nullptr;
  }
  return c;
}

ValueSet fetchOne(const Collector& c, const char* metric) {
  auto pmid = c.lookup(metric);
  if (!pmid) return ValueSet{Pmid(), static_cast<int>(Error::Name), {}};
  Pmid ids[] = {*pmid};
  return c.fetch(ids).sets.at(0);
}

std::set<std::string> dirEntries(const char* dir) {
  std::set<std::string> out;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    out.insert(it->path().filename().string());
  return out;
}

}  // namespace

class LiveNetFsTest : public QObject {
  Q_OBJECT
 private slots:
  void interfacesMatchSysfs() {
    auto c = liveCollector();
    QVERIFY(c);
    auto insts = c->instances(InDom::make(60, 3));
    QVERIFY(insts);
    std::set<std::string> names;
    for (const auto& i : *insts) names.insert(i.name);
    std::set<std::string> sysfs = dirEntries("/sys/class/net");
    sysfs.erase("bonding_masters");  // a control file of the bonding driver, not an interface
    QVERIFY(!sysfs.empty());
    QVERIFY(names == sysfs);
    ValueSet n = fetchOne(*c, "hinv.ninterface");
    QVERIFY(n.ok());
    QCOMPARE(*toDouble(n.values.at(0).value), double(sysfs.size()));
  }

  void diskCountMatchesSysBlock() {
    std::size_t disks = 0;
    for (const auto& name : dirEntries("/sys/block")) {
      bool skip = false;
      for (const char* p : {"loop", "ram", "zram", "dm-", "md"})
        if (name.rfind(p, 0) == 0) skip = true;
      if (!skip) ++disks;
    }
    auto c = liveCollector();
    QVERIFY(c);
    ValueSet n = fetchOne(*c, "hinv.ndisk");
    QVERIFY(n.ok());
    QCOMPARE(*toDouble(n.values.at(0).value), double(disks));
  }

  void rootCapacityMatchesStatvfs() {
    auto mounts = linuxbe::readFile("/proc/mounts");
    QVERIFY(mounts);
    std::string rootDevice;
    for (const auto& m : linuxbe::parseMounts(*mounts).mounts)
      if (m.mountDir == "/" && linuxbe::isBlockDeviceMount(m)) rootDevice = m.device;
    QVERIFY2(!rootDevice.empty(), "/ is not mounted from a block device here");
    struct statvfs v {};
    QCOMPARE(::statvfs("/", &v), 0);
    auto c = liveCollector();
    QVERIFY(c);
    ValueSet cap = fetchOne(*c, "filesys.capacity");
    QVERIFY(cap.ok());
    auto insts = c->instances(InDom::make(60, 5));
    QVERIFY(insts);
    std::int32_t id = kNullInstance;
    for (const auto& i : *insts)
      if (i.name == rootDevice) id = i.id;
    QVERIFY(id != kNullInstance);
    bool found = false;
    for (const auto& iv : cap.values) {
      if (iv.inst != id) continue;
      found = true;
      std::uint64_t expect = std::uint64_t(v.f_blocks) * (v.f_frsize ? v.f_frsize : v.f_bsize) / 1024;
      QCOMPARE(std::get<std::uint64_t>(iv.value), expect);
    }
    QVERIFY(found);
  }

  void processCountNearProc() {
    std::size_t pids = 0;
    for (const auto& name : dirEntries("/proc"))
      if (!name.empty() && name.find_first_not_of("0123456789") == std::string::npos) ++pids;
    auto c = liveCollector();
    QVERIFY(c);
    ValueSet n = fetchOne(*c, "proc.nprocs");
    QVERIFY(n.ok());
    double got = *toDouble(n.values.at(0).value);
    QVERIFY2(got >= 0.8 * double(pids) && got <= 1.2 * double(pids), qPrintable(QString("%1 vs %2").arg(got).arg(pids)));
  }

  void ownProcessIsAnInstance() {
    auto c = liveCollector();
    QVERIFY(c);
    std::int32_t self = ::getpid();
    ValueSet pid = fetchOne(*c, "proc.psinfo.pid");
    QVERIFY(pid.ok());
    bool found = false;
    for (const auto& iv : pid.values)
      if (iv.inst == self) found = (std::get<std::uint32_t>(iv.value) == std::uint32_t(self));
    QVERIFY(found);
    auto comm = linuxbe::readFile("/proc/self/comm");
    QVERIFY(comm && !comm->empty());
    std::string expect = comm->substr(0, comm->find('\n'));
    ValueSet cmd = fetchOne(*c, "proc.psinfo.cmd");
    QVERIFY(cmd.ok());
    std::string got;
    for (const auto& iv : cmd.values)
      if (iv.inst == self) got = std::get<std::string>(iv.value);
    QCOMPARE(got, expect);
    auto insts = c->instances(InDom::make(3, 9));
    QVERIFY(insts);
    std::string name;
    for (const auto& i : *insts)
      if (i.id == self) name = i.name;
    QCOMPARE(name.substr(0, 7), QString("%1 ").arg(self, 6, 10, QChar('0')).toStdString());
  }
};

QTEST_GUILESS_MAIN(LiveNetFsTest)
#include "LiveNetFsTest.moc"
