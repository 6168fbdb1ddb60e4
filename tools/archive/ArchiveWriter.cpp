#include "tools/archive/ArchiveWriter.h"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <unordered_map>

#include "core/Pmns.h"
#include "tools/archive/ArchiveCodec.h"
#include "tools/archive/ArchiveSchema.h"

namespace sextant::archive {

namespace {

constexpr int kOpenFlags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

// WAL with synchronous=NORMAL: a commit is in the WAL file before writeSample returns, so
// a killed process loses nothing committed; only a power cut may lose the last commits
// (https://sqlite.org/pragma.html#pragma_synchronous).
constexpr const char* kConnectionSetup = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";

std::vector<Instance> sortedById(std::vector<Instance> v) {
  std::sort(v.begin(), v.end(), [](const Instance& a, const Instance& b) { return a.id < b.id; });
  return v;
}

}  // namespace

struct ArchiveWriter::Impl {
  std::string path;
  sql::Database db;
  sql::Statement begin, commit, rollback;
  sql::Statement insertSample, insertLayout, insertMetric, insertInDom, openInstance, closeInstance;

  std::unordered_map<std::uint32_t, ValueType> metrics;  // declared PMIDs and their types
  std::map<InDom, std::vector<Instance>> members;       // each indom's members as last recorded, by id
  std::map<std::string, std::int64_t> layoutIds;        // every layout blob in the file
  std::int64_t lastT = std::numeric_limits<std::int64_t>::min();

  // Encoder state: the layout and values of the last committed row.
  codec::Layout layout, next;
  std::size_t typed = 0;  // next.entries before this index hold their metric's declared type
  std::int64_t layoutId = -1;
  codec::Row prev, cur;
  bool prevValid = false;  // false: the next row is a keyframe
  int sinceKey = 0;
  std::string layoutBlob, rowBlob;

  Failure failed(const std::string& what) const { return Failure{Error::Generic, "archive " + path + ": " + what}; }
  Failure sqlFailure() const { return failed(db.error()); }

  Expected<bool> prepareAll() {
    struct {
      sql::Statement* s;
      const char* text;
    } all[] = {
        {&begin, "BEGIN IMMEDIATE"},
        {&commit, "COMMIT"},
        {&rollback, "ROLLBACK"},
        {&insertSample, "INSERT INTO sample(t, layout, key, data) VALUES(?1, ?2, ?3, ?4)"},
        {&insertLayout, "INSERT INTO layout(data) VALUES(?1)"},
        {&insertMetric, "INSERT OR IGNORE INTO metric(pmid, name, type, semantics, units, indom, one_line, long_help, labels)"
                        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"},
        {&insertInDom, "INSERT OR IGNORE INTO indom(indom, one_line, long_help) VALUES(?1, ?2, ?3)"},
        {&openInstance, "INSERT INTO instance(indom, inst, name, since_ns, until_ns, labels) VALUES(?1, ?2, ?3, ?4, NULL, ?5)"},
        {&closeInstance, "UPDATE instance SET until_ns = ?1 WHERE indom = ?2 AND inst = ?3 AND until_ns IS NULL"},
    };
    for (auto& [s, text] : all) {
      *s = db.prepare(text);
      if (!*s) return sqlFailure();
    }
    return true;
  }

  // Runs `work` in one transaction; on any failure rolls back and returns the reason.
  template <class Work>
  Expected<bool> transaction(Work&& work) {
    if (begin.run() != SQLITE_DONE) return sqlFailure();
    if (!work() || commit.run() != SQLITE_DONE) {
      Failure f = sqlFailure();
      rollback.run();
      return f;
    }
    return true;
  }

  // Whether a sample follows the last row's layout: the same metrics, statuses and
  // instances in the same order (the usual case, checked without building `next`).
  bool followsLayout(const FetchResult& sample) const {
    if (layoutId < 0 || layout.entries.size() != sample.sets.size()) return false;
    for (std::size_t i = 0; i < sample.sets.size(); ++i) {
      const codec::LayoutEntry& e = layout.entries[i];
      const ValueSet& set = sample.sets[i];
      if (e.pmid != set.pmid || e.status != (set.ok() ? 0 : set.status)) return false;
      if (!set.ok()) continue;  // an error entry has no instances
      if (e.instances.size() != set.values.size()) return false;
      for (std::size_t k = 0; k < e.instances.size(); ++k)
        if (e.instances[k] != set.values[k].inst) return false;
    }
    return true;
  }

  // Builds `next` from a sample whose layout is new; false with the reason for a set we
  // cannot store.
  Expected<bool> gatherLayout(const FetchResult& sample) {
    next.entries.resize(sample.sets.size());
    for (std::size_t i = 0; i < sample.sets.size(); ++i) {
      const ValueSet& set = sample.sets[i];
      codec::LayoutEntry& e = next.entries[i];
      // The entry left by the last sample holds the type when it is the same metric
      // (a metric's type never changes once declared).
      if (e.pmid != set.pmid || i >= typed) {
        auto it = metrics.find(set.pmid.raw());
        if (it == metrics.end()) {
          typed = std::min(typed, i);
          return failed("metric " + set.pmid.toString() + " was not declared");
        }
        e.pmid = set.pmid;
        e.type = it->second;
      }
      e.status = set.ok() ? 0 : set.status;
      e.instances.clear();
      if (set.ok())
        for (const InstanceValue& iv : set.values) e.instances.push_back(iv.inst);
    }
    typed = sample.sets.size();
    return true;
  }

  // Fills `cur` with a sample's values, which follow `l`; false with the reason for a
  // value we cannot store.
  Expected<bool> gatherValues(const FetchResult& sample, const codec::Layout& l) {
    cur.resize(l.slotCount());
    std::size_t slot = 0;
    for (std::size_t i = 0; i < sample.sets.size(); ++i) {
      const ValueSet& set = sample.sets[i];
      if (!set.ok()) continue;
      const ValueType type = l.entries[i].type;
      for (const InstanceValue& iv : set.values) {
        if (valueTypeOf(iv.value) == type) {
          if (type == ValueType::String) cur.text[slot] = std::get<std::string>(iv.value);
          else cur.bits[slot] = codec::valueBits(iv.value);
        } else {
          const Value converted = convertTo(iv.value, type);
          if (valueTypeOf(converted) != type)
            return failed("metric " + set.pmid.toString() + ": a " + std::string(typeName(valueTypeOf(iv.value))) +
                          " value for a metric of type " + std::string(typeName(type)));
          cur.bits[slot] = codec::valueBits(converted);
        }
        ++slot;
      }
    }
    return true;
  }

  // Loads what append() needs to go on: declared metrics, open instances, layouts, last time.
  Expected<bool> load() {
    sql::Statement m = db.prepare("SELECT pmid, type FROM metric");
    if (!m) return sqlFailure();
    while (m.step() == SQLITE_ROW) metrics[static_cast<std::uint32_t>(m.int64(0))] = static_cast<ValueType>(m.int64(1));
    sql::Statement in = db.prepare("SELECT indom, inst, name FROM instance WHERE until_ns IS NULL");
    if (!in) return sqlFailure();
    while (in.step() == SQLITE_ROW)
      members[InDom(static_cast<std::uint32_t>(in.int64(0)))].push_back(
          Instance{static_cast<std::int32_t>(in.int64(1)), std::string(in.text(2))});
    for (auto& [indom, list] : members) list = sortedById(std::move(list));
    sql::Statement l = db.prepare("SELECT id, data FROM layout");
    if (!l) return sqlFailure();
    while (l.step() == SQLITE_ROW) layoutIds.emplace(std::string(l.blob(1)), l.int64(0));
    sql::Statement t = db.prepare("SELECT max(t) FROM sample");
    if (!t || t.step() != SQLITE_ROW) return sqlFailure();
    if (!t.isNull(0)) lastT = t.int64(0);
    return true;
  }
};

ArchiveWriter::ArchiveWriter(std::string path) : path_(std::move(path)), impl_(std::make_unique<Impl>()) {
  impl_->path = path_;
}

ArchiveWriter::~ArchiveWriter() = default;

Expected<std::unique_ptr<ArchiveWriter>> ArchiveWriter::create(const std::string& path, const ArchiveMeta& meta) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return Failure{Error::Generic, "archive " + path + ": already exists"};
  std::unique_ptr<ArchiveWriter> w(new ArchiveWriter(path));
  Impl& d = *w->impl_;
  if (!d.db.open(path, kOpenFlags | SQLITE_OPEN_CREATE)) return d.sqlFailure();
  // Half-made files are removed, so that a retry is not refused as "already exists".
  auto abandon = [&](Failure f) {
    d.db = sql::Database();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
    return f;
  };
  if (d.db.exec(kConnectionSetup) != SQLITE_OK) return abandon(d.sqlFailure());
  const std::string header = "BEGIN; PRAGMA application_id=" + std::to_string(kApplicationId) +
                             "; PRAGMA user_version=" + std::to_string(kFormatVersion) + ";";
  if (d.db.exec(header.c_str()) != SQLITE_OK || d.db.exec(kSchema) != SQLITE_OK) return abandon(d.sqlFailure());
  sql::Statement put = d.db.prepare("INSERT INTO archive(key, value) VALUES(?1, ?2)");
  if (!put) return abandon(d.sqlFailure());
  auto text = [&](const char* key, const std::string& value) {
    put.bindText(1, key);
    put.bindText(2, value);
    return put.run() == SQLITE_DONE;
  };
  auto number = [&](const char* key, std::int64_t value) {
    put.bindText(1, key);
    put.bind(2, value);
    return put.run() == SQLITE_DONE;
  };
  const bool stored = text("host", meta.hostName) && text("timezone", meta.timezone) &&
                      number("interval_ms", meta.interval.count()) &&
                      number("created_ns", toNs(std::chrono::system_clock::now())) &&
                      text("labels", meta.contextLabels.toJson()) &&
                      text("writer", "sextant, format " + std::to_string(kFormatVersion));
  put = sql::Statement();
  if (!stored || d.db.exec("COMMIT") != SQLITE_OK) return abandon(d.sqlFailure());
  if (auto ok = d.prepareAll(); !ok) return abandon(ok.failure());
  return w;
}

Expected<std::unique_ptr<ArchiveWriter>> ArchiveWriter::append(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return Failure{Error::Generic, "archive " + path + ": no such file"};
  std::unique_ptr<ArchiveWriter> w(new ArchiveWriter(path));
  Impl& d = *w->impl_;
  if (!d.db.open(path, kOpenFlags)) return d.sqlFailure();
  if (auto ok = checkArchive(d.db, path); !ok) return ok.failure();
  if (d.db.exec(kConnectionSetup) != SQLITE_OK) return d.sqlFailure();
  if (auto ok = d.load(); !ok) return ok.failure();
  if (auto ok = d.prepareAll(); !ok) return ok.failure();
  return w;
}

Expected<bool> ArchiveWriter::addMetric(const RecordedMetric& metric) {
  Impl& d = *impl_;
  if (d.metrics.count(metric.desc.pmid.raw())) return true;
  if (!Pmns::validName(metric.name)) return d.failed("bad metric name '" + metric.name + "'");
  if (metric.desc.type < ValueType::I32 || metric.desc.type > ValueType::String)
    return d.failed(metric.name + ": values of type " + std::string(typeName(metric.desc.type)) + " cannot be recorded");
  sql::Statement& s = d.insertMetric;
  s.bind(1, metric.desc.pmid.raw());
  s.bindText(2, metric.name);
  s.bind(3, static_cast<std::int64_t>(metric.desc.type));
  s.bind(4, static_cast<std::int64_t>(metric.desc.semantics));
  s.bind(5, metric.desc.units.pack());
  if (metric.desc.indom.isNull()) s.bindNull(6);
  else s.bind(6, metric.desc.indom.raw());
  s.bindText(7, metric.oneLine);
  s.bindText(8, metric.longHelp);
  s.bindText(9, metric.labels.toJson());
  if (s.run() != SQLITE_DONE) return d.sqlFailure();
  d.metrics[metric.desc.pmid.raw()] = metric.desc.type;
  return true;
}

Expected<bool> ArchiveWriter::addInDom(const InDomInfo& indom) {
  Impl& d = *impl_;
  d.insertInDom.bind(1, indom.indom.raw());
  d.insertInDom.bindText(2, indom.oneLine);
  d.insertInDom.bindText(3, indom.longHelp);
  if (d.insertInDom.run() != SQLITE_DONE) return d.sqlFailure();
  return true;
}

Expected<bool> ArchiveWriter::setInstances(InDom indom, Timestamp t, const std::vector<Instance>& members,
                                           const std::vector<std::pair<std::int32_t, LabelSet>>& labels) {
  Impl& d = *impl_;
  std::vector<Instance> now = sortedById(members);
  const std::vector<Instance>& before = d.members[indom];
  if (now == before) return true;
  const std::int64_t ns = toNs(t);
  auto ok = d.transaction([&] {
    // An instance whose name changed closes and reopens, as one that left and came back.
    for (const Instance& old : before) {
      if (std::find(now.begin(), now.end(), old) != now.end()) continue;
      d.closeInstance.bind(1, ns);
      d.closeInstance.bind(2, indom.raw());
      d.closeInstance.bind(3, old.id);
      if (d.closeInstance.run() != SQLITE_DONE) return false;
    }
    for (const Instance& inst : now) {
      if (std::find(before.begin(), before.end(), inst) != before.end()) continue;
      d.openInstance.bind(1, indom.raw());
      d.openInstance.bind(2, inst.id);
      d.openInstance.bindText(3, inst.name);
      d.openInstance.bind(4, ns);
      auto l = std::find_if(labels.begin(), labels.end(), [&](const auto& p) { return p.first == inst.id; });
      if (l != labels.end() && !l->second.empty()) d.openInstance.bindText(5, l->second.toJson());
      else d.openInstance.bindNull(5);
      if (d.openInstance.run() != SQLITE_DONE) return false;
    }
    return true;
  });
  if (!ok) return ok;
  d.members[indom] = std::move(now);
  return true;
}

Expected<bool> ArchiveWriter::writeSample(const FetchResult& sample) {
  Impl& d = *impl_;
  const std::int64_t t = toNs(sample.timestamp);
  if (t <= d.lastT)
    return d.failed("sample at " + std::to_string(t) + " ns is not after the last one (" + std::to_string(d.lastT) + " ns)");
  // A new layout is built in `next`, and compared with those already in the file.
  const bool layoutChanged = !d.followsLayout(sample);
  if (auto ok = layoutChanged ? d.gatherLayout(sample) : Expected<bool>(true); !ok) return ok;
  const codec::Layout& rowLayout = layoutChanged ? d.next : d.layout;
  if (auto ok = d.gatherValues(sample, rowLayout); !ok) return ok;

  std::int64_t layoutId = d.layoutId;
  bool newLayout = false;
  if (layoutChanged) {
    codec::encodeLayout(d.next, d.layoutBlob);
    auto known = d.layoutIds.find(d.layoutBlob);
    newLayout = known == d.layoutIds.end();
    if (!newLayout) layoutId = known->second;
  }
  const bool key = !d.prevValid || layoutChanged || d.sinceKey + 1 >= kKeyframeEvery;
  codec::encodeRow(rowLayout, d.cur, key ? nullptr : &d.prev, d.rowBlob);

  const auto insertRow = [&] {
    d.insertSample.bind(1, t);
    d.insertSample.bind(2, layoutId);
    d.insertSample.bind(3, key ? 1 : 0);
    d.insertSample.bindBlobInPlace(4, d.rowBlob);
    return d.insertSample.run() == SQLITE_DONE;
  };
  // A new layout and its first row go in one transaction. Otherwise the row's INSERT is
  // a transaction of its own (SQLite's autocommit): one statement a sample, not BEGIN,
  // INSERT and COMMIT.
  Expected<bool> ok = true;
  if (newLayout) {
    ok = d.transaction([&] {
      d.insertLayout.bindBlob(1, d.layoutBlob);
      if (d.insertLayout.run() != SQLITE_DONE) return false;
      layoutId = sqlite3_last_insert_rowid(d.db.handle());
      return insertRow();
    });
  } else if (!insertRow()) {
    ok = d.sqlFailure();  // rolled back by SQLite: nothing of the row is in the file
  }
  if (!ok) {
    // Nothing of this sample is in the file: the next row must not be a delta from it.
    d.prevValid = false;
    return ok;
  }
  if (newLayout) d.layoutIds.emplace(d.layoutBlob, layoutId);
  if (layoutChanged) {
    std::swap(d.layout, d.next);
    d.layoutId = layoutId;
  }
  std::swap(d.prev, d.cur);
  d.prevValid = true;
  d.sinceKey = key ? 0 : d.sinceKey + 1;
  d.lastT = t;
  return true;
}

}  // namespace sextant::archive
