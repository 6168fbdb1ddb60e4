// Replay of an archive as a Context: PCP's interpolated mode with exact numbers, moving
// through time, instances coming and going, seeks, nanosecond times, and metadata that
// answers as the live context the archive was recorded from.
#include <QTemporaryDir>
#include <QtTest>
#include <numeric>

#include "core/Collector.h"
#include "core/CollectorContext.h"
#include "tools/archive/ArchiveContext.h"
#include "tools/archive/ArchiveWriter.h"

using namespace sextant;
using namespace sextant::archive;

namespace {

constexpr std::int64_t kT0 = 1700000000000000000;  // 2023-11-14, in ns
constexpr std::int64_t kSecond = 1000000000;

Timestamp at(std::int64_t ns) { return Timestamp(std::chrono::nanoseconds(ns)); }
std::int64_t ns(Timestamp t) { return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count(); }

RecordedMetric metric(const std::string& name, Pmid pmid, ValueType type, Semantics sem, InDom indom = InDom()) {
  return RecordedMetric{name, Descriptor{pmid, type, indom, sem, Units::none()}, name + " help", "", {}};
}

// Eight metrics, one of each kind interpolation treats apart, sampled at 0, 10, 20 and 30 s.
struct Kind {
  const char* name;
  ValueType type;
  Semantics sem;
  std::vector<Value> values;
};
const std::vector<Kind>& kinds() {
  static const std::vector<Kind> all = {
      {"k.c64", ValueType::U64, Semantics::Counter, {std::uint64_t(1000), std::uint64_t(2000), std::uint64_t(1500), std::uint64_t(2500)}},
      {"k.i32", ValueType::I32, Semantics::Instant, {-10, -13, 0, 7}},
      {"k.dbl", ValueType::Double, Semantics::Instant, {1.0, 2.0, 4.0, 8.0}},
      {"k.u32c", ValueType::U32, Semantics::Counter, {10u, 13u, 13u, 20u}},
      {"k.flt", ValueType::Float, Semantics::Instant, {0.5f, 1.5f, 1.5f, 1.5f}},
      {"k.disc", ValueType::U32, Semantics::Discrete, {4u, 8u, 8u, 16u}},
      {"k.str", ValueType::String, Semantics::Instant, {std::string("a"), std::string("bb"), std::string("bb"), std::string("c")}},
      {"k.i64", ValueType::I64, Semantics::Instant, {std::int64_t(0), std::int64_t(-3), std::int64_t(5), std::int64_t(5)}},
  };
  return all;
}
Pmid kindPmid(std::size_t i) { return Pmid::make(40, 0, static_cast<unsigned>(i)); }

std::string writeKinds(const QTemporaryDir& dir) {
  const std::string path = dir.filePath("kinds.sextant").toStdString();
  auto w = ArchiveWriter::create(path, ArchiveMeta{"vm", "UTC", std::chrono::milliseconds(10000), {}});
  if (!w) return {};
  for (std::size_t i = 0; i < kinds().size(); ++i)
    (void)(*w)->addMetric(metric(kinds()[i].name, kindPmid(i), kinds()[i].type, kinds()[i].sem));
  for (std::size_t s = 0; s < 4; ++s) {
    FetchResult r{at(kT0 + static_cast<std::int64_t>(s) * 10 * kSecond), {}};
    for (std::size_t i = 0; i < kinds().size(); ++i) r.sets.push_back({kindPmid(i), 0, {{kNullInstance, kinds()[i].values[s]}}});
    if (!(*w)->writeSample(r)) return {};
  }
  return path;
}

std::vector<Pmid> kindPmids() {
  std::vector<Pmid> p;
  for (std::size_t i = 0; i < kinds().size(); ++i) p.push_back(kindPmid(i));
  return p;
}

// A value set as text: "none" without values, else the value as pminfo prints it.
QString show(const ValueSet& s) {
  if (!s.ok()) return "error";
  if (s.values.empty()) return "none";
  return QString::fromStdString(formatValue(s.values.front().value));
}

// An agent with labels at every level, to record from and compare against.
class LabelledAgent : public Agent {
 public:
  static constexpr InDom kDisks = InDom::make(29, 1);
  LabelledAgent() {
    metrics_ = {{"sample.load", {Pmid::make(29, 0, 0), ValueType::Double, InDom(), Semantics::Instant, Units::none()}, "load", "the load"},
                {"sample.disk.read", {Pmid::make(29, 1, 0), ValueType::U64, kDisks, Semantics::Counter, Units::count()}, "reads", ""},
                {"sample.disk.write", {Pmid::make(29, 1, 1), ValueType::U64, kDisks, Semantics::Counter, Units::count()}, "writes", ""},
                {"sample.name", {Pmid::make(29, 2, 0), ValueType::String, InDom(), Semantics::Discrete, Units::none()}, "", ""}};
    indoms_ = {{kDisks, "disks", "every disk"}};
  }
  unsigned domain() const override { return 29; }
  std::string_view name() const override { return "sample"; }
  const std::vector<MetricInfo>& metrics() const override { return metrics_; }
  const std::vector<InDomInfo>& indoms() const override { return indoms_; }
  Expected<std::vector<Instance>> instances(InDom) override { return std::vector<Instance>{{0, "sda"}, {1, "sdb"}}; }
  void fetch(std::span<const Pmid>, const Profile&, std::span<ValueSet>) override {}
  LabelSet labels(LabelLevel level, std::uint32_t ident) const override {
    LabelSet s = Agent::labels(level, ident);
    if (level == LabelLevel::InDom) s.setString("device_type", "disk");
    if (level == LabelLevel::Cluster && Pmid(ident).cluster() == 1) s.setString("cluster", "io");
    if (level == LabelLevel::Item && Pmid(ident).item() == 1) s.setJson("direction", "2");
    return s;
  }
  std::vector<std::pair<std::int32_t, LabelSet>> instanceLabels(InDom) override {
    LabelSet model;
    model.setString("model", "ssd");
    return {{0, model}, {1, LabelSet{}}};
  }

 private:
  std::vector<MetricInfo> metrics_;
  std::vector<InDomInfo> indoms_;
};

}  // namespace

class ArchiveReplayTest : public QObject {
  Q_OBJECT
 private slots:
  void interpolation_data() {
    QTest::addColumn<qint64>("offset");  // ns after the first sample
    QTest::addColumn<QStringList>("expected");  // per kind, in kinds() order
    auto row = [](const char* name, std::int64_t offset, QStringList values) { QTest::newRow(name) << qint64(offset) << values; };
    row("on the first sample", 0, {"1000", "-10", "1", "10", "0.5", "4", "\"a\"", "0"});
    row("a quarter in", kSecond * 5 / 2, {"1250", "-11", "1.25", "11", "0.75", "4", "\"a\"", "-1"});
    row("halfway: halves away from zero", 5 * kSecond, {"1500", "-12", "1.5", "12", "1", "4", "\"a\"", "-2"});
    row("on a middle sample", 10 * kSecond, {"2000", "-13", "2", "13", "1.5", "8", "\"bb\"", "-3"});
    row("counter went backwards", 15 * kSecond, {"none", "-7", "3", "13", "1.5", "8", "\"bb\"", "1"});
    row("on the sample after the reset", 20 * kSecond, {"1500", "0", "4", "13", "1.5", "8", "\"bb\"", "5"});
    row("after the reset", 25 * kSecond, {"2000", "4", "6", "17", "1.5", "8", "\"bb\"", "5"});
    row("on the last sample", 30 * kSecond, {"2500", "7", "8", "20", "1.5", "16", "\"c\"", "5"});
    row("before the first sample", -5 * kSecond, {"none", "none", "none", "none", "none", "none", "none", "none"});
  }
  void interpolation() {
    QFETCH(qint64, offset);
    QFETCH(QStringList, expected);
    QTemporaryDir dir;
    const std::string path = writeKinds(dir);
    QVERIFY(!path.empty());
    auto a = ArchiveContext::open(path);
    QVERIFY(a.ok());
    (*a)->setPosition(at(kT0 + offset));
    const std::vector<Pmid> pmids = kindPmids();
    auto r = (*a)->fetch(pmids);
    QVERIFY(r.ok());
    QCOMPARE(ns(r->timestamp), kT0 + offset);
    QStringList got;
    for (std::size_t i = 0; i < pmids.size(); ++i) {
      got << show(r->sets[i]);
      // Interpolated values keep the metric's type.
      if (!r->sets[i].values.empty()) QCOMPARE(valueTypeOf(r->sets[i].values[0].value), kinds()[i].type);
    }
    QCOMPARE(got, expected);
  }

  void endOfLog() {
    QTemporaryDir dir;
    auto a = ArchiveContext::open(writeKinds(dir));
    QVERIFY(a.ok());
    const std::vector<Pmid> pmids = kindPmids();
    (*a)->setPosition(at(kT0 + 30 * kSecond + 1));
    auto r = (*a)->fetch(pmids);
    QVERIFY(!r.ok());
    QCOMPARE(r.error(), Error::EndOfLog);
    // Going back is allowed after the end.
    (*a)->setPosition(at(kT0 + 10 * kSecond));
    r = (*a)->fetch(pmids);
    QVERIFY(r.ok());
    QCOMPARE(show(r->sets[0]), QString("2000"));
  }

  void defaultsStepThroughSamples() {
    QTemporaryDir dir;
    auto a = ArchiveContext::open(writeKinds(dir));
    QVERIFY(a.ok());
    ArchiveContext& c = **a;
    QCOMPARE(c.position(), c.start());
    QCOMPARE(c.start(), at(kT0));
    QCOMPARE(c.end(), at(kT0 + 30 * kSecond));
    QCOMPARE(c.recordedInterval(), std::chrono::milliseconds(10000));
    const Pmid pmids[] = {kindPmid(0), kindPmid(6)};
    QStringList seen;
    for (auto r = c.fetch(pmids); r.ok(); r = c.fetch(pmids)) seen << show(r->sets[0]) + " " + show(r->sets[1]);
    QCOMPARE(seen, (QStringList{"1000 \"a\"", "2000 \"bb\"", "1500 \"bb\"", "2500 \"c\""}));
    QCOMPARE(c.position(), at(kT0 + 40 * kSecond));
  }

  void setInterval() {
    QTemporaryDir dir;
    auto a = ArchiveContext::open(writeKinds(dir));
    QVERIFY(a.ok());
    ArchiveContext& c = **a;
    c.setInterval(std::chrono::nanoseconds(kSecond * 5 / 2));
    c.setInterval(std::chrono::nanoseconds(0));  // ignored: an interval must move time
    const Pmid pmids[] = {kindPmid(0)};
    QStringList seen;
    std::int64_t last = 0;
    auto r = c.fetch(pmids);
    for (; r.ok(); r = c.fetch(pmids)) {
      seen << show(r->sets[0]);
      last = ns(r->timestamp);
    }
    QCOMPARE(r.error(), Error::EndOfLog);
    QCOMPARE(last, kT0 + 30 * kSecond);
    QCOMPARE(seen, (QStringList{"1000", "1250", "1500", "1750", "2000", "none", "none", "none", "1500", "1750", "2000", "2250",
                                "2500"}));
  }

  // eth1 leaves and wlan0 arrives at 10 s.
  void instanceChurn() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("churn.sextant").toStdString();
    const InDom net = InDom::make(60, 3);
    const Pmid bytes = Pmid::make(60, 3, 0);
    {
      auto w = ArchiveWriter::create(path, ArchiveMeta{"vm", "UTC", std::chrono::milliseconds(10000), {}});
      QVERIFY(w.ok());
      QVERIFY((*w)->addMetric(metric("net.bytes", bytes, ValueType::U64, Semantics::Counter, net)).ok());
      QVERIFY((*w)->addInDom({net, "interfaces", ""}).ok());
      LabelSet wifi;
      wifi.setString("kind", "wifi");
      const std::vector<std::vector<Instance>> members = {{{0, "eth0"}, {1, "eth1"}}, {{0, "eth0"}, {2, "wlan0"}}, {{2, "wlan0"}, {0, "eth0"}}};
      const std::vector<std::vector<InstanceValue>> values = {{{0, std::uint64_t(100)}, {1, std::uint64_t(200)}},
                                                              {{0, std::uint64_t(300)}, {2, std::uint64_t(50)}},
                                                              {{2, std::uint64_t(150)}, {0, std::uint64_t(500)}}};
      for (int s = 0; s < 3; ++s) {
        QVERIFY((*w)->setInstances(net, at(kT0 + s * 10 * kSecond), members[s], {{2, wifi}}).ok());
        QVERIFY((*w)->writeSample({at(kT0 + s * 10 * kSecond), {{bytes, 0, values[s]}}}).ok());
      }
    }
    auto a = ArchiveContext::open(path);
    QVERIFY(a.ok());
    ArchiveContext& c = **a;
    auto names = [&](std::int64_t offset) {
      c.setPosition(at(kT0 + offset));
      QStringList out;
      for (const Instance& i : *c.instances(net)) out << QString::fromStdString(i.name);
      return out;
    };
    QCOMPARE(names(-1), QStringList());
    QCOMPARE(names(0), (QStringList{"eth0", "eth1"}));
    QCOMPARE(names(10 * kSecond - 1), (QStringList{"eth0", "eth1"}));
    QCOMPARE(names(10 * kSecond), (QStringList{"eth0", "wlan0"}));
    QCOMPARE(names(25 * kSecond), (QStringList{"eth0", "wlan0"}));
    auto labels = c.instanceLabels(net);
    QVERIFY(labels.ok());
    QCOMPARE(labels->size(), std::size_t{2});
    QCOMPARE(labels->at(1).first, 2);
    QCOMPARE(labels->at(1).second.toJson(), std::string("{\"kind\":\"wifi\"}"));
    QVERIFY(labels->at(0).second.empty());
    auto valuesAt = [&](std::int64_t offset) {
      c.setPosition(at(kT0 + offset));
      const Pmid pmids[] = {bytes};
      auto r = c.fetch(pmids);
      QStringList out;
      if (r.ok())
        for (const InstanceValue& v : r->sets[0].values) out << QString("%1=%2").arg(v.inst).arg(std::get<std::uint64_t>(v.value));
      return out;
    };
    QCOMPARE(valuesAt(0), (QStringList{"0=100", "1=200"}));
    QCOMPARE(valuesAt(5 * kSecond), (QStringList{"0=200"}));  // only eth0 is on both sides
    QCOMPARE(valuesAt(10 * kSecond), (QStringList{"0=300", "2=50"}));
    QCOMPARE(valuesAt(15 * kSecond), (QStringList{"0=400", "2=100"}));  // another order on the right
    QCOMPARE(valuesAt(20 * kSecond), (QStringList{"2=150", "0=500"}));
    QCOMPARE(c.instances(InDom::make(60, 99)).error(), Error::InDom);
  }

  // 1000 samples a second apart, with keyframes every 64: jumps forward and back land on
  // the right values.
  void seeks() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("long.sextant").toStdString();
    const Pmid sq = Pmid::make(50, 0, 0), wave = Pmid::make(50, 0, 1);
    {
      auto w = ArchiveWriter::create(path, ArchiveMeta{"vm", "UTC", std::chrono::milliseconds(1000), {}});
      QVERIFY(w.ok());
      QVERIFY((*w)->addMetric(metric("l.square", sq, ValueType::U64, Semantics::Counter)).ok());
      QVERIFY((*w)->addMetric(metric("l.wave", wave, ValueType::I64, Semantics::Instant)).ok());
      for (std::int64_t i = 0; i < 1000; ++i)
        QVERIFY((*w)->writeSample({at(kT0 + i * kSecond), {{sq, 0, {{kNullInstance, std::uint64_t(i * i)}}},
                                                           {wave, 0, {{kNullInstance, std::int64_t(i % 7 - 3)}}}}})
                    .ok());
    }
    auto a = ArchiveContext::open(path);
    QVERIFY(a.ok());
    ArchiveContext& c = **a;
    QCOMPARE(c.end(), at(kT0 + 999 * kSecond));
    auto square = [&](std::int64_t offsetMs) -> std::uint64_t {
      c.setPosition(at(kT0 + offsetMs * 1000000));
      const Pmid pmids[] = {sq, wave};
      auto r = c.fetch(pmids);
      if (!r.ok() || r->sets[0].values.empty()) return 0;
      return std::get<std::uint64_t>(r->sets[0].values[0].value);
    };
    QCOMPARE(square(900500), 810901u);  // (810000 + 811801) / 2, rounded
    QCOMPARE(square(10000), 100u);      // back
    QCOMPARE(square(10250), 105u);      // 100 + 21 / 4
    QCOMPARE(square(500000), 250000u);  // far forward
    QCOMPARE(square(63000), 3969u);     // just before a keyframe
    QCOMPARE(square(64000), 4096u);     // on one
    QCOMPARE(square(999000), 998001u);  // the last sample
    // A window: from 600 s to 605 s, every 500 ms.
    c.setPosition(at(kT0 + 600 * kSecond));
    c.setInterval(std::chrono::milliseconds(500));
    const Pmid pmids[] = {sq, wave};
    QStringList seen;
    for (int i = 0; i < 11; ++i) {
      auto r = c.fetch(pmids);
      QVERIFY(r.ok());
      seen << show(r->sets[0]) + "/" + show(r->sets[1]);
    }
    QCOMPARE(seen, (QStringList{"360000/2", "360601/3", "361201/3", "361803/0", "362404/-3", "363007/-3", "363609/-2",
                                "364213/-2", "364816/-1", "365421/-1", "366025/0"}));
  }

  // Times keep their nanoseconds: start, end, and each fetch's timestamp.
  void nanosecondTimes() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("ns.sextant").toStdString();
    const Pmid p = Pmid::make(50, 0, 0);
    const std::int64_t t1 = kT0 + 123456789, t2 = kT0 + kSecond + 987654321;
    {
      auto w = ArchiveWriter::create(path, ArchiveMeta{"vm", "America/New_York", std::chrono::milliseconds(1000), {}});
      QVERIFY(w.ok());
      QVERIFY((*w)->addMetric(metric("n.v", p, ValueType::I64, Semantics::Instant)).ok());
      QVERIFY((*w)->writeSample({at(t1), {{p, 0, {{kNullInstance, std::int64_t(1)}}}}}).ok());
      QVERIFY((*w)->writeSample({at(t2), {{p, 0, {{kNullInstance, std::int64_t(2)}}}}}).ok());
    }
    auto a = ArchiveContext::open(path);
    QVERIFY(a.ok());
    QCOMPARE(ns((*a)->start()), t1);
    QCOMPARE(ns((*a)->end()), t2);
    QCOMPARE((*a)->timezone(), std::string("America/New_York"));
    (*a)->setInterval(std::chrono::nanoseconds(t2 - t1));
    const Pmid pmids[] = {p};
    auto r = (*a)->fetch(pmids);
    QCOMPARE(ns(r->timestamp), t1);
    r = (*a)->fetch(pmids);
    QCOMPARE(ns(r->timestamp), t2);
    QCOMPARE(std::get<std::int64_t>(r->sets[0].values[0].value), 2);
    (*a)->setPosition(at(t2 - 1));
    r = (*a)->fetch(pmids);
    QCOMPARE(std::get<std::int64_t>(r->sets[0].values[0].value), 2);  // 1.99999... rounds to 2
  }

  // Names, descriptors, help and labels answer as the live context they were recorded from.
  void metadataLikeLive() {
    Collector collector;
    LabelSet host;
    host.setString("hostname", "vm");
    collector.setContextLabels(host);
    QVERIFY(collector.addAgent(std::make_unique<LabelledAgent>()).ok());
    CollectorContext live(collector, nullptr, "vm");
    QTemporaryDir dir;
    const std::string path = dir.filePath("meta.sextant").toStdString();
    {
      auto w = ArchiveWriter::create(path, ArchiveMeta{"vm", "UTC", std::chrono::milliseconds(1000), host});
      QVERIFY(w.ok());
      FetchResult first{at(kT0), {}};
      for (const MetricInfo& m : collector.agent(29)->metrics()) {
        // What a recorder stores: every level but the context's, merged.
        LabelSet merged = metricLabels(live, m.desc);
        LabelSet noContext;
        for (const auto& [k, v] : merged.entries())
          if (!host.json(k)) noContext.setJson(k, v);
        QVERIFY((*w)->addMetric(RecordedMetric{m.name, m.desc, m.oneLine, m.longHelp, noContext}).ok());
        first.sets.push_back({m.desc.pmid, static_cast<int>(Error::Value), {}});
      }
      QVERIFY((*w)->addInDom(collector.agent(29)->indoms()[0]).ok());
      QVERIFY((*w)->setInstances(LabelledAgent::kDisks, at(kT0), *live.instances(LabelledAgent::kDisks),
                                 *live.instanceLabels(LabelledAgent::kDisks))
                  .ok());
      QVERIFY((*w)->writeSample(first).ok());
    }
    auto opened = ArchiveContext::open(path);
    QVERIFY(opened.ok());
    ArchiveContext& archived = **opened;
    QCOMPARE(archived.hostName(), live.hostName());
    Context* both[] = {&live, &archived};
    QStringList answers[2];
    for (int k = 0; k < 2; ++k) {
      Context& c = *both[k];
      QStringList& out = answers[k];
      const std::vector<std::string> names = {"sample.load", "sample.disk.read", "sample.disk", "nosuch", "sample.name"};
      for (auto& p : c.lookup(names)) out << (p.ok() ? QString::fromStdString(p->toString()) : QString::fromStdString(p.failure().message()));
      for (const char* prefix : {"", "sample.disk", "sample.load", "sample.nosuch"}) {
        auto t = c.traverse(prefix);
        out << (t.ok() ? QString::fromStdString(std::accumulate(t->begin(), t->end(), std::string(), [](std::string a, const std::string& b) { return a + b + ","; }))
                       : QString::fromStdString(t.failure().message()));
      }
      for (const char* node : {"", "sample", "sample.disk", "nosuch"}) {
        auto kids = c.children(node);
        QString line;
        if (kids.ok())
          for (const auto& kid : *kids) line += QString::fromStdString(kid.name) + (kid.leaf ? "* " : " ");
        else
          line = QString::fromStdString(kids.failure().message());
        out << line;
      }
      for (Pmid p : {Pmid::make(29, 1, 1), Pmid::make(29, 9, 9)}) {
        auto n = c.nameOf(p);
        out << QString::fromStdString(n.ok() ? *n : n.failure().message());
        auto d = c.descriptor(p);
        out << (d.ok() ? QString("%1 %2 %3 %4").arg(int(d->type)).arg(int(d->semantics)).arg(d->units.pack()).arg(d->indom.raw())
                       : QString::fromStdString(d.failure().message()));
      }
      for (const MetricInfo& m : collector.agent(29)->metrics()) {
        for (bool longHelp : {false, true}) {
          auto h = c.helpText(m.desc.pmid, longHelp);
          out << QString::fromStdString(h.ok() ? *h : h.failure().message());
        }
        out << QString::fromStdString(metricLabels(c, m.desc).toJson());
      }
      out << QString::fromStdString(*c.helpText(LabelledAgent::kDisks, true));
      out << QString::fromStdString(c.helpText(InDom::make(29, 7), false).failure().message());
      for (const auto& [inst, set] : *c.instanceLabels(LabelledAgent::kDisks)) out << QString("%1 %2").arg(inst).arg(QString::fromStdString(set.toJson()));
      out << QString::fromStdString(c.labels(LabelLevel::Context, 0)->toJson());
      out << QString::number(c.store(Pmid::make(29, 0, 0), {}));
    }
    QCOMPARE(answers[1], answers[0]);
    QVERIFY(answers[0].contains("{\"agent\":\"sample\",\"cluster\":\"io\",\"device_type\":\"disk\",\"direction\":2,\"hostname\":\"vm\"}"));
  }
};

QTEST_GUILESS_MAIN(ArchiveReplayTest)
#include "ArchiveReplayTest.moc"
