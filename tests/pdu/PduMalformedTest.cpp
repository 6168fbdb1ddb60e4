// Malformed input: every decoder on truncated PDUs and on PDUs whose counts, lengths
// and offsets lie; the Framer on split, joined and out-of-range PDUs; interpret() on
// values that do not match their type. Each must fail cleanly with the right error.
#include <QtTest>

#include <functional>
#include <map>

#include "PduTestUtil.h"
#include "core/pdu/Pdu.h"

using namespace sextant;
using namespace sextant::pdu;
using pdutest::ascii;
using pdutest::hex;
using pdutest::operator+;

namespace {

using Decoder = std::function<std::optional<Failure>(ByteView)>;

template <class F>
Decoder wrap(F f) {
  return [f](ByteView b) -> std::optional<Failure> {
    auto r = f(b);
    if (r.ok()) return std::nullopt;
    return r.failure();
  };
}

const std::map<QString, Decoder>& decoders() {
  static const std::map<QString, Decoder> all = {
      {"error", wrap(decodeError)},         {"creds", wrap(decodeCreds)},
      {"profile", wrap(decodeProfile)},     {"fetch", wrap(decodeFetch)},
      {"result", wrap(decodeResult)},       {"descreq", wrap(decodeDescReq)},
      {"desc", wrap(decodeDesc)},           {"descids", wrap(decodeDescIds)},
      {"descs", wrap(decodeDescs)},         {"instancereq", wrap(decodeInstanceReq)},
      {"instance", wrap(decodeInstance)},   {"textreq", wrap(decodeTextReq)},
      {"text", wrap(decodeText)},           {"names", wrap(decodeNames)},
      {"ids", wrap(decodeIds)},             {"namereq", wrap(decodeNameReq)},
      {"labelreq", wrap(decodeLabelReq)},   {"label", wrap(decodeLabel)},
      {"attr", wrap(decodeAttr)},
  };
  return all;
}

QByteArray qb(const Bytes& b) { return QByteArray(reinterpret_cast<const char*>(b.data()), static_cast<qsizetype>(b.size())); }
Bytes fromQ(const QByteArray& a) { return Bytes(a.begin(), a.end()); }

// A valid PDU of every type, with content in every variable part.
std::vector<std::pair<QString, Bytes>> samples() {
  LabelSet ls;
  ls.setString("agent", "linux");
  ls.setJson("n", "1");
  FetchResult fr;
  fr.sets.push_back({Pmid::make(60, 2, 0), 0, {{1, 1.5f}, {5, std::string("five")}}});
  fr.sets.push_back({Pmid::make(60, 0, 32), 0, {{kNullInstance, std::uint32_t{4}}}});
  fr.sets.push_back({Pmid::make(60, 9, 9), -12358, {}});
  Profile p;
  p.include(InDom::make(60, 2), {1, 5});
  return {
      {"error", encode(ErrorPdu{0, kHelloFeatureWord})},
      {"creds", encode(CredsPdu{{0x01020000u, 7u}})},
      {"profile", encode(ProfilePdu{0, p})},
      {"fetch", encode(FetchPdu{0, {Pmid::make(60, 2, 0), Pmid::make(2, 0, 5)}, true})},
      {"result", encodeResult(fr, true)},
      {"result", encodeResult(fr, false)},
      {"descreq", encode(DescReqPdu{Pmid::make(60, 2, 0)})},
      {"desc", encode(DescPdu{{Pmid::make(60, 2, 0), ValueType::Float, InDom::make(60, 2), Semantics::Instant, {}}})},
      {"descids", encode(DescIdsPdu{{Pmid::make(60, 2, 0), Pmid::make(60, 1, 2)}})},
      {"descs", encode(DescsPdu{{Descriptor{Pmid::make(60, 2, 0), ValueType::U32, InDom(), Semantics::Counter, Units::count()}, Descriptor{}}})},
      {"instancereq", encode(InstanceReqPdu{InDom::make(60, 2), kNullInstance, "1 minute"})},
      {"instance", encode(InstancePdu{InDom::make(60, 2), {{1, "1 minute"}, {15, "15 minute"}}})},
      {"textreq", encode(TextReqPdu{1, 5})},
      {"text", encode(TextPdu{1, "some help text"})},
      {"names", encode(NamesPdu{{"kernel.all.load", "hinv.ncpu"}, {}})},
      {"names", encode(NamesPdu{{"user", "sys"}, {0, 1}})},
      {"ids", encode(IdsPdu{1, {Pmid::make(60, 2, 0), Pmid()}})},
      {"namereq", encode(NameReqPdu{true, 0, "kernel.all.load"})},
      {"labelreq", encode(LabelReqPdu{60, 2})},
      {"label", encode(LabelPdu{60, 2, {{kNullInstance, ls}}})},
      {"attr", encode(AttrPdu{15, "box"})},
  };
}

// Shortening these PDUs and fixing the header can leave another valid PDU.
bool shorterMayBeValid(const QString& decoder, std::size_t length) {
  if (decoder == "attr") return length >= 16;
  if (decoder == "error") return length == 16;
  return false;
}

}  // namespace

class PduMalformedTest : public QObject {
  Q_OBJECT

 private slots:
  void samplesDecode() {
    for (const auto& [name, bytes] : samples()) {
      auto f = decoders().at(name)(ByteView(bytes));
      QVERIFY2(!f, qPrintable(name + ": " + QString::fromStdString(f ? f->message() : "")));
    }
  }

  // Every prefix fails: as delivered (header length now wrong), and with the header
  // length patched to match, so the body checks are what must catch it.
  void truncated() {
    for (const auto& [name, bytes] : samples()) {
      const Decoder& decode = decoders().at(name);
      for (std::size_t len = 0; len < bytes.size(); ++len) {
        Bytes cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(len));
        auto f = decode(ByteView(cut));
        QVERIFY2(f.has_value(), qPrintable(QString("%1 cut to %2").arg(name).arg(len)));
        QCOMPARE(f->code, Error::Ipc);
        if (len < kHeaderSize || shorterMayBeValid(name, len)) continue;
        cut[0] = 0;
        cut[1] = 0;
        cut[2] = static_cast<std::uint8_t>(len >> 8);
        cut[3] = static_cast<std::uint8_t>(len);
        f = decode(ByteView(cut));
        QVERIFY2(f.has_value(), qPrintable(QString("%1 cut to %2, header fixed").arg(name).arg(len)));
        QCOMPARE(f->code, Error::Ipc);
      }
    }
  }

  // Every decoder refuses every other type's PDU.
  void wrongType() {
    for (const auto& [name, bytes] : samples())
      for (const auto& [other, decode] : decoders()) {
        if (other == name) continue;
        auto f = decode(ByteView(bytes));
        QVERIFY2(f.has_value(), qPrintable(other + " accepted " + name));
        QCOMPARE(f->code, Error::Ipc);
      }
  }

  void lies_data() {
    QTest::addColumn<QString>("decoder");
    QTest::addColumn<QByteArray>("pdu");
    QTest::addColumn<QString>("detail");
    auto row = [](const char* n, const char* decoder, const Bytes& b, const char* detail) {
      QTest::newRow(n) << QString(decoder) << qb(b) << QString(detail);
    };
    row("error 24 bytes", "error", hex("00000018 00007000 00000000 00000000 02010e00 00000000"), "neither 16 nor 20");
    row("error 12 bytes", "error", hex("0000000c 00007000 00000000"), "neither 16 nor 20");
    row("header length 11", "descreq", hex("0000000b 00007004 00000000 0f000800"), "below the header");
    row("header longer than bytes", "descreq", hex("00000014 00007004 00000000 0f000800"), "header length 20");
    row("creds too many", "creds", hex("00000014 0000700c 00000000 00000401 01020000"), "numcreds");
    row("creds count lies", "creds", hex("00000018 0000700c 00000000 00000001 01020000 01020000"), "does not match");
    row("profile numprof huge", "profile", hex("0000001c 00007002 00000000 00000000 00000000 7fffffff 00000000"), "numprof");
    row("profile numinst lies", "profile",
        hex("00000030 00007002 00000000 00000000 00000000 00000001 00000000 0f000002 00000001 00000002 00000000 00000001"),
        "instance counts");
    row("profile negative numinst", "profile",
        hex("0000002c 00007002 00000000 00000000 00000000 00000001 00000000 0f000002 00000001 ffffffff 00000000"), "negative");
    row("fetch numpmid huge", "fetch", hex("00000020 00007003 00000000 00000000 00000000 00000000 7fffffff 0f000800"), "numpmid");
    row("fetch numpmid short", "fetch", hex("00000020 00007014 00000000 00000000 00000000 00000000 00000002 0f000800"), "numpmid");
    row("descids marker 0", "descids", hex("00000018 00007016 00000000 00000000 00000001 0f000402"), "marker 0");
    row("descids count lies", "descids", hex("00000018 00007016 00000000 ffffffff 00000002 0f000402"), "numids");
    row("desc 36 bytes", "desc", hex("00000024 00007005 00000000 0f000800 00000004 0f000002 00000003 00000000 00000000"), "not 32");
    row("descs huge", "descs", hex("00000010 00007017 00000000 7fffffff"), "numdescs");
    row("descs trailing", "descs", hex("00000014 00007017 00000000 00000000 00000000"), "numdescs");
    row("instance req namelen past end", "instancereq",
        hex("00000024 00007006 00000000 0f000002 00000000 00000000 ffffffff 00000008") + ascii("1 mi"), "namelen");
    row("instance req negative namelen", "instancereq",
        hex("00000020 00007006 00000000 0f000002 00000000 00000000 ffffffff ffffffff"), "namelen");
    row("instance numinst huge", "instance", hex("00000014 00007007 00000000 0f000002 7fffffff"), "numinst");
    row("instance name past end", "instance", hex("0000001c 00007007 00000000 0f000002 00000001 00000001 00000100"), "past the end");
    row("instance missing padding", "instance",
        hex("0000001d 00007007 00000000 0f000002 00000001 00000001 00000001") + ascii("x"), "past the end");
    row("text buflen past end", "text", hex("00000018 00007009 00000000 0f000800 00000010 41424344"), "buflen");
    row("text trailing", "text", hex("00000018 00007009 00000000 0f000800 00000000 41424344"), "trailing");
    row("names namelen past end", "names",
        hex("00000020 0000700e 00000000 00000010 00000000 00000001 00000fff 41424344"), "past the end");
    row("names numnames huge", "names", hex("00000018 0000700e 00000000 00000000 00000000 7fffffff"), "numnames");
    row("names numstatus odd", "names", hex("00000024 0000700e 00000000 00000002 00000002 00000001 00000000 00000001 61000000"),
        "numstatus");
    row("names nstrbytes small", "names", hex("00000020 0000700e 00000000 00000001 00000000 00000001 00000003 61626300"),
        "nstrbytes");
    row("ids count lies", "ids", hex("00000018 0000700d 00000000 00000001 00000002 0f000800"), "numids");
    row("namereq namelen past end", "namereq", hex("00000018 00007010 00000000 00000000 00000009 6b65726e"), "namelen");
    row("labelreq 24", "labelreq", hex("00000018 00007012 00000000 0000003c 00000002 00000000"), "not 20");
    row("label nsets huge", "label", hex("0000001c 00007013 00000000 0000003c 00000002 00000000 7fffffff"), "nsets");
    row("label json past end", "label",
        hex("0000002c 00007013 00000000 0000003c 00000002 00000000 00000001 ffffffff 00000000 00000100 00000004"),
        "outside the PDU");
    row("label negative json", "label",
        hex("0000002c 00007013 00000000 0000003c 00000002 00000000 00000001 ffffffff 00000000 ffffffff 00000000"),
        "outside the PDU");
    row("label nlabels huge", "label",
        hex("0000002c 00007013 00000000 0000003c 00000002 00000000 00000001 ffffffff 7fffffff 0000002c 00000000"), "nlabels");
    row("label name outside json", "label",
        hex("00000045 00007013 00000000 0000003c 00000002 00000000 00000001 ffffffff 00000001 00000034 00000011") +
            hex("0010 05 02 0009 0007") + ascii(R"({"agent":"linux"})"),
        "outside its JSON");
    row("label value outside json", "label",
        hex("00000045 00007013 00000000 0000003c 00000002 00000000 00000001 ffffffff 00000001 00000034 00000011") +
            hex("0002 05 02 0009 0009") + ascii(R"({"agent":"linux"})"),
        "outside its JSON");
    row("attr 12 bytes", "attr", hex("0000000c 00007011 00000000"), "shorter");

    // RESULT: one DPTR value of 60.2.0 whose block starts at word 11 (byte 44).
    const Bytes pre = hex("00000034 00007001 00000000 00000000 00000000 00000001 0f000800 00000001 00000001 ffffffff");
    row("result good", "result", pre + hex("0000000b 04000008 3fc00000"), "");
    row("result offset past end", "result", pre + hex("00000040 04000008 3fc00000"), "outside the value blocks");
    row("result offset huge", "result", pre + hex("ffffffff 04000008 3fc00000"), "outside the value blocks");
    row("result offset into sets", "result", pre + hex("00000003 04000008 3fc00000"), "outside the value blocks");
    row("result vlen 3", "result", pre + hex("0000000b 04000003 3fc00000"), "below 4");
    row("result vlen past end", "result", pre + hex("0000000b 04000010 3fc00000"), "runs past the end");
    row("result block short of end", "result", pre + hex("0000000b 04000004 3fc00000"), "fill the PDU");
    row("result valfmt 3", "result", hex("00000034 00007001 00000000 00000000 00000000 00000001 0f000800 00000001 00000003 ffffffff") +
                                         hex("0000000b 04000008 3fc00000"), "valfmt 3");
    row("result blocks overlap", "result",
        hex("00000044 00007001 00000000 00000000 00000000 00000001 0f000800 00000002 00000001") +
            hex("00000001 0000000d 00000002 0000000f 0400000c 3fc00000 04000004 00000000"),
        "overlap");  // 52..64 and 60..64: distinct starts, lengths add up
    row("result numpmid huge", "result", hex("00000018 00007001 00000000 00000000 00000000 7fffffff"), "numpmid");
    row("result numval huge", "result", hex("00000024 00007001 00000000 00000000 00000000 00000001 0f000800 7fffffff 00000000"),
        "numval");
    row("result usec out of range", "result", hex("00000018 00007001 00000000 00000000 000f4240 00000000"), "fraction");
    row("highres nsec negative", "result",
        hex("00000020 00007015 00000000 00000000 00000000 00000000 ffffffff ffffffff"), "fraction");
    row("result two values share a block", "result",
        hex("00000044 00007001 00000000 00000000 00000000 00000001 0f000800 00000002 00000001") +
            hex("00000001 0000000d 00000002 0000000d 04000008 3fc00000 04000008 3fc00000"),
        "overlap");  // the lengths add up only because of the gap
  }
  void lies() {
    QFETCH(QString, decoder);
    QFETCH(QByteArray, pdu);
    QFETCH(QString, detail);
    const Bytes b = fromQ(pdu);
    auto f = decoders().at(decoder)(ByteView(b));
    if (decoder == "result") {  // the typed decode, which reads values in place, checks alike
      FetchResult typed;
      auto t = decodeResultValues(ByteView(b), {}, typed);
      QCOMPARE(t.ok(), !f.has_value());
      if (f) QCOMPARE(t.failure().detail, f->detail);
    }
    if (detail.isEmpty()) {
      QVERIFY2(!f, f ? f->message().c_str() : "");
      return;
    }
    QVERIFY(f.has_value());
    QCOMPARE(f->code, Error::Ipc);
    QVERIFY2(QString::fromStdString(f->detail).contains(detail), f->detail.c_str());
  }

  // ------------------------------------------------------------ framer

  void framerByteByByte() {
    const Bytes a = encode(DescReqPdu{Pmid::make(60, 2, 0)}, 1);
    const Bytes b = encode(TextPdu{1, "hello"}, 2);
    const Bytes stream = a + b;
    Framer f;
    std::vector<Bytes> out;
    for (std::uint8_t byte : stream) {
      f.feed(ByteView(&byte, 1));
      auto n = f.next();
      QVERIFY(n.ok());
      if (*n) out.push_back(**n);
    }
    QCOMPARE(out.size(), std::size_t{2});
    QCOMPARE(out[0], a);
    QCOMPARE(out[1], b);
    QCOMPARE(f.buffered(), std::size_t{0});
  }

  void framerTwoInOneFeed() {
    const Bytes a = encode(ProfilePdu{}, 0);
    const Bytes b = encode(FetchPdu{0, {Pmid::make(60, 2, 0)}, true}, 0);
    const Bytes c = encode(CredsPdu{{0x01020000u}}, 99);
    Framer f;
    f.feed(ByteView(a + b + Bytes(c.begin(), c.begin() + 5)));
    QCOMPARE(**f.next(), a);
    QCOMPARE(**f.next(), b);
    auto none = f.next();
    QVERIFY(none.ok());
    QVERIFY(!*none);
    QCOMPARE(f.buffered(), std::size_t{5});
    f.feed(ByteView(c).subspan(5));
    QCOMPARE(**f.next(), c);
    QVERIFY(!*f.next());
  }

  // Views into the framer's buffer: whole PDUs in order, each view intact until the
  // next feed, mixed with copies, and the buffer drained as with next() alone.
  void framerViews() {
    const Bytes a = encode(ProfilePdu{}, 0);
    const Bytes b = encode(TextPdu{7, "a reply left where it arrived"}, 3);
    const Bytes c = encode(CredsPdu{{0x01020000u}}, 99);
    Framer f;
    f.feed(ByteView(a + b + Bytes(c.begin(), c.begin() + 7)));
    auto first = f.nextView();
    QVERIFY(first.ok() && *first);
    auto second = f.nextView();
    QVERIFY(second.ok() && *second);
    QCOMPARE(Bytes((*first)->begin(), (*first)->end()), a);  // still intact after the second
    QCOMPARE(Bytes((*second)->begin(), (*second)->end()), b);
    auto none = f.nextView();
    QVERIFY(none.ok() && !*none);
    QCOMPARE(f.buffered(), std::size_t{7});
    f.feed(ByteView(c).subspan(7));
    QCOMPARE(**f.next(), c);
    QCOMPARE(f.buffered(), std::size_t{0});
    f.feed(ByteView(b));
    auto again = f.nextView();
    QVERIFY(again.ok() && *again);
    QCOMPARE(Bytes((*again)->begin(), (*again)->end()), b);
    // Read straight into the buffer: room(), then commit() of what the read gave. A
    // commit past the room given counts only the room.
    Framer h;
    auto room = h.room(64);
    QCOMPARE(room.size(), std::size_t{64});
    std::copy(b.begin(), b.begin() + 10, room.begin());
    h.commit(10);
    QVERIFY(!*h.nextView());
    room = h.room(b.size() - 10);
    std::copy(b.begin() + 10, b.end(), room.begin());
    h.commit(room.size() + 1000);
    QCOMPARE(h.buffered(), b.size());
    auto whole = h.nextView();
    QVERIFY(whole.ok() && *whole);
    QCOMPARE(Bytes((*whole)->begin(), (*whole)->end()), b);
    QCOMPARE(h.buffered(), std::size_t{0});
    // A bad length is the same failure through either.
    Framer g;
    g.feed(ByteView(Bytes{0, 0, 0, 5, 0, 0, 0x70, 0, 0, 0, 0, 0}));
    auto bad = g.nextView();
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error(), Error::Ipc);
  }

  // Many PDUs through one framer in uneven pieces: each comes out whole and in order.
  void framerManyPieces() {
    Bytes stream;
    std::vector<Bytes> pdus;
    for (int i = 0; i < 300; ++i) {
      pdus.push_back(encode(TextPdu{static_cast<std::uint32_t>(i), std::string(static_cast<std::size_t>(i % 13), 'x')}, i));
      stream = stream + pdus.back();
    }
    Framer f;
    std::size_t at = 0, step = 1, got = 0;
    while (at < stream.size()) {
      const std::size_t n = std::min(step, stream.size() - at);
      f.feed(ByteView(stream).subspan(at, n));
      at += n;
      step = step * 7 % 97 + 1;
      while (true) {
        auto p = f.next();
        QVERIFY(p.ok());
        if (!*p) break;
        QCOMPARE(**p, pdus.at(got));
        ++got;
      }
    }
    QCOMPARE(got, pdus.size());
  }

  void framerBadLengths_data() {
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<int>("error");
    QTest::addColumn<QString>("detail");
    QTest::newRow("length 11") << qb(hex("0000000b 00007000 00000000")) << int(Error::Ipc) << "11";
    QTest::newRow("length 0") << qb(hex("00000000 00007000 00000000")) << int(Error::Ipc) << "0";
    QTest::newRow("negative") << qb(hex("ffffffff 00007000 00000000")) << int(Error::Ipc) << "-1";
    QTest::newRow("65537") << qb(hex("00010001 00007003 00000000")) << int(Error::TooBig) << "65537 exceeds the limit of 65536";
  }
  void framerBadLengths() {
    QFETCH(QByteArray, head);
    QFETCH(int, error);
    QFETCH(QString, detail);
    Framer f(65536);
    f.feed(ByteView(fromQ(head)));
    auto n = f.next();
    QVERIFY(!n.ok());
    QCOMPARE(int(n.error()), error);
    QVERIFY2(QString::fromStdString(n.failure().detail).contains(detail), n.failure().detail.c_str());
    // The stream cannot be resynchronised: the error stays.
    QVERIFY(!f.next().ok());
  }

  void framerAtTheLimit() {
    Bytes big = encode(AttrPdu{0, std::string(65536 - 16, 'a')});
    QCOMPARE(big.size(), std::size_t{65536});
    Framer f(65536);
    f.feed(ByteView(big).first(60000));
    QVERIFY(!*f.next());
    f.feed(ByteView(big).subspan(60000));
    auto n = f.next();
    QVERIFY(n.ok());
    QCOMPARE(n->value().size(), std::size_t{65536});
  }

  void header() {
    QVERIFY(!decodeHeader(ByteView(hex("00000010 00007000"))).ok());
    auto h = decodeHeader(ByteView(hex("00000010 00007abc 0000002a")));
    QVERIFY(h.ok());
    QCOMPARE(h->type, 0x7abc);
    QCOMPARE(h->from, 42);
  }

  // ------------------------------------------------------------ interpret

  void interpretMismatch_data() {
    QTest::addColumn<bool>("inSitu");
    QTest::addColumn<int>("blockType");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("type");
    QTest::addColumn<bool>("ok");
    auto row = [](const char* n, bool insitu, int bt, const Bytes& p, ValueType t, bool ok) {
      QTest::newRow(n) << insitu << bt << qb(p) << int(t) << ok;
    };
    row("in situ as u64", true, 0, {}, ValueType::U64, false);
    row("in situ as string", true, 0, {}, ValueType::String, false);
    row("in situ as float (old agents)", true, 0, {}, ValueType::Float, true);
    row("u64 block of 4", false, 3, hex("00000001"), ValueType::U64, false);
    row("u64 block of 12", false, 3, hex("00000000 00000001 00000000"), ValueType::U64, false);
    row("double block typed u64", false, 3, hex("00000000 00000001"), ValueType::Double, false);
    row("don't-care type", false, 0, hex("00000000 00000001"), ValueType::Double, true);
    row("float block of 8", false, 4, hex("00000000 00000001"), ValueType::Float, false);
    row("string without NUL", false, 6, ascii("abc"), ValueType::String, true);
    row("aggregate", false, 7, ascii("abc"), ValueType::Aggregate, false);
    row("i32 block", false, 0, hex("fffffffe"), ValueType::I32, true);
    row("i32 block of 8", false, 0, hex("fffffffe 00000000"), ValueType::I32, false);
  }
  void interpretMismatch() {
    QFETCH(bool, inSitu);
    QFETCH(int, blockType);
    QFETCH(QByteArray, payload);
    QFETCH(int, type);
    QFETCH(bool, ok);
    WireValue v;
    v.inSitu = inSitu;
    v.word = 0x40490fdb;
    v.blockType = static_cast<std::uint8_t>(blockType);
    v.payload = fromQ(payload);
    auto r = interpret(v, static_cast<ValueType>(type));
    QCOMPARE(r.ok(), ok);
    if (!ok) QCOMPARE(r.error(), Error::Conv);
  }

  void interpretValues() {
    WireValue v;
    v.word = 0x40490fdb;
    QCOMPARE(std::get<float>(*interpret(v, ValueType::Float)), 3.14159274f);
    QCOMPARE(std::get<std::int32_t>(*interpret(v, ValueType::I32)), 0x40490fdb);
    v.inSitu = false;
    v.payload = hex("fffffffe");
    QCOMPARE(std::get<std::int32_t>(*interpret(v, ValueType::I32)), -2);
    v.payload = ascii("abc");
    QCOMPARE(std::get<std::string>(*interpret(v, ValueType::String)), std::string("abc"));
    v.payload = ascii("ab") + hex("00 63 00");
    QCOMPARE(std::get<std::string>(*interpret(v, ValueType::String)), std::string("ab"));
    v.payload = {};
    QCOMPARE(std::get<std::string>(*interpret(v, ValueType::String)), std::string());
  }
};

QTEST_APPLESS_MAIN(PduMalformedTest)
#include "PduMalformedTest.moc"
