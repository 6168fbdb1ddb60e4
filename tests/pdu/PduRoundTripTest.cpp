// Every PDU type through encode -> decode with the same content: empty lists, long
// strings, every padding length, values of every type, error sets, several sets,
// instance names with spaces, labels at several levels.
#include <QtTest>

#include <chrono>
#include <cmath>
#include <limits>

#include "PduTestUtil.h"
#include "core/pdu/Pdu.h"

using namespace sextant;
using namespace sextant::pdu;

Q_DECLARE_METATYPE(sextant::Value)

namespace {

template <class T, class Decode>
T roundTrip(const Bytes& b, Decode decode) {
  auto r = decode(ByteView(b));
  if (!r.ok()) qWarning("decode failed: %s", r.failure().message().c_str());
  if (!r.ok()) return T{};
  auto h = decodeHeader(ByteView(b));
  if (!h.ok() || static_cast<std::size_t>(h->length) != b.size()) qWarning("bad header length");
  return *r;
}

std::string pattern(std::size_t n) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('a' + i % 26);
  return s;
}

bool sameValue(const Value& a, const Value& b) {
  if (a.index() != b.index()) return false;
  if (const auto* f = std::get_if<float>(&a)) return std::isnan(*f) ? std::isnan(std::get<float>(b)) : *f == std::get<float>(b);
  if (const auto* d = std::get_if<double>(&a)) return std::isnan(*d) ? std::isnan(std::get<double>(b)) : *d == std::get<double>(b);
  return a == b;
}

}  // namespace

class PduRoundTripTest : public QObject {
  Q_OBJECT

 private slots:
  void error() {
    for (std::int32_t code : {0, -12357, 8, -2}) {
      auto e = roundTrip<ErrorPdu>(encode(ErrorPdu{code, {}}), decodeError);
      QCOMPARE(e.code, code);
      QVERIFY(!e.features);
    }
    auto hello = roundTrip<ErrorPdu>(encode(ErrorPdu{toV1(-12387), 0u}), decodeError);
    QCOMPARE(hello.code, -1042);
    QCOMPARE(hello.features, std::optional<std::uint32_t>(0u));
  }

  void creds() {
    for (const auto& list : {std::vector<std::uint32_t>{}, {0x01020000u}, {1u, 2u, 0xffffffffu}}) {
      QCOMPARE(encode(CredsPdu{list}, 42).size(), 16 + 4 * list.size());
      QCOMPARE(roundTrip<CredsPdu>(encode(CredsPdu{list}, 42), decodeCreds).creds, list);
    }
  }

  void profile() {
    Profile p;
    p.setIncludeByDefault(false);
    p.include(InDom::make(60, 2), {1, 15});
    p.exclude(InDom::make(60, 1), {0, 3, 7});
    p.include(InDom::make(3, 9), {});  // none at all
    p.exclude(InDom::make(4, 4), {});  // everything (pmrep's entry)
    const Bytes b = encode(ProfilePdu{3, p});
    QCOMPARE(b.size(), std::size_t{28 + 16 * 4 + 4 * 5});
    auto back = roundTrip<ProfilePdu>(b, decodeProfile);
    QCOMPARE(back.ctxid, 3);
    QVERIFY(!back.profile.includeByDefault());
    QCOMPARE(back.profile.rules().size(), std::size_t{4});
    for (const auto& [indom, rule] : p.rules()) {
      const auto it = back.profile.rules().find(indom);
      QVERIFY(it != back.profile.rules().end());
      QCOMPARE(it->second.include, rule.include);
      QCOMPARE(it->second.insts, rule.insts);
    }
    QVERIFY(back.profile.accepts(InDom::make(60, 2), 15));
    QVERIFY(!back.profile.accepts(InDom::make(60, 2), 5));
    QVERIFY(!back.profile.accepts(InDom::make(60, 1), 3));
    QVERIFY(back.profile.accepts(InDom::make(60, 1), 4));
    QVERIFY(!back.profile.accepts(InDom::make(70, 1), 0));  // not listed: global "none"
    QVERIFY(back.profile.accepts(InDom::make(4, 4), 99));
    QVERIFY(!back.profile.accepts(InDom::make(3, 9), 0));
  }

  void fetch() {
    for (bool highres : {false, true})
      for (std::size_t n : {0u, 1u, 200u}) {
        FetchPdu f{9, {}, highres};
        for (std::size_t i = 0; i < n; ++i) f.pmids.push_back(Pmid::make(60, static_cast<unsigned>(i), 3));
        const Bytes b = encode(f, 9);
        QCOMPARE(b.size(), 28 + 4 * n);
        auto back = roundTrip<FetchPdu>(b, decodeFetch);
        QCOMPARE(back.highres, highres);
        QCOMPARE(back.ctxid, 9);
        QCOMPARE(back.pmids, f.pmids);
      }
  }

  void descriptors() {
    const Descriptor d{Pmid::make(60, 3, 9), ValueType::U64, InDom::make(60, 1), Semantics::Counter,
                       Units::space(SpaceScale::KByte).perTime(TimeScale::Sec)};
    QCOMPARE(roundTrip<DescReqPdu>(encode(DescReqPdu{d.pmid}), decodeDescReq).pmid, d.pmid);
    QCOMPARE(roundTrip<DescPdu>(encode(DescPdu{d}), decodeDesc).desc, d);
    for (std::size_t n : {0u, 1u, 5u}) {
      DescIdsPdu ids;
      for (std::size_t i = 0; i < n; ++i) ids.pmids.push_back(Pmid::make(2, 0, static_cast<unsigned>(i)));
      QCOMPARE(roundTrip<DescIdsPdu>(encode(ids), decodeDescIds).pmids, ids.pmids);
    }
    // A failed entry travels as PM_ID_NULL and zeros whatever the struct held.
    DescsPdu descs{{d, Descriptor{}}};
    const Bytes b = encode(descs);
    QCOMPARE(b.size(), std::size_t{16 + 40});
    auto back = roundTrip<DescsPdu>(b, decodeDescs);
    QCOMPARE(back.descs.size(), std::size_t{2});
    QCOMPARE(back.descs[0], d);
    QVERIFY(back.descs[1].pmid.isNull());
    QCOMPARE(static_cast<int>(back.descs[1].type), 0);
    QCOMPARE(back.descs[1].indom.raw(), 0u);
    QCOMPARE(roundTrip<DescsPdu>(encode(DescsPdu{}), decodeDescs).descs.size(), std::size_t{0});
  }

  void instances_data() {
    QTest::addColumn<int>("nameLength");
    for (int n : {0, 1, 2, 3, 4, 5, 8, 255, 4000}) QTest::newRow(qPrintable(QString::number(n))) << n;
  }
  void instances() {
    QFETCH(int, nameLength);
    const std::string name = pattern(static_cast<std::size_t>(nameLength));
    auto req = roundTrip<InstanceReqPdu>(encode(InstanceReqPdu{InDom::make(60, 2), kNullInstance, name}), decodeInstanceReq);
    QCOMPARE(req.name, name);
    QCOMPARE(req.inst, kNullInstance);
    QCOMPARE(req.indom, InDom::make(60, 2));
    QCOMPARE(encode(InstanceReqPdu{InDom::make(60, 2), 3, name}).size() % 4, std::size_t{0});

    InstancePdu list{InDom::make(3, 9), {{0, name}, {1, "with two spaces"}, {-7, ""}, {1 << 30, "x"}}};
    QCOMPARE(roundTrip<InstancePdu>(encode(list), decodeInstance).instances, list.instances);
  }

  void emptyInstanceList() {
    auto back = roundTrip<InstancePdu>(encode(InstancePdu{InDom::make(60, 2), {}}), decodeInstance);
    QCOMPARE(back.indom, InDom::make(60, 2));
    QVERIFY(back.instances.empty());
  }

  void text_data() {
    QTest::addColumn<int>("length");
    for (int n : {0, 1, 2, 3, 4, 7, 38, 5000}) QTest::newRow(qPrintable(QString::number(n))) << n;
  }
  void text() {
    QFETCH(int, length);
    const std::string t = pattern(static_cast<std::size_t>(length));
    const Bytes b = encode(TextPdu{0x0f000800u, t});
    QCOMPARE(b.size(), 20 + ((t.size() + 3) & ~std::size_t{3}));
    auto back = roundTrip<TextPdu>(b, decodeText);
    QCOMPARE(back.text, t);
    QCOMPARE(back.ident, 0x0f000800u);
    auto req = roundTrip<TextReqPdu>(encode(TextReqPdu{0x0f000800u, kTextHelp | kTextPmid}), decodeTextReq);
    QCOMPARE(req.flags, 6);
  }

  void names() {
    NamesPdu plain{{"kernel.all.load", "a", "", pattern(1000)}, {}};
    auto back = roundTrip<NamesPdu>(encode(plain), decodeNames);
    QCOMPARE(back.names, plain.names);
    QVERIFY(back.status.empty());

    NamesPdu withStatus{{"user", "wait", "idle"}, {kLeafStatus, kNonLeafStatus, kLeafStatus}};
    back = roundTrip<NamesPdu>(encode(withStatus), decodeNames);
    QCOMPARE(back.names, withStatus.names);
    QCOMPARE(back.status, withStatus.status);

    back = roundTrip<NamesPdu>(encode(NamesPdu{}), decodeNames);
    QVERIFY(back.names.empty());
    QCOMPARE(encode(NamesPdu{}).size(), std::size_t{24});
  }

  void ids() {
    IdsPdu i{2, {Pmid::make(60, 2, 0), Pmid(), Pmid::make(2, 0, 21)}};
    auto back = roundTrip<IdsPdu>(encode(i), decodeIds);
    QCOMPARE(back.status, 2);
    QCOMPARE(back.pmids, i.pmids);
    QVERIFY(roundTrip<IdsPdu>(encode(IdsPdu{}), decodeIds).pmids.empty());
  }

  void nameRequests() {
    auto root = roundTrip<NameReqPdu>(encode(NameReqPdu{true, 0, ""}), decodeNameReq);
    QVERIFY(root.traverse);
    QVERIFY(root.name.empty());
    QCOMPARE(encode(NameReqPdu{true, 0, ""}).size(), std::size_t{20});
    auto child = roundTrip<NameReqPdu>(encode(NameReqPdu{false, 1, "kernel.all.cpu"}), decodeNameReq);
    QVERIFY(!child.traverse);
    QCOMPARE(child.subtype, 1);
    QCOMPARE(child.name, std::string("kernel.all.cpu"));
  }

  void labels() {
    auto req = roundTrip<LabelReqPdu>(encode(LabelReqPdu{0x0f000000u, 8}), decodeLabelReq);
    QCOMPARE(req.ident, 0x0f000000u);
    QCOMPARE(req.type, 8);

    // Instances level: several sets, mixed empty and labelled, values of every JSON kind.
    LabelSet a, b;
    a.setString("device_type", "cpu");
    a.setJson("indom_name", "\"per cpu\"");
    a.setJson("count", "42");
    a.setJson("flag", "true");
    a.setJson("nothing", "null");
    b.setString("interface", "lo");
    LabelPdu m{InDom::make(60, 3).raw(), 32, {{0, a}, {1, {}}, {2, b}}};
    const Bytes bytes = encode(m);
    auto back = roundTrip<LabelPdu>(bytes, decodeLabel);
    QCOMPARE(back.ident, m.ident);
    QCOMPARE(back.type, 32);
    QCOMPARE(back.sets.size(), std::size_t{3});
    for (std::size_t i = 0; i < 3; ++i) {
      QCOMPARE(back.sets[i].first, m.sets[i].first);
      QCOMPARE(back.sets[i].second.entries(), m.sets[i].second.entries());
    }
    // Every index entry carries the level bit.
    QCOMPARE(bytes[28 + 16 + 3], std::uint8_t{0x20});

    // Sets come out in instance order.
    LabelPdu unsorted{m.ident, 32, {{9, b}, {2, a}}};
    back = roundTrip<LabelPdu>(encode(unsorted), decodeLabel);
    QCOMPARE(back.sets[0].first, 2);
    QCOMPARE(back.sets[1].first, 9);

    // Other levels: one set or none.
    for (std::int32_t level : {1, 2, 4, 8, 16}) {
      back = roundTrip<LabelPdu>(encode(LabelPdu{7, level, {{kNullInstance, b}}}), decodeLabel);
      QCOMPARE(back.type, level);
      QCOMPARE(back.sets.size(), std::size_t{1});
      QCOMPARE(back.sets[0].second.toJson(), std::string(R"({"interface":"lo"})"));
      QVERIFY(roundTrip<LabelPdu>(encode(LabelPdu{7, level, {}}), decodeLabel).sets.empty());
    }
  }

  void attr() {
    for (const std::string& v : {std::string(), std::string("abc"), std::string("container\0name", 14)}) {
      const Bytes b = encode(AttrPdu{15, v});
      QCOMPARE(b.size(), 16 + v.size());  // unpadded
      auto back = roundTrip<AttrPdu>(b, decodeAttr);
      QCOMPARE(back.attr, 15);
      QCOMPARE(back.value, v);
    }
  }

  // ------------------------------------------------------------ results

  void values_data() {
    QTest::addColumn<Value>("value");
    QTest::addColumn<int>("valfmt");
    QTest::addColumn<int>("vlen");  // 0: in situ
    QTest::newRow("i32 min") << Value(std::numeric_limits<std::int32_t>::min()) << 0 << 0;
    QTest::newRow("i32 -1") << Value(std::int32_t{-1}) << 0 << 0;
    QTest::newRow("u32 max") << Value(std::numeric_limits<std::uint32_t>::max()) << 0 << 0;
    QTest::newRow("i64 min") << Value(std::numeric_limits<std::int64_t>::min()) << 1 << 12;
    QTest::newRow("i64 -5") << Value(std::int64_t{-5}) << 1 << 12;
    QTest::newRow("u64 max") << Value(std::numeric_limits<std::uint64_t>::max()) << 1 << 12;
    QTest::newRow("float") << Value(1.34f) << 1 << 8;
    QTest::newRow("float nan") << Value(std::numeric_limits<float>::quiet_NaN()) << 1 << 8;
    QTest::newRow("double") << Value(-1234.5678e100) << 1 << 12;
    QTest::newRow("double inf") << Value(std::numeric_limits<double>::infinity()) << 1 << 12;
    QTest::newRow("string empty") << Value(std::string()) << 1 << 5;
    QTest::newRow("string 3") << Value(std::string("abc")) << 1 << 8;
    QTest::newRow("string 4") << Value(std::string("abcd")) << 1 << 9;
    QTest::newRow("string spaces") << Value(std::string("6.18.44-fc-v669 #1 SMP")) << 1 << 27;
    QTest::newRow("string 3000") << Value(pattern(3000)) << 1 << 3005;
  }
  void values() {
    QFETCH(Value, value);
    QFETCH(int, valfmt);
    QFETCH(int, vlen);
    for (bool highres : {false, true}) {
      FetchResult fr;
      fr.timestamp = Timestamp(std::chrono::seconds(1700000000) + std::chrono::microseconds(123456));
      fr.sets.push_back({Pmid::make(60, 1, 1), 0, {{kNullInstance, value}, {7, value}}});
      const Bytes b = encodeResult(fr, highres, 0);
      const std::size_t preamble = highres ? 32 : 24;
      const std::size_t block = vlen == 0 ? 0 : (static_cast<std::size_t>(vlen) + 3) / 4 * 4;
      QCOMPARE(b.size(), preamble + 12 + 16 + 2 * block);
      auto r = decodeResult(ByteView(b));
      QVERIFY2(r.ok(), r.ok() ? "" : r.failure().message().c_str());
      QCOMPARE(r->highres, highres);
      QCOMPARE(r->seconds, std::int64_t{1700000000});
      QCOMPARE(r->nanoseconds, std::int64_t{123456000});
      const WireValueSet& s = r->sets.at(0);
      QCOMPARE(s.valfmt, valfmt);
      QCOMPARE(s.numval, 2);
      QCOMPARE(s.values.at(1).inst, 7);
      for (const WireValue& v : s.values) {
        QCOMPARE(v.inSitu, vlen == 0);
        if (vlen != 0) {
          QCOMPARE(static_cast<int>(v.payload.size()) + 4, vlen);
          QCOMPARE(v.blockType, static_cast<std::uint8_t>(valueTypeOf(value)));
        }
        auto back = interpret(v, valueTypeOf(value));
        QVERIFY(back.ok());
        QVERIFY(sameValue(*back, value));
      }
      // Read as their type straight from the PDU, into a result whose value held
      // something else (a string, whose storage is reused for a string).
      FetchResult typed;
      typed.sets.push_back({Pmid::make(1, 2, 3), 0, {{9, std::string("left over from the last fetch")}}});
      const ValueType type[] = {valueTypeOf(value)};
      QVERIFY(decodeResultValues(ByteView(b), type, typed).ok());
      QCOMPARE(typed.sets.size(), std::size_t{1});
      QCOMPARE(typed.sets[0].pmid, r->sets[0].pmid);
      QCOMPARE(typed.sets[0].status, 0);
      QCOMPARE(typed.sets[0].values.size(), std::size_t{2});
      QCOMPARE(typed.sets[0].values[1].inst, 7);
      for (const InstanceValue& v : typed.sets[0].values) QVERIFY(sameValue(v.value, value));
      QVERIFY(typed.timestamp == fr.timestamp);
      // As another type, or with no type given, the set cannot be read.
      const ValueType aggregate[] = {ValueType::Aggregate};
      for (std::span<const ValueType> wrong : {std::span<const ValueType>(aggregate), std::span<const ValueType>()}) {
        QVERIFY(decodeResultValues(ByteView(b), wrong, typed).ok());
        QCOMPARE(typed.sets[0].status, static_cast<int>(Error::Conv));
        QVERIFY(typed.sets[0].values.empty());
      }
    }
  }

  // Error sets, empty sets, in-situ and block sets together; a set mixing 32- and
  // 64-bit values puts all of them in blocks.
  void severalSets() {
    FetchResult fr;
    fr.sets.push_back({Pmid::make(60, 0, 1), static_cast<int>(Error::Value), {}});
    fr.sets.push_back({Pmid::make(60, 0, 2), 0, {}});
    fr.sets.push_back({Pmid::make(60, 0, 3), 0, {{1, std::uint32_t{10}}, {2, std::int32_t{-20}}}});
    fr.sets.push_back({Pmid::make(60, 0, 4), 0, {{1, std::int32_t{5}}, {2, std::int64_t{1} << 40}}});
    fr.sets.push_back({Pmid::make(60, 0, 5), 0, {{kNullInstance, std::string("x")}}});
    fr.sets.push_back({Pmid::make(60, 0, 6), static_cast<int>(Error::Pmid), {{1, std::int32_t{1}}}});
    const Bytes b = encodeResult(fr, true);
    // sets 8 + 8 + 28 + 28 + 20 + 8, blocks 8 + 12 + 8
    QCOMPARE(b.size(), std::size_t{32 + 100 + 28});
    auto r = decodeResult(ByteView(b));
    QVERIFY(r.ok());
    QCOMPARE(r->sets.size(), std::size_t{6});
    QCOMPARE(r->sets[0].numval, static_cast<int>(Error::Value));
    QCOMPARE(r->sets[1].numval, 0);
    QVERIFY(r->sets[1].values.empty());
    QCOMPARE(r->sets[2].valfmt, 0);
    QCOMPARE(std::get<std::int32_t>(*interpret(r->sets[2].values[1], ValueType::I32)), -20);
    QCOMPARE(r->sets[3].valfmt, 1);
    QCOMPARE(r->sets[3].values[0].blockType, std::uint8_t{0});
    QCOMPARE(std::get<std::int32_t>(*interpret(r->sets[3].values[0], ValueType::I32)), 5);
    QCOMPARE(std::get<std::int64_t>(*interpret(r->sets[3].values[1], ValueType::I64)), std::int64_t{1} << 40);
    QCOMPARE(std::get<std::string>(*interpret(r->sets[4].values[0], ValueType::String)), std::string("x"));
    QCOMPARE(r->sets[5].numval, static_cast<int>(Error::Pmid));
    QVERIFY(r->sets[5].values.empty());
  }

  void emptyResult() {
    for (bool highres : {false, true}) {
      const Bytes b = encodeResult(FetchResult{}, highres);
      QCOMPARE(b.size(), std::size_t{highres ? 32u : 24u});
      auto r = decodeResult(ByteView(b));
      QVERIFY(r.ok());
      QVERIFY(r->sets.empty());
    }
  }

  void timestamps_data() {
    QTest::addColumn<qint64>("ns");
    QTest::addColumn<qint64>("sec");
    QTest::addColumn<qint64>("highresNs");
    QTest::addColumn<qint64>("classicNs");
    QTest::newRow("epoch") << qint64(0) << qint64(0) << qint64(0) << qint64(0);
    QTest::newRow("sub-microsecond") << qint64(1795299924202710852) << qint64(1795299924) << qint64(202710852) << qint64(202710000);
    QTest::newRow("before 1970") << qint64(-1500000000) << qint64(-2) << qint64(500000000) << qint64(500000000);
  }
  void timestamps() {
    QFETCH(qint64, ns);
    QFETCH(qint64, sec);
    QFETCH(qint64, highresNs);
    QFETCH(qint64, classicNs);
    FetchResult fr;
    fr.timestamp = Timestamp(std::chrono::duration_cast<Timestamp::duration>(std::chrono::nanoseconds(ns)));
    auto h = decodeResult(ByteView(encodeResult(fr, true)));
    QCOMPARE(h->seconds, sec);
    QCOMPARE(h->nanoseconds, highresNs);
    auto c = decodeResult(ByteView(encodeResult(fr, false)));
    QCOMPARE(c->seconds, sec);
    QCOMPARE(c->nanoseconds, classicNs);
  }

  void store() {
    WireValueSet insitu{Pmid::make(2, 0, 1), 1, 0, {}};
    WireValue w;
    w.word = 77;
    insitu.values.push_back(w);
    WireValueSet block{Pmid::make(2, 6, 0), 2, 2, {}};
    WireValue s;
    s.inst = 3;
    s.inSitu = false;
    s.blockType = 6;
    s.payload = pdutest::ascii("who");
    s.payload.resize(9, 0);  // larger than the text, zeros after the NUL, as pmval sends
    block.values = {s, s};
    WireValueSet failed{Pmid::make(2, 0, 9), -12358, 0, {}};
    const Bytes b = encodeStore({insitu, block, failed}, 5);
    auto r = decodeResult(ByteView(b));
    QVERIFY(r.ok());
    QVERIFY(!r->highres);
    QCOMPARE(r->seconds, std::int64_t{0});
    QCOMPARE(r->sets.size(), std::size_t{3});
    QCOMPARE(r->sets[0].values[0].word, 77u);
    QCOMPARE(r->sets[1].valfmt, 2);
    QCOMPARE(r->sets[1].values[1].inst, 3);
    QCOMPARE(r->sets[1].values[1].payload, s.payload);
    QCOMPARE(std::get<std::string>(*interpret(r->sets[1].values[0], ValueType::String)), std::string("who"));
    QCOMPARE(r->sets[2].numval, -12358);
    QCOMPARE(encodeStore(r->sets, 5), b);
  }

  // Decoding into a result that held another one leaves nothing of the old behind:
  // values that were blocks become in situ, sets shrink, grow and turn into errors.
  void decodeIntoReusedResult() {
    WireValueSet block{Pmid::make(2, 6, 0), 2, 2, {}};
    WireValue s;
    s.inSitu = false;
    s.blockType = 6;
    s.payload = pdutest::ascii("a long string value");
    block.values = {s, s};
    WireValueSet failed{Pmid::make(2, 0, 9), -12358, 0, {}};
    WireValueSet insitu{Pmid::make(2, 0, 1), 1, 0, {}};
    WireValue w;
    w.word = 77;
    insitu.values.push_back(w);
    const Bytes first = encodeStore({block, insitu, block}, 5);
    const Bytes second = encodeStore({insitu, block, failed, insitu}, 6);
    WireResult reused;
    QVERIFY(decodeResultInto(ByteView(first), reused).ok());
    QCOMPARE(encodeStore(reused.sets, 5), first);
    QVERIFY(decodeResultInto(ByteView(second), reused).ok());
    QCOMPARE(encodeStore(reused.sets, 6), second);
    QVERIFY(reused.sets[0].values[0].payload.empty());
    QCOMPARE(reused.sets[2].values.size(), std::size_t{0});
    QVERIFY(decodeResultInto(ByteView(first), reused).ok());
    QCOMPARE(encodeStore(reused.sets, 5), first);
    QVERIFY(!decodeResultInto(ByteView(first.data(), first.size() - 4), reused).ok());  // a failure is still one
  }
};

QTEST_APPLESS_MAIN(PduRoundTripTest)
#include "PduRoundTripTest.moc"
