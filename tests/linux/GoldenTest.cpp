// Golden output: every metric the Linux backend serves, dumped from each recorded
// fixture tree and compared line by line with tests/fixtures/linux/<case>/golden.txt.
// A change in any parser, binding or catalog row shows up here as a readable diff.
//
// To accept an intended change, run with SEXTANT_UPDATE_GOLDEN=1, then read the diff of
// golden.txt before committing it.
#include <QtTest>

#include <fstream>
#include <sstream>

#include "core/Collector.h"
#include "core/Platform.h"

using namespace sextant;

namespace {

// Values that come from the machine running the test, not from the fixture tree:
// user and group names are looked up in this machine's password database.
bool liveOnly(const std::string& name) {
  return name.size() > 3 && name.compare(name.size() - 3, 3, "_nm") == 0 && name.rfind("proc.id.", 0) == 0;
}

std::string dump(const std::string& root) {
  PlatformOptions opt;
  opt.root = root;
  opt.clockTicks = 100;
  opt.pageSize = 4096;
  Collector c;
  for (auto& a : makePlatformAgents(opt))
    if (!c.addAgent(std::move(a))) return "agent refused\n";
  std::ostringstream out;
  for (const auto& name : *c.pmns().traverse("")) {
    if (liveOnly(name)) continue;
    Pmid pmid = *c.lookup(name);
    Descriptor d = *c.descriptor(pmid);
    std::map<std::int32_t, std::string> instName;
    if (!d.indom.isNull())
      if (auto insts = c.instances(d.indom))
        for (const auto& i : *insts) instName[i.id] = i.name;
    FetchResult r = c.fetch(std::vector<Pmid>{pmid});
    const ValueSet& s = r.sets.at(0);
    out << name;
    if (!s.ok()) {
      out << " -- " << errorMessage(s.status) << '\n';
      continue;
    }
    if (s.values.empty()) out << " -- no values";
    out << '\n';
    for (const auto& v : s.values) {
      out << "    ";
      if (v.inst != kNullInstance) {
        auto it = instName.find(v.inst);
        out << '[' << v.inst << " \"" << (it == instName.end() ? std::string("?") : it->second) << "\"] ";
      }
      out << formatValue(v.value) << '\n';
    }
  }
  return out.str();
}

std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

class GoldenTest : public QObject {
  Q_OBJECT
 private slots:
  void fixtureTree_data() {
    QTest::addColumn<QString>("fixture");
    QTest::newRow("vm-2cpu") << "vm-2cpu";
    QTest::newRow("server-64cpu") << "server-64cpu";
    QTest::newRow("arm-8cpu") << "arm-8cpu";
  }
  void fixtureTree() {
    QFETCH(QString, fixture);
    const std::string dir = std::string(SEXTANT_FIXTURES) + "/linux/" + fixture.toStdString();
    const std::string actual = dump(dir);
    const std::string goldenPath = dir + "/golden.txt";
    if (qEnvironmentVariableIsSet("SEXTANT_UPDATE_GOLDEN")) {
      std::ofstream(goldenPath, std::ios::binary) << actual;
      qInfo("rewrote %s", goldenPath.c_str());
    }
    const std::string expected = readText(goldenPath);
    QVERIFY2(!expected.empty(), qPrintable(QString("missing golden file %1").arg(QString::fromStdString(goldenPath))));
    // Compare line by line so that a failure names the first differing metric.
    std::istringstream a(actual), e(expected);
    std::string la, le;
    int line = 0;
    while (true) {
      bool ga = static_cast<bool>(std::getline(a, la)), ge = static_cast<bool>(std::getline(e, le));
      ++line;
      if (!ga && !ge) break;
      QVERIFY2(ga == ge && la == le,
               qPrintable(QString("%1 line %2:\n  expected: %3\n  actual:   %4")
                              .arg(QString::fromStdString(goldenPath))
                              .arg(line)
                              .arg(ge ? QString::fromStdString(le) : QString("<end of file>"))
                              .arg(ga ? QString::fromStdString(la) : QString("<end of output>"))));
    }
  }
};

QTEST_GUILESS_MAIN(GoldenTest)
#include "GoldenTest.moc"
