// The derived-metric engine (core/derive/Derive.h). Every syntax error (reason and caret),
// semantic error and result descriptor below was produced by PCP 6.0.3's libpcp
// (pmAddDerivedMetric in a local context, operands from the Linux PMDA with the
// descriptors in fixtureMetrics()), except where a case says it is Sextant's own.
#include <QtTest>

#include <map>

#include "core/derive/Derive.h"

using namespace sextant;
using namespace sextant::derive;
using namespace std::chrono_literals;

namespace {

const InDom kDisks = InDom::make(60, 1);
const InDom kLoad = InDom::make(60, 2);
const InDom kNet = InDom::make(60, 3);

// As `pminfo -d` shows them for PCP's Linux PMDA, plus the MMV metric of the spec's example.
std::map<std::string, Descriptor, std::less<>> fixtureMetrics() {
  std::map<std::string, Descriptor, std::less<>> m;
  unsigned item = 0;
  auto add = [&](const char* name, ValueType t, InDom indom, Semantics s, Units u) {
    m[name] = Descriptor{Pmid::make(60, 0, item++), t, indom, s, u};
  };
  Units none;
  add("kernel.all.load", ValueType::Float, kLoad, Semantics::Instant, none);
  add("kernel.all.cpu.user", ValueType::U64, InDom(), Semantics::Counter, Units::time(TimeScale::Millisec));
  add("hinv.ncpu", ValueType::U32, InDom(), Semantics::Discrete, none);
  add("mem.util.free", ValueType::U64, InDom(), Semantics::Instant, Units::space(SpaceScale::KByte));
  add("mem.physmem", ValueType::U64, InDom(), Semantics::Discrete, Units::space(SpaceScale::KByte));
  add("disk.dev.read", ValueType::U64, kDisks, Semantics::Counter, Units::count());
  add("disk.dev.write", ValueType::U64, kDisks, Semantics::Counter, Units::count());
  add("disk.dev.read_bytes", ValueType::U64, kDisks, Semantics::Counter, Units::space(SpaceScale::KByte));
  add("disk.dev.avactive", ValueType::U32, kDisks, Semantics::Counter, Units::time(TimeScale::Millisec));
  add("network.interface.in.bytes", ValueType::U64, kNet, Semantics::Counter, Units::space(SpaceScale::Byte));
  add("network.interface.mtu", ValueType::U32, kNet, Semantics::Instant, Units::space(SpaceScale::Byte));
  add("network.interface.speed", ValueType::Float, kNet, Semantics::Discrete,
      Units::space(SpaceScale::MByte).perTime(TimeScale::Sec));
  add("kernel.all.pswitch", ValueType::U64, InDom(), Semantics::Counter, Units::count());
  add("kernel.uname.release", ValueType::String, InDom(), Semantics::Discrete, none);
  add("mmv.demo.requests", ValueType::U64, InDom(), Semantics::Counter, Units::count());
  return m;
}

Resolve fixtureResolver() {
  return [m = fixtureMetrics()](std::string_view name) -> Expected<Descriptor> {
    auto it = m.find(name);
    if (it == m.end()) return Failure{Error::Name, std::string(name)};
    return it->second;
  };
}

Pmid pmidOf(const char* name) { return fixtureMetrics().at(name).pmid; }

DeriveError errorOf(const QString& text) {
  auto c = Expression::compile(text.toStdString(), fixtureResolver());
  if (auto* e = std::get_if<DeriveError>(&c)) return *e;
  return DeriveError{DeriveError::Kind::Syntax, 9999, "(compiled without error)"};
}

Expression compiled(const char* text) {
  auto c = Expression::compile(text, fixtureResolver());
  if (auto* e = std::get_if<DeriveError>(&c)) qFatal("%s does not compile: %s", text, e->reason.c_str());
  return std::move(std::get<Expression>(c));
}

ValueSet set(std::vector<InstanceValue> values) {
  ValueSet s;
  s.values = std::move(values);
  return s;
}
ValueSet scalar(Value v) { return set({{kNullInstance, std::move(v)}}); }

// One value of a singular result as a double (NaN when there is none).
double only(const ValueSet& s) {
  if (!s.ok() || s.values.size() != 1) return std::nan("");
  return toDouble(s.values[0].value).value_or(std::nan(""));
}

Timestamp at(int seconds) { return Timestamp{} + std::chrono::seconds(seconds); }

}  // namespace

class DeriveTest : public QObject {
  Q_OBJECT

 private slots:
  void syntaxErrors_data() {
    QTest::addColumn<QString>("expr");
    QTest::addColumn<int>("position");
    QTest::addColumn<QString>("reason");
    QTest::newRow("trailing star") << "kernel.all.load *" << 16 << "Arithmetic expression expected to follow STAR";
    QTest::newRow("trailing blanks") << "kernel.all.load *   " << 19 << "Arithmetic expression expected to follow STAR";
    QTest::newRow("trailing plus") << "a +" << 2 << "Arithmetic expression expected to follow PLUS";
    QTest::newRow("double operator") << "a + * b" << 4 << "Arithmetic expression expected to follow PLUS";
    QTest::newRow("relational") << "a ==" << 3 << "Arithmetic expression expected to follow EQ";
    QTest::newRow("boolean") << "a &&" << 3 << "Boolean expression expected to follow AND";
    QTest::newRow("negation") << "- * a" << 2 << "Arithmetic expression expected to follow NEG";
    QTest::newRow("not") << "!+a" << 1 << "Boolean expression expected to follow NOT";
    QTest::newRow("ternary colon missing") << "a ? b" << 4 << "Arithmetic expression expected to follow QUEST";
    QTest::newRow("ternary after colon") << "a ? b :" << 6 << "Arithmetic expression expected to follow COLON";
    QTest::newRow("initial star") << "*" << 0 << "Unexpected initial '*'";
    QTest::newRow("initial plus") << "+ a" << 2 << "Unexpected initial '+'";
    QTest::newRow("unclosed paren") << "(hinv.ncpu" << 9 << "Unexpected initial '('";
    QTest::newRow("nested unclosed") << "((hinv.ncpu)" << 11 << "Unexpected initial '('";
    QTest::newRow("inner paren in operand") << "x + (1 b" << 7 << "Arithmetic expression expected to follow PLUS";
    QTest::newRow("extra close") << "hinv.ncpu))" << 10 << "Unexpected ')'";
    QTest::newRow("missing operator") << "a b" << 2 << "Arithmetic or relational or boolean operator expected to follow NAME";
    QTest::newRow("assign") << "a = b" << 2 << "Arithmetic or relational or boolean operator expected to follow NAME";
    QTest::newRow("no message") << "1 2" << 2 << "";
    QTest::newRow("no message after sum") << "a + 1 b" << 6 << "";
    QTest::newRow("function of expression") << "rate(a + b)" << 7 << "Metric name expected to follow rate(";
    QTest::newRow("function of constant") << "rate(1)" << 5 << "Metric name expected to follow rate(";
    QTest::newRow("not a PCP function") << "abs(a)" << 4 << "Unexpected '('";
    QTest::newRow("sqrt") << "sqrt(hinv.ncpu)" << 5 << "Unexpected '('";
    QTest::newRow("illegal character") << "a $ b" << 2 << "Illegal character";
    QTest::newRow("single ampersand") << "a & b" << 2 << "Illegal character";
    QTest::newRow("underscore first") << "_a" << 0 << "Illegal character";
    QTest::newRow("constant too large") << "4294967296" << 0 << "Constant value too large";
    QTest::newRow("exponent") << "1e5" << 1 << "";
    QTest::newRow("blank") << " " << 0 << "";
    QTest::newRow("empty") << "" << 1 << "";  // libpcp's caret is one column right of nothing
    QTest::newRow("unterminated instance") << "a[x" << 1 << "unterminated instance name";
    // Sextant's own: PCP accepts these, this engine does not implement them.
    QTest::newRow("instance selection") << "a[x]" << 1 << "Instance selection is not supported";
    QTest::newRow("rescale") << "rescale(a, \"Mbyte\")" << 0 << "rescale() is not supported";
  }
  void syntaxErrors() {
    QFETCH(QString, expr);
    QFETCH(int, position);
    QFETCH(QString, reason);
    DeriveError e = errorOf(expr);
    QCOMPARE(int(e.kind), int(DeriveError::Kind::Syntax));
    QCOMPARE(QString::fromStdString(e.reason), reason);
    QCOMPARE(int(e.position), position);
  }

  void semanticErrors_data() {
    QTest::addColumn<QString>("expr");
    QTest::addColumn<QString>("reason");
    QTest::newRow("counter + constant") << "kernel.all.pswitch + 1" << "Illegal operator for counter and non-counter";
    QTest::newRow("constant + counter") << "1 + kernel.all.pswitch" << "Illegal operator for non-counter and counter";
    QTest::newRow("constant / counter") << "2 / kernel.all.pswitch" << "Illegal operator for non-counter and counter";
    QTest::newRow("counter * counter") << "kernel.all.pswitch * disk.dev.read" << "Illegal operator for counters";
    QTest::newRow("Kbyte + none") << "mem.util.free + 1" << "Dimensions are not the same";
    QTest::newRow("count + byte") << "disk.dev.read + network.interface.in.bytes" << "Dimensions are not the same";
    QTest::newRow("relational with double") << "mem.util.free > 1000.5" << "Dimensions are not the same";
    QTest::newRow("boolean with units") << "mem.util.free && 1" << "Dimensions are not the same";
    QTest::newRow("string left") << "kernel.uname.release + 1" << "Non-arithmetic type for left operand";
    QTest::newRow("string right") << "1 + kernel.uname.release" << "Non-arithmetic type for right operand";
    QTest::newRow("string negated") << "-kernel.uname.release" << "Non-arithmetic operand for unary negation";
    QTest::newRow("string rate") << "rate(kernel.uname.release)" << "Non-arithmetic operand for function";
    QTest::newRow("string sum") << "sum(kernel.uname.release)" << "Non-arithmetic operand for function";
    QTest::newRow("rate of a rate") << "rate(network.interface.speed)" << "Incorrect time dimension for operand";
    QTest::newRow("indoms") << "kernel.all.load * network.interface.mtu" << "Operands should have the same instance domain";
    QTest::newRow("ternary types") << "hinv.ncpu ? kernel.all.load : 2" << "Different types for ternary operands";
    QTest::newRow("ternary semantics") << "hinv.ncpu > 2 ? mem.util.free : mem.physmem" << "Different semantics for ternary operands";
    QTest::newRow("ternary guard") << "kernel.all.load > 1 ? 1 : 0" << "Non-scalar ternary guard with scalar expressions";
  }
  void semanticErrors() {
    QFETCH(QString, expr);
    QFETCH(QString, reason);
    DeriveError e = errorOf(expr);
    QCOMPARE(int(e.kind), int(DeriveError::Kind::Semantic));
    QCOMPARE(QString::fromStdString(e.reason), reason);
    QCOMPARE(int(e.position), 0);  // pmAddDerivedMetric has no position for these
  }

  void unknownOperand() {
    DeriveError e = errorOf("hinv.ncpu + no.such.metric * 2");
    QCOMPARE(int(e.kind), int(DeriveError::Kind::Unbound));
    QCOMPARE(int(e.position), 12);
    QCOMPARE(QString::fromStdString(e.reason), QString("no.such.metric: Unknown metric name"));
    // Syntax is checked before names.
    QCOMPARE(int(errorOf("no.such.metric +").kind), int(DeriveError::Kind::Syntax));
  }

  // pmwebapi spec section 6.7, byte for byte.
  void messages() {
    DeriveError star = errorOf("kernel.all.load *");
    QCOMPARE(QString::fromStdString(pcpMessage("demo.bad", "kernel.all.load *", star)),
             QString("Syntax Error: pmAddDerivedMetric(\"demo.bad\", ...)\nkernel.all.load *\n"
                     "                ^\nArithmetic expression expected to follow STAR\n"));
    DeriveError counter = errorOf("mmv.demo.requests + 1");
    QCOMPARE(QString::fromStdString(pcpMessage("demo.b", "mmv.demo.requests + 1", counter)),
             QString("Semantic Error: pmAddDerivedMetric(\"demo.b\", ...)\nmmv.demo.requests + 1\n^\n"
                     "Illegal operator for counter and non-counter\n"));
    // No reason line when libpcp has none.
    QCOMPARE(QString::fromStdString(pcpMessage("x", "1 2", errorOf("1 2"))),
             QString("Syntax Error: pmAddDerivedMetric(\"x\", ...)\n1 2\n  ^\n"));
  }

  void descriptors_data() {
    QTest::addColumn<QString>("expr");
    QTest::addColumn<int>("type");
    QTest::addColumn<int>("semantics");
    QTest::addColumn<QString>("units");
    QTest::addColumn<quint32>("indom");
    auto row = [](const char* e, ValueType t, Semantics s, const char* u, InDom i) {
      QTest::newRow(e) << e << int(t) << int(s) << u << i.raw();
    };
    row("kernel.all.load*2", ValueType::Float, Semantics::Instant, "none", kLoad);
    row("hinv.ncpu * 10", ValueType::U32, Semantics::Discrete, "none", InDom());
    row("rate(kernel.all.pswitch)", ValueType::Double, Semantics::Instant, "count / sec", InDom());
    row("rate(disk.dev.read_bytes)", ValueType::Double, Semantics::Instant, "Kbyte / sec", kDisks);
    row("rate(kernel.all.cpu.user)", ValueType::Double, Semantics::Instant, "none", InDom());
    row("rate(hinv.ncpu)", ValueType::Double, Semantics::Instant, "/ sec", InDom());
    row("delta(kernel.all.pswitch)", ValueType::Double, Semantics::Instant, "count", InDom());
    row("delta(hinv.ncpu)", ValueType::I64, Semantics::Instant, "none", InDom());
    row("instant(kernel.all.pswitch)", ValueType::U64, Semantics::Instant, "count", InDom());
    row("count(disk.dev.read)", ValueType::U32, Semantics::Instant, "count", InDom());
    row("sum(disk.dev.read)", ValueType::U64, Semantics::Counter, "count", InDom());
    row("avg(disk.dev.read)", ValueType::Float, Semantics::Instant, "count", InDom());
    row("min(disk.dev.read)", ValueType::U64, Semantics::Instant, "count", InDom());
    row("-hinv.ncpu", ValueType::I32, Semantics::Instant, "none", InDom());
    row("kernel.all.pswitch / 2", ValueType::Double, Semantics::Counter, "count", InDom());
    row("kernel.all.pswitch - disk.dev.read", ValueType::U64, Semantics::Counter, "count", kDisks);
    row("mem.util.free * mem.physmem", ValueType::U64, Semantics::Instant, "Kbyte^2", InDom());
    row("mem.util.free / mem.physmem", ValueType::Double, Semantics::Instant, "none", InDom());
    row("mem.util.free + network.interface.mtu", ValueType::Double, Semantics::Instant, "Kbyte", kNet);
    row("mem.util.free * network.interface.speed", ValueType::Double, Semantics::Instant, "Mbyte^2 / sec", kNet);
    row("delta(disk.dev.read_bytes) / delta(disk.dev.read)", ValueType::Double, Semantics::Instant, "Kbyte / count", kDisks);
    row("mem.util.free > hinv.ncpu", ValueType::U32, Semantics::Instant, "none", InDom());
    row("hinv.ncpu > 1 && hinv.ncpu < 100", ValueType::U32, Semantics::Discrete, "none", InDom());
    row("hinv.ncpu ? disk.dev.read : disk.dev.read", ValueType::U64, Semantics::Counter, "count", kDisks);
    row("hinv.ncpu * kernel.all.pswitch", ValueType::U64, Semantics::Discrete, "count", InDom());
    row("1.5", ValueType::Double, Semantics::Discrete, "none", InDom());
  }
  void descriptors() {
    QFETCH(QString, expr);
    QFETCH(int, type);
    QFETCH(int, semantics);
    QFETCH(QString, units);
    QFETCH(quint32, indom);
    Descriptor d = compiled(expr.toStdString().c_str()).descriptor();
    QCOMPARE(int(d.type), type);
    QCOMPARE(int(d.semantics), semantics);
    QCOMPARE(QString::fromStdString(d.units.toString()), units);
    QCOMPARE(d.indom.raw(), indom);
    QVERIFY(d.pmid.isNull());
  }

  void precedence_data() {
    QTest::addColumn<QString>("expr");
    QTest::addColumn<double>("value");
    QTest::newRow("* before +") << "2 + 3 * 4" << 14.0;
    QTest::newRow("parentheses") << "(2 + 3) * 4" << 20.0;
    QTest::newRow("- is left associative") << "10 - 4 - 3" << 3.0;
    QTest::newRow("/ is left associative") << "8 / 4 / 2" << 1.0;
    QTest::newRow("unary minus") << "-2 + 5" << 3.0;
    QTest::newRow("double negation") << "5 - - 2" << 7.0;
    QTest::newRow("relational after arithmetic") << "1 + 1 > 1" << 1.0;
    QTest::newRow("relational chain") << "3 > 2 != 0" << 1.0;
    QTest::newRow("&& and || are equal") << "1 || 0 && 0" << 0.0;
    QTest::newRow("! before ||") << "!0 || 0" << 1.0;
    QTest::newRow("! after relational") << "!2 > 1" << 0.0;
    QTest::newRow("ternary is lowest") << "0 ? 1 : 2 + 3" << 5.0;
    QTest::newRow("ternary left associative") << "1 ? 0 : 1 ? 7 : 8" << 8.0;
    QTest::newRow("0 / 0 is 0") << "0 / 0" << 0.0;
    QTest::newRow("decimal") << "1.5 * 2" << 3.0;
  }
  void precedence() {
    QFETCH(QString, expr);
    QFETCH(double, value);
    Expression x = compiled(expr.toStdString().c_str());
    QVERIFY(x.operands().empty());
    QCOMPARE(only(x.evaluate({}, at(0))), value);
  }

  void operandsInFirstUseOrder() {
    Expression x = compiled("disk.dev.write + disk.dev.read + disk.dev.write");
    QCOMPARE(x.operands(), (std::vector<Pmid>{pmidOf("disk.dev.write"), pmidOf("disk.dev.read")}));
  }

  void aggregates() {
    std::vector<ValueSet> sets{set({{0, std::uint64_t{10}}, {1, std::uint64_t{30}}, {2, std::uint64_t{20}}})};
    QCOMPARE(only(compiled("sum(disk.dev.read)").evaluate(sets, at(0))), 60.0);
    QCOMPARE(only(compiled("avg(disk.dev.read)").evaluate(sets, at(0))), 20.0);
    QCOMPARE(only(compiled("min(disk.dev.read)").evaluate(sets, at(0))), 10.0);
    QCOMPARE(only(compiled("max(disk.dev.read)").evaluate(sets, at(0))), 30.0);
    QCOMPARE(only(compiled("count(disk.dev.read)").evaluate(sets, at(0))), 3.0);
    auto instant = compiled("instant(disk.dev.read)").evaluate(sets, at(0));
    QCOMPARE(instant.values.size(), std::size_t(3));
    QCOMPARE(std::get<std::uint64_t>(instant.values[1].value), std::uint64_t{30});
    // The result has its descriptor's type: sum() of u64 is u64, avg() is float.
    QVERIFY(std::holds_alternative<std::uint64_t>(compiled("sum(disk.dev.read)").evaluate(sets, at(0)).values[0].value));
    QVERIFY(std::holds_alternative<float>(compiled("avg(disk.dev.read)").evaluate(sets, at(0)).values[0].value));
    // count() of a failed fetch is 0 (pmRegisterDerived(3)); others pass the error on.
    ValueSet failed;
    failed.status = int(Error::Value);
    std::vector<ValueSet> bad{failed};
    QCOMPARE(only(compiled("count(disk.dev.read)").evaluate(bad, at(0))), 0.0);
    QCOMPARE(compiled("sum(disk.dev.read)").evaluate(bad, at(0)).status, int(Error::Value));
  }

  void rateAndDelta() {
    Expression rate = compiled("rate(disk.dev.read_bytes)");
    Expression delta = compiled("delta(disk.dev.read_bytes)");
    std::vector<ValueSet> first{set({{0, std::uint64_t{1000}}, {1, std::uint64_t{50}}})};
    std::vector<ValueSet> second{set({{1, std::uint64_t{80}}, {0, std::uint64_t{1600}}, {2, std::uint64_t{5}}})};
    // The first sample has nothing to compare with.
    ValueSet r0 = rate.evaluate(first, at(100));
    QVERIFY(r0.ok());
    QVERIFY(r0.values.empty());
    QVERIFY(delta.evaluate(first, at(100)).values.empty());
    // 2 s later: instances matched by id; instance 2 is new and has no rate yet.
    ValueSet r1 = rate.evaluate(second, at(102));
    QCOMPARE(r1.values.size(), std::size_t(2));
    QCOMPARE(r1.values[0].inst, 1);
    QCOMPARE(std::get<double>(r1.values[0].value), 15.0);
    QCOMPARE(r1.values[1].inst, 0);
    QCOMPARE(std::get<double>(r1.values[1].value), 300.0);
    ValueSet d1 = delta.evaluate(second, at(102));
    QCOMPARE(d1.values.size(), std::size_t(2));
    QCOMPARE(std::get<double>(d1.values[1].value), 600.0);  // delta of u64 is a double
  }

  void rateOfTimeIsUtilisation() {
    // millisec counter: 1500 ms of CPU in 2 s is 0.75 s per s.
    Expression x = compiled("rate(kernel.all.cpu.user)");
    x.evaluate(std::vector<ValueSet>{scalar(std::uint64_t{10000})}, at(0));
    QCOMPARE(only(x.evaluate(std::vector<ValueSet>{scalar(std::uint64_t{11500})}, at(2))), 0.75);
  }

  void rateWrapsLikePcp() {
    // A u32 counter that wrapped: libpcp subtracts in 32 bits.
    Expression x = compiled("rate(disk.dev.avactive)");
    x.evaluate(std::vector<ValueSet>{set({{0, std::uint32_t{0xFFFFFFF0u}}})}, at(0));
    ValueSet s = x.evaluate(std::vector<ValueSet>{set({{0, std::uint32_t{0x10}}})}, at(1));
    QCOMPARE(s.values.size(), std::size_t(1));
    QCOMPARE(std::get<double>(s.values[0].value), 0x20 / 1000.0);  // millisec: utilisation
  }

  void instanceMatching() {
    Expression x = compiled("disk.dev.read + disk.dev.write");
    std::vector<ValueSet> sets{set({{0, std::uint64_t{1}}, {1, std::uint64_t{2}}, {2, std::uint64_t{3}}}),
                               set({{2, std::uint64_t{30}}, {0, std::uint64_t{10}}})};
    ValueSet s = x.evaluate(sets, at(0));
    QCOMPARE(s.values.size(), std::size_t(2));  // no more than the smaller operand
    QCOMPARE(s.values[0].inst, 0);
    QCOMPARE(std::get<std::uint64_t>(s.values[0].value), std::uint64_t{11});
    QCOMPARE(s.values[1].inst, 2);
    QCOMPARE(std::get<std::uint64_t>(s.values[1].value), std::uint64_t{33});

    // A singular operand combines with every instance.
    Expression y = compiled("network.interface.mtu * hinv.ncpu");
    std::vector<ValueSet> sets2{set({{4, std::uint32_t{1500}}, {7, std::uint32_t{9000}}}), scalar(std::uint32_t{2})};
    ValueSet t = y.evaluate(sets2, at(0));
    QCOMPARE(t.values.size(), std::size_t(2));
    QCOMPARE(t.values[1].inst, 7);
    QCOMPARE(std::get<std::uint32_t>(t.values[1].value), std::uint32_t{18000});

    // An operand with no values gives none; an operand's error is the result's.
    std::vector<ValueSet> empty{set({}), set({{0, std::uint64_t{1}}})};
    QVERIFY(x.evaluate(empty, at(0)).values.empty());
    ValueSet failed;
    failed.status = int(Error::Inst);
    std::vector<ValueSet> bad{set({{0, std::uint64_t{1}}}), failed};
    QCOMPARE(x.evaluate(bad, at(0)).status, int(Error::Inst));
  }

  void unitScaling() {
    // Kbyte + byte: the byte operand is divided by 1024 and the result is a double in Kbyte.
    Expression x = compiled("mem.util.free + network.interface.mtu");
    std::vector<ValueSet> sets{scalar(std::uint64_t{2}), set({{3, std::uint32_t{1024}}})};
    ValueSet s = x.evaluate(sets, at(0));
    QCOMPARE(s.values.size(), std::size_t(1));
    QCOMPARE(s.values[0].inst, 3);
    QCOMPARE(std::get<double>(s.values[0].value), 3.0);
  }

  void ternaryPicksPerInstance() {
    Expression x = compiled("disk.dev.read > 5 ? disk.dev.read : disk.dev.write");
    std::vector<ValueSet> sets{set({{0, std::uint64_t{9}}, {1, std::uint64_t{2}}}),
                               set({{0, std::uint64_t{100}}, {1, std::uint64_t{200}}})};
    ValueSet s = x.evaluate(sets, at(0));
    QCOMPARE(s.values.size(), std::size_t(2));
    QCOMPARE(std::get<std::uint64_t>(s.values[0].value), std::uint64_t{9});
    QCOMPARE(std::get<std::uint64_t>(s.values[1].value), std::uint64_t{200});
  }

  void stringsPassThrough() {
    Expression x = compiled("instant(kernel.uname.release)");
    QCOMPARE(int(x.descriptor().type), int(ValueType::String));
    ValueSet s = x.evaluate(std::vector<ValueSet>{scalar(std::string("6.1.0"))}, at(0));
    QCOMPARE(s.values.size(), std::size_t(1));
    QCOMPARE(std::get<std::string>(s.values[0].value), std::string("6.1.0"));
  }

  void deepNestingIsRefused() {
    std::string deep(5000, '(');
    DeriveError e = errorOf(QString::fromStdString(deep + "1" + std::string(5000, ')')));
    QCOMPARE(int(e.kind), int(DeriveError::Kind::Syntax));
    QCOMPARE(QString::fromStdString(e.reason), QString("Expression nested too deeply"));
    std::string chain = "1";
    for (int i = 0; i < 5000; ++i) chain += "+1";
    QCOMPARE(QString::fromStdString(errorOf(QString::fromStdString(chain)).reason), QString("Expression nested too deeply"));
  }
};

QTEST_GUILESS_MAIN(DeriveTest)
#include "DeriveTest.moc"
