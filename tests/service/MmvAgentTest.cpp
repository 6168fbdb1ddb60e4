// The MMV agent without sockets: files written by PCP's own libpcp_mmv (the
// mmv_pcp_writer helper) in a private PCP_TMP_DIR, served with pmdammv's names, PMIDs,
// types, units, help and instances (MMV format spec, section 12); files coming, going,
// rewritten, of dead writers, malformed or truncated under the agent (section 13, 14).
#include <fcntl.h>
#include <unistd.h>

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <memory>

#include "core/Collector.h"
#include "service/MmvAgent.h"

using namespace sextant;
using namespace sextant::service;

namespace {

const QString kWriter = QStringLiteral(SEXTANT_BIN "/mmv_pcp_writer");

// One running libpcp_mmv program; its file stays until it exits.
class Writer {
 public:
  bool start(const QString& tmpDir, const QString& name, int cluster, int flags, const QString& mode) {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("PCP_TMP_DIR", tmpDir);
    p_.setProcessEnvironment(env);
    p_.start(kWriter, {name, QString::number(cluster), QString::number(flags), mode});
    if (!p_.waitForStarted(5000)) return false;
    while (!p_.canReadLine())
      if (!p_.waitForReadyRead(10000)) return false;
    return p_.readLine().trimmed() == "ready";
  }
  void stop() {  // orderly: closing stdin ends it
    if (p_.state() == QProcess::NotRunning) return;
    p_.closeWriteChannel();
    if (!p_.waitForFinished(5000)) p_.kill();
    p_.waitForFinished(2000);
  }
  void kill() {
    p_.kill();
    p_.waitForFinished(5000);
  }
  ~Writer() { stop(); }

 private:
  QProcess p_;
};

QByteArray readAll(const QString& path) {
  QFile f(path);
  return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

template <class T>
void put(QByteArray& b, int offset, T v) {
  std::memcpy(b.data() + offset, &v, sizeof v);
}
template <class T>
T get(const QByteArray& b, int offset) {
  T v;
  std::memcpy(&v, b.constData() + offset, sizeof v);
  return v;
}

// The one value of a singular metric, fetched through the agent.
Value one(MmvAgent& agent, Pmid pmid, int* status = nullptr) {
  std::vector<ValueSet> out;
  const Pmid ask[] = {pmid};
  prepareSets(ask, out);
  agent.fetch(ask, Profile{}, out);
  if (status) *status = out.at(0).status;
  if (out.at(0).values.size() != 1) return Value(std::string("<no value>"));
  return out[0].values[0].value;
}

const MetricInfo* find(const MmvAgent& agent, const std::string& name) {
  for (const auto& m : agent.metrics())
    if (m.name == name) return &m;
  return nullptr;
}

}  // namespace

class MmvAgentTest : public QObject {
  Q_OBJECT

 public:
  explicit MmvAgentTest(bool watch) : watch_(watch) {}

 private:
  bool watch_;
  QTemporaryDir tmp_;
  QStringList log_;
  QString mmvDir() const { return tmp_.path() + "/mmv"; }
  std::unique_ptr<MmvAgent> makeAgent() {
    MmvAgentOptions o;
    o.dir = mmvDir().toStdString();
    o.log = [this](const std::string& line) { log_ << QString::fromStdString(line); };
    o.watch = watch_;
    return std::make_unique<MmvAgent>(std::move(o));
  }

 private slots:
  void initTestCase() {
    QVERIFY2(QFile::exists(kWriter),
             "mmv_pcp_writer was not built: PCP's libpcp_mmv is missing (install libpcp-mmv1-dev)");
    QVERIFY(tmp_.isValid());
  }

  void init() {
    QDir(mmvDir()).removeRecursively();
    QVERIFY(QDir().mkpath(mmvDir()));
    log_.clear();
  }

  void defaultDirectory() {
    const QByteArray saved = qgetenv("PCP_TMP_DIR");
    qputenv("PCP_TMP_DIR", "/some/where");
    QCOMPARE(QString::fromStdString(defaultMmvDir()), QString("/some/where/mmv"));
    qunsetenv("PCP_TMP_DIR");
    // Then pcp.conf's PCP_TMP_DIR (PCP_CONF names another pcp.conf).
    QFile conf(tmp_.path() + "/pcp.conf");
    QVERIFY(conf.open(QIODevice::WriteOnly));
    conf.write("PCP_VAR_DIR=/var/lib/pcp\nPCP_TMP_DIR=/conf/tmp\n");
    conf.close();
    qputenv("PCP_CONF", conf.fileName().toUtf8());
    QCOMPARE(QString::fromStdString(defaultMmvDir()), QString("/conf/tmp/mmv"));
    qputenv("PCP_CONF", (tmp_.path() + "/missing.conf").toUtf8());
    QCOMPARE(QString::fromStdString(defaultMmvDir()), QString("/var/tmp/mmv"));
    qunsetenv("PCP_CONF");
    if (!saved.isEmpty()) qputenv("PCP_TMP_DIR", saved);
  }

  void servesEveryType() {
    Writer w;
    QVERIFY(w.start(tmp_.path(), "demo", 42, 0, "all"));
    auto agent = makeAgent();
    QCOMPARE(agent->fileCount(), std::size_t(1));
    QVERIFY2(log_.isEmpty(), qPrintable(log_.join('\n')));

    struct Row {
      const char* name;
      unsigned item;
      ValueType type;
      Semantics sem;
      const char* units;
      Value value;
    };
    const Row rows[] = {
        {"mmv.demo.u32", 2, ValueType::U32, Semantics::Counter, "count", std::uint32_t(4000000000u)},
        {"mmv.demo.i64", 3, ValueType::I64, Semantics::Instant, "none", std::int64_t(-1234567890123LL)},
        {"mmv.demo.u64", 4, ValueType::U64, Semantics::Counter, "count", std::uint64_t(18000000000000000000ULL)},
        {"mmv.demo.float", 5, ValueType::Float, Semantics::Instant, "none", 3.5f},
        {"mmv.demo.double", 6, ValueType::Double, Semantics::Instant, "millisec", 0.25},
        {"mmv.demo.string", 7, ValueType::String, Semantics::Discrete, "none", std::string("ok")},
        // ELAPSED: a 64-bit counter in microseconds, whatever was declared (spec 9).
        {"mmv.demo.elapsed", 8, ValueType::I64, Semantics::Counter, "microsec", std::int64_t(1500000)},
    };
    for (const Row& r : rows) {
      const MetricInfo* m = find(*agent, r.name);
      QVERIFY2(m, r.name);
      QCOMPARE(m->desc.pmid, Pmid::make(70, 42, r.item));
      QCOMPARE(m->desc.type, r.type);
      QCOMPARE(m->desc.semantics, r.sem);
      QCOMPARE(QString::fromStdString(m->desc.units.toString()), QString(r.units));
      QVERIFY(m->desc.indom.isNull());
      int status = 0;
      QCOMPARE(one(*agent, m->desc.pmid, &status), r.value);
      QCOMPARE(status, 0);
    }
    QCOMPARE(QString::fromStdString(find(*agent, "mmv.demo.u64")->oneLine), QString("requests"));
    QCOMPARE(QString::fromStdString(find(*agent, "mmv.demo.i64")->oneLine), QString());

    // The instance domain: InDom 70.(42 << 11 | 7), its instances and help.
    const MetricInfo* i32 = find(*agent, "mmv.demo.i32");
    QVERIFY(i32);
    QCOMPARE(i32->desc.indom, InDom::make(70, (42u << 11) | 7u));
    QCOMPARE(QString::fromStdString(i32->desc.units.toString()), QString("Kbyte"));
    QCOMPARE(QString::fromStdString(i32->oneLine), QString("signed 32"));
    QCOMPARE(QString::fromStdString(i32->longHelp), QString("a signed 32-bit level per colour"));
    auto insts = agent->instances(i32->desc.indom);
    QVERIFY(insts.ok());
    QCOMPARE(insts->size(), std::size_t(2));
    QCOMPARE((*insts)[0], (Instance{0, "red"}));
    QCOMPARE((*insts)[1], (Instance{1, "green"}));
    QCOMPARE(agent->indoms().size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(agent->indoms()[0].oneLine), QString("test colours"));
    std::vector<ValueSet> out;
    const Pmid ask[] = {i32->desc.pmid};
    prepareSets(ask, out);
    agent->fetch(ask, Profile{}, out);
    QCOMPARE(out[0].values.size(), std::size_t(2));
    QCOMPARE(out[0].values[0].inst, 0);
    QCOMPARE(out[0].values[0].value, Value(std::int32_t(17)));
    QCOMPARE(out[0].values[1].inst, 1);
    QCOMPARE(out[0].values[1].value, Value(std::int32_t(-5)));
    // A profile asking for green only.
    Profile greenOnly;
    greenOnly.setIncludeByDefault(false);
    greenOnly.include(i32->desc.indom, {1});
    prepareSets(ask, out);  // the same sets again: the earlier values must not linger
    agent->fetch(ask, greenOnly, out);
    QCOMPARE(out[0].values.size(), std::size_t(1));
    QCOMPARE(out[0].values[0].inst, 1);

    // Control metrics with pmdammv's PMIDs.
    QCOMPARE(find(*agent, "mmv.control.files")->desc.pmid, Pmid::make(70, 0, 2));
    QCOMPARE(find(*agent, "mmv.control.reload")->desc.pmid, Pmid::make(70, 0, 0));
    QCOMPARE(find(*agent, "mmv.control.debug")->desc.pmid, Pmid::make(70, 0, 1));
    QCOMPARE(one(*agent, Pmid::make(70, 0, 2)), Value(std::int32_t(1)));
    QCOMPARE(find(*agent, "mmv.control.files")->desc.type, ValueType::I32);
    // Unknown PMIDs of the domain.
    int status = 0;
    one(*agent, Pmid::make(70, 42, 99), &status);
    QCOMPARE(status, static_cast<int>(Error::Pmid));
  }

  void noPrefixAndAutoCluster() {
    Writer a, b;
    QVERIFY(a.start(tmp_.path(), "plain", 0, 1, "flip"));  // NOPREFIX, cluster chosen for it
    QVERIFY(b.start(tmp_.path(), "zeta", 0, 0, "flip"));
    auto agent = makeAgent();
    const MetricInfo* flat = find(*agent, "mmv.flip");
    QVERIFY(flat);
    QCOMPARE(flat->desc.pmid, Pmid::make(70, 1, 1));  // lowest unused cluster, in name order
    const MetricInfo* z = find(*agent, "mmv.zeta.flip");
    QVERIFY(z);
    QCOMPARE(z->desc.pmid, Pmid::make(70, 2, 1));
  }

  // Collector::refresh: names appear and vanish with files; nothing changes otherwise.
  void filesComeAndGo() {
    Collector collector;
    auto owned = makeAgent();
    MmvAgent* agent = owned.get();
    QVERIFY(collector.addAgent(std::move(owned)).ok());
    QVERIFY(!collector.lookup("mmv.first.u64").ok());
    QVERIFY(collector.refresh().empty());
    const MetricInfo* files = *collector.metric(Pmid::make(70, 0, 2));

    Writer first;
    QVERIFY(first.start(tmp_.path(), "first", 11, 0, "all"));
    QCOMPARE(collector.refresh(), std::vector<unsigned>{70});
    QCOMPARE(*collector.lookup("mmv.first.u64"), Pmid::make(70, 11, 4));
    auto r = collector.fetch(std::vector<Pmid>{Pmid::make(70, 11, 4)});
    QCOMPARE(r.sets[0].values.at(0).value, Value(std::uint64_t(18000000000000000000ULL)));
    QVERIFY(collector.refresh().empty());  // nothing new: the name space is kept

    Writer second;
    QVERIFY(second.start(tmp_.path(), "second", 12, 0, "flip"));
    QCOMPARE(collector.refresh(), std::vector<unsigned>{70});
    QVERIFY(collector.lookup("mmv.second.flip").ok());
    QVERIFY(collector.lookup("mmv.first.u64").ok());
    QCOMPARE(agent->fileCount(), std::size_t(2));

    QVERIFY(QFile::remove(mmvDir() + "/first"));
    QCOMPARE(collector.refresh(), std::vector<unsigned>{70});
    QVERIFY(!collector.lookup("mmv.first.u64").ok());
    QVERIFY(collector.lookup("mmv.second.flip").ok());
    QVERIFY(collector.lookup("kernel.all.load").error() != Error::Generic);
    (void)files;
    QVERIFY2(log_.isEmpty(), qPrintable(log_.join('\n')));
  }

  void deadWriterDropped() {
    Writer w;
    QVERIFY(w.start(tmp_.path(), "proc", 13, 2, "all"));  // PROCESS flag
    auto agent = makeAgent();
#ifdef __linux__
    QCOMPARE(agent->watching(), watch_);  // the run with events really uses them
#endif
    QVERIFY(find(*agent, "mmv.proc.u64"));
    QVERIFY(!agent->refresh());
    w.kill();  // SIGKILL: the file stays, its writer is gone
    QVERIFY(QFile::exists(mmvDir() + "/proc"));
    QVERIFY(agent->refresh());
    QVERIFY(!find(*agent, "mmv.proc.u64"));
    QCOMPARE(log_.size(), 1);
    QVERIFY2(log_[0].contains("proc") && log_[0].contains("exited"), qPrintable(log_[0]));
    QVERIFY(!agent->refresh());
    QCOMPARE(log_.size(), 1);  // said once
  }

  // A file rewritten in place (same inode, directory untouched) with a new generation
  // is re-read: here its help text changed.
  void generationChangeRereads() {
    Writer w;
    QVERIFY(w.start(tmp_.path(), "gen", 14, 0, "all"));
    w.stop();  // without PROCESS the file stays
    const QString path = mmvDir() + "/gen";
    QByteArray bytes = readAll(path);
    QVERIFY(bytes.size() > 100);
    auto agent = makeAgent();
    QCOMPARE(QString::fromStdString(find(*agent, "mmv.gen.u64")->oneLine), QString("requests"));
    const int at = bytes.indexOf(QByteArray("requests\0", 9));
    QVERIFY(at > 0);
    std::memcpy(bytes.data() + at, "response", 8);
    const auto g = get<std::uint64_t>(bytes, 8) + 1;
    put(bytes, 8, g);
    put(bytes, 16, g);
    {
      // In place: O_WRONLY without O_TRUNC keeps the inode and the size.
      int fd = ::open(path.toLocal8Bit().constData(), O_WRONLY);
      QVERIFY(fd >= 0);
      QCOMPARE(::pwrite(fd, bytes.constData(), bytes.size(), 0), ssize_t(bytes.size()));
      ::close(fd);
    }
    QVERIFY(agent->refresh());
    QCOMPARE(QString::fromStdString(find(*agent, "mmv.gen.u64")->oneLine), QString("response"));
  }

  void badFilesRefusedOnce_data() {
    QTest::addColumn<QString>("damage");
    QTest::addColumn<QString>("reason");  // a word of the log line
    QTest::newRow("truncated") << "truncated" << "";
    QTest::newRow("wrong magic") << "magic" << "";
    QTest::newRow("absurd count") << "count" << "";
    QTest::newRow("offset outside") << "offset" << "";
    QTest::newRow("no NUL") << "nonul" << "";
    QTest::newRow("cluster taken") << "cluster" << "cluster 21 is already used";
  }
  void badFilesRefusedOnce() {
    QFETCH(QString, damage);
    QFETCH(QString, reason);
    Writer w;
    QVERIFY(w.start(tmp_.path(), "good", 21, 0, "all"));
    Writer v;
    QVERIFY(v.start(tmp_.path(), "victim", 22, 0, "all"));
    v.stop();
    QByteArray b = readAll(mmvDir() + "/victim");
    QCOMPARE(get<std::int32_t>(b, 4), 1);  // a version 1 file: TOC[2] is the metrics
    QCOMPARE(get<std::int32_t>(b, 40 + 2 * 16), 3);
    const int metricsOffset = static_cast<int>(get<std::uint64_t>(b, 40 + 2 * 16 + 8));
    if (damage == "truncated") b.truncate(60);
    if (damage == "magic") b[0] = 'X';
    if (damage == "count") put<std::int32_t>(b, 40 + 2 * 16 + 4, 1000000);
    if (damage == "offset") put<std::uint64_t>(b, 40 + 2 * 16 + 8, std::uint64_t(1) << 40);
    if (damage == "nonul") std::memset(b.data() + metricsOffset, 'a', 64);
    if (damage == "cluster") put<std::int32_t>(b, 36, 21);
    QVERIFY(QFile::remove(mmvDir() + "/victim"));
    QVERIFY(writeAll(mmvDir() + "/victim", b));

    auto agent = makeAgent();
    QCOMPARE(log_.size(), 1);
    QVERIFY2(log_[0].startsWith("mmv file victim refused: "), qPrintable(log_[0]));
    QVERIFY2(log_[0].contains(reason), qPrintable(log_[0]));
    QVERIFY(!find(*agent, "mmv.victim.u64"));
    QCOMPARE(one(*agent, find(*agent, "mmv.good.u64")->desc.pmid), Value(std::uint64_t(18000000000000000000ULL)));
    // Later checks do not repeat the line.
    QVERIFY(QFile::remove(mmvDir() + "/nothing") || true);
    Writer other;
    QVERIFY(other.start(tmp_.path(), "other", 23, 0, "flip"));
    QVERIFY(agent->refresh());
    QVERIFY(find(*agent, "mmv.other.flip"));
    QCOMPARE(log_.size(), 1);
  }

  // A file truncated in place while mapped: the fetch touching it survives the SIGBUS,
  // says so in one line, and the other file is still served.
  void truncatedWhileMapped() {
    Writer good, wide;
    QVERIFY(good.start(tmp_.path(), "good", 31, 0, "all"));
    QVERIFY(wide.start(tmp_.path(), "wide", 32, 0, "wide"));
    auto agent = makeAgent();
    const MetricInfo* last = find(*agent, "mmv.wide.m99");
    QVERIFY(last);
    const Pmid pmid = last->desc.pmid;
    QCOMPARE(one(*agent, pmid), Value(std::uint64_t(99)));
    QVERIFY(QFile::resize(mmvDir() + "/wide", 0));
    int status = 0;
    one(*agent, pmid, &status);  // touches the mapping past the end: SIGBUS, caught
    QCOMPARE(status, static_cast<int>(Error::Value));
    QCOMPARE(log_.size(), 1);
    QVERIFY2(log_[0].contains("wide") && log_[0].contains("SIGBUS"), qPrintable(log_[0]));
    QVERIFY(agent->refresh());
    QVERIFY(!find(*agent, "mmv.wide.m99"));
    QCOMPARE(one(*agent, find(*agent, "mmv.good.u64")->desc.pmid), Value(std::uint64_t(18000000000000000000ULL)));
    QCOMPARE(log_.size(), 1);
  }

  // A version 3 file from libpcp_mmv (tests/fixtures/mmv): its four labels each at
  // their level, as pmcd's mmv agent serves them (spec section 12, observed there).
  void versionThreeLabels() {
    QVERIFY(QFile::copy(SEXTANT_FIXTURES "/mmv/libpcp-v3.mmv", mmvDir() + "/labelled"));
    auto agent = makeAgent();
    const MetricInfo* requests = find(*agent, "mmv.labelled.requests");  // item 1
    const MetricInfo* paint = find(*agent, "mmv.labelled.paint");        // item 2, indom 7
    QVERIFY(requests && paint);
    const std::uint32_t rq = requests->desc.pmid.raw(), pt = paint->desc.pmid.raw();
    QCOMPARE(agent->labels(LabelLevel::Cluster, rq).toJson(), std::string("{\"app\":\"demo\"}"));
    QCOMPARE(agent->labels(LabelLevel::Cluster, pt).toJson(), std::string("{\"app\":\"demo\"}"));
    QCOMPARE(agent->labels(LabelLevel::Item, rq).toJson(), std::string("{\"tier\":2}"));
    QVERIFY(agent->labels(LabelLevel::Item, pt).empty());
    QCOMPARE(agent->labels(LabelLevel::InDom, paint->desc.indom.raw()).toJson(), std::string("{\"palette\":\"rgb\"}"));
    QCOMPARE(agent->labels(LabelLevel::Domain, 70).toJson(), std::string("{\"agent\":\"mmv\"}"));
    const auto perInstance = agent->instanceLabels(paint->desc.indom);
    QCOMPARE(perInstance.size(), std::size_t(2));
    QCOMPARE(perInstance[0].first, 0);
    QVERIFY(perInstance[0].second.empty());
    QCOMPARE(perInstance[1].first, 1);
    QCOMPARE(perInstance[1].second.toJson(), std::string("{\"hex\":\"00ff00\"}"));
    QVERIFY2(log_.isEmpty(), qPrintable(log_.join('\n')));
  }

  // A writer flipping a u64 between two bit patterns: every value read is one of them.
  void noTornValues() {
    Writer w;
    QVERIFY(w.start(tmp_.path(), "flipper", 41, 0, "flip"));
    auto agent = makeAgent();
    const Pmid pmid = find(*agent, "mmv.flipper.flip")->desc.pmid;
    int a = 0, b = 0;
    for (int i = 0; i < 20000; ++i) {
      const Value v = one(*agent, pmid);
      if (v == Value(std::uint64_t(0x5555555555555555ULL))) ++a;
      else if (v == Value(std::uint64_t(0xAAAAAAAAAAAAAAAAULL))) ++b;
      else QFAIL(qPrintable("torn value " + QString::fromStdString(formatValue(v))));
    }
    QCOMPARE(a + b, 20000);
  }
};

// Every case twice: with directory and process events (inotify, pidfds), and with the
// portable checks by hand that other platforms use.
int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  MmvAgentTest watched(true), byHand(false);
  int failed = QTest::qExec(&watched, argc, argv);
  failed += QTest::qExec(&byHand, argc, argv);
  return failed;
}
#include "MmvAgentTest.moc"
