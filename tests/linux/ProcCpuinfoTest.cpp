// parseProcCpuinfo on x86 and arm64 layouts, and on malformed text.
#include <QtTest>

#include "KernelFixture.h"
#include "backends/linux/ProcCpuinfo.h"

using namespace sextant;
using namespace sextant::linuxbe;

class ProcCpuinfoTest : public QObject {
  Q_OBJECT
 private slots:
  void fixtures_data();
  void fixtures();
  void malformed_data();
  void malformed();
  void oddValues();
};

void ProcCpuinfoTest::fixtures_data() {
  QTest::addColumn<QString>("fixture");
  QTest::addColumn<int>("count");
  QTest::addColumn<int>("index");  // which entry to check
  QTest::addColumn<int>("processor");
  QTest::addColumn<QString>("vendor");
  QTest::addColumn<QString>("model");
  QTest::addColumn<QString>("modelName");  // empty: the CPU does not report one
  QTest::addColumn<QString>("stepping");
  QTest::addColumn<double>("clock");  // -1: not reported
  QTest::addColumn<int>("cache");     // -1: not reported
  QTest::addColumn<double>("bogomips");
  QTest::addColumn<QString>("flagsStart");
  QTest::newRow("vm-2cpu cpu1") << "vm-2cpu" << 2 << 1 << 1 << "AuthenticAMD" << "2" << "AMD EPYC" << "1" << 2596.102
                                << 1024 << 5192.20 << "fpu vme de pse tsc";
  QTest::newRow("server cpu8") << "server-64cpu" << 64 << 8 << 8 << "GenuineIntel" << "106"
                               << "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz" << "6" << 1000.008 << 49152 << 4000.0
                               << "fpu vme de pse tsc msr";
  QTest::newRow("server cpu63") << "server-64cpu" << 64 << 63 << 63 << "GenuineIntel" << "106"
                                << "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz" << "6" << 2000.0 << 49152 << 4000.0
                                << "fpu vme";
  QTest::newRow("arm little cpu0") << "arm-8cpu" << 8 << 0 << 0 << "0x41" << "0xd03" << "" << "4" << -1.0 << -1
                                   << 48.0 << "fp asimd evtstrm aes pmull sha1 sha2 crc32";
  QTest::newRow("arm big cpu7") << "arm-8cpu" << 8 << 7 << 7 << "0x41" << "0xd08" << "" << "2" << -1.0 << -1 << 48.0
                                << "fp asimd";
}

void ProcCpuinfoTest::fixtures() {
  QFETCH(QString, fixture);
  QFETCH(int, index);
  QFETCH(QString, modelName);
  QFETCH(double, clock);
  QFETCH(int, cache);
  QFETCH(double, bogomips);
  QFETCH(QString, flagsStart);
  auto snap = parseProcCpuinfo(testing::kernelFixtureText(fixture.toStdString() + "/proc/cpuinfo"));
  QVERIFY2(snap.ok(), snap.ok() ? "" : snap.failure().message().c_str());
  QTEST(int(snap->cpus.size()), "count");
  const CpuinfoEntry& e = snap->cpus.at(std::size_t(index));
  QTEST(int(e.processor), "processor");
  QVERIFY(e.vendor && e.model && e.stepping && e.flags && e.bogomips);
  QTEST(QString::fromStdString(*e.vendor), "vendor");
  QTEST(QString::fromStdString(*e.model), "model");
  QTEST(QString::fromStdString(*e.stepping), "stepping");
  QCOMPARE(e.modelName.has_value(), !modelName.isEmpty());
  if (e.modelName) QCOMPARE(QString::fromStdString(*e.modelName), modelName);
  QCOMPARE(e.clockMhz.has_value(), clock >= 0);
  if (e.clockMhz) QCOMPARE(*e.clockMhz, float(clock));
  QCOMPARE(e.cacheKb.has_value(), cache >= 0);
  if (e.cacheKb) QCOMPARE(int(*e.cacheKb), cache);
  QCOMPARE(*e.bogomips, float(bogomips));
  QVERIFY(QString::fromStdString(*e.flags).startsWith(flagsStart));
}

void ProcCpuinfoTest::malformed_data() {
  QTest::addColumn<QByteArray>("text");
  QTest::newRow("empty") << QByteArray("");
  QTest::newRow("no processor lines") << QByteArray("vendor_id\t: GenuineIntel\nflags\t: fpu\n");
  QTest::newRow("line without colon") << QByteArray("processor\t: 0\nthis is not a field\n");
  QTest::newRow("processor not a number") << QByteArray("processor\t: zero\n");
  QTest::newRow("processor empty") << QByteArray("processor\t:\n");
  QTest::newRow("garbage") << QByteArray("\x01\x02\x03\xff", 4);
}

void ProcCpuinfoTest::malformed() {
  QFETCH(QByteArray, text);
  auto snap = parseProcCpuinfo(std::string_view(text.constData(), std::size_t(text.size())));
  QVERIFY(!snap.ok());
  QVERIFY(snap.failure().detail.find("/proc/cpuinfo") == 0);
}

void ProcCpuinfoTest::oddValues() {
  // A header before the first processor (32-bit arm, s390) is not per-CPU; a number
  // field that cannot be read is left absent; a truncated last block keeps what it has.
  auto snap = parseProcCpuinfo(
      "Processor\t: ARMv7 Processor rev 4 (v7l)\n"
      "processor\t: 0\ncpu MHz\t\t: fast\ncache size\t: 512 MB\nbogomips\t: 38.40\n\n"
      "processor\t: 1\nvendor_id\t: Acme\ncache size\t: 256\nmodel na");
  QVERIFY(!snap.ok());  // the truncated "model na" has no colon
  snap = parseProcCpuinfo(
      "Processor\t: ARMv7 Processor rev 4 (v7l)\n"
      "processor\t: 0\ncpu MHz\t\t: fast\ncache size\t: 512 MB\nbogomips\t: 38.40\n\n"
      "processor\t: 1\nvendor_id\t: Acme\ncache size\t: 256\n");
  QVERIFY(snap.ok());
  QCOMPARE(snap->cpus.size(), std::size_t(2));
  QVERIFY(!snap->cpus[0].vendor.has_value());
  QVERIFY(!snap->cpus[0].clockMhz.has_value());
  QVERIFY(!snap->cpus[0].cacheKb.has_value());
  QCOMPARE(*snap->cpus[0].bogomips, 38.40f);
  QCOMPARE(*snap->cpus[1].vendor, std::string("Acme"));
  QCOMPARE(*snap->cpus[1].cacheKb, 256u);
}

QTEST_GUILESS_MAIN(ProcCpuinfoTest)
#include "ProcCpuinfoTest.moc"
