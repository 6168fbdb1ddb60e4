// The archive format (docs/archive-format.md): the blob codecs byte for byte, damaged
// blobs, and the writer and reader over real files: round trips, refusals, size per
// value, appending, a failed write, a killed writer and a reader beside a writer.
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <bit>
#include <cmath>
#include <filesystem>
#include <limits>
#include <random>

#include "tools/archive/ArchiveCodec.h"
#include "tools/archive/ArchiveContext.h"
#include "tools/archive/ArchiveWriter.h"

using namespace sextant;
using namespace sextant::archive;

Q_DECLARE_METATYPE(sextant::ValueType)
Q_DECLARE_METATYPE(std::vector<sextant::Value>)

namespace {

constexpr std::int64_t kT0 = 1700000000000000000;  // 2023-11-14, in ns
constexpr std::int64_t kSecond = 1000000000;

QByteArray bytes(const std::string& s) { return QByteArray(s.data(), static_cast<qsizetype>(s.size())); }
Timestamp at(std::int64_t ns) { return Timestamp(std::chrono::nanoseconds(ns)); }

RecordedMetric metric(const std::string& name, Pmid pmid, ValueType type, Semantics sem, InDom indom = InDom()) {
  return RecordedMetric{name, Descriptor{pmid, type, indom, sem, Units::count()}, name + " help", "", {}};
}

FetchResult sample(std::int64_t ns, std::vector<ValueSet> sets) { return FetchResult{at(ns), std::move(sets)}; }

// Runs a one-row statement on the file with SQLite directly, as another reader would.
std::int64_t sqlInt(const std::string& path, const char* query) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  std::int64_t v = -1;
  if (sqlite3_prepare_v2(db, query, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  return v;
}

void sqlExec(const std::string& path, const char* text) {
  sqlite3* db = nullptr;
  QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  QCOMPARE(sqlite3_exec(db, text, nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

const Pmid kCount = Pmid::make(60, 0, 1);
const Pmid kText = Pmid::make(60, 0, 2);

// A small archive: a U64 counter and a string, `n` samples a second apart from kT0.
void writeSmall(const std::string& path, int n, int from = 0, bool create = true) {
  auto w = create ? ArchiveWriter::create(path, ArchiveMeta{"vm", "UTC", std::chrono::milliseconds(1000), {}})
                  : ArchiveWriter::append(path);
  QVERIFY2(w.ok(), w.ok() ? "" : w.failure().message().c_str());
  QVERIFY((*w)->addMetric(metric("a.count", kCount, ValueType::U64, Semantics::Counter)).ok());
  QVERIFY((*w)->addMetric(metric("a.text", kText, ValueType::String, Semantics::Discrete)).ok());
  for (int i = from; i < from + n; ++i) {
    auto ok = (*w)->writeSample(sample(kT0 + i * kSecond, {{kCount, 0, {{kNullInstance, std::uint64_t(100u * unsigned(i))}}},
                                                          {kText, 0, {{kNullInstance, "s" + std::to_string(i)}}}}));
    QVERIFY2(ok.ok(), ok.ok() ? "" : ok.failure().message().c_str());
  }
}

// Every sample of a one-second archive as (time, count, text), read through the reader.
std::vector<std::tuple<std::int64_t, std::uint64_t, std::string>> readSmall(ArchiveContext& a) {
  std::vector<std::tuple<std::int64_t, std::uint64_t, std::string>> out;
  const Pmid pmids[] = {kCount, kText};
  for (auto r = a.fetch(pmids); r.ok(); r = a.fetch(pmids)) {
    const std::int64_t t = std::chrono::duration_cast<std::chrono::nanoseconds>(r->timestamp.time_since_epoch()).count();
    if (r->sets[0].values.size() != 1 || r->sets[1].values.size() != 1) break;
    out.emplace_back(t, std::get<std::uint64_t>(r->sets[0].values[0].value), std::get<std::string>(r->sets[1].values[0].value));
  }
  return out;
}

}  // namespace

class ArchiveFormatTest : public QObject {
  Q_OBJECT
 private slots:
  void varints_data() {
    QTest::addColumn<quint64>("value");
    QTest::addColumn<QByteArray>("encoded");
    QTest::newRow("0") << quint64(0) << QByteArray::fromHex("00");
    QTest::newRow("127") << quint64(127) << QByteArray::fromHex("7f");
    QTest::newRow("128") << quint64(128) << QByteArray::fromHex("8001");
    QTest::newRow("300") << quint64(300) << QByteArray::fromHex("ac02");
    QTest::newRow("2^32") << (quint64(1) << 32) << QByteArray::fromHex("8080808010");
    QTest::newRow("max") << std::numeric_limits<quint64>::max() << QByteArray::fromHex("ffffffffffffffffff01");
  }
  void varints() {
    QFETCH(quint64, value);
    QFETCH(QByteArray, encoded);
    std::string out;
    codec::putVarint(out, value);
    QCOMPARE(bytes(out), encoded);
    codec::ByteReader in(out);
    std::uint64_t back = 0;
    QVERIFY(in.varint(back));
    QCOMPARE(back, value);
    QVERIFY(in.atEnd());
  }

  void zigzag() {
    QCOMPARE(codec::zigzag(0), 0u);
    QCOMPARE(codec::zigzag(-1), 1u);
    QCOMPARE(codec::zigzag(1), 2u);
    QCOMPARE(codec::zigzag(-2), 3u);
    QCOMPARE(codec::zigzag(std::numeric_limits<std::int64_t>::max()), std::numeric_limits<std::uint64_t>::max() - 1);
    QCOMPARE(codec::zigzag(std::numeric_limits<std::int64_t>::min()), std::numeric_limits<std::uint64_t>::max());
    for (std::int64_t v : {std::int64_t{0}, std::int64_t{-5}, std::int64_t{77}, std::numeric_limits<std::int64_t>::min(),
                           std::numeric_limits<std::int64_t>::max()})
      QCOMPARE(codec::unzigzag(codec::zigzag(v)), v);
  }

  // Three rows of one metric (key, delta, delta) must come back bit for bit.
  void rowRoundTrip_data() {
    QTest::addColumn<ValueType>("type");
    QTest::addColumn<std::vector<Value>>("values");
    const double nan = std::bit_cast<double>(std::uint64_t{0x7FF8000000000123});
    const float fnan = std::bit_cast<float>(std::uint32_t{0x7FC00042});
    using I64 = std::numeric_limits<std::int64_t>;
    QTest::newRow("i32 negatives") << ValueType::I32 << std::vector<Value>{-1, std::numeric_limits<std::int32_t>::min(), 2147483647};
    QTest::newRow("u32 wrap") << ValueType::U32 << std::vector<Value>{0xFFFFFFFFu, 0u, 7u};
    QTest::newRow("i64 extremes") << ValueType::I64 << std::vector<Value>{I64::max(), I64::min(), std::int64_t{0}};
    QTest::newRow("u64 big deltas") << ValueType::U64 << std::vector<Value>{std::uint64_t{0}, ~std::uint64_t{0}, std::uint64_t{1}};
    QTest::newRow("u64 slow counter") << ValueType::U64 << std::vector<Value>{std::uint64_t{123456789012}, std::uint64_t{123456789013}, std::uint64_t{123456789013}};
    QTest::newRow("float") << ValueType::Float << std::vector<Value>{1.5f, fnan, -0.0f};
    QTest::newRow("double nan bits") << ValueType::Double << std::vector<Value>{nan, -0.0, HUGE_VAL};
    QTest::newRow("double whole") << ValueType::Double << std::vector<Value>{1000.0, 1001.0, -3.25e300};
    QTest::newRow("strings") << ValueType::String << std::vector<Value>{std::string(), std::string("caf\xc3\xa9\0x", 7), std::string(300, 'z')};
    QTest::newRow("string repeats") << ValueType::String << std::vector<Value>{std::string("6.1.0"), std::string("6.1.0"), std::string()};
  }
  void rowRoundTrip() {
    QFETCH(ValueType, type);
    QFETCH(std::vector<Value>, values);
    codec::Layout layout{{{Pmid::make(1, 2, 3), type, 0, {kNullInstance}}, {Pmid::make(1, 2, 4), type, 0, {}}}};
    codec::Row prev, cur, back;
    std::string blobBytes;
    for (std::size_t i = 0; i < values.size(); ++i) {
      cur.resize(1);
      if (type == ValueType::String) cur.text[0] = std::get<std::string>(values[i]);
      else cur.bits[0] = codec::valueBits(values[i]);
      const bool key = i == 0;
      codec::encodeRow(layout, cur, key ? nullptr : &prev, blobBytes);
      auto ok = codec::decodeRow(layout, blobBytes, key ? nullptr : &prev, back);
      QVERIFY2(ok.ok(), ok.ok() ? "" : ok.failure().message().c_str());
      if (type == ValueType::String) {
        QCOMPARE(back.text[0], cur.text[0]);
      } else {
        QCOMPARE(back.bits[0], cur.bits[0]);
        QCOMPARE(valueTypeOf(codec::valueOf(back.bits[0], type)), type);
      }
      std::swap(prev, back);
    }
  }

  void emptyRow() {
    codec::Layout none;
    codec::Row row, back;
    std::string out = "junk";
    codec::encodeRow(none, row, nullptr, out);
    QVERIFY(out.empty());
    QVERIFY(codec::decodeRow(none, out, nullptr, back).ok());
    std::string layoutBytes;
    codec::encodeLayout(none, layoutBytes);
    QCOMPARE(bytes(layoutBytes), QByteArray::fromHex("00"));
    QVERIFY(codec::decodeLayout(layoutBytes).ok());
  }

  void layoutRoundTrip() {
    codec::Layout l{{{Pmid::make(60, 0, 32), ValueType::U32, 0, {kNullInstance}},
                     {Pmid::make(60, 3, 0), ValueType::U64, 0, {5, 1, 900000, std::numeric_limits<std::int32_t>::min(),
                                                                 std::numeric_limits<std::int32_t>::max()}},
                     {Pmid::make(60, 9, 9), ValueType::String, static_cast<int>(Error::Value), {}},
                     {Pmid::make(511, 4095, 1023), ValueType::Double, 0, {}}}};
    std::string out;
    codec::encodeLayout(l, out);
    auto back = codec::decodeLayout(out);
    QVERIFY(back.ok());
    QVERIFY(*back == l);
    QCOMPARE(back->slotCount(), std::size_t{6});
  }

  // The example of docs/archive-format.md, byte for byte.
  void documentedExample() {
    codec::Layout l{{{Pmid::make(60, 0, 32), ValueType::U32, 0, {kNullInstance}},
                     {Pmid::make(60, 3, 0), ValueType::U64, 0, {0, 1}}}};
    std::string out;
    codec::encodeLayout(l, out);
    QCOMPARE(bytes(out), QByteArray::fromHex("02a080807801000100809880780300020202"));
    codec::Row key, delta;
    key.resize(3);
    key.bits = {4, 1000, 5};
    codec::encodeRow(l, key, nullptr, out);
    QCOMPARE(bytes(out), QByteArray::fromHex("08d00f0a"));
    delta.resize(3);
    delta.bits = {4, 1500, 5};
    codec::encodeRow(l, delta, &key, out);
    QCOMPARE(bytes(out), QByteArray::fromHex("00e80700"));
  }

  void badLayouts_data() {
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("cut varint") << QByteArray::fromHex("80");
    QTest::newRow("count too big") << QByteArray::fromHex("ffffffff0f");
    QTest::newRow("entry cut") << QByteArray::fromHex("0101");
    QTest::newRow("bad type") << QByteArray::fromHex("0101090000");
    QTest::newRow("pmid too wide") << QByteArray::fromHex("01ffffffff7f050000");
    QTest::newRow("positive status") << QByteArray::fromHex("0101050200");
    QTest::newRow("instances do not fit") << QByteArray::fromHex("010105007f00");
    QTest::newRow("instance overflow") << QByteArray::fromHex("01010500018080808040");
    QTest::newRow("instance step overflow") << QByteArray::fromHex("0101050001ffffffffffffffffff01");
    QTest::newRow("trailing byte") << QByteArray::fromHex("0000");
    QTest::newRow("eleven-byte varint") << QByteArray::fromHex("ffffffffffffffffffff01");
  }
  void badLayouts() {
    QFETCH(QByteArray, data);
    auto l = codec::decodeLayout(std::string_view(data.constData(), static_cast<std::size_t>(data.size())));
    QVERIFY(!l.ok());
    QCOMPARE(l.error(), Error::LogRecord);
    QVERIFY(!l.failure().detail.empty());
  }

  void badRows_data() {
    QTest::addColumn<int>("type");
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("nothing") << int(ValueType::U64) << QByteArray();
    QTest::newRow("cut varint") << int(ValueType::U64) << QByteArray::fromHex("ff");
    QTest::newRow("trailing") << int(ValueType::U64) << QByteArray::fromHex("0000");
    QTest::newRow("u32 overflow") << int(ValueType::U32) << QByteArray::fromHex("8080808020");
    QTest::newRow("i32 overflow") << int(ValueType::I32) << QByteArray::fromHex("8080808010");
    QTest::newRow("float too wide") << int(ValueType::Float) << QByteArray::fromHex("8080808010");
    QTest::newRow("string past end") << int(ValueType::String) << QByteArray::fromHex("0561");
    QTest::newRow("string length huge") << int(ValueType::String) << QByteArray::fromHex("ffffffffffffffffff01");
  }
  void badRows() {
    QFETCH(int, type);
    QFETCH(QByteArray, data);
    codec::Layout l{{{Pmid::make(1, 0, 0), static_cast<ValueType>(type), 0, {kNullInstance}}}};
    codec::Row out;
    auto ok = codec::decodeRow(l, std::string_view(data.constData(), static_cast<std::size_t>(data.size())), nullptr, out);
    QVERIFY(!ok.ok());
    QCOMPARE(ok.error(), Error::LogRecord);
  }

  // Every strict prefix of a valid row is refused, never read past.
  void truncatedRows() {
    codec::Layout l{{{Pmid::make(1, 0, 0), ValueType::U64, 0, {0, 1}}, {Pmid::make(1, 0, 1), ValueType::String, 0, {kNullInstance}},
                     {Pmid::make(1, 0, 2), ValueType::Double, 0, {kNullInstance}}}};
    codec::Row row, out;
    row.resize(4);
    row.bits = {~std::uint64_t{0}, 12345, 0, std::bit_cast<std::uint64_t>(0.1)};
    row.text[2] = "linux";
    std::string full;
    codec::encodeRow(l, row, nullptr, full);
    for (std::size_t n = 0; n < full.size(); ++n)
      QVERIFY2(!codec::decodeRow(l, std::string_view(full).substr(0, n), nullptr, out).ok(), qPrintable(QString::number(n)));
    QVERIFY(codec::decodeRow(l, full, nullptr, out).ok());
    QCOMPARE(out.text[2], std::string("linux"));
  }

  void labels_data() {
    QTest::addColumn<QString>("json");
    QTest::addColumn<bool>("valid");
    QTest::newRow("empty") << "{}" << true;
    QTest::newRow("kinds") << "{\"a\":\"x\",\"b\":12.5,\"c\":true,\"d\":null,\"e\":[1,{\"f\":\"]\"}]}" << true;
    QTest::newRow("escapes") << "{\"s\":\"q\\\"uo\\\\te\\u00e9,}\"}" << true;
    QTest::newRow("spaces") << " { \"a\" : 1 , \"b\" : \"2\" } " << true;
    QTest::newRow("not object") << "[1]" << false;
    QTest::newRow("unterminated") << "{\"a\":\"x" << false;
    QTest::newRow("no value") << "{\"a\":}" << false;
    QTest::newRow("trailing") << "{\"a\":1}x" << false;
    QTest::newRow("open bracket") << "{\"a\":[1,2}" << false;
  }
  void labels() {
    QFETCH(QString, json);
    QFETCH(bool, valid);
    auto set = codec::decodeLabels(json.toStdString());
    QCOMPARE(set.ok(), valid);
    if (!valid) return;
    // What LabelSet writes reads back the same.
    auto again = codec::decodeLabels(set->toJson());
    QVERIFY(again.ok());
    QCOMPARE(again->toJson(), set->toJson());
  }
  void labelValues() {
    LabelSet s;
    s.setString("hostname", "vm \"one\"");
    s.setJson("cpus", "4");
    auto back = codec::decodeLabels(s.toJson());
    QVERIFY(back.ok());
    QCOMPARE(back->toJson(), s.toJson());
    QCOMPARE(*back->json("cpus"), std::string("4"));
  }

  void writeAndRead();
  void refusals_data();
  void refusals();
  void createRefusesExisting();
  void bytesPerValue();
  void appendGoesOn();
  void badSamples();
  void failedWriteRecovers();
  void killedWriterLeavesArchive();
  void readerBesideWriter();
};

void ArchiveFormatTest::writeAndRead() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("all.sextant").toStdString();
  const InDom net = InDom::make(60, 3);
  LabelSet host;
  host.setString("hostname", "vm");
  {
    auto w = ArchiveWriter::create(path, ArchiveMeta{"vm", "Europe/Paris", std::chrono::milliseconds(250), host});
    QVERIFY(w.ok());
    const ValueType types[] = {ValueType::I32, ValueType::U32, ValueType::I64, ValueType::U64, ValueType::Float, ValueType::Double,
                               ValueType::String};
    for (unsigned i = 0; i < 7; ++i)
      QVERIFY((*w)->addMetric(metric("t.m" + std::to_string(i), Pmid::make(60, 9, i), types[i], Semantics::Instant)).ok());
    QVERIFY((*w)->addMetric(metric("t.net", Pmid::make(60, 3, 0), ValueType::U64, Semantics::Counter, net)).ok());
    QVERIFY((*w)->addInDom(InDomInfo{net, "interfaces", "network interfaces"}).ok());
    QVERIFY((*w)->setInstances(net, at(kT0), {{0, "lo"}, {1, "eth0"}}).ok());
    const Value values[] = {std::int32_t(-7), std::uint32_t(7), std::int64_t(-1) << 40, std::uint64_t(1) << 63, 0.25f, -1e-300,
                            std::string("hello")};
    std::vector<ValueSet> sets;
    for (unsigned i = 0; i < 7; ++i) sets.push_back({Pmid::make(60, 9, i), 0, {{kNullInstance, values[i]}}});
    sets.push_back({Pmid::make(60, 3, 0), 0, {{0, std::uint64_t(10)}, {1, std::uint64_t(20)}}});
    QVERIFY((*w)->writeSample(sample(kT0, sets)).ok());
    sets[0].values[0].value = std::int32_t(8);
    sets[7].status = static_cast<int>(Error::Value);
    sets[7].values.clear();
    QVERIFY((*w)->writeSample(sample(kT0 + kSecond / 4, sets)).ok());
  }
  auto a = ArchiveContext::open(path);
  QVERIFY2(a.ok(), a.ok() ? "" : a.failure().message().c_str());
  ArchiveContext& c = **a;
  QCOMPARE(c.hostName(), std::string("vm"));
  QCOMPARE(c.timezone(), std::string("Europe/Paris"));
  QCOMPARE(c.recordedInterval(), std::chrono::milliseconds(250));
  QCOMPARE(c.start(), at(kT0));
  QCOMPARE(c.end(), at(kT0 + kSecond / 4));
  QVERIFY(c.replays());
  QCOMPARE(c.labels(LabelLevel::Context, 0)->toJson(), host.toJson());
  QCOMPARE(*c.helpText(net, true), std::string("network interfaces"));
  QCOMPARE(c.descriptor(Pmid::make(60, 3, 0))->indom, net);
  QCOMPARE(c.descriptor(Pmid::make(60, 9, 4))->type, ValueType::Float);
  std::vector<Pmid> pmids;
  for (unsigned i = 0; i < 7; ++i) pmids.push_back(Pmid::make(60, 9, i));
  pmids.push_back(Pmid::make(60, 3, 0));
  auto r = c.fetch(pmids);
  QVERIFY(r.ok());
  QCOMPARE(r->timestamp, at(kT0));
  QCOMPARE(std::get<std::int32_t>(r->sets[0].values[0].value), -7);
  QCOMPARE(std::get<std::uint32_t>(r->sets[1].values[0].value), 7u);
  QCOMPARE(std::get<std::int64_t>(r->sets[2].values[0].value), std::int64_t(-1) << 40);
  QCOMPARE(std::get<std::uint64_t>(r->sets[3].values[0].value), std::uint64_t(1) << 63);
  QCOMPARE(std::get<float>(r->sets[4].values[0].value), 0.25f);
  QCOMPARE(std::get<double>(r->sets[5].values[0].value), -1e-300);
  QCOMPARE(std::get<std::string>(r->sets[6].values[0].value), std::string("hello"));
  QCOMPARE(r->sets[7].values.size(), std::size_t{2});
  QCOMPARE(r->sets[7].values[1].inst, 1);
  QCOMPARE(std::get<std::uint64_t>(r->sets[7].values[1].value), 20u);
  r = c.fetch(pmids);
  QVERIFY(r.ok());
  QCOMPARE(std::get<std::int32_t>(r->sets[0].values[0].value), 8);
  QCOMPARE(r->sets[7].status, static_cast<int>(Error::Value));
  QCOMPARE(c.fetch(pmids).error(), Error::EndOfLog);
  QCOMPARE(c.store(pmids[0], {}), static_cast<int>(Error::Permission));
}

void ArchiveFormatTest::refusals_data() {
  QTest::addColumn<QString>("kind");
  QTest::addColumn<QString>("reason");
  QTest::newRow("missing") << "missing" << "no such file";
  QTest::newRow("not sqlite") << "text" << "not a Sextant archive";
  QTest::newRow("other application") << "other" << "not a Sextant archive";
  QTest::newRow("newer version") << "newer" << "format version 2 is newer than this sextant reads (1)";
  QTest::newRow("no samples") << "empty" << "no samples";
}
void ArchiveFormatTest::refusals() {
  QFETCH(QString, kind);
  QFETCH(QString, reason);
  QTemporaryDir dir;
  const std::string path = dir.filePath("x.sextant").toStdString();
  if (kind == "text") {
    QFile f(QString::fromStdString(path));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray(4096, 'x'));
  } else if (kind == "other") {
    sqlExec(path, "PRAGMA application_id=1; CREATE TABLE t(x); INSERT INTO t VALUES(1);");
  } else if (kind == "newer") {
    writeSmall(path, 2);
    sqlExec(path, "PRAGMA user_version=2");
  } else if (kind == "empty") {
    QVERIFY(ArchiveWriter::create(path, ArchiveMeta{}).ok());
  }
  auto a = ArchiveContext::open(path);
  QVERIFY(!a.ok());
  const QString message = QString::fromStdString(a.failure().message());
  QVERIFY2(message.contains(QString::fromStdString(path)), qPrintable(message));
  QVERIFY2(message.contains(reason), qPrintable(message));
  QVERIFY(!message.contains('\n'));
  if (kind == "empty") {
    QCOMPARE(a.error(), Error::EmptyLog);
    return;
  }
  QCOMPARE(a.error(), Error::LogLabel);
  // Appending refuses the same files, and changes nothing in them.
  auto w = ArchiveWriter::append(path);
  QVERIFY(!w.ok());
  QVERIFY(QString::fromStdString(w.failure().message()).contains(QString::fromStdString(path)));
  if (kind == "newer") QCOMPARE(sqlInt(path, "PRAGMA user_version"), 2);
}

void ArchiveFormatTest::createRefusesExisting() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("x.sextant").toStdString();
  writeSmall(path, 3);
  auto again = ArchiveWriter::create(path, ArchiveMeta{});
  QVERIFY(!again.ok());
  QVERIFY(QString::fromStdString(again.failure().message()).contains("already exists"));
  QCOMPARE(sqlInt(path, "SELECT count(*) FROM sample"), 3);
  auto nowhere = ArchiveWriter::create(dir.filePath("no/such/dir/x.sextant").toStdString(), ArchiveMeta{});
  QVERIFY(!nowhere.ok());
  QVERIFY(QString::fromStdString(nowhere.failure().message()).contains("no/such/dir/x.sextant"));
}

// 200 slowly changing counters sampled 300 times: the whole file, metadata and SQLite's
// pages included, divided by the values recorded. PCP's pmlogger needs about 31 bytes.
void ArchiveFormatTest::bytesPerValue() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("size.sextant").toStdString();
  constexpr int kMetrics = 200, kSamples = 300;
  {
    auto w = ArchiveWriter::create(path, ArchiveMeta{"vm", "UTC", std::chrono::milliseconds(1000), {}});
    QVERIFY(w.ok());
    std::mt19937_64 rng(42);
    std::vector<std::uint64_t> counters(kMetrics);
    std::vector<ValueSet> sets(kMetrics);
    for (unsigned i = 0; i < kMetrics; ++i) {
      const Pmid pmid = Pmid::make(60, 1, i);
      QVERIFY((*w)->addMetric(metric("size.metric" + std::to_string(i), pmid, ValueType::U64, Semantics::Counter)).ok());
      counters[i] = rng() % 1000000000000ull;
      sets[i].pmid = pmid;
    }
    for (int s = 0; s < kSamples; ++s) {
      for (unsigned i = 0; i < kMetrics; ++i) {
        counters[i] += rng() % 5000;
        sets[i].values = {{kNullInstance, counters[i]}};
      }
      QVERIFY((*w)->writeSample(sample(kT0 + s * kSecond, sets)).ok());
    }
  }
  std::uintmax_t size = std::filesystem::file_size(path);
  std::error_code ec;
  if (std::filesystem::exists(path + "-wal", ec)) size += std::filesystem::file_size(path + "-wal");
  const double perValue = static_cast<double>(size) / (kMetrics * kSamples);
  qInfo().noquote() << QString("%1 bytes for %2 values: %3 bytes per value").arg(size).arg(kMetrics * kSamples).arg(perValue, 0, 'f', 2);
  QVERIFY2(perValue < 10.0, qPrintable(QString::number(perValue)));
}

void ArchiveFormatTest::appendGoesOn() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("a.sextant").toStdString();
  writeSmall(path, 10);
  writeSmall(path, 10, 10, false);
  // The first row after reopening is a keyframe: nothing depends on the old writer's state.
  QCOMPARE(sqlInt(path, ("SELECT key FROM sample WHERE t = " + std::to_string(kT0 + 10 * kSecond)).c_str()), 1);
  QCOMPARE(sqlInt(path, "SELECT count(*) FROM layout"), 1);
  auto a = ArchiveContext::open(path);
  QVERIFY(a.ok());
  auto all = readSmall(**a);
  QCOMPARE(all.size(), std::size_t{20});
  for (int i = 0; i < 20; ++i) {
    QCOMPARE(std::get<0>(all[i]), kT0 + i * kSecond);
    QCOMPARE(std::get<1>(all[i]), std::uint64_t(100u * unsigned(i)));
    QCOMPARE(std::get<2>(all[i]), "s" + std::to_string(i));
  }
  // Appending an earlier time than the last is refused.
  auto w = ArchiveWriter::append(path);
  QVERIFY(w.ok());
  QVERIFY(!(*w)->writeSample(sample(kT0 + 19 * kSecond, {})).ok());
}

void ArchiveFormatTest::badSamples() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("b.sextant").toStdString();
  auto w = ArchiveWriter::create(path, ArchiveMeta{});
  QVERIFY(w.ok());
  QVERIFY((*w)->addMetric(metric("b.count", kCount, ValueType::U64, Semantics::Counter)).ok());
  QVERIFY(!(*w)->addMetric(metric("bad..name", Pmid::make(60, 0, 9), ValueType::U64, Semantics::Counter)).ok());
  auto undeclared = (*w)->writeSample(sample(kT0, {{Pmid::make(60, 0, 77), 0, {{kNullInstance, std::uint64_t(1)}}}}));
  QVERIFY(!undeclared.ok());
  QVERIFY(QString::fromStdString(undeclared.failure().message()).contains("60.0.77"));
  auto wrongType = (*w)->writeSample(sample(kT0, {{kCount, 0, {{kNullInstance, std::string("x")}}}}));
  QVERIFY(!wrongType.ok());
  // A value of another numeric type is converted, as the metric's agent would.
  QVERIFY((*w)->writeSample(sample(kT0, {{kCount, 0, {{kNullInstance, std::int32_t(5)}}}})).ok());
  QVERIFY(!(*w)->writeSample(sample(kT0, {{kCount, 0, {{kNullInstance, std::uint64_t(6)}}}})).ok());
  QVERIFY((*w)->writeSample(sample(kT0 + 1, {{kCount, 0, {{kNullInstance, std::uint64_t(6)}}}})).ok());
  QCOMPARE(sqlInt(path, "SELECT count(*) FROM sample"), 2);
}

// A write that the file system refuses (here the file size limit, as a full disk would)
// fails with the archive's name and SQLite's reason; the next write succeeds and the
// archive holds every committed sample.
void ArchiveFormatTest::failedWriteRecovers() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("full.sextant").toStdString();
  auto w = ArchiveWriter::create(path, ArchiveMeta{"vm", "UTC", std::chrono::milliseconds(1000), {}});
  QVERIFY(w.ok());
  QVERIFY((*w)->addMetric(metric("f.count", kCount, ValueType::U64, Semantics::Counter)).ok());
  QVERIFY((*w)->addMetric(metric("f.text", kText, ValueType::String, Semantics::Discrete)).ok());
  auto write = [&](int i, std::size_t textSize) {
    return (*w)->writeSample(sample(kT0 + i * kSecond, {{kCount, 0, {{kNullInstance, std::uint64_t(1000u + unsigned(i))}}},
                                                      {kText, 0, {{kNullInstance, std::string(textSize, char('a' + i))}}}}));
  };
  QVERIFY(write(0, 10).ok());
  QVERIFY(write(1, 10).ok());
  std::error_code ec;
  std::uintmax_t biggest = std::filesystem::file_size(path);
  if (std::filesystem::exists(path + "-wal", ec)) biggest = std::max(biggest, std::filesystem::file_size(path + "-wal"));
  signal(SIGXFSZ, SIG_IGN);
  rlimit old{};
  QCOMPARE(getrlimit(RLIMIT_FSIZE, &old), 0);
  rlimit small = old;
  small.rlim_cur = static_cast<rlim_t>(biggest + 16 * 1024);
  QCOMPARE(setrlimit(RLIMIT_FSIZE, &small), 0);
  auto failed = write(2, 512 * 1024);
  QCOMPARE(setrlimit(RLIMIT_FSIZE, &old), 0);
  QVERIFY(!failed.ok());
  const QString message = QString::fromStdString(failed.failure().message());
  QVERIFY2(message.startsWith(QString::fromStdString("archive " + path + ": ")), qPrintable(message));
  QVERIFY2(message.contains("disk"), qPrintable(message));
  qInfo().noquote() << message;
  QVERIFY(write(3, 10).ok());
  QVERIFY(write(4, 10).ok());
  w->reset();  // closes the writer
  auto a = ArchiveContext::open(path);
  QVERIFY(a.ok());
  const Pmid pmids[] = {kCount, kText};
  (*a)->setInterval(std::chrono::seconds(1));
  std::vector<std::uint64_t> counts;
  for (auto r = (*a)->fetch(pmids); r.ok(); r = (*a)->fetch(pmids))
    if (!r->sets[0].values.empty() && r->timestamp != at(kT0 + 2 * kSecond))
      counts.push_back(std::get<std::uint64_t>(r->sets[0].values[0].value));
  QCOMPARE(counts, (std::vector<std::uint64_t>{1000, 1001, 1003, 1004}));
  QCOMPARE(sqlInt(path, "SELECT count(*) FROM sample"), 4);
  QCOMPARE(sqlInt(path, ("SELECT key FROM sample WHERE t = " + std::to_string(kT0 + 3 * kSecond)).c_str()), 1);
}

// kill -9 in the middle of recording: every committed sample is there, and a new
// writer goes on from them.
void ArchiveFormatTest::killedWriterLeavesArchive() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("killed.sextant").toStdString();
  const pid_t child = fork();
  QVERIFY(child >= 0);
  if (child == 0) {
    auto w = ArchiveWriter::create(path, ArchiveMeta{"vm", "UTC", std::chrono::milliseconds(1000), {}});
    if (!w.ok()) _exit(1);
    (void)(*w)->addMetric(metric("a.count", kCount, ValueType::U64, Semantics::Counter));
    (void)(*w)->addMetric(metric("a.text", kText, ValueType::String, Semantics::Discrete));
    for (int i = 0; i < 100; ++i)
      if (!(*w)->writeSample(sample(kT0 + i * kSecond, {{kCount, 0, {{kNullInstance, std::uint64_t(100u * unsigned(i))}}},
                                                       {kText, 0, {{kNullInstance, "s" + std::to_string(i)}}}}))
               .ok())
        _exit(2);
    raise(SIGKILL);
    _exit(3);
  }
  int status = 0;
  QCOMPARE(waitpid(child, &status, 0), child);
  QVERIFY(WIFSIGNALED(status));
  QCOMPARE(WTERMSIG(status), SIGKILL);
  {
    auto a = ArchiveContext::open(path);
    QVERIFY2(a.ok(), a.ok() ? "" : a.failure().message().c_str());
    auto all = readSmall(**a);
    QCOMPARE(all.size(), std::size_t{100});
    QCOMPARE(std::get<1>(all.back()), 9900u);
  }
  writeSmall(path, 5, 100, false);
  auto a = ArchiveContext::open(path);
  QVERIFY(a.ok());
  QCOMPARE(readSmall(**a).size(), std::size_t{105});
}

// A reader opened while a writer records sees the samples committed so far, and keeps
// that view while the writer goes on.
void ArchiveFormatTest::readerBesideWriter() {
  QTemporaryDir dir;
  const std::string path = dir.filePath("live.sextant").toStdString();
  auto w = ArchiveWriter::create(path, ArchiveMeta{"vm", "UTC", std::chrono::milliseconds(1000), {}});
  QVERIFY(w.ok());
  QVERIFY((*w)->addMetric(metric("a.count", kCount, ValueType::U64, Semantics::Counter)).ok());
  QVERIFY((*w)->addMetric(metric("a.text", kText, ValueType::String, Semantics::Discrete)).ok());
  auto write = [&](int i) {
    return (*w)->writeSample(sample(kT0 + i * kSecond, {{kCount, 0, {{kNullInstance, std::uint64_t(100u * unsigned(i))}}},
                                                       {kText, 0, {{kNullInstance, "s" + std::to_string(i)}}}}));
  };
  for (int i = 0; i < 70; ++i) QVERIFY(write(i).ok());
  auto a = ArchiveContext::open(path);
  QVERIFY2(a.ok(), a.ok() ? "" : a.failure().message().c_str());
  QCOMPARE((*a)->end(), at(kT0 + 69 * kSecond));
  for (int i = 70; i < 90; ++i) QVERIFY(write(i).ok());
  auto seen = readSmall(**a);
  QCOMPARE(seen.size(), std::size_t{70});
  QCOMPARE(std::get<2>(seen.back()), std::string("s69"));
  auto later = ArchiveContext::open(path);
  QVERIFY(later.ok());
  QCOMPARE(readSmall(**later).size(), std::size_t{90});
}

QTEST_GUILESS_MAIN(ArchiveFormatTest)
#include "ArchiveFormatTest.moc"
