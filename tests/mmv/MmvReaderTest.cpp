// The MMV reader (core/mmv/MmvReader.h) on files written by the real libpcp_mmv (the
// spec's Appendix A hex dump and files made by tests/fixtures/mmv/make-fixtures.c) and on
// files built byte by byte from the spec (MmvFileBuilder.h): every version, type and flag.
#include <QtTest>

#include <fstream>
#include <iterator>

#include "MmvFileBuilder.h"
#include "core/mmv/MmvReader.h"

using namespace sextant;
using namespace sextant::mmv;
using namespace sextant::mmv::test;

Q_DECLARE_METATYPE(sextant::Value)

namespace {

std::vector<std::uint8_t> fixture(const char* name) {
  std::ifstream in(std::string(SEXTANT_FIXTURES) + "/mmv/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// xxd lines "OFFSET: hhhh hhhh ...  text" -> (offset, bytes); "..." lines are skipped.
std::vector<std::pair<std::size_t, std::vector<std::uint8_t>>> excerpt(const char* name) {
  std::ifstream in(std::string(SEXTANT_FIXTURES) + "/mmv/" + name);
  std::vector<std::pair<std::size_t, std::vector<std::uint8_t>>> out;
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos || line.size() < colon + 41) continue;
    std::vector<std::uint8_t> bytes;
    const QString hex = QString::fromStdString(line.substr(colon + 2, 39)).remove(' ');
    for (int i = 0; i + 1 < hex.size(); i += 2) bytes.push_back(static_cast<std::uint8_t>(hex.mid(i, 2).toUInt(nullptr, 16)));
    out.push_back({std::stoul(line.substr(0, colon), nullptr, 16), bytes});
  }
  return out;
}

Value read(const std::vector<std::uint8_t>& f, const MmvLayout& l, std::size_t i, std::int64_t now = 0) {
  auto v = readValue(f, l.values.at(i), l.metrics.at(l.values.at(i).metric).type, now);
  if (!v) return Value(std::string("error: ") + v.failure().message());
  return *v;
}

}  // namespace

class MmvReaderTest : public QObject {
  Q_OBJECT

 private slots:
  // The spec's Appendix A: a version 1 file written by libpcp_mmv 6.0.3, and what mmvdump
  // and pminfo showed for it.
  void appendixA() {
    const auto f = fixture("appendix-a-v1.mmv");
    QCOMPARE(f.size(), std::size_t{1792});
    auto parsed = parseMmv(f);
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.failure().message().c_str());
    const MmvLayout& l = *parsed;
    QCOMPARE(l.version, 1);
    QCOMPARE(l.generation, std::uint64_t{7710754082135015444ull});
    QCOMPARE(l.flags, 0u);
    QCOMPARE(l.process, 9713);
    QCOMPARE(l.cluster, 42);
    QCOMPARE(l.size, std::uint64_t{1792});
    QCOMPARE(l.indoms.size(), std::size_t{1});
    QCOMPARE(l.indoms[0].serial, 7u);
    QCOMPARE(l.indoms[0].shortHelp, std::string("colours"));
    QCOMPARE(l.indoms[0].longHelp, std::string());
    QCOMPARE(l.indoms[0].instances.size(), std::size_t{2});
    QCOMPARE(l.indoms[0].instances[0].id, 0);
    QCOMPARE(l.indoms[0].instances[0].name, std::string("red"));
    QCOMPARE(l.indoms[0].instances[1].id, 1);
    QCOMPARE(l.indoms[0].instances[1].name, std::string("green"));
    struct M { const char* name; unsigned item; MmvType type; int sem; std::uint32_t units; unsigned indom; const char* help; };
    const M want[] = {{"requests", 1, MmvType::U64, 1, 0x00100000u, 0, "request count"},
                      {"paint", 2, MmvType::I32, 3, 0x10000000u, 7, ""},
                      {"status", 3, MmvType::String, 4, 0, 0, ""},
                      {"busy", 4, MmvType::Elapsed, 1, 0, 0, ""},
                      {"ratio", 5, MmvType::Double, 3, 0, 0, ""}};
    QCOMPARE(l.metrics.size(), std::size(want));
    for (std::size_t i = 0; i < std::size(want); ++i) {
      QCOMPARE(l.metrics[i].name, std::string(want[i].name));
      QCOMPARE(l.metrics[i].item, want[i].item);
      QCOMPARE(l.metrics[i].type, want[i].type);
      QCOMPARE(l.metrics[i].semantics, want[i].sem);
      QCOMPARE(l.metrics[i].units, want[i].units);
      QCOMPARE(l.metrics[i].indom, want[i].indom);
      QCOMPARE(l.metrics[i].shortHelp, std::string(want[i].help));
      QCOMPARE(l.metrics[i].longHelp, std::string());
    }
    // mmvdump's "[item/offset]" lines give the value record offsets.
    struct V { std::size_t metric; std::int32_t inst; std::uint64_t offset; std::uint64_t string; };
    const V vals[] = {{0, -1, 832, 0}, {1, 0, 864, 0}, {1, 1, 896, 0}, {2, -1, 928, 1024}, {3, -1, 960, 0}, {4, -1, 992, 0}};
    QCOMPARE(l.values.size(), std::size(vals));
    for (std::size_t i = 0; i < std::size(vals); ++i) {
      QCOMPARE(l.values[i].metric, vals[i].metric);
      QCOMPARE(l.values[i].instance, vals[i].inst);
      QCOMPARE(l.values[i].valueOffset, vals[i].offset);
      QCOMPARE(l.values[i].stringOffset, vals[i].string);
      QCOMPARE(l.values[i].sentinel, false);
    }
    QVERIFY(l.labels.empty());
    QCOMPARE(read(f, l, 0), Value(std::uint64_t{1001}));
    QCOMPARE(read(f, l, 1), Value(std::int32_t{17}));
    QCOMPARE(read(f, l, 2), Value(std::int32_t{-5}));
    QCOMPARE(read(f, l, 3), Value(std::string("ok")));
    // mmvdump printed 1517509 = 1500000 + now + extra: an interval open for 17509 µs.
    QCOMPARE(read(f, l, 4, 1795299836852007LL + 17509), Value(std::int64_t{1517509}));
    QCOMPARE(read(f, l, 5), Value(0.25));
  }

  // Files from the real libpcp_mmv (make-fixtures.c): version 2 as in Appendix B, whose
  // excerpt bytes must match except generation and PID; version 3 with four labels.
  void libpcpVersion2() {
    const auto f = fixture("libpcp-v2.mmv");
    QCOMPARE(f.size(), std::size_t{3528});
    for (const auto& [offset, bytes] : excerpt("appendix-b-v2-excerpt.txt")) {
      for (std::size_t i = 0; i < bytes.size(); ++i) {
        const std::size_t at = offset + i;
        if ((at >= 8 && at < 24) || (at >= 32 && at < 36)) continue;  // generation, PID
        QVERIFY2(f.at(at) == bytes[i], qPrintable(QString("byte %1").arg(at)));
      }
    }
    auto parsed = parseMmv(f);
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.failure().message().c_str());
    const MmvLayout& l = *parsed;
    QCOMPARE(l.version, 2);
    QCOMPARE(l.cluster, 46);
    QCOMPARE(l.metrics.size(), std::size_t{6});
    QCOMPARE(l.metrics[0].name, std::string("requests"));
    QCOMPARE(l.metrics[0].shortHelp, std::string("request count"));
    QCOMPARE(l.metrics[5].name, std::string("a_rather_long_metric_name_that_is_longer_than_sixty_three_characters_total"));
    QCOMPARE(l.metrics[5].type, MmvType::Float);
    QCOMPARE(l.indoms.at(0).instances.at(1).name, std::string("green"));
    QCOMPARE(l.indoms.at(0).shortHelp, std::string("colours"));
    QCOMPARE(l.values.size(), std::size_t{7});
    QCOMPARE(l.values[1].instance, 0);
    QCOMPARE(l.values[2].instance, 1);
    QCOMPARE(read(f, l, 0), Value(std::uint64_t{1001}));
    QCOMPARE(read(f, l, 2), Value(std::int32_t{-5}));
    QCOMPARE(read(f, l, 3), Value(std::string("ok")));
    QCOMPARE(read(f, l, 4), Value(std::int64_t{1500000}));  // no interval open
    QCOMPARE(read(f, l, 6), Value(3.5f));
  }

  void libpcpVersion3() {
    const auto f = fixture("libpcp-v3.mmv");
    QCOMPARE(f.size(), std::size_t{4232});
    for (const auto& [offset, bytes] : excerpt("appendix-b-v3-labels-excerpt.txt")) {
      QVERIFY(std::equal(bytes.begin(), bytes.end(), f.begin() + static_cast<std::ptrdiff_t>(offset)));
    }
    auto parsed = parseMmv(f);
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.failure().message().c_str());
    const MmvLayout& l = *parsed;
    QCOMPARE(l.version, 3);
    QCOMPARE(l.cluster, 47);
    QCOMPARE(l.metrics.size(), std::size_t{5});
    QCOMPARE(l.metrics[1].indom, 7u);
    QCOMPARE(l.metrics[0].indom, 0u);  // written as -1 (MMV_INDOM_NULL)
    QCOMPARE(l.labels.size(), std::size_t{4});
    struct L { std::uint32_t flags, identity; std::int32_t internal; const char* json; };
    const L want[] = {{0x08, 47, -1, "{\"app\":\"demo\"}"}, {0x04, 7, -1, "{\"palette\":\"rgb\"}"},
                      {0x10, 1, -1, "{\"tier\":2}"}, {0xa0, 7, 1, "{\"hex\":\"00ff00\"}"}};
    for (std::size_t i = 0; i < std::size(want); ++i) {
      QCOMPARE(l.labels[i].flags, want[i].flags);
      QCOMPARE(l.labels[i].identity, want[i].identity);
      QCOMPARE(l.labels[i].internal, want[i].internal);
      QCOMPARE(l.labels[i].json, std::string(want[i].json));
    }
    QCOMPARE(read(f, l, 1), Value(std::int32_t{17}));
    QCOMPARE(read(f, l, 5), Value(0.25));
  }

  // Every version with every header flag: structure, help and flags come through.
  void builtFiles_data() {
    QTest::addColumn<int>("version");
    QTest::addColumn<unsigned>("flags");
    for (int v : {1, 2, 3}) {
      for (unsigned fl : {0u, kFlagNoPrefix, kFlagProcess, kFlagSentinel, kFlagNoPrefix | kFlagProcess | kFlagSentinel, 0x100u}) {
        QTest::addRow("v%d flags 0x%x", v, fl) << v << fl;
      }
    }
  }
  void builtFiles() {
    QFETCH(int, version);
    QFETCH(unsigned, flags);
    MmvSpec s = richSpec(version);
    s.flags = flags;
    s.process = 777;
    s.cluster = 4095;
    const Built b = buildMmv(s);
    auto parsed = parseMmv(b.bytes);
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.failure().message().c_str());
    const MmvLayout& l = *parsed;
    QCOMPARE(l.version, version);
    QCOMPARE(l.flags, flags);
    QCOMPARE(l.process, 777);
    QCOMPARE(l.cluster, 4095);
    QCOMPARE(l.generation, s.generation);
    QCOMPARE(l.metrics.size(), s.metrics.size());
    for (std::size_t i = 0; i < s.metrics.size(); ++i) {
      QCOMPARE(l.metrics[i].name, s.metrics[i].name);
      QCOMPARE(l.metrics[i].item, s.metrics[i].item);
      QCOMPARE(static_cast<int>(l.metrics[i].type), s.metrics[i].type);
      QCOMPARE(l.metrics[i].semantics, s.metrics[i].semantics);
      QCOMPARE(l.metrics[i].units, s.metrics[i].units);
      QCOMPARE(l.metrics[i].indom, s.metrics[i].indom == 7 ? 7u : 0u);
      QCOMPARE(l.metrics[i].shortHelp, s.metrics[i].shortHelp);
      QCOMPARE(l.metrics[i].longHelp, s.metrics[i].longHelp);
    }
    QCOMPARE(l.indoms.size(), std::size_t{1});
    QCOMPARE(l.indoms[0].longHelp, std::string("the colours"));
    QCOMPARE(l.indoms[0].instances.at(1).name, std::string("green"));
    QCOMPARE(l.values.size(), s.values.size());
    for (std::size_t i = 0; i < s.values.size(); ++i) {
      QCOMPARE(l.values[i].metric, s.values[i].metric);
      QCOMPARE(l.values[i].instance, s.values[i].instance);
      QCOMPARE(l.values[i].valueOffset, b.valueOffset(i));
      QCOMPARE(l.values[i].stringOffset, b.stringValueSlots[i]);
      QCOMPARE(l.values[i].sentinel, (flags & kFlagSentinel) != 0);
    }
    QCOMPARE(l.labels.size(), version == 3 ? std::size_t{1} : std::size_t{0});
  }

  // readValue of every type, in every version.
  void readEveryType_data() {
    QTest::addColumn<int>("version");
    QTest::addColumn<int>("index");
    QTest::addColumn<Value>("expected");
    for (int v : {1, 2, 3}) {
      QTest::addRow("v%d i32 red", v) << v << 0 << Value(std::int32_t{17});
      QTest::addRow("v%d i32 green", v) << v << 1 << Value(std::int32_t{-5});
      QTest::addRow("v%d u32", v) << v << 2 << Value(std::uint32_t{4000000000u});
      QTest::addRow("v%d i64", v) << v << 3 << Value(std::int64_t{-9000000000LL});
      QTest::addRow("v%d u64", v) << v << 4 << Value(std::uint64_t{18000000000000000000ull});
      QTest::addRow("v%d float", v) << v << 5 << Value(3.5f);
      QTest::addRow("v%d double", v) << v << 6 << Value(0.25);
      QTest::addRow("v%d string", v) << v << 7 << Value(std::string("ok"));
      QTest::addRow("v%d elapsed closed", v) << v << 8 << Value(std::int64_t{1500000});
    }
  }
  void readEveryType() {
    QFETCH(int, version);
    QFETCH(int, index);
    QFETCH(Value, expected);
    const Built b = buildMmv(richSpec(version));
    auto l = parseMmv(b.bytes);
    QVERIFY(l.ok());
    const Value got = read(b.bytes, *l, static_cast<std::size_t>(index), 123);
    QCOMPARE(got, expected);
    QCOMPARE(valueTypeOf(got), exportedType(l->metrics[l->values[static_cast<std::size_t>(index)].metric].type));
  }

  // ELAPSED (spec section 9): value + now + extra while an interval is open.
  void elapsed() {
    MmvSpec s = richSpec(1);
    s.values[8].extra = -1000000;  // interval started at t = 1 s
    const Built b = buildMmv(s);
    auto l = parseMmv(b.bytes);
    QVERIFY(l.ok());
    QCOMPARE(read(b.bytes, *l, 8, 3500000), Value(std::int64_t{1500000 + 2500000}));
    QCOMPARE(exportedType(MmvType::Elapsed), ValueType::I64);
  }

  // A string slot without a NUL is cut at 255 bytes; a longer payload never leaks past it.
  void stringSlotBounds() {
    MmvSpec s = richSpec(2);
    const Built b0 = buildMmv(s);
    Built b = b0;
    std::memset(b.bytes.data() + b.stringValueSlots[7], 'x', kStringSize);
    auto l = parseMmv(b.bytes);
    QVERIFY(l.ok());
    QCOMPARE(read(b.bytes, *l, 7), Value(std::string(255, 'x')));
    // A span cut inside the slot: refused, not read past.
    const std::span<const std::uint8_t> cut(b.bytes.data(), b.stringValueSlots[7] + 100);
    auto v = readValue(cut, l->values[7], MmvType::String, 0);
    QVERIFY(!v.ok());
    QCOMPARE(v.error(), Error::Generic);
  }

  // SENTINEL (spec section 11): which patterns mean "no value".
  void sentinel_data() {
    QTest::addColumn<int>("index");
    QTest::addColumn<quint64>("bits");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("flag");
    QTest::addColumn<bool>("noValue");
    const quint64 ones = ~0ull;
    QTest::newRow("i32 all ones") << 0 << ones << "" << true << true;
    QTest::newRow("i32 -1 upper half zero") << 0 << quint64{0xffffffffu} << "" << true << false;
    QTest::newRow("i32 all ones, no flag") << 0 << ones << "" << false << false;
    QTest::newRow("u32 all ones") << 2 << ones << "" << true << true;
    QTest::newRow("i64 all ones") << 3 << ones << "" << true << true;
    QTest::newRow("u64 all ones") << 4 << ones << "" << true << true;
    QTest::newRow("u64 zero") << 4 << quint64{0} << "" << true << false;
    QTest::newRow("float NaN") << 5 << quint64{0x7fc00000u} << "" << true << true;
    QTest::newRow("float NaN, no flag") << 5 << quint64{0x7fc00000u} << "" << false << false;
    QTest::newRow("double NaN") << 6 << quint64{0x7ff8000000000000ull} << "" << true << true;
    QTest::newRow("string empty") << 7 << quint64{0} << "" << true << true;
    QTest::newRow("string empty, no flag") << 7 << quint64{0} << "" << false << false;
    QTest::newRow("string set") << 7 << quint64{1} << "x" << true << false;
    QTest::newRow("elapsed all ones") << 8 << ones << "" << true << true;
  }
  void sentinel() {
    QFETCH(int, index);
    QFETCH(quint64, bits);
    QFETCH(QString, text);
    QFETCH(bool, flag);
    QFETCH(bool, noValue);
    MmvSpec s = richSpec(1);
    s.flags = flag ? kFlagSentinel : 0;
    s.values[static_cast<std::size_t>(index)].bits = bits;
    s.values[static_cast<std::size_t>(index)].text = text.toStdString();
    const Built b = buildMmv(s);
    auto l = parseMmv(b.bytes);
    QVERIFY(l.ok());
    const MmvValueRef& ref = l->values[static_cast<std::size_t>(index)];
    auto v = readValue(b.bytes, ref, l->metrics[ref.metric].type, 0);
    QCOMPARE(!v.ok(), noValue);
    if (noValue) QCOMPARE(v.error(), Error::Value);
  }

  void noSupportType() {
    MmvSpec s = richSpec(1);
    s.metrics[1].type = -1;
    const Built b = buildMmv(s);
    auto l = parseMmv(b.bytes);
    QVERIFY(l.ok());
    auto v = readValue(b.bytes, l->values[2], MmvType::NoSupport, 0);
    QVERIFY(!v.ok());
    QCOMPARE(v.error(), Error::AppVersion);
  }

  void generationWords() {
    const auto f = fixture("appendix-a-v1.mmv");
    QCOMPARE(readGeneration(f, kHeaderGen1Offset), std::uint64_t{7710754082135015444ull});
    QCOMPARE(readGeneration(f, kHeaderGen2Offset), std::uint64_t{7710754082135015444ull});
    QCOMPARE(readGeneration(std::span(f.data(), 20), kHeaderGen2Offset), std::uint64_t{0});
  }
};

QTEST_GUILESS_MAIN(MmvReaderTest)
#include "MmvReaderTest.moc"
