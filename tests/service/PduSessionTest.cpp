// PduSession request by request: each PDU type of the dispatch table (PCP wire
// protocol spec 8.1) and each error rule, over a Collector with this machine's real
// agents, the pmcd self agent and a small fixed agent for the corner cases.
#include <QtTest>

#include <mutex>

#include "core/Catalog.h"
#include "core/Collector.h"
#include "core/Platform.h"
#include "core/pdu/Pdu.h"
#include "service/PduSession.h"
#include "service/SelfAgent.h"
#include "service/ServiceStats.h"

using namespace sextant;
using namespace sextant::service;

namespace {

constexpr unsigned kFakeDomain = 200;
const InDom kFakeInDom = InDom::make(kFakeDomain, 1);
const Pmid kFakeValue = Pmid::make(kFakeDomain, 0, 1);
const Pmid kFakeNoHelp = Pmid::make(kFakeDomain, 0, 2);
const Pmid kLoad = Pmid::make(60, 2, 0);
const InDom kLoadInDom = InDom::make(60, 2);
const Pmid kNcpu = Pmid::make(60, 0, 32);
const Pmid kUnknownItem = Pmid::make(60, 99, 99);
const Pmid kUnknownDomain = Pmid::make(77, 0, 0);

// Fixed values and names, for the rules the real agents cannot show: a metric with no
// help at all, instance names with spaces, a short-name clash.
class FakeAgent final : public Agent {
 public:
  FakeAgent() {
    metrics_ = {
        MetricInfo{"fake.value", Descriptor{kFakeValue, ValueType::U32, kFakeInDom, Semantics::Instant, Units::none()},
                   "a fixed value per instance", ""},
        MetricInfo{"fake.nohelp", Descriptor{kFakeNoHelp, ValueType::I32, InDom(), Semantics::Instant, Units::none()},
                   "", ""},
    };
    indoms_ = {InDomInfo{kFakeInDom, "fake things", "every fake thing there is"}};
  }
  unsigned domain() const override { return kFakeDomain; }
  std::string_view name() const override { return "fake"; }
  const std::vector<MetricInfo>& metrics() const override { return metrics_; }
  const std::vector<InDomInfo>& indoms() const override { return indoms_; }
  Expected<std::vector<Instance>> instances(InDom indom) override {
    if (indom != kFakeInDom) return Error::InDom;
    return std::vector<Instance>{{1, "one thing"}, {2, "two"}, {12, "one"}, {20, "twenty things"}};
  }
  void fetch(std::span<const Pmid> pmids, const Profile& profile, std::span<ValueSet> out) override {
    for (std::size_t k = 0; k < pmids.size(); ++k) {
      const Pmid p = pmids[k];
      ValueSet& s = out[k];
      if (p == kFakeValue) {
        for (std::int32_t i : {1, 2, 12, 20})
          if (profile.accepts(kFakeInDom, i)) s.values.push_back({i, static_cast<std::uint32_t>(i * 100)});
      } else if (p == kFakeNoHelp) {
        s.values.push_back({kNullInstance, std::int32_t{-7}});
      } else {
        s.status = static_cast<int>(Error::Pmid);
      }
    }
  }

 private:
  std::vector<MetricInfo> metrics_;
  std::vector<InDomInfo> indoms_;
};

std::int32_t be32(const pdu::Bytes& b, std::size_t at) {
  return static_cast<std::int32_t>(std::uint32_t{b[at]} << 24 | std::uint32_t{b[at + 1]} << 16 |
                                   std::uint32_t{b[at + 2]} << 8 | b[at + 3]);
}

// The code of an ERROR reply, or a sentinel when the reply is something else.
std::int32_t errorCode(const PduSession::Reply& r) {
  auto e = pdu::decodeError(r.bytes);
  return e ? e->code : 999999;
}

pdu::Bytes names(std::vector<std::string> list) { return pdu::encode(pdu::NamesPdu{std::move(list), {}}); }

pdu::Bytes profileAll(std::int32_t ctxid = 0) { return pdu::encode(pdu::ProfilePdu{ctxid, Profile{}}); }

pdu::Bytes fetch(std::vector<Pmid> pmids, bool highres = false, std::int32_t ctxid = 0) {
  return pdu::encode(pdu::FetchPdu{ctxid, std::move(pmids), highres});
}

}  // namespace

class PduSessionTest : public QObject {
  Q_OBJECT

 private:
  Collector collector_;
  std::mutex lock_;
  ServiceStats stats_;
  SelfAgent* self_ = nullptr;

  ConnectionFacts localFacts() {
    ConnectionFacts f;
    f.peer = "test";
    f.local = true;
    f.procAllowed = true;
    return f;
  }
  std::unique_ptr<PduSession> session(ConnectionFacts f) {
    return std::make_unique<PduSession>(collector_, lock_, stats_, std::move(f));
  }
  std::unique_ptr<PduSession> session() { return session(localFacts()); }

 private slots:
  void initTestCase() {
    for (auto& a : makePlatformAgents(PlatformOptions{})) QVERIFY(collector_.addAgent(std::move(a)).ok());
    SelfFacts facts{"testhost", "9.9.9", "UTC", ":Etc/UTC", 4242};
    auto self = std::make_unique<SelfAgent>(stats_, facts);
    self_ = self.get();
    QVERIFY(collector_.addAgent(std::move(self)).ok());
    self_->setCollector(&collector_);
    QVERIFY(collector_.addAgent(std::make_unique<FakeAgent>()).ok());
    LabelSet ctx;
    ctx.setString("hostname", "testhost");
    ctx.setString("domainname", "localdomain");
    collector_.setContextLabels(ctx);
  }

  void helloIsTheExtendedErrorWithFeatures() {
    auto s = session();
    const pdu::Bytes expected{0, 0, 0, 0x14, 0, 0, 0x70, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x01, 0x0e, 0x00};
    QCOMPARE(s->hello(), expected);
  }

  void refusalsUseV1Numbering() {
    const pdu::Bytes perm = PduSession::refusal(Error::Permission);
    QCOMPARE(perm.size(), std::size_t{20});
    QCOMPARE(be32(perm, 12), -1042);
    QCOMPARE(be32(perm, 16), 0);
    const pdu::Bytes limit = PduSession::refusal(Error::ConnLimit);
    QCOMPARE(be32(limit, 12), -1043);
  }

  void credsHasNoReplyAndAnyVersion_data() {
    QTest::addColumn<quint32>("word");
    QTest::addColumn<bool>("close");
    QTest::newRow("version 2") << quint32(0x01020000) << false;
    QTest::newRow("version 1") << quint32(0x01010000) << false;
    QTest::newRow("version 3") << quint32(0x01030000) << false;
    QTest::newRow("version 0") << quint32(0x01000000) << false;
    QTest::newRow("unknown credential type") << quint32(0x07020000) << false;
    QTest::newRow("asks for TLS") << quint32(0x01020001) << true;
    QTest::newRow("asks for authentication") << quint32(0x01020004) << true;
  }
  void credsHasNoReplyAndAnyVersion() {
    QFETCH(quint32, word);
    QFETCH(bool, close);
    auto s = session();
    QVERIFY(!s->handshakeDone());
    auto r = s->handle(pdu::encode(pdu::CredsPdu{{word}}, 1234));
    QVERIFY(r.bytes.empty());
    QCOMPARE(r.close, close);
    QCOMPARE(s->handshakeDone(), !close);
    QCOMPARE(r.log.empty(), !close);
  }

  void malformedCredsCloses() {
    auto s = session();
    pdu::Bytes creds = pdu::encode(pdu::CredsPdu{{0x01020000}});
    creds[15] = 5;  // claims 5 credentials in a PDU that holds 1
    auto r = s->handle(creds);
    QVERIFY(r.bytes.empty());
    QVERIFY(r.close);
    QVERIFY(!r.log.empty());
  }

  void missingCredsIsTolerated() {
    auto s = session();
    auto r = s->handle(names({"hinv.ncpu"}));
    auto ids = pdu::decodeIds(r.bytes);
    QVERIFY(ids.ok());
    QCOMPARE(ids->pmids.at(0), kNcpu);
    QVERIFY(s->handshakeDone());
  }

  void fetchNeedsAProfilePerContext() {
    auto s = session();
    QCOMPARE(errorCode(s->handle(fetch({kNcpu}))), -12381);
    auto r = s->handle(profileAll(0));
    QVERIFY(r.bytes.empty());
    QVERIFY(!r.close);
    QVERIFY(pdu::decodeResult(s->handle(fetch({kNcpu})).bytes).ok());
    // Context 1 of the same client has sent no profile yet.
    QCOMPARE(errorCode(s->handle(fetch({kNcpu}, false, 1))), -12381);
    s->handle(profileAll(1));
    QVERIFY(pdu::decodeResult(s->handle(fetch({kNcpu}, false, 1)).bytes).ok());
  }

  void fetchAnswersInRequestOrder_data() {
    QTest::addColumn<bool>("highres");
    QTest::newRow("FETCH -> RESULT") << false;
    QTest::newRow("HIGHRES_FETCH -> HIGHRES_RESULT") << true;
  }
  void fetchAnswersInRequestOrder() {
    QFETCH(bool, highres);
    auto s = session();
    s->handle(profileAll());
    auto r = s->handle(fetch({kFakeNoHelp, kUnknownItem, kUnknownDomain, kFakeValue, kFakeNoHelp}, highres));
    auto h = pdu::decodeHeader(r.bytes);
    QVERIFY(h.ok());
    QCOMPARE(h->type, static_cast<std::int32_t>(highres ? pdu::Type::HighresResult : pdu::Type::Result));
    auto res = pdu::decodeResult(r.bytes);
    QVERIFY2(res.ok(), res.ok() ? "" : res.failure().message().c_str());
    QCOMPARE(res->highres, highres);
    QCOMPARE(res->sets.size(), std::size_t{5});
    QCOMPARE(res->sets[0].pmid, kFakeNoHelp);
    QCOMPARE(res->sets[0].numval, 1);
    QCOMPARE(static_cast<std::int32_t>(res->sets[0].values[0].word), -7);
    QCOMPARE(res->sets[1].numval, -12358);  // PM_ERR_PMID
    QCOMPARE(res->sets[2].numval, -12386);  // PM_ERR_NOAGENT
    QCOMPARE(res->sets[3].numval, 4);
    QCOMPARE(res->sets[3].values[2].inst, 12);
    QCOMPARE(res->sets[3].values[2].word, 1200u);
    QCOMPARE(res->sets[4].pmid, kFakeNoHelp);  // a repeated PMID is answered again
  }

  void fetchOfRealMetrics() {
    auto s = session();
    s->handle(profileAll());
    auto res = pdu::decodeResult(s->handle(fetch({kLoad, kNcpu}, true)).bytes);
    QVERIFY(res.ok());
    QCOMPARE(res->sets[0].numval, 3);
    QCOMPARE(res->sets[0].values[1].inst, 5);
    auto load = pdu::interpret(res->sets[0].values[0], ValueType::Float);
    QVERIFY(load.ok());
    QVERIFY(std::get<float>(*load) >= 0.0f);
    QCOMPARE(res->sets[1].numval, 1);
    QCOMPARE(res->sets[1].values[0].inst, kNullInstance);
    QCOMPARE(static_cast<long>(res->sets[1].values[0].word), sysconf(_SC_NPROCESSORS_ONLN));
  }

  void profileFiltersInstances() {
    auto s = session();
    Profile p;
    p.include(kFakeInDom, {2, 20});
    s->handle(pdu::encode(pdu::ProfilePdu{0, p}));
    auto res = pdu::decodeResult(s->handle(fetch({kFakeValue})).bytes);
    QVERIFY(res.ok());
    QCOMPARE(res->sets[0].numval, 2);
    QCOMPARE(res->sets[0].values[0].inst, 2);
    QCOMPARE(res->sets[0].values[1].inst, 20);
    // A later PROFILE replaces the earlier one.
    s->handle(profileAll());
    QCOMPARE(pdu::decodeResult(s->handle(fetch({kFakeValue})).bytes)->sets[0].numval, 4);
  }

  void descReq() {
    auto s = session();
    auto d = pdu::decodeDesc(s->handle(pdu::encode(pdu::DescReqPdu{kLoad})).bytes);
    QVERIFY(d.ok());
    QCOMPARE(d->desc, *collector_.descriptor(kLoad));
    QCOMPARE(errorCode(s->handle(pdu::encode(pdu::DescReqPdu{kUnknownItem}))), -12358);
    // pmcd answers PM_ERR_PMID for a domain without an agent too (spec 2.7).
    QCOMPARE(errorCode(s->handle(pdu::encode(pdu::DescReqPdu{kUnknownDomain}))), -12358);
  }

  void descIds() {
    auto s = session();
    QCOMPARE(errorCode(s->handle(pdu::encode(pdu::DescIdsPdu{{kUnknownItem}}))), -12358);
    auto one = pdu::decodeDescs(s->handle(pdu::encode(pdu::DescIdsPdu{{kNcpu}})).bytes);
    QVERIFY(one.ok());
    QCOMPARE(one->descs.size(), std::size_t{1});
    auto d = pdu::decodeDescs(s->handle(pdu::encode(pdu::DescIdsPdu{{kLoad, kUnknownItem, kNcpu}})).bytes);
    QVERIFY(d.ok());
    QCOMPARE(d->descs.size(), std::size_t{3});
    QCOMPARE(d->descs[0], *collector_.descriptor(kLoad));
    QVERIFY(d->descs[1].pmid.isNull());
    QCOMPARE(d->descs[1].indom.raw(), 0u);
    QCOMPARE(d->descs[2].pmid, kNcpu);
    auto holes = pdu::decodeDescs(s->handle(pdu::encode(pdu::DescIdsPdu{{kUnknownItem, kUnknownDomain}})).bytes);
    QVERIFY(holes.ok());
    QCOMPARE(holes->descs.size(), std::size_t{2});
  }

  void instanceForms_data() {
    QTest::addColumn<quint32>("indom");
    QTest::addColumn<int>("inst");
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("error");
    QTest::addColumn<QString>("answer");  // "id:name|id:name"
    QTest::newRow("list all") << kLoadInDom.raw() << -1 << "" << 0 << "1:1 minute|5:5 minute|15:15 minute";
    QTest::newRow("id to name") << kLoadInDom.raw() << 15 << "" << 0 << "-1:15 minute";
    QTest::newRow("exact name") << kLoadInDom.raw() << -1 << "5 minute" << 0 << "5:";
    QTest::newRow("first word") << kLoadInDom.raw() << -1 << "15" << 0 << "15:";
    QTest::newRow("exact beats first word") << kFakeInDom.raw() << -1 << "one" << 0 << "12:";
    QTest::newRow("first word of a longer name") << kFakeInDom.raw() << -1 << "twenty" << 0 << "20:";
    QTest::newRow("a name with a space must be exact") << kFakeInDom.raw() << -1 << "one th" << -12360 << "";
    QTest::newRow("unknown name") << kLoadInDom.raw() << -1 << "7 minute" << -12360 << "";
    QTest::newRow("unknown id") << kLoadInDom.raw() << 7 << "" << -12360 << "";
    QTest::newRow("unknown serial") << InDom::make(60, 999).raw() << -1 << "" << -12359 << "";
    QTest::newRow("unknown domain") << InDom::make(77, 1).raw() << -1 << "" << -12359 << "";
  }
  void instanceForms() {
    QFETCH(quint32, indom);
    QFETCH(int, inst);
    QFETCH(QString, name);
    QFETCH(int, error);
    QFETCH(QString, answer);
    auto s = session();
    auto r = s->handle(pdu::encode(pdu::InstanceReqPdu{InDom(indom), inst, name.toStdString()}));
    if (error != 0) {
      QCOMPARE(errorCode(r), error);
      return;
    }
    auto m = pdu::decodeInstance(r.bytes);
    QVERIFY(m.ok());
    QCOMPARE(m->indom.raw(), indom);
    QStringList got;
    for (const auto& i : m->instances) got << QString::number(i.id) + ":" + QString::fromStdString(i.name);
    QCOMPARE(got.join('|'), answer);
  }

  void text_data() {
    QTest::addColumn<quint32>("ident");
    QTest::addColumn<int>("flags");
    QTest::addColumn<int>("error");
    QTest::addColumn<QString>("text");
    const auto& m = **collector_.metric(kLoad);
    QTest::newRow("metric one-line") << kLoad.raw() << 5 << 0 << QString::fromStdString(m.oneLine);
    QTest::newRow("metric help") << kLoad.raw() << 6 << 0 << QString::fromStdString(m.longHelp);
    QTest::newRow("indom one-line") << kFakeInDom.raw() << 9 << 0 << "fake things";
    QTest::newRow("indom help") << kFakeInDom.raw() << 10 << 0 << "every fake thing there is";
    QTest::newRow("no long help: empty text") << kFakeValue.raw() << 6 << 0 << "";
    QTest::newRow("no text at all") << kFakeNoHelp.raw() << 5 << -12349 << "";
    QTest::newRow("no text at all, help") << kFakeNoHelp.raw() << 6 << -12349 << "";
    QTest::newRow("unknown metric") << kUnknownItem.raw() << 5 << -12358 << "";
    QTest::newRow("unknown domain") << kUnknownDomain.raw() << 5 << -12386 << "";
    QTest::newRow("unknown indom") << InDom::make(60, 999).raw() << 9 << -12359 << "";
    QTest::newRow("neither pmid nor indom") << kLoad.raw() << 1 << -12349 << "";
  }
  void text() {
    QFETCH(quint32, ident);
    QFETCH(int, flags);
    QFETCH(int, error);
    QFETCH(QString, text);
    auto s = session();
    auto r = s->handle(pdu::encode(pdu::TextReqPdu{ident, flags}));
    if (error != 0) {
      QCOMPARE(errorCode(r), error);
      return;
    }
    auto t = pdu::decodeText(r.bytes);
    QVERIFY(t.ok());
    QCOMPARE(t->ident, ident);
    QCOMPARE(QString::fromStdString(t->text), text);
  }

  void nameLookup() {
    auto s = session();
    QCOMPARE(errorCode(s->handle(names({"no.such"}))), -12357);
    QCOMPARE(errorCode(s->handle(names({"kernel.all"}))), -12394);
    auto ids = pdu::decodeIds(s->handle(names({"kernel.all.load", "no.such", "kernel.all"})).bytes);
    QVERIFY(ids.ok());
    QCOMPARE(ids->status, 1);
    QCOMPARE(ids->pmids.size(), std::size_t{3});
    QCOMPARE(ids->pmids[0], kLoad);
    QVERIFY(ids->pmids[1].isNull());
    QVERIFY(ids->pmids[2].isNull());
    auto none = pdu::decodeIds(s->handle(names({"no.such", "nor.this"})).bytes);
    QVERIFY(none.ok());
    QCOMPARE(none->status, 0);
    QCOMPARE(none->pmids.size(), std::size_t{2});
  }

  void reverseLookup() {
    auto s = session();
    auto n = pdu::decodeNames(s->handle(pdu::encode(pdu::IdsPdu{0, {kLoad}})).bytes);
    QVERIFY(n.ok());
    QCOMPARE(n->names, std::vector<std::string>{"kernel.all.load"});
    QVERIFY(n->status.empty());
    QCOMPARE(errorCode(s->handle(pdu::encode(pdu::IdsPdu{0, {kUnknownItem}}))), -12358);
    QCOMPARE(errorCode(s->handle(pdu::encode(pdu::IdsPdu{0, {kUnknownDomain}}))), -12386);
  }

  void children() {
    auto s = session();
    auto leafKids = pdu::decodeNames(s->handle(pdu::encode(pdu::NameReqPdu{false, 1, "kernel.all.cpu.wait"})).bytes);
    QVERIFY(leafKids.ok());
    QCOMPARE(leafKids->names, std::vector<std::string>{"total"});
    QCOMPARE(leafKids->status, std::vector<std::int32_t>{0});
    auto fake = pdu::decodeNames(s->handle(pdu::encode(pdu::NameReqPdu{false, 1, "fake"})).bytes);
    QVERIFY(fake.ok());
    QCOMPARE(fake->names, (std::vector<std::string>{"nohelp", "value"}));
    auto root = pdu::decodeNames(s->handle(pdu::encode(pdu::NameReqPdu{false, 0, ""})).bytes);
    QVERIFY(root.ok());
    QVERIFY(root->status.empty());
    QVERIFY(std::find(root->names.begin(), root->names.end(), "pmcd") != root->names.end());
    auto leaf = pdu::decodeNames(s->handle(pdu::encode(pdu::NameReqPdu{false, 0, "fake.value"})).bytes);
    QVERIFY(leaf.ok());
    QVERIFY(leaf->names.empty());
    QCOMPARE(errorCode(s->handle(pdu::encode(pdu::NameReqPdu{false, 1, "no.such"}))), -12357);
  }

  void traverse() {
    auto s = session();
    auto one = pdu::decodeNames(s->handle(pdu::encode(pdu::NameReqPdu{true, 0, "kernel.all.load"})).bytes);
    QVERIFY(one.ok());
    QCOMPARE(one->names, std::vector<std::string>{"kernel.all.load"});
    auto all = pdu::decodeNames(s->handle(pdu::encode(pdu::NameReqPdu{true, 0, ""})).bytes);
    QVERIFY(all.ok());
    QCOMPARE(all->names.size(), collector_.pmns().size());
    auto fake = pdu::decodeNames(s->handle(pdu::encode(pdu::NameReqPdu{true, 0, "fake"})).bytes);
    QCOMPARE(fake->names, (std::vector<std::string>{"fake.nohelp", "fake.value"}));
    QCOMPARE(errorCode(s->handle(pdu::encode(pdu::NameReqPdu{true, 0, "no.such"}))), -12357);
  }

  void labels_data() {
    QTest::addColumn<quint32>("ident");
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("error");
    QTest::addColumn<QString>("json");  // sets joined by '|'
    QTest::newRow("context") << 0xFFFFFFFFu << 1 << 0 << R"({"domainname":"localdomain","hostname":"testhost"})";
    QTest::newRow("domain") << 60u << 2 << 0 << R"({"agent":"linux"})";
    QTest::newRow("self domain") << 2u << 2 << 0 << R"({"agent":"pmcd"})";
    QTest::newRow("no such domain") << 77u << 2 << -12386 << "";
    QTest::newRow("empty indom level") << kLoadInDom.raw() << 4 << 0 << "";
    QTest::newRow("empty cluster level") << Pmid::make(60, 2, 0).raw() << 8 << 0 << "";
    QTest::newRow("empty item level") << kLoad.raw() << 16 << 0 << "";
    QTest::newRow("instances") << kFakeInDom.raw() << 32 << 0 << "{}|{}|{}|{}";
    QTest::newRow("bad type") << kLoad.raw() << 3 << -12397 << "";
  }
  void labels() {
    QFETCH(quint32, ident);
    QFETCH(int, type);
    QFETCH(int, error);
    QFETCH(QString, json);
    auto s = session();
    auto r = s->handle(pdu::encode(pdu::LabelReqPdu{ident, type}));
    if (error != 0) {
      QCOMPARE(errorCode(r), error);
      return;
    }
    auto l = pdu::decodeLabel(r.bytes);
    QVERIFY(l.ok());
    QCOMPARE(l->ident, ident);  // echoed exactly (spec 8.2 pitfall 10)
    QCOMPARE(l->type, type);
    QStringList sets;
    for (const auto& [inst, set] : l->sets) sets << QString::fromStdString(set.toJson());
    QCOMPARE(sets.join('|'), json);
  }

  void storeWhoami() {
    auto s = session();
    pdu::WireValue v;
    v.inst = kNullInstance;
    v.inSitu = false;
    v.blockType = static_cast<std::uint8_t>(ValueType::String);
    const std::string who = "localhost (127.0.0.1) pmval -h localhost";
    v.payload.assign(who.begin(), who.end());
    v.payload.resize(v.payload.size() + 9, 0);  // NUL and trailing zeros, as pmval sends (spec A.10)
    pdu::WireValueSet set{kWhoamiPmid, 1, 2, {v}};
    QCOMPARE(errorCode(s->handle(pdu::encodeStore({set}))), 0);
    QCOMPARE(s->whoami(), who);
    // Visible to every client as pmcd.client.whoami, instance = this client's id.
    s->handle(profileAll());
    auto res = pdu::decodeResult(s->handle(fetch({kWhoamiPmid})).bytes);
    QVERIFY(res.ok());
    bool found = false;
    for (const auto& wv : res->sets[0].values) {
      if (wv.inst != s->clientId()) continue;
      found = true;
      QCOMPARE(std::get<std::string>(*pdu::interpret(wv, ValueType::String)), who);
    }
    QVERIFY(found);
  }

  void otherStoresAreRefused() {
    auto s = session();
    pdu::WireValue v;
    v.word = 5;
    pdu::WireValueSet set{kNcpu, 1, 0, {v}};
    QCOMPARE(errorCode(s->handle(pdu::encodeStore({set}))), -12387);
    pdu::WireValueSet who{kWhoamiPmid, 1, 0, {v}};
    QCOMPARE(errorCode(s->handle(pdu::encodeStore({who, set}))), -12387);
  }

  void unknownTypesKeepTheConnection_data() {
    QTest::addColumn<int>("type");
    QTest::newRow("unassigned 0x700b") << 0x700b;
    QTest::newRow("far away 0x7099") << 0x7099;
    QTest::newRow("DESC is a reply") << 0x7005;
    QTest::newRow("HIGHRES_RESULT is a reply") << 0x7015;
    QTest::newRow("ATTR was never offered") << 0x7011;
    QTest::newRow("ERROR from a client") << 0x7000;
  }
  void unknownTypesKeepTheConnection() {
    QFETCH(int, type);
    auto s = session();
    pdu::Bytes p{0, 0, 0, 16, 0, 0, static_cast<std::uint8_t>(type >> 8), static_cast<std::uint8_t>(type & 0xff),
                 0, 0, 0, 0, 0, 0, 0, 0};
    auto r = s->handle(p);
    QCOMPARE(errorCode(r), -12366);
    QVERIFY(!r.close);
    QVERIFY(pdu::decodeIds(s->handle(names({"hinv.ncpu"})).bytes).ok());
  }

  void malformedRequestsGetIpc_data() {
    QTest::addColumn<QByteArray>("pdu");
    auto bytes = [](pdu::Bytes b) { return QByteArray(reinterpret_cast<const char*>(b.data()), qsizetype(b.size())); };
    pdu::Bytes f = fetch({kNcpu});
    f[27] = 9;  // numpmid 9 with room for 1
    QTest::newRow("FETCH count beyond its length") << bytes(f);
    pdu::Bytes n = names({"hinv.ncpu"});
    n[n.size() - 13] = 0x7f;  // a name length far beyond the PDU
    QTest::newRow("PMNS_NAMES name length") << bytes(n);
    pdu::Bytes d = pdu::encode(pdu::DescIdsPdu{{kNcpu}});
    d[12] = 0;  // the marker must be -1
    QTest::newRow("DESC_IDS marker") << bytes(d);
    QTest::newRow("DESC_REQ without a PMID") << bytes(pdu::Bytes{0, 0, 0, 12, 0, 0, 0x70, 0x04, 0, 0, 0, 0});
    QTest::newRow("TEXT_REQ too short") << bytes(pdu::Bytes{0, 0, 0, 16, 0, 0, 0x70, 0x08, 0, 0, 0, 0, 0, 0, 0, 5});
  }
  void malformedRequestsGetIpc() {
    QFETCH(QByteArray, pdu);
    auto s = session();
    s->handle(profileAll());
    auto r = s->handle(pdu::ByteView(reinterpret_cast<const std::uint8_t*>(pdu.data()), std::size_t(pdu.size())));
    QCOMPARE(errorCode(r), -12366);
    QVERIFY(!r.close);
    QVERIFY(r.log.find("malformed") != std::string::npos);
    QVERIFY(pdu::decodeResult(s->handle(fetch({kNcpu})).bytes).ok());
  }

  void processValuesOnlyForAllowedClients() {
    const Pmid nprocs = Pmid::make(catalog::kProcDomain, 8, 99);
    const InDom procs = InDom::make(catalog::kProcDomain, 9);
    ConnectionFacts remote;
    remote.peer = "192.0.2.1:999";
    auto s = session(remote);
    s->handle(profileAll());
    auto res = pdu::decodeResult(s->handle(fetch({kNcpu, nprocs})).bytes);
    QVERIFY(res.ok());
    QCOMPARE(res->sets[0].numval, 1);
    QCOMPARE(res->sets[1].numval, -12387);
    QCOMPARE(errorCode(s->handle(pdu::encode(pdu::InstanceReqPdu{procs, kNullInstance, {}}))), -12387);
    QCOMPARE(errorCode(s->handle(pdu::encode(pdu::LabelReqPdu{procs.raw(), 32}))), -12387);
    // Metadata stays visible: names and descriptors are not per-process data.
    QVERIFY(pdu::decodeDesc(s->handle(pdu::encode(pdu::DescReqPdu{nprocs})).bytes).ok());

    auto local = session();
    local->handle(profileAll());
    auto ok = pdu::decodeResult(local->handle(fetch({nprocs})).bytes);
    QVERIFY(ok.ok());
    QCOMPARE(ok->sets[0].numval, 1);
    QVERIFY(pdu::decodeInstance(local->handle(pdu::encode(pdu::InstanceReqPdu{procs, kNullInstance, {}})).bytes).ok());
  }

  void selfMetrics() {
    auto s = session();
    const std::uint32_t fetchesBefore = stats_.in(0x14);
    s->handle(profileAll());
    const std::vector<Pmid> ask{Pmid::make(2, 0, 21), Pmid::make(2, 0, 23), Pmid::make(2, 0, 5),
                                Pmid::make(2, 0, 26), Pmid::make(2, 0, 7),  Pmid::make(2, 1, 21),
                                Pmid::make(2, 0, 3),  Pmid::make(2, 4, 1)};
    auto res = pdu::decodeResult(s->handle(fetch(ask, true)).bytes);
    QVERIFY(res.ok());
    auto str = [&](std::size_t i) { return std::get<std::string>(*pdu::interpret(res->sets[i].values[0], ValueType::String)); };
    QCOMPARE(str(0), std::string("testhost"));
    QCOMPARE(std::get<std::uint64_t>(*pdu::interpret(res->sets[1].values[0], ValueType::U64)), std::uint64_t{4242});
    QCOMPARE(str(2), std::string("UTC"));
    QCOMPARE(str(3), std::string(":Etc/UTC"));
    QCOMPARE(str(4), std::string("9.9.9"));
    // pmcd.pdu_in.highres_fetch counted this very request.
    QCOMPARE(res->sets[5].values[0].word, fetchesBefore + 1);
    QVERIFY(res->sets[6].values[0].word >= 1u);  // this client at least
    // pmcd.agent.status: one instance per agent, all 0.
    QCOMPARE(res->sets[7].numval, static_cast<std::int32_t>(collector_.agents().size()));
    for (const auto& v : res->sets[7].values) QCOMPARE(v.word, 0u);
  }

  void clientsComeAndGo() {
    const auto before = stats_.numClients();
    {
      auto a = session();
      auto b = session();
      QCOMPARE(stats_.numClients(), before + 2);
      QVERIFY(a->clientId() != b->clientId());
    }
    QCOMPARE(stats_.numClients(), before);
  }
};

QTEST_GUILESS_MAIN(PduSessionTest)
#include "PduSessionTest.moc"
