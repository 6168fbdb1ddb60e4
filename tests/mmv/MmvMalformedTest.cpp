// The MMV reader on bad input (issue 4, "Bad input"): every truncation, lying headers,
// counts and offsets, unterminated names, unknown types. Each must be refused with the
// one-line reason the agent logs, never read outside the bytes it is given. And values
// read while a writer thread rewrites them are never torn.
#include <QtTest>

#include <atomic>
#include <bit>
#include <fstream>
#include <functional>
#include <iterator>
#include <thread>

#include "MmvFileBuilder.h"
#include "core/mmv/MmvReader.h"

using namespace sextant;
using namespace sextant::mmv;
using namespace sextant::mmv::test;

using Mutation = std::function<void(Built&)>;
Q_DECLARE_METATYPE(Mutation)

namespace {

std::vector<std::uint8_t> fixture(const char* name) {
  std::ifstream in(std::string(SEXTANT_FIXTURES) + "/mmv/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

template <class T>
Mutation set(std::function<std::uint64_t(const Built&)> where, T value) {
  return [where, value](Built& b) { putAt<T>(b.bytes, where(b), value); };
}
// Offsets inside the rich file (richSpec): TOC entry i, metric i, value i.
std::uint64_t toc(const Built& b, std::size_t i) { return b.tocEntries.at(i); }
std::uint64_t metric(const Built& b, std::size_t i, int version) {
  return b.metrics + i * metricSize(version);
}

}  // namespace

class MmvMalformedTest : public QObject {
  Q_OBJECT

 private slots:
  // Cut anywhere, every file is refused: the last section always reaches the end.
  void truncatedEverywhere_data() {
    QTest::addColumn<QByteArray>("file");
    auto add = [](const char* name, const std::vector<std::uint8_t>& f) {
      QTest::newRow(name) << QByteArray(reinterpret_cast<const char*>(f.data()), static_cast<int>(f.size()));
    };
    add("appendix A v1", fixture("appendix-a-v1.mmv"));
    add("libpcp v2", fixture("libpcp-v2.mmv"));
    add("libpcp v3", fixture("libpcp-v3.mmv"));
    add("built v1", buildMmv(richSpec(1)).bytes);
    add("built v2", buildMmv(richSpec(2)).bytes);
    add("built v3", buildMmv(richSpec(3)).bytes);
  }
  void truncatedEverywhere() {
    QFETCH(QByteArray, file);
    QVERIFY(file.size() > 1000);
    std::vector<std::uint8_t> bytes(file.begin(), file.end());
    QVERIFY(parseMmv(bytes).ok());
    for (std::size_t len = 0; len < bytes.size(); ++len) {
      // A fresh exact-size copy, so that a read past the end is caught by ASan.
      const std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(len));
      auto r = parseMmv(cut);
      QVERIFY2(!r.ok(), qPrintable(QString("accepted at length %1").arg(len)));
      if (len == 0) {
        QCOMPARE(r.error(), Error::Again);
        continue;
      }
      QCOMPARE(r.error(), Error::Generic);
      if (len < kHeaderSize) {
        QCOMPARE(r.failure().detail, "file of " + std::to_string(len) + " bytes is shorter than the 40-byte header");
      }
    }
  }

  void malformed_data() {
    QTest::addColumn<int>("version");
    QTest::addColumn<Mutation>("mutate");
    QTest::addColumn<int>("error");
    QTest::addColumn<QString>("message");  // the whole detail, or a part of it ending in "..."
    const int generic = static_cast<int>(Error::Generic);
    const int again = static_cast<int>(Error::Again);
    auto at = [](std::uint64_t o) { return [o](const Built&) { return o; }; };
    auto tocAt = [](std::size_t i, std::uint64_t field) { return [i, field](const Built& b) { return toc(b, i) + field; }; };
    auto metricAt = [](std::size_t i, int v, std::uint64_t field) {
      return [i, v, field](const Built& b) { return metric(b, i, v) + field; };
    };
    auto valueAt = [](std::size_t i, std::uint64_t field) { return [i, field](const Built& b) { return b.valueOffset(i) + field; }; };
    // richSpec TOC: 0 indoms, 1 instances, 2 metrics, 3 values, 4 strings, (5 labels).
    QTest::newRow("wrong magic") << 1 << set<char>(at(2), 'X') << generic << "bad magic (not an MMV file)";
    QTest::newRow("version 0") << 1 << set<std::int32_t>(at(4), 0) << generic << "version 0 not supported";
    QTest::newRow("version 4") << 2 << set<std::int32_t>(at(4), 4) << generic << "version 4 not supported";
    QTest::newRow("gen1 != gen2") << 1 << set<std::uint64_t>(at(16), 1) << again
                                  << "file is being written (generation numbers differ)";
    QTest::newRow("gen2 zero") << 2 << set<std::uint64_t>(at(16), 0) << again << "file is being written...";
    QTest::newRow("both zero") << 1 << Mutation([](Built& b) {
      putAt<std::uint64_t>(b.bytes, 8, 0);
      putAt<std::uint64_t>(b.bytes, 16, 0);
    }) << again << "file is being written...";
    QTest::newRow("cluster 4096") << 1 << set<std::int32_t>(at(36), 4096) << generic << "cluster 4096 outside 0..4095";
    QTest::newRow("cluster negative") << 1 << set<std::int32_t>(at(36), -1) << generic << "cluster -1 outside 0..4095";
    QTest::newRow("tocs 1") << 1 << set<std::int32_t>(at(24), 1) << generic << "TOC count 1 outside 2..6";
    QTest::newRow("tocs huge") << 1 << set<std::int32_t>(at(24), 0x7fffffff) << generic << "TOC count 2147483647 outside 2..6";
    QTest::newRow("toc type 9") << 1 << set<std::int32_t>(tocAt(4, 0), 9) << generic << "TOC[4]: unknown section type 9";
    QTest::newRow("toc type twice") << 1 << set<std::int32_t>(tocAt(4, 0), 3) << generic << "TOC[4]: metrics section appears twice";
    QTest::newRow("toc negative count") << 1 << set<std::int32_t>(tocAt(3, 4), -2) << generic << "TOC[3]: values section: negative count -2";
    QTest::newRow("metrics count absurd") << 1 << set<std::int32_t>(tocAt(2, 4), 0x7fffffff) << generic
                                          << "TOC[2]: metrics section: count 2147483647 exceeds the limit of 1023";
    QTest::newRow("metrics count 1024") << 2 << set<std::int32_t>(tocAt(2, 4), 1024) << generic
                                        << "TOC[2]: metrics section: count 1024 exceeds the limit of 1023";
    QTest::newRow("values count absurd") << 1 << set<std::int32_t>(tocAt(3, 4), 0x7fffffff) << generic
                                         << "TOC[3]: values section: count 2147483647 exceeds the limit...";
    QTest::newRow("values past the end") << 1 << set<std::int32_t>(tocAt(3, 4), 80) << generic
                                         << "TOC[3]: values section (80 x 32 bytes at offset...";
    QTest::newRow("strings offset outside") << 2 << set<std::uint64_t>(tocAt(4, 8), 1ull << 62) << generic
                                            << "TOC[4]: strings section (...";
    QTest::newRow("offset wraps") << 1 << set<std::uint64_t>(tocAt(2, 8), ~0ull - 8) << generic << "TOC[2]: metrics section (...";
    QTest::newRow("section over the TOC") << 1 << set<std::uint64_t>(tocAt(0, 8), 40) << generic
                                          << "TOC[0]: indoms section at offset 40 overlaps the header or TOC";
    QTest::newRow("sections overlap") << 1 << Mutation([](Built& b) { putAt<std::uint64_t>(b.bytes, toc(b, 3) + 8, b.metrics); })
                                      << generic << "metrics and values sections overlap";
    QTest::newRow("no values section") << 1 << Mutation([](Built& b) {
      putAt<std::int32_t>(b.bytes, toc(b, 3), 6);  // now a labels section of one record
      putAt<std::int32_t>(b.bytes, toc(b, 3) + 4, 1);
    }) << generic << "no values section in the TOC";
    QTest::newRow("v1 metric name unterminated") << 1 << Mutation([](Built& b) { std::memset(b.bytes.data() + b.metrics, 'a', 64); })
                                                 << generic << "metric 0: name not NUL-terminated within 64 bytes";
    QTest::newRow("v1 metric name empty") << 1 << Mutation([](Built& b) { std::memset(b.bytes.data() + b.metrics, 0, 64); })
                                          << generic << "metric 0: empty name";
    QTest::newRow("v1 instance name unterminated") << 1 << Mutation([](Built& b) { std::memset(b.bytes.data() + b.instances + 80 + 16, 'b', 64); })
                                                   << generic << "indom 0 instance 1: name not NUL-terminated within 64 bytes";
    QTest::newRow("v2 metric name offset 0") << 2 << set<std::uint64_t>(metricAt(3, 2, 0), 0) << generic << "metric 3 name: no string offset";
    QTest::newRow("v2 metric name outside") << 2 << set<std::uint64_t>(metricAt(3, 2, 0), 9999) << generic
                                            << "metric 3 name: string offset 9999 outside the file (size...";
    QTest::newRow("v2 name slot at the end") << 2 << Mutation([](Built& b) { putAt<std::uint64_t>(b.bytes, b.metrics, b.bytes.size() - 255); })
                                             << generic << "metric 0 name: string offset...";
    QTest::newRow("v2 name unterminated") << 2 << Mutation([](Built& b) {
      std::uint64_t slot;
      std::memcpy(&slot, b.bytes.data() + b.metrics, 8);
      std::memset(b.bytes.data() + slot, 'x', kStringSize);
    }) << generic << "metric 0 name: string at offset...is not NUL-terminated";
    QTest::newRow("v2 instance name outside") << 3 << set<std::uint64_t>([](const Built& b) { return b.instances + 16; }, 1ull << 40)
                                              << generic << "indom 0 instance 0 name: string offset 1099511627776 outside the file...";
    QTest::newRow("v1 help outside") << 1 << set<std::uint64_t>(metricAt(0, 1, 64 + 24), 70000) << generic
                                     << "metric 0 (i32) short help: string offset 70000 outside the file...";
    QTest::newRow("v2 long help outside") << 2 << set<std::uint64_t>(metricAt(1, 2, 40), 70000) << generic
                                          << "metric 1 (u32) long help: string offset 70000 outside the file...";
    QTest::newRow("indom help outside") << 1 << set<std::uint64_t>([](const Built& b) { return b.indoms + 24; }, 5000)
                                        << generic << "indom 0 long help: string offset 5000 outside the file...";
    QTest::newRow("type 7") << 1 << set<std::int32_t>(metricAt(2, 1, 68), 7) << generic << "metric 2 (i64): unknown type 7";
    QTest::newRow("type 10") << 2 << set<std::int32_t>(metricAt(2, 2, 12), 10) << generic << "metric 2 (i64): unknown type 10";
    QTest::newRow("type -2") << 3 << set<std::int32_t>(metricAt(0, 3, 12), -2) << generic << "metric 0 (i32): unknown type -2";
    QTest::newRow("semantics 2") << 1 << set<std::int32_t>(metricAt(1, 1, 72), 2) << generic << "metric 1 (u32): unknown semantics 2";
    QTest::newRow("item 1024") << 2 << set<std::uint32_t>(metricAt(1, 2, 8), 1024) << generic << "metric 1 (u32): item 1024 exceeds 1023";
    QTest::newRow("indom not declared") << 1 << set<std::int32_t>(metricAt(1, 1, 80), 9) << generic << "metric 1 (u32): indom 9 is not declared";
    QTest::newRow("indom serial 0") << 1 << set<std::uint32_t>([](const Built& b) { return b.indoms; }, 0) << generic << "indom 0: reserved serial 0";
    QTest::newRow("indom instances outside") << 1 << set<std::uint64_t>([](const Built& b) { return b.indoms + 8; }, 1ull << 50) << generic
                                             << "indom 0 (serial 7): 2 instances at offset 1125899906842624 are not inside the instances section";
    QTest::newRow("indom too many instances") << 2 << set<std::uint32_t>([](const Built& b) { return b.indoms + 4; }, 3) << generic
                                              << "indom 0 (serial 7): 3 instances at offset...";
    QTest::newRow("indom instances misaligned") << 2 << Mutation([](Built& b) { putAt<std::uint64_t>(b.bytes, b.indoms + 8, b.instances + 4); })
                                                << generic << "indom 0 (serial 7): 2 instances at offset...";
    QTest::newRow("value metric outside") << 1 << set<std::uint64_t>(valueAt(0, 16), 1ull << 40) << generic
                                          << "value 0: metric offset 1099511627776 outside the file (size...";
    QTest::newRow("value metric misaligned") << 2 << Mutation([](Built& b) { putAt<std::uint64_t>(b.bytes, b.valueOffset(2) + 16, b.metrics + 8); })
                                             << generic << "value 2: metric offset...is not a metric record";
    QTest::newRow("value metric is an indom") << 1 << Mutation([](Built& b) { putAt<std::uint64_t>(b.bytes, b.valueOffset(2) + 16, b.indoms); })
                                              << generic << "value 2: metric offset...is not a metric record";
    QTest::newRow("value instance outside") << 1 << set<std::uint64_t>(valueAt(1, 24), 99999) << generic
                                            << "value 1 (i32): instance offset 99999 outside the file (size...";
    QTest::newRow("value instance zero") << 3 << set<std::uint64_t>(valueAt(0, 24), 0) << generic
                                         << "value 0 (i32): instance offset 0 is not an instance record";
    QTest::newRow("value instance is a metric") << 2 << Mutation([](Built& b) { putAt<std::uint64_t>(b.bytes, b.valueOffset(1) + 24, b.metrics); })
                                                << generic << "value 1 (i32): instance offset...is not an instance record";
    QTest::newRow("string value outside") << 1 << set<std::int64_t>(valueAt(7, 8), 1 << 20) << generic
                                          << "value 7 (str): string offset 1048576 outside the file (size...";
    QTest::newRow("string value negative") << 2 << set<std::int64_t>(valueAt(7, 8), -256) << generic
                                           << "value 7 (str): string offset -256 outside the file...";
    QTest::newRow("string value at the end") << 1 << Mutation([](Built& b) { putAt<std::int64_t>(b.bytes, b.valueOffset(7) + 8, static_cast<std::int64_t>(b.bytes.size()) - 8); })
                                             << generic << "value 7 (str): string offset...";
    QTest::newRow("label unterminated") << 3 << Mutation([](Built& b) { std::memset(b.bytes.data() + b.labels + 12, 'l', kLabelPayloadSize); })
                                        << generic << "label 0: not NUL-terminated within 244 bytes";
    QTest::newRow("labels count 256") << 3 << set<std::int32_t>(tocAt(5, 4), 256) << generic
                                      << "TOC[5]: labels section: count 256 exceeds the limit of 255";
  }
  void malformed() {
    QFETCH(int, version);
    QFETCH(Mutation, mutate);
    QFETCH(int, error);
    QFETCH(QString, message);
    Built b = buildMmv(richSpec(version));
    QVERIFY(parseMmv(b.bytes).ok());
    mutate(b);
    auto r = parseMmv(b.bytes);
    QVERIFY2(!r.ok(), "accepted");
    QCOMPARE(static_cast<int>(r.error()), error);
    const QString got = QString::fromStdString(r.failure().detail);
    // "a...b" matches text starting with a, containing b after it; "a..." a prefix.
    const QStringList parts = message.split("...");
    bool match = parts.size() == 1 ? got == message : got.startsWith(parts[0]) && got.indexOf(parts[1], parts[0].size()) >= 0;
    QVERIFY2(match, qPrintable("got: " + got));
  }

  // A file created and sized but whose header is not written yet is "being written".
  void zeroHeaderIsInFlux_data() {
    QTest::addColumn<int>("size");
    QTest::newRow("empty") << 0;
    QTest::newRow("10 zero bytes") << 10;
    QTest::newRow("zero-filled 4096") << 4096;
  }
  void zeroHeaderIsInFlux() {
    QFETCH(int, size);
    std::vector<std::uint8_t> zeros(static_cast<std::size_t>(size), 0);
    auto r = parseMmv(zeros);
    QVERIFY(!r.ok());
    QCOMPARE(r.error(), Error::Again);
    QCOMPARE(r.failure().detail, std::string("file is being written (no header yet)"));
    if (size > 0) {
      zeros[0] = 'M';  // a header being written is not all zero: refused for what it is
      auto partial = parseMmv(zeros);
      QVERIFY(!partial.ok());
      QCOMPARE(partial.error(), Error::Generic);
    }
  }

  // The exact one-line reason the agent logs, with the file size in it.
  void messageNamesTheSize() {
    Built b = buildMmv(richSpec(1));
    putAt<std::uint64_t>(b.bytes, b.valueOffset(3) + 16, 9999);
    auto r = parseMmv(b.bytes);
    QVERIFY(!r.ok());
    QCOMPARE(r.failure().detail, "value 3: metric offset 9999 outside the file (size " + std::to_string(b.bytes.size()) + ")");
  }

  // Cross-references between two indoms: a value must name an instance of its metric's
  // own indom, and a serial may be declared once.
  void twoIndoms_data() {
    QTest::addColumn<int>("version");
    QTest::addColumn<bool>("sameSerial");
    QTest::addColumn<bool>("crossInstance");
    QTest::addColumn<QString>("message");
    for (int v : {1, 2, 3}) {
      QTest::addRow("v%d valid", v) << v << false << false << "";
      QTest::addRow("v%d serial twice", v) << v << true << false << "indom 1: serial 7 declared twice";
      QTest::addRow("v%d instance of the other indom", v) << v << false << true
          << "value 0 (i32): instance at offset %1 belongs to indom 8, not the metric's indom 7";
    }
  }
  void twoIndoms() {
    QFETCH(int, version);
    QFETCH(bool, sameSerial);
    QFETCH(bool, crossInstance);
    QFETCH(QString, message);
    MmvSpec s = richSpec(version);
    s.indoms.push_back({sameSerial ? 7u : 8u, {{3, "blue"}}, "", ""});
    s.metrics.push_back({"shade", 9, 1, kSemInstant, 0, 8, "", ""});
    if (sameSerial) s.metrics.back().indom = 7;
    s.values.push_back({s.metrics.size() - 1, 0, 42, 0, ""});
    Built b = buildMmv(s);
    const std::uint64_t blue = b.instances + 2 * instanceSize(version);  // the third instance record
    if (crossInstance) putAt<std::uint64_t>(b.bytes, b.valueOffset(0) + 24, blue);
    auto r = parseMmv(b.bytes);
    if (message.isEmpty()) {
      QVERIFY2(r.ok(), r.ok() ? "" : r.failure().detail.c_str());
      QCOMPARE(r->indoms.size(), std::size_t{2});
      QCOMPARE(r->values.back().instance, 3);
      QCOMPARE(r->metrics.back().indom, 8u);
      return;
    }
    QVERIFY(!r.ok());
    QCOMPARE(QString::fromStdString(r.failure().detail), message.arg(blue));
  }

  // A singular metric's instance field is not used (pmdammv ignores it too).
  void singularIgnoresInstance() {
    Built b = buildMmv(richSpec(2));
    putAt<std::uint64_t>(b.bytes, b.valueOffset(4) + 24, 123456789);
    auto r = parseMmv(b.bytes);
    QVERIFY(r.ok());
    QCOMPARE(r->values[4].instance, kNullInstance);
  }

  // A writer thread flips a 64-bit value between two patterns while the reader reads it a
  // million times: every value read is one of the two (spec section 14).
  void noTornReads_data() {
    QTest::addColumn<int>("index");
    QTest::addColumn<quint64>("a");
    QTest::addColumn<quint64>("b");
    QTest::newRow("u64 zeros/ones") << 4 << quint64{0} << ~quint64{0};
    QTest::newRow("i64 halves") << 3 << quint64{0x00000000FFFFFFFFull} << quint64{0xFFFFFFFF00000000ull};
    QTest::newRow("double") << 6 << quint64{0x3fd0000000000000ull} << quint64{0xc1d0000000000001ull};
  }
  void noTornReads() {
    QFETCH(int, index);
    QFETCH(quint64, a);
    QFETCH(quint64, b);
    Built built = buildMmv(richSpec(1));
    auto l = parseMmv(built.bytes);
    QVERIFY(l.ok());
    const MmvValueRef ref = l->values[static_cast<std::size_t>(index)];
    const MmvType type = l->metrics[ref.metric].type;
    QCOMPARE(ref.valueOffset % 8, std::uint64_t{0});
    auto* slot = reinterpret_cast<std::uint64_t*>(built.bytes.data() + ref.valueOffset);
    QCOMPARE(reinterpret_cast<std::uintptr_t>(slot) % alignof(std::uint64_t), std::uintptr_t{0});
    std::atomic_ref<std::uint64_t>(*slot).store(a);  // only the two patterns from the start
    std::atomic<bool> stop{false};
    std::thread writer([&] {
      std::atomic_ref<std::uint64_t> word(*slot);
      for (std::uint64_t i = 0; !stop.load(std::memory_order_relaxed); ++i) word.store(i % 2 ? a : b, std::memory_order_relaxed);
    });
    const auto asValue = [type](std::uint64_t bits) {
      if (type == MmvType::Double) return Value(std::bit_cast<double>(bits));
      if (type == MmvType::I64) return Value(std::bit_cast<std::int64_t>(bits));
      return Value(bits);
    };
    const Value va = asValue(a), vb = asValue(b);
    int bad = 0;
    for (int i = 0; i < 1000000; ++i) {
      auto v = readValue(built.bytes, ref, type, 0);
      if (!v.ok() || (*v != va && *v != vb)) ++bad;
    }
    stop = true;
    writer.join();
    QCOMPARE(bad, 0);
  }
};

QTEST_GUILESS_MAIN(MmvMalformedTest)
#include "MmvMalformedTest.moc"
