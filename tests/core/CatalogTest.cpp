// The portable catalog: every row well-formed and consistent with the others, and the
// exact PCP facts (PMID, type, indom, semantics, units) of well-known metrics.
#include <QtTest>

#include <set>
#include <string>
#include <vector>

#include "core/Catalog.h"
#include "core/Pmns.h"

using namespace sextant;

namespace {

QString qs(std::string_view s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

std::vector<const MetricInfo*> allRows() {
  std::vector<const MetricInfo*> rows;
  for (const auto* part : {&catalog::kernelDomainMetrics(), &catalog::processMetrics()})
    for (const MetricInfo& m : *part) rows.push_back(&m);
  return rows;
}

bool startsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

class CatalogTest : public QObject {
  Q_OBJECT

 private slots:
  void sizes() {
    // 326 PCP metrics (proc.psinfo.age is PCP's client-side derived metric, not a row)
    // plus Sextant's own filesys.type.
    QCOMPARE(catalog::processMetrics().size(), std::size_t{51});
    QCOMPARE(catalog::kernelDomainMetrics().size(), std::size_t{276});
    std::size_t parts = 0;
    for (const auto* part : {&catalog::hinvMetrics(), &catalog::kernelMetrics(), &catalog::memMetrics(),
                             &catalog::swapMetrics(), &catalog::diskMetrics(), &catalog::networkMetrics(),
                             &catalog::filesysMetrics()})
      parts += part->size();
    QCOMPARE(catalog::kernelDomainMetrics().size(), parts);
  }

  void sameVectorEveryCall() {
    QCOMPARE(&catalog::kernelDomainMetrics(), &catalog::kernelDomainMetrics());
    QCOMPARE(&catalog::memMetrics(), &catalog::memMetrics());
    QCOMPARE(&catalog::processInDoms(), &catalog::processInDoms());
  }

  void subtreesHoldTheirOwnNames() {
    auto check = [](const std::vector<MetricInfo>& rows, std::vector<std::string_view> prefixes) {
      for (const MetricInfo& m : rows) {
        bool ok = false;
        for (auto p : prefixes) ok = ok || startsWith(m.name, p);
        QVERIFY2(ok, m.name.c_str());
      }
    };
    check(catalog::hinvMetrics(), {"hinv."});
    check(catalog::kernelMetrics(), {"kernel.all.", "kernel.percpu."});
    check(catalog::memMetrics(), {"mem."});
    check(catalog::swapMetrics(), {"swap.", "swapdev."});
    check(catalog::diskMetrics(), {"disk.dev.", "disk.all.", "disk.partitions.", "disk.dm."});
    check(catalog::networkMetrics(), {"network.interface."});
    check(catalog::filesysMetrics(), {"filesys."});
    check(catalog::processMetrics(), {"proc."});
  }

  void namesAndPmidsUnique() {
    std::set<std::string> names;
    std::set<Pmid> pmids;
    for (const MetricInfo* m : allRows()) {
      QVERIFY2(names.insert(m->name).second, m->name.c_str());
      QVERIFY2(pmids.insert(m->desc.pmid).second, m->name.c_str());
    }
  }

  void namesFitThePmns() {
    Pmns pmns;
    for (const MetricInfo* m : allRows()) {
      QVERIFY2(Pmns::validName(m->name), m->name.c_str());
      // Also catches a name that is another name's inner node ("a.b" and "a.b.c").
      QVERIFY2(pmns.add(m->name, m->desc.pmid).ok(), m->name.c_str());
    }
    QCOMPARE(pmns.size(), allRows().size());
  }

  void everyMetricHasHelp() {
    for (const MetricInfo* m : allRows()) {
      QVERIFY2(!m->oneLine.empty(), m->name.c_str());
      QVERIFY2(m->oneLine.size() <= 80, m->name.c_str());
      QVERIFY2(m->oneLine.find('\n') == std::string::npos, m->name.c_str());
      QVERIFY2(m->longHelp.size() > m->oneLine.size() / 2, m->name.c_str());
      QVERIFY2(m->longHelp.size() <= 400, m->name.c_str());
      QVERIFY2(m->longHelp.back() == '.', m->name.c_str());
    }
  }

  void domainsMatchTheAgents() {
    for (const MetricInfo& m : catalog::kernelDomainMetrics()) {
      QVERIFY2(m.desc.pmid.domain() == catalog::kKernelDomain, m.name.c_str());
      QVERIFY2(!startsWith(m.name, "proc."), m.name.c_str());
      QVERIFY2(m.desc.indom.isNull() || m.desc.indom.domain() == catalog::kKernelDomain, m.name.c_str());
    }
    for (const MetricInfo& m : catalog::processMetrics()) {
      QVERIFY2(m.desc.pmid.domain() == catalog::kProcDomain, m.name.c_str());
      QVERIFY2(m.desc.indom.isNull() || m.desc.indom.domain() == catalog::kProcDomain, m.name.c_str());
    }
  }

  void everyInDomDeclaredWithHelp() {
    auto check = [](const std::vector<MetricInfo>& rows, const std::vector<InDomInfo>& indoms) {
      std::set<InDom> declared, used;
      for (const InDomInfo& i : indoms) {
        QVERIFY2(declared.insert(i.indom).second, qPrintable(qs(i.indom.toString())));
        QVERIFY(!i.oneLine.empty());
        QVERIFY(!i.longHelp.empty());
      }
      for (const MetricInfo& m : rows) {
        if (m.desc.indom.isNull()) continue;
        QVERIFY2(declared.count(m.desc.indom) == 1, m.name.c_str());
        used.insert(m.desc.indom);
      }
      QCOMPARE(used, declared);  // no indom is declared without a metric using it
    };
    check(catalog::kernelDomainMetrics(), catalog::kernelDomainInDoms());
    check(catalog::processMetrics(), catalog::processInDoms());
    QCOMPARE(catalog::kernelDomainInDoms().size(), std::size_t{9});
  }

  void typesSemanticsAndUnitsAgree() {
    const std::set<std::string> words = {"none",     "count", "byte",        "Kbyte",      "Mbyte",     "sec",
                                         "millisec", "count / sec", "/ microsec", "byte / sec", "Mbyte / sec"};
    for (const MetricInfo* m : allRows()) {
      const Descriptor& d = m->desc;
      const char* n = m->name.c_str();
      QVERIFY2(d.type != ValueType::NoSupport && d.type != ValueType::Aggregate, n);
      if (d.type == ValueType::String) {
        QVERIFY2(d.semantics == Semantics::Discrete || d.semantics == Semantics::Instant, n);
        QVERIFY2(d.units == Units::none(), n);
      }
      if (d.semantics == Semantics::Counter) {
        // A counter is an unsigned integer with something to count, so a rate makes sense.
        QVERIFY2(d.type == ValueType::U32 || d.type == ValueType::U64, n);
        QVERIFY2(d.units != Units::none(), n);
      }
      QVERIFY2(words.count(d.units.toString()) == 1, n);
      QVERIFY2(Units::unpack(d.units.pack()) == d.units, n);
    }
  }

  void find() {
    const MetricInfo* load = catalog::find("kernel.all.load");
    QVERIFY(load != nullptr);
    QCOMPARE(qs(load->name), QStringLiteral("kernel.all.load"));
    const MetricInfo* pid = catalog::find("proc.psinfo.pid");
    QVERIFY(pid != nullptr);
    QCOMPARE(pid->desc.pmid, Pmid::make(3, 8, 0));
    QVERIFY(catalog::find("filesys.type") != nullptr);
    for (const MetricInfo* m : allRows()) QCOMPARE(catalog::find(m->name), m);  // the very row, not a copy

    QVERIFY(catalog::find("") == nullptr);
    QVERIFY(catalog::find("kernel.all") == nullptr);  // an inner node, not a metric
    QVERIFY(catalog::find("kernel.all.load.1") == nullptr);
    QVERIFY(catalog::find("kernel.all.lo") == nullptr);
    QVERIFY(catalog::find("KERNEL.ALL.LOAD") == nullptr);
    QVERIFY(catalog::find("proc.psinfo.age") == nullptr);
  }

  void spotChecks_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("pmid");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("indom");
    QTest::addColumn<QString>("semantics");
    QTest::addColumn<QString>("units");
    QTest::addColumn<quint32>("unitsWord");
    auto add = [](const char* name, const char* pmid, const char* type, const char* indom, const char* sem,
                  const char* units, quint32 word) {
      QTest::newRow(name) << name << pmid << type << indom << sem << units << word;
    };
    const char* kU32 = "32-bit unsigned int";
    const char* kU64 = "64-bit unsigned int";
    const char* kNull = "PM_INDOM_NULL";
    add("kernel.all.load", "60.2.0", "float", "60.2", "instant", "none", 0);
    add("kernel.all.cpu.user", "60.0.20", kU64, kNull, "counter", "millisec", 0x01002000);
    add("kernel.percpu.cpu.idle", "60.0.3", kU64, "60.0", "counter", "millisec", 0x01002000);
    add("kernel.all.hz", "60.0.48", kU32, kNull, "discrete", "count / sec", 0x0F103000);
    add("kernel.all.boottime", "60.0.17", "64-bit int", kNull, "discrete", "sec", 0x01003000);
    add("kernel.all.uptime", "60.26.0", "double", kNull, "instant", "sec", 0x01003000);
    add("hinv.ncpu", "60.0.32", kU32, kNull, "discrete", "none", 0);
    add("hinv.physmem", "60.1.9", kU32, kNull, "discrete", "Mbyte", 0x10020000);
    add("hinv.cpu.clock", "60.18.0", "float", "60.0", "discrete", "/ microsec", 0x0F001000);
    add("mem.util.free", "60.1.2", kU64, kNull, "instant", "Kbyte", 0x10010000);
    add("mem.util.hugepagesTotal", "60.1.44", kU64, kNull, "instant", "count", 0x00100000);
    add("mem.vmstat.nr_dirty", "60.28.0", kU64, kNull, "instant", "none", 0);
    add("mem.vmstat.pgfault", "60.28.16", kU64, kNull, "counter", "count", 0x00100000);
    add("swap.used", "60.1.7", kU64, kNull, "instant", "byte", 0x10000000);
    add("swapdev.priority", "60.6.4", "32-bit int", "60.6", "instant", "none", 0);
    add("disk.dev.read_bytes", "60.0.38", kU64, "60.1", "counter", "Kbyte", 0x10010000);
    add("disk.dev.scheduler", "60.0.59", "string", "60.1", "discrete", "none", 0);
    add("disk.all.avactive", "60.0.44", kU64, kNull, "counter", "millisec", 0x01002000);
    add("disk.partitions.aveq", "60.10.12", kU32, "60.10", "counter", "millisec", 0x01002000);
    add("disk.dm.read_bytes", "60.54.6", kU32, "60.24", "counter", "Kbyte", 0x10010000);
    add("network.interface.speed", "60.3.22", "float", "60.3", "discrete", "Mbyte / sec", 0x1F023000);
    add("network.interface.baudrate", "60.3.23", kU64, "60.3", "discrete", "byte / sec", 0x1F003000);
    add("network.interface.in.bytes", "60.3.0", kU64, "60.3", "counter", "byte", 0x10000000);
    add("network.interface.hw_addr", "60.33.3", "string", "60.17", "discrete", "none", 0);
    add("filesys.full", "60.5.8", "double", "60.5", "instant", "none", 0);
    add("filesys.type", "60.5.32", "string", "60.5", "discrete", "none", 0);
    add("proc.nprocs", "3.8.99", kU32, kNull, "instant", "none", 0);
    add("proc.psinfo.utime", "3.8.13", kU64, "3.9", "counter", "millisec", 0x01002000);
    add("proc.memory.vmrss", "3.24.22", kU32, "3.9", "instant", "Kbyte", 0x10010000);
  }

  void spotChecks() {
    QFETCH(QString, name);
    QFETCH(QString, pmid);
    QFETCH(QString, type);
    QFETCH(QString, indom);
    QFETCH(QString, semantics);
    QFETCH(QString, units);
    QFETCH(quint32, unitsWord);
    const MetricInfo* m = catalog::find(name.toStdString());
    QVERIFY(m != nullptr);
    QCOMPARE(qs(m->desc.pmid.toString()), pmid);
    QCOMPARE(qs(typeName(m->desc.type)), type);
    QCOMPARE(qs(m->desc.indom.toString()), indom);
    QCOMPARE(qs(semanticsName(m->desc.semantics)), semantics);
    QCOMPARE(qs(m->desc.units.toString()), units);
    QCOMPARE(m->desc.units.pack(), unitsWord);
  }
};

QTEST_GUILESS_MAIN(CatalogTest)
#include "CatalogTest.moc"
