// Every PDU of the fuzz seed corpus (captured between PCP 6.0.3's tools and a real
// pmcd) decodes, and re-encoding what was decoded gives back the captured bytes
// exactly: our layouts, padding included, are pmcd's and libpcp's.
#include <QtTest>

#include <chrono>

#include "PduTestUtil.h"
#include "core/pdu/Pdu.h"

using namespace sextant;
using namespace sextant::pdu;

namespace {

const QString kCorpus = QStringLiteral(SEXTANT_FIXTURES "/../fuzz/corpus/pdu");

Bytes readFile(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return {};
  const QByteArray a = f.readAll();
  return Bytes(a.begin(), a.end());
}

template <class Decode>
Expected<Bytes> again(ByteView v, std::int32_t from, Decode decode) {
  auto r = decode(v);
  if (!r) return r.failure();
  return encode(*r, from);
}

// A server's result goes back through encodeResult, from the values interpreted with
// the block's own type; a client's store (a RESULT) through encodeStore.
Expected<Bytes> resultAgain(ByteView v, std::int32_t from) {
  auto r = decodeResult(v);
  if (!r) return r.failure();
  if (!r->highres) return encodeStore(r->sets, from);
  FetchResult fr;
  fr.timestamp = Timestamp(std::chrono::duration_cast<Timestamp::duration>(std::chrono::seconds(r->seconds) +
                                                                           std::chrono::nanoseconds(r->nanoseconds)));
  for (const WireValueSet& s : r->sets) {
    ValueSet out{s.pmid, s.numval < 0 ? s.numval : 0, {}};
    for (const WireValue& w : s.values) {
      auto value = interpret(w, w.inSitu ? ValueType::U32 : static_cast<ValueType>(w.blockType));
      if (!value) return value.failure();
      out.values.push_back({w.inst, *value});
    }
    fr.sets.push_back(std::move(out));
  }
  return encodeResult(fr, true, from);
}

Expected<Bytes> reencode(const Bytes& pdu) {
  const ByteView v(pdu);
  auto h = decodeHeader(v);
  if (!h) return h.failure();
  switch (static_cast<Type>(h->type)) {
    case Type::Error: return again(v, h->from, decodeError);
    case Type::Creds: return again(v, h->from, decodeCreds);
    case Type::Profile: return again(v, h->from, decodeProfile);
    case Type::Fetch:
    case Type::HighresFetch: return again(v, h->from, decodeFetch);
    case Type::DescReq: return again(v, h->from, decodeDescReq);
    case Type::Desc: return again(v, h->from, decodeDesc);
    case Type::DescIds: return again(v, h->from, decodeDescIds);
    case Type::Descs: return again(v, h->from, decodeDescs);
    case Type::InstanceReq: return again(v, h->from, decodeInstanceReq);
    case Type::Instance: return again(v, h->from, decodeInstance);
    case Type::TextReq: return again(v, h->from, decodeTextReq);
    case Type::Text: return again(v, h->from, decodeText);
    case Type::PmnsNames: return again(v, h->from, decodeNames);
    case Type::PmnsIds: return again(v, h->from, decodeIds);
    case Type::PmnsChild:
    case Type::PmnsTraverse: return again(v, h->from, decodeNameReq);
    case Type::LabelReq: return again(v, h->from, decodeLabelReq);
    case Type::Label: return again(v, h->from, decodeLabel);
    case Type::Attr: return again(v, h->from, decodeAttr);
    case Type::Result:
    case Type::HighresResult: return resultAgain(v, h->from);
  }
  return Failure{Error::Ipc, "unknown type"};
}

}  // namespace

class PduCorpusTest : public QObject {
  Q_OBJECT

 private slots:
  void capturedPdu_data() {
    QTest::addColumn<QString>("path");
    const QStringList files = QDir(kCorpus).entryList({"*.pdu"}, QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 40);
    for (const QString& f : files)
      if (!f.startsWith("stream-")) QTest::newRow(qPrintable(f)) << kCorpus + "/" + f;
  }
  void capturedPdu() {
    QFETCH(QString, path);
    const Bytes pdu = readFile(path);
    QVERIFY(pdu.size() >= kHeaderSize);
    auto out = reencode(pdu);
    QVERIFY2(out.ok(), out.ok() ? "" : out.failure().message().c_str());
    COMPARE_BYTES(*out, pdu);
  }

  // Whole one-direction streams of a pminfo session: the Framer cuts them into PDUs
  // that each re-encode to themselves, and nothing is left over.
  void capturedStream_data() {
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("pdus");
    QTest::newRow("client to pmcd") << kCorpus + "/stream-pminfo-cs.pdu" << 11;
    QTest::newRow("pmcd to client") << kCorpus + "/stream-pminfo-sc.pdu" << 10;
  }
  void capturedStream() {
    QFETCH(QString, path);
    QFETCH(int, pdus);
    const Bytes stream = readFile(path);
    QVERIFY(!stream.empty());
    Framer framer;
    framer.feed(ByteView(stream));
    int count = 0;
    while (true) {
      auto next = framer.next();
      QVERIFY(next.ok());
      if (!*next) break;
      ++count;
      auto out = reencode(**next);
      QVERIFY2(out.ok(), out.ok() ? "" : out.failure().message().c_str());
      COMPARE_BYTES(*out, **next);
    }
    QCOMPARE(count, pdus);
    QCOMPARE(framer.buffered(), std::size_t{0});
  }
};

QTEST_APPLESS_MAIN(PduCorpusTest)
#include "PduCorpusTest.moc"
