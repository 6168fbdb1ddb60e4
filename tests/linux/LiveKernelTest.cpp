// The kernel groups on this live machine, compared with the kernel's own view.
#include <unistd.h>

#include <QtTest>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/Catalog.h"
#include "core/Collector.h"
#include "core/Platform.h"

using namespace sextant;

namespace {

std::string procText(const char* path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The number after "Key:" in /proc/meminfo, or -1.
long long meminfoValue(const std::string& key) {
  std::istringstream in(procText("/proc/meminfo"));
  std::string name;
  long long value = 0;
  std::string unit;
  while (in >> name >> value) {
    std::getline(in, unit);
    if (name == key + ":") return value;
  }
  return -1;
}

}  // namespace

class LiveKernelTest : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void ncpu();
  void physmem();
  void pswitchMoves();
  void uptime();

 private:
  const ValueSet& fetchOne(const char* name);
  Collector collector_;
  FetchResult last_;
};

void LiveKernelTest::initTestCase() {
  for (auto& agent : makePlatformAgents(PlatformOptions{})) QVERIFY(collector_.addAgent(std::move(agent)).ok());
}

const ValueSet& LiveKernelTest::fetchOne(const char* name) {
  auto pmid = collector_.lookup(name);
  Pmid ids[] = {pmid.ok() ? *pmid : Pmid()};
  last_ = collector_.fetch(ids);
  return last_.sets.at(0);
}

void LiveKernelTest::ncpu() {
  const ValueSet& set = fetchOne("hinv.ncpu");
  QVERIFY(set.ok());
  QCOMPARE(set.values.size(), std::size_t(1));
  QCOMPARE(std::get<std::uint32_t>(set.values[0].value), std::uint32_t(::sysconf(_SC_NPROCESSORS_ONLN)));
}

void LiveKernelTest::physmem() {
  const ValueSet& set = fetchOne("mem.physmem");
  QVERIFY(set.ok());
  QCOMPARE(set.values.size(), std::size_t(1));
  long long total = meminfoValue("MemTotal");
  QVERIFY(total > 0);
  QCOMPARE(std::get<std::uint64_t>(set.values[0].value), std::uint64_t(total));
}

void LiveKernelTest::pswitchMoves() {
  const ValueSet& first = fetchOne("kernel.all.pswitch");
  QVERIFY(first.ok());
  std::uint64_t before = std::get<std::uint64_t>(first.values.at(0).value);
  // Sleeping and waking is itself a context switch; burn a little CPU as well.
  volatile std::uint64_t sink = 0;
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 200000; ++i) sink = sink + std::uint64_t(i) * 7u;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const ValueSet& second = fetchOne("kernel.all.pswitch");
  QVERIFY(second.ok());
  std::uint64_t after = std::get<std::uint64_t>(second.values.at(0).value);
  QVERIFY2(after > before, qPrintable(QString("%1 -> %2").arg(before).arg(after)));
}

void LiveKernelTest::uptime() {
  const ValueSet& set = fetchOne("kernel.all.uptime");
  QVERIFY(set.ok());
  double ours = std::get<double>(set.values.at(0).value);
  double kernel = 0;
  std::istringstream(procText("/proc/uptime")) >> kernel;
  QVERIFY(kernel > 0);
  QVERIFY2(std::abs(kernel - ours) < 1.0, qPrintable(QString("%1 vs %2").arg(ours).arg(kernel)));
}

QTEST_GUILESS_MAIN(LiveKernelTest)
#include "LiveKernelTest.moc"
