// The metric model: identifiers, units, values, name space, labels, profiles,
// the Collector's routing and TableAgent's refresh-once rule.
#include <QtTest>

#include "core/Collector.h"
#include "core/Labels.h"
#include "core/Pmns.h"
#include "core/Rate.h"
#include "core/TableAgent.h"
#include "core/Units.h"

using namespace sextant;

Q_DECLARE_METATYPE(sextant::Units)

namespace {

// A source group over a fixed snapshot that counts its refreshes.
class CountingGroup : public SourceGroup {
 public:
  int refreshes = 0;
  int failWith = 0;
  std::vector<Binding> bindings() override {
    return {
        // Filled as u64 on purpose: the agent must hand it out as the row's u32.
        {"test.single", [](ValueSet& s) { s.values.push_back({kNullInstance, std::uint64_t{7}}); }},
        {"test.multi",
         [](ValueSet& s) {
           for (std::int32_t i = 0; i < 3; ++i) s.values.push_back({i, double(i) * 1.5});
         }},
        {"test.missing", [](ValueSet& s) { s.status = static_cast<int>(Error::Value); }},
        {"test.unlisted", [](ValueSet&) {}},
    };
  }
  int refresh() override {
    ++refreshes;
    return failWith;
  }
  std::vector<InDom> ownedInDoms() const override { return {InDom::make(400, 1)}; }
  std::vector<Instance> instances(InDom) const override { return {{0, "a"}, {1, "b"}, {2, "c"}}; }
};

std::vector<MetricInfo> testRows() {
  Units none;
  return {
      {"test.single", {Pmid::make(400, 0, 1), ValueType::U32, InDom(), Semantics::Instant, none}, "one value", ""},
      {"test.multi", {Pmid::make(400, 0, 2), ValueType::Double, InDom::make(400, 1), Semantics::Instant, none}, "three values", "long help"},
      {"test.missing", {Pmid::make(400, 0, 3), ValueType::U64, InDom(), Semantics::Counter, none}, "never there", ""},
      {"test.notbound", {Pmid::make(400, 0, 4), ValueType::U64, InDom(), Semantics::Counter, none}, "no binding", ""},
  };
}

struct Built {
  Collector collector;
  CountingGroup* group = nullptr;
};

std::unique_ptr<Built> buildCollector() {
  auto b = std::make_unique<Built>();
  auto group = std::make_unique<CountingGroup>();
  b->group = group.get();
  std::vector<std::unique_ptr<SourceGroup>> groups;
  groups.push_back(std::move(group));
  static const std::vector<MetricInfo> rows = testRows();
  static const std::vector<InDomInfo> indoms = {{InDom::make(400, 1), "letters", ""}};
  auto agent = std::make_unique<TableAgent>(400, "test", rows, indoms, std::move(groups));
  if (agent->bindingErrors() != std::vector<std::string>{"test.unlisted"}) return nullptr;
  if (!b->collector.addAgent(std::move(agent))) return nullptr;
  return b;
}

}  // namespace

class ModelTest : public QObject {
  Q_OBJECT
 private slots:
  void pmidPacking_data() {
    QTest::addColumn<uint>("domain");
    QTest::addColumn<uint>("cluster");
    QTest::addColumn<uint>("item");
    QTest::addColumn<uint>("raw");
    QTest::addColumn<QString>("text");
    // Values from the PCP wire protocol spec, section 3.1.
    QTest::newRow("kernel.all.load") << 60u << 2u << 0u << 0x0F000800u << "60.2.0";
    QTest::newRow("hinv.ncpu") << 60u << 0u << 32u << 0x0F000020u << "60.0.32";
    QTest::newRow("pmcd.client.whoami") << 2u << 6u << 0u << 0x00801800u << "2.6.0";
    QTest::newRow("largest") << 510u << 4095u << 1023u << 0x7FBFFFFFu << "510.4095.1023";
  }
  void pmidPacking() {
    QFETCH(uint, domain);
    QFETCH(uint, cluster);
    QFETCH(uint, item);
    QFETCH(uint, raw);
    QFETCH(QString, text);
    Pmid p = Pmid::make(domain, cluster, item);
    QCOMPARE(p.raw(), raw);
    QCOMPARE(p.domain(), domain);
    QCOMPARE(p.cluster(), cluster);
    QCOMPARE(p.item(), item);
    QCOMPARE(QString::fromStdString(p.toString()), text);
    QCOMPARE(Pmid(raw), p);
  }

  void indomPacking() {
    InDom i = InDom::make(60, 2);
    QCOMPARE(i.raw(), 0x0F000002u);
    QCOMPARE(i.domain(), 60u);
    QCOMPARE(i.serial(), 2u);
    QCOMPARE(QString::fromStdString(i.toString()), QString("60.2"));
    QVERIFY(InDom().isNull());
    QCOMPARE(QString::fromStdString(InDom().toString()), QString("PM_INDOM_NULL"));
    QVERIFY(Pmid().isNull());
  }

  void unitsWord_data() {
    QTest::addColumn<Units>("units");
    QTest::addColumn<uint>("word");
    QTest::addColumn<QString>("text");
    // Words and texts observed from PCP 6.0.3 (wire protocol spec, section 3.7).
    QTest::newRow("none") << Units::none() << 0x00000000u << "none";
    QTest::newRow("millisec") << Units::time(TimeScale::Millisec) << 0x01002000u << "millisec";
    QTest::newRow("Kbyte") << Units::space(SpaceScale::KByte) << 0x10010000u << "Kbyte";
    QTest::newRow("Mbyte/sec") << Units::space(SpaceScale::MByte).perTime(TimeScale::Sec) << 0x1F023000u
                               << "Mbyte / sec";
    QTest::newRow("count/sec") << Units::count().perTime(TimeScale::Sec) << 0x0F103000u << "count / sec";
    QTest::newRow("/microsec") << Units::none().perTime(TimeScale::Microsec) << 0x0F001000u << "/ microsec";
    Units k3 = Units::count();
    k3.scaleCount = 3;
    QTest::newRow("count x 10^3") << k3 << 0x00100300u << "count x 10^3";
    Units neg = Units::count();
    neg.scaleCount = -3;
    QTest::newRow("count x 10^-3") << neg << 0x00100D00u << "count x 10^-3";
    Units sq = Units::space(SpaceScale::Byte);
    sq.dimSpace = 2;
    QTest::newRow("byte^2") << sq << 0x20000000u << "byte^2";
  }
  void unitsWord() {
    QFETCH(Units, units);
    QFETCH(uint, word);
    QFETCH(QString, text);
    QCOMPARE(units.pack(), word);
    QCOMPARE(Units::unpack(word), units);
    QCOMPARE(QString::fromStdString(units.toString()), text);
  }

  void unitsConversion() {
    auto kb = Units::space(SpaceScale::KByte);
    auto mb = Units::space(SpaceScale::MByte);
    QCOMPARE(conversionFactor(kb, mb).value(), 1.0 / 1024.0);
    QCOMPARE(conversionFactor(mb, kb).value(), 1024.0);
    QCOMPARE(conversionFactor(Units::time(TimeScale::Millisec), Units::time(TimeScale::Sec)).value(), 1e-3);
    QCOMPARE(conversionFactor(kb.perTime(TimeScale::Sec), kb.perTime(TimeScale::Min)).value(), 60.0);
    QVERIFY(!conversionFactor(kb, Units::time(TimeScale::Sec)).has_value());
  }

  void rates() {
    QCOMPARE(counterRate(100, 300, 2.0).value(), 100.0);
    QVERIFY(!counterRate(300, 100, 1.0).has_value());  // went backwards: reset or wrap
    QVERIFY(!counterRate(1, 2, 0.0).has_value());
    Descriptor cpu{Pmid::make(60, 0, 20), ValueType::U64, InDom(), Semantics::Counter, Units::time(TimeScale::Millisec)};
    DisplayUnits d = displayUnits(cpu);
    QVERIFY(d.timeUtilisation);
    QCOMPARE(d.scale, 1e-3);
    QCOMPARE(QString::fromStdString(d.units.toString()), QString("none"));
    Descriptor bytes{Pmid::make(60, 3, 0), ValueType::U64, InDom(), Semantics::Counter, Units::space(SpaceScale::Byte)};
    QCOMPARE(QString::fromStdString(displayUnits(bytes).units.toString()), QString("byte / sec"));
    Descriptor level{Pmid::make(60, 1, 2), ValueType::U64, InDom(), Semantics::Instant, Units::space(SpaceScale::KByte)};
    QCOMPARE(QString::fromStdString(displayUnits(level).units.toString()), QString("Kbyte"));
  }

  void valueFormatting() {
    QCOMPARE(QString::fromStdString(formatValue(Value{std::int32_t{-5}})), QString("-5"));
    QCOMPARE(QString::fromStdString(formatValue(Value{std::uint64_t{18446744073709551615ull}})),
             QString("18446744073709551615"));
    QCOMPARE(QString::fromStdString(formatValue(Value{0.08f})), QString("0.079999998"));
    QCOMPARE(QString::fromStdString(formatValue(Value{0.1})), QString("0.1"));
    QCOMPARE(QString::fromStdString(formatValue(Value{std::string("x86_64")})), QString("\"x86_64\""));
    QCOMPARE(valueTypeOf(Value{std::uint32_t{1}}), ValueType::U32);
    QVERIFY(!toDouble(Value{std::string("a")}).has_value());
    QCOMPARE(toDouble(Value{std::int64_t{-3}}).value(), -3.0);
    QCOMPARE(std::get<std::uint32_t>(convertTo(Value{std::uint64_t{0x100000005ull}}, ValueType::U32)), 5u);
    QCOMPARE(std::get<double>(convertTo(Value{std::int32_t{-2}}, ValueType::Double)), -2.0);
    QCOMPARE(std::get<std::string>(convertTo(Value{std::string("s")}, ValueType::U64)), std::string("s"));
  }

  void pmnsLookupAndTraverse() {
    Pmns ns;
    QVERIFY(ns.add("kernel.all.load", Pmid::make(60, 2, 0)).ok());
    QVERIFY(ns.add("kernel.all.cpu.user", Pmid::make(60, 0, 20)).ok());
    QVERIFY(ns.add("kernel.percpu.cpu.user", Pmid::make(60, 0, 0)).ok());
    QVERIFY(ns.add("hinv.ncpu", Pmid::make(60, 0, 32)).ok());
    QVERIFY(ns.add("alias.ncpu", Pmid::make(60, 0, 32)).ok());  // two names, one PMID
    QCOMPARE(ns.size(), std::size_t{5});

    QCOMPARE(ns.lookup("hinv.ncpu").value(), Pmid::make(60, 0, 32));
    QCOMPARE(ns.lookup("hinv.nope").error(), Error::Name);
    QCOMPARE(ns.lookup("kernel.all").error(), Error::NonLeaf);
    QCOMPARE(ns.lookup("").error(), Error::Name);

    QCOMPARE(ns.names(Pmid::make(60, 0, 32)), (std::vector<std::string>{"alias.ncpu", "hinv.ncpu"}));

    auto all = ns.traverse("");
    QVERIFY(all.ok());
    QCOMPARE(*all, (std::vector<std::string>{"alias.ncpu", "hinv.ncpu", "kernel.all.cpu.user", "kernel.all.load",
                                             "kernel.percpu.cpu.user"}));
    QCOMPARE(*ns.traverse("kernel.all"), (std::vector<std::string>{"kernel.all.cpu.user", "kernel.all.load"}));
    QCOMPARE(*ns.traverse("hinv.ncpu"), (std::vector<std::string>{"hinv.ncpu"}));
    QCOMPARE(ns.traverse("kern").error(), Error::Name);

    auto kids = ns.children("kernel.all");
    QVERIFY(kids.ok());
    QCOMPARE(kids->size(), std::size_t{2});
    QCOMPARE(QString::fromStdString((*kids)[0].name), QString("cpu"));
    QVERIFY(!(*kids)[0].leaf);
    QCOMPARE(QString::fromStdString((*kids)[1].name), QString("load"));
    QVERIFY((*kids)[1].leaf);
    QVERIFY(ns.children("hinv.ncpu")->empty());
    QCOMPARE(ns.children("nope").error(), Error::Name);
  }

  void pmnsRejects_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("empty") << "";
    QTest::newRow("leading dot") << ".a";
    QTest::newRow("trailing dot") << "a.";
    QTest::newRow("double dot") << "a..b";
    QTest::newRow("digit first") << "a.1b";
    QTest::newRow("space") << "a.b c";
    QTest::newRow("below a leaf") << "kernel.all.load.one";
    QTest::newRow("over an inner node") << "kernel.all";
    QTest::newRow("duplicate") << "kernel.all.load";
  }
  void pmnsRejects() {
    QFETCH(QString, name);
    Pmns ns;
    QVERIFY(ns.add("kernel.all.load", Pmid::make(60, 2, 0)).ok());
    auto r = ns.add(name.toStdString(), Pmid::make(60, 9, 9));
    QVERIFY(!r.ok());
    QCOMPARE(r.error(), Error::Name);
    QCOMPARE(ns.size(), std::size_t{1});
  }

  void labelsJson() {
    LabelSet s;
    s.setString("hostname", "vm");
    s.setString("agent", "linux \"quoted\"\n");
    s.setJson("cpus", "4");
    QCOMPARE(QString::fromStdString(s.toJson()),
             QString("{\"agent\":\"linux \\\"quoted\\\"\\n\",\"cpus\":4,\"hostname\":\"vm\"}"));
    LabelSet t;
    t.setJson("cpus", "8");
    s.merge(t);
    QCOMPARE(QString::fromStdString(s.json("cpus").value()), QString("8"));
    QVERIFY(!s.json("nope").has_value());
    QVERIFY(LabelSet::validName("host_name2"));
    QVERIFY(!LabelSet::validName("2host"));
    QVERIFY(!LabelSet::validName("a-b"));
    QCOMPARE(QString::fromStdString(LabelSet{}.toJson()), QString("{}"));
  }

  void profileRules() {
    InDom d = InDom::make(60, 1);
    Profile p;
    QVERIFY(p.accepts(d, 5));
    p.include(d, {1, 2});
    QVERIFY(p.accepts(d, 1));
    QVERIFY(!p.accepts(d, 5));
    QVERIFY(p.accepts(InDom::make(60, 2), 5));  // other domains untouched
    p.exclude(d, {1});
    QVERIFY(!p.accepts(d, 1));
    QVERIFY(p.accepts(d, 5));
    p.includeAll(d);
    QVERIFY(p.accepts(d, 1));
  }

  void collectorRoutesAndMerges() {
    auto b = buildCollector();
    QVERIFY2(b, "test agent did not build");
    Collector& c = b->collector;
    // Only bound rows are served.
    QCOMPARE(c.lookup("test.notbound").error(), Error::Name);
    QCOMPARE(c.pmns().size(), std::size_t{3});

    std::vector<Pmid> ask = {Pmid::make(400, 0, 2), Pmid::make(400, 0, 1), Pmid::make(400, 0, 99),
                             Pmid::make(401, 0, 1), Pmid::make(400, 0, 3)};
    FetchResult r = c.fetch(ask);
    QCOMPARE(r.sets.size(), ask.size());
    QCOMPARE(b->group->refreshes, 1);  // refreshed once for the whole fetch
    QCOMPARE(r.sets[0].pmid, ask[0]);
    QCOMPARE(r.sets[0].values.size(), std::size_t{3});
    QCOMPARE(std::get<double>(r.sets[0].values[2].value), 3.0);
    QCOMPARE(r.sets[1].values.size(), std::size_t{1});
    QCOMPARE(r.sets[1].values[0].inst, kNullInstance);
    QCOMPARE(std::get<std::uint32_t>(r.sets[1].values[0].value), 7u);
    QCOMPARE(r.sets[2].status, int(Error::Pmid));
    QCOMPARE(r.sets[3].status, int(Error::NoAgent));
    QCOMPARE(r.sets[4].status, int(Error::Value));
    QVERIFY(r.sets[4].values.empty());

    Profile p;
    p.include(InDom::make(400, 1), {0, 2});
    FetchResult filtered = c.fetch(std::vector<Pmid>{Pmid::make(400, 0, 2)}, p);
    QCOMPARE(filtered.sets[0].values.size(), std::size_t{2});
    QCOMPARE(filtered.sets[0].values[1].inst, 2);
    QCOMPARE(b->group->refreshes, 2);

    // A failing refresh reaches every metric of the group.
    b->group->failWith = static_cast<int>(Error::Again);
    FetchResult failed = c.fetch(std::vector<Pmid>{Pmid::make(400, 0, 1), Pmid::make(400, 0, 2)});
    QCOMPARE(failed.sets[0].status, int(Error::Again));
    QCOMPARE(failed.sets[1].status, int(Error::Again));
    QCOMPARE(b->group->refreshes, 3);
  }

  void collectorMetadata() {
    auto b = buildCollector();
    QVERIFY(b);
    Collector& c = b->collector;
    QCOMPARE(c.descriptor(Pmid::make(400, 0, 2))->type, ValueType::Double);
    QCOMPARE(c.descriptor(Pmid::make(400, 0, 99)).error(), Error::Pmid);
    QCOMPARE(c.descriptor(Pmid::make(401, 0, 1)).error(), Error::NoAgent);
    QCOMPARE(QString::fromStdString(*c.helpText(Pmid::make(400, 0, 2), true)), QString("long help"));
    // Long help falls back to the one-line text.
    QCOMPARE(QString::fromStdString(*c.helpText(Pmid::make(400, 0, 1), true)), QString("one value"));
    QCOMPARE(QString::fromStdString(*c.helpText(InDom::make(400, 1), false)), QString("letters"));
    QCOMPARE(c.helpText(InDom::make(400, 7), false).error(), Error::InDom);
    auto insts = c.instances(InDom::make(400, 1));
    QVERIFY(insts.ok());
    QCOMPARE(insts->size(), std::size_t{3});
    QCOMPARE(QString::fromStdString((*insts)[1].name), QString("b"));
    QCOMPARE(c.instances(InDom::make(400, 9)).error(), Error::InDom);
    auto dom = c.labels(LabelLevel::Domain, 400);
    QCOMPARE(QString::fromStdString(dom->toJson()), QString("{\"agent\":\"test\"}"));
    QCOMPARE(c.labels(LabelLevel::Domain, 9).error(), Error::NoAgent);
  }

  void collectorRefusesBadAgents() {
    auto b = buildCollector();
    QVERIFY(b);
    // Same domain again.
    std::vector<std::unique_ptr<SourceGroup>> groups;
    groups.push_back(std::make_unique<CountingGroup>());
    static const std::vector<MetricInfo> rows = testRows();
    auto again = std::make_unique<TableAgent>(400, "again", rows, std::vector<InDomInfo>{}, std::move(groups));
    auto r = b->collector.addAgent(std::move(again));
    QVERIFY(!r.ok());
    QVERIFY(r.failure().detail.find("already taken") != std::string::npos);
    // Domain 511 is PCP's client-side derived-metric domain.
    std::vector<std::unique_ptr<SourceGroup>> none;
    auto reserved = std::make_unique<TableAgent>(511, "reserved", rows, std::vector<InDomInfo>{}, std::move(none));
    QVERIFY(!b->collector.addAgent(std::move(reserved)).ok());
    QCOMPARE(b->collector.agents().size(), std::size_t{1});
  }

  void errorMessages() {
    QCOMPARE(QString::fromStdString(std::string(errorMessage(Error::Name))), QString("Unknown metric name"));
    QCOMPARE(QString::fromStdString(errorMessage(-12357)), QString("Unknown metric name"));
    QCOMPARE(QString::fromStdString(errorMessage(-2)), QString("No such file or directory"));
    QCOMPARE(QString::fromStdString(Failure{Error::Name, "kernel.all.lod"}.message()),
             QString("kernel.all.lod: Unknown metric name"));
  }
};

QTEST_GUILESS_MAIN(ModelTest)
#include "ModelTest.moc"
