#include "tools/archive/ArchiveContext.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "tools/archive/ArchiveCodec.h"
#include "tools/archive/ArchiveSchema.h"

namespace sextant::archive {

namespace {

// A position further than this many recorded intervals past the decoded rows is reached
// by a seek to the keyframe before it, not by decoding every row in between.
constexpr std::int64_t kSeekRows = 2 * kKeyframeEvery;

struct MetricMeta {
  Descriptor desc;
  std::string name, oneLine, longHelp;
  LabelSet labels;
};

struct Member {
  Instance instance;
  std::int64_t since = 0;
  std::int64_t until = std::numeric_limits<std::int64_t>::max();
  LabelSet labels;
  bool presentAt(std::int64_t t) const { return since <= t && t < until; }
};

struct LayoutInfo {
  codec::Layout layout;
  std::vector<std::size_t> firstSlot;                     // per entry
  std::unordered_map<std::uint32_t, std::size_t> entry;  // PMID -> entry
};

// One decoded sample row.
struct Frame {
  std::int64_t t = 0;
  const LayoutInfo* layout = nullptr;
  codec::Row row;
};

Value slotValue(const codec::Row& row, std::size_t slot, ValueType type) {
  if (type == ValueType::String) return row.text[slot];
  return codec::valueOf(row.bits[slot], type);
}

// PCP's interpolated mode (pmSetMode(3), PM_MODE_INTERP): a straight line between the
// samples either side of the time asked for, integers rounded to the nearest (halves away
// from zero). A counter that went down (a wrap or a reset) has no value in between.
// long double keeps 64-bit counters exact where the platform has an 80-bit type.
bool interpolate(ValueType type, bool counter, std::uint64_t a, std::uint64_t b, double frac, Value& out) {
  switch (type) {
    case ValueType::I32:
    case ValueType::I64: {
      const auto x = static_cast<std::int64_t>(a), y = static_cast<std::int64_t>(b);
      if (counter && y < x) return false;
      const long double v = std::roundl(static_cast<long double>(x) + (static_cast<long double>(y) - x) * frac);
      if (type == ValueType::I32) out = static_cast<std::int32_t>(v);
      else out = static_cast<std::int64_t>(v);
      return true;
    }
    case ValueType::U32:
    case ValueType::U64: {
      if (counter && b < a) return false;
      const long double v = std::roundl(static_cast<long double>(a) + (static_cast<long double>(b) - static_cast<long double>(a)) * frac);
      if (type == ValueType::U32) out = static_cast<std::uint32_t>(v);
      else out = static_cast<std::uint64_t>(v);
      return true;
    }
    case ValueType::Float: {
      const double x = std::get<float>(codec::valueOf(a, type)), y = std::get<float>(codec::valueOf(b, type));
      if (counter && y < x) return false;
      out = static_cast<float>(x + (y - x) * frac);
      return true;
    }
    case ValueType::Double: {
      const double x = std::get<double>(codec::valueOf(a, type)), y = std::get<double>(codec::valueOf(b, type));
      if (counter && y < x) return false;
      out = x + (y - x) * frac;
      return true;
    }
    default: return false;
  }
}

}  // namespace

struct ArchiveContext::Impl {
  std::string path;
  sql::Database db;
  sql::Statement rows, keyBefore, layoutById;

  std::string host, timezone;
  std::chrono::milliseconds interval{1000};
  LabelSet contextLabels;
  std::unordered_map<std::uint32_t, MetricMeta> metrics;
  Pmns pmns;
  std::set<unsigned> domains;
  std::set<InDom> knownInDoms;
  std::map<InDom, InDomInfo> indoms;
  std::map<InDom, std::vector<Member>> members;
  std::map<std::int64_t, std::unique_ptr<LayoutInfo>> layouts;

  std::int64_t first = 0, last = 0, position = 0, step = 0;
  // lo: the last row at or before the position; hi: the row after lo, if any.
  Frame lo, hi, spare;
  bool loValid = false, hiValid = false;

  Failure damaged(const std::string& what) const { return Failure{Error::LogRecord, "archive " + path + ": " + what}; }
  Failure sqlFailure() const { return damaged(db.error()); }

  Expected<bool> load();
  Expected<const LayoutInfo*> layoutFor(std::int64_t id);
  Expected<bool> readNext(Frame& out, const Frame* prev);
  Expected<bool> advance();
  Expected<bool> seek(std::int64_t t);
  Expected<bool> moveTo(std::int64_t t);
  void answer(Pmid pmid, ValueSet& set) const;
};

Expected<bool> ArchiveContext::Impl::load() {
  sql::Statement meta = db.prepare("SELECT key, value FROM archive");
  if (!meta) return sqlFailure();
  while (meta.step() == SQLITE_ROW) {
    const std::string_view key = meta.text(0);
    if (key == "host") host = meta.text(1);
    else if (key == "timezone") timezone = meta.text(1);
    else if (key == "interval_ms") interval = std::chrono::milliseconds(meta.int64(1));
    else if (key == "labels") {
      auto l = codec::decodeLabels(meta.text(1));
      if (!l) return damaged("context " + l.failure().detail);
      contextLabels = std::move(*l);
    }
  }
  sql::Statement m = db.prepare("SELECT pmid, name, type, semantics, units, indom, one_line, long_help, labels FROM metric");
  if (!m) return sqlFailure();
  while (m.step() == SQLITE_ROW) {
    MetricMeta mm;
    mm.desc.pmid = Pmid(static_cast<std::uint32_t>(m.int64(0)));
    mm.name = m.text(1);
    mm.desc.type = static_cast<ValueType>(m.int64(2));
    mm.desc.semantics = static_cast<Semantics>(m.int64(3));
    mm.desc.units = Units::unpack(static_cast<std::uint32_t>(m.int64(4)));
    if (!m.isNull(5)) mm.desc.indom = InDom(static_cast<std::uint32_t>(m.int64(5)));
    mm.oneLine = m.text(6);
    mm.longHelp = m.text(7);
    auto l = codec::decodeLabels(m.text(8));
    if (!l) return damaged(mm.name + " " + l.failure().detail);
    mm.labels = std::move(*l);
    // A name that clashes with another is left out of the name space, as a live
    // collector does with a dynamic agent's clash; its PMID still answers.
    (void)pmns.add(mm.name, mm.desc.pmid);
    domains.insert(mm.desc.pmid.domain());
    if (!mm.desc.indom.isNull()) knownInDoms.insert(mm.desc.indom);
    metrics.emplace(mm.desc.pmid.raw(), std::move(mm));
  }
  sql::Statement in = db.prepare("SELECT indom, one_line, long_help FROM indom");
  if (!in) return sqlFailure();
  while (in.step() == SQLITE_ROW) {
    const InDom id(static_cast<std::uint32_t>(in.int64(0)));
    indoms[id] = InDomInfo{id, std::string(in.text(1)), std::string(in.text(2))};
    knownInDoms.insert(id);
  }
  sql::Statement inst = db.prepare("SELECT indom, inst, name, since_ns, until_ns, labels FROM instance ORDER BY rowid");
  if (!inst) return sqlFailure();
  while (inst.step() == SQLITE_ROW) {
    const InDom id(static_cast<std::uint32_t>(inst.int64(0)));
    Member mb;
    mb.instance = Instance{static_cast<std::int32_t>(inst.int64(1)), std::string(inst.text(2))};
    mb.since = inst.int64(3);
    if (!inst.isNull(4)) mb.until = inst.int64(4);
    if (!inst.isNull(5)) {
      auto l = codec::decodeLabels(inst.text(5));
      if (!l) return damaged("instance " + mb.instance.name + " " + l.failure().detail);
      mb.labels = std::move(*l);
    }
    members[id].push_back(std::move(mb));
    knownInDoms.insert(id);
  }
  for (auto& [id, list] : members)
    std::stable_sort(list.begin(), list.end(), [](const Member& a, const Member& b) { return a.instance.id < b.instance.id; });
  // The samples committed by now are the archive; a recorder may go on adding more.
  sql::Statement span = db.prepare("SELECT min(t), max(t) FROM sample");
  if (!span || span.step() != SQLITE_ROW) return sqlFailure();
  if (span.isNull(0)) return Failure{Error::EmptyLog, "archive " + path + ": no samples"};
  first = span.int64(0);
  last = span.int64(1);
  position = first;
  step = std::chrono::duration_cast<std::chrono::nanoseconds>(interval).count();
  if (step <= 0) step = 1'000'000'000;
  rows = db.prepare("SELECT t, layout, key, data FROM sample WHERE t >= ?1 AND t <= ?2 ORDER BY t");
  keyBefore = db.prepare("SELECT t FROM sample WHERE t <= ?1 AND key = 1 ORDER BY t DESC LIMIT 1");
  layoutById = db.prepare("SELECT data FROM layout WHERE id = ?1");
  if (!rows || !keyBefore || !layoutById) return sqlFailure();
  return true;
}

Expected<const LayoutInfo*> ArchiveContext::Impl::layoutFor(std::int64_t id) {
  if (auto it = layouts.find(id); it != layouts.end()) return it->second.get();
  layoutById.bind(1, id);
  if (layoutById.step() != SQLITE_ROW) {
    layoutById.reset();
    return damaged("layout " + std::to_string(id) + " is missing");
  }
  auto decoded = codec::decodeLayout(layoutById.blob(0));
  layoutById.reset();
  if (!decoded) return damaged(decoded.failure().detail);
  auto info = std::make_unique<LayoutInfo>();
  info->layout = std::move(*decoded);
  std::size_t slot = 0;
  for (std::size_t i = 0; i < info->layout.entries.size(); ++i) {
    info->firstSlot.push_back(slot);
    info->entry.emplace(info->layout.entries[i].pmid.raw(), i);
    slot += info->layout.entries[i].instances.size();
  }
  const LayoutInfo* p = info.get();
  layouts.emplace(id, std::move(info));
  return p;
}

Expected<bool> ArchiveContext::Impl::readNext(Frame& out, const Frame* prev) {
  const int rc = rows.step();
  if (rc == SQLITE_DONE) return false;
  if (rc != SQLITE_ROW) return sqlFailure();
  out.t = rows.int64(0);
  auto layout = layoutFor(rows.int64(1));
  if (!layout) return layout.failure();
  const bool key = rows.int64(2) != 0;
  if (!key && (!prev || prev->layout != *layout))
    return damaged("sample at " + std::to_string(out.t) + " ns is a delta without its keyframe");
  out.layout = *layout;
  auto ok = codec::decodeRow(out.layout->layout, rows.blob(3), key ? nullptr : &prev->row, out.row);
  if (!ok) return damaged("sample at " + std::to_string(out.t) + " ns: " + ok.failure().detail);
  return true;
}

Expected<bool> ArchiveContext::Impl::advance() {
  auto got = readNext(spare, &hi);
  if (!got) return got;
  std::swap(lo, hi);
  if (*got) std::swap(hi, spare);
  hiValid = *got;
  return true;
}

Expected<bool> ArchiveContext::Impl::seek(std::int64_t t) {
  loValid = hiValid = false;
  keyBefore.bind(1, t);
  const bool found = keyBefore.step() == SQLITE_ROW;
  const std::int64_t keyT = found ? keyBefore.int64(0) : first;
  keyBefore.reset();
  rows.reset();
  rows.bind(1, keyT);
  rows.bind(2, last);
  auto got = readNext(lo, nullptr);
  if (!got) return got;
  if (!*got) return damaged("no sample at or after " + std::to_string(keyT) + " ns");
  loValid = true;
  auto next = readNext(hi, &lo);
  if (!next) return next;
  hiValid = *next;
  while (hiValid && hi.t <= t)
    if (auto ok = advance(); !ok) return ok;
  return true;
}

Expected<bool> ArchiveContext::Impl::moveTo(std::int64_t t) {
  const std::int64_t intervalNs = std::chrono::duration_cast<std::chrono::nanoseconds>(interval).count();
  const bool far = hiValid && t > hi.t && (t - hi.t) / std::max<std::int64_t>(intervalNs, 1) > kSeekRows;
  if (!loValid || t < lo.t || far) return seek(t);
  while (hiValid && hi.t <= t)
    if (auto ok = advance(); !ok) return ok;
  return true;
}

void ArchiveContext::Impl::answer(Pmid pmid, ValueSet& set) const {
  auto m = metrics.find(pmid.raw());
  if (m == metrics.end()) {
    set.status = static_cast<int>(Error::Pmid);
    return;
  }
  auto e0 = lo.layout->entry.find(pmid.raw());
  if (e0 == lo.layout->entry.end()) return;  // not in that sample: no values
  const codec::LayoutEntry& before = lo.layout->layout.entries[e0->second];
  if (before.status < 0) {
    set.status = before.status;
    return;
  }
  const std::size_t slot0 = lo.layout->firstSlot[e0->second];
  const Descriptor& desc = m->second.desc;
  const bool held = lo.t == position || before.type == ValueType::String || desc.semantics == Semantics::Discrete;
  set.values.reserve(before.instances.size());
  if (held) {
    for (std::size_t k = 0; k < before.instances.size(); ++k)
      set.values.push_back(InstanceValue{before.instances[k], slotValue(lo.row, slot0 + k, before.type)});
    return;
  }
  // Strictly between lo and hi (hi exists: the position is not past the last sample).
  auto e1 = hi.layout->entry.find(pmid.raw());
  if (e1 == hi.layout->entry.end()) return;
  const codec::LayoutEntry& after = hi.layout->layout.entries[e1->second];
  if (after.status < 0 || after.type != before.type) return;
  const std::size_t slot1 = hi.layout->firstSlot[e1->second];
  const double frac = static_cast<double>(position - lo.t) / static_cast<double>(hi.t - lo.t);
  const bool counter = desc.semantics == Semantics::Counter;
  std::size_t j = 0;  // instances are usually in the same order on both sides
  for (std::size_t k = 0; k < before.instances.size(); ++k) {
    const std::int32_t inst = before.instances[k];
    if (j >= after.instances.size() || after.instances[j] != inst) {
      auto it = std::find(after.instances.begin(), after.instances.end(), inst);
      if (it == after.instances.end()) continue;
      j = static_cast<std::size_t>(it - after.instances.begin());
    }
    Value v;
    if (interpolate(before.type, counter, lo.row.bits[slot0 + k], hi.row.bits[slot1 + j], frac, v))
      set.values.push_back(InstanceValue{inst, std::move(v)});
    ++j;
  }
}

ArchiveContext::ArchiveContext(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ArchiveContext::~ArchiveContext() = default;

Expected<std::unique_ptr<ArchiveContext>> ArchiveContext::open(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) return Failure{Error::LogLabel, "archive " + path + ": no such file"};
  if (!std::filesystem::is_regular_file(status)) return Failure{Error::LogLabel, "archive " + path + ": not a regular file"};
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  // Read-only: a recorder may be writing the file; WAL lets us read its committed samples.
  if (!impl->db.open(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX))
    return Failure{Error::LogLabel, "archive " + path + ": " + impl->db.error()};
  if (auto ok = checkArchive(impl->db, path); !ok) return ok.failure();
  if (auto ok = impl->load(); !ok) return ok.failure();
  return std::unique_ptr<ArchiveContext>(new ArchiveContext(std::move(impl)));
}

Timestamp ArchiveContext::start() const { return fromNs(impl_->first); }
Timestamp ArchiveContext::end() const { return fromNs(impl_->last); }
std::chrono::milliseconds ArchiveContext::recordedInterval() const { return impl_->interval; }
const std::string& ArchiveContext::timezone() const { return impl_->timezone; }
void ArchiveContext::setPosition(Timestamp t) { impl_->position = toNs(t); }
void ArchiveContext::setInterval(std::chrono::nanoseconds step) {
  if (step.count() > 0) impl_->step = step.count();
}
Timestamp ArchiveContext::position() const { return fromNs(impl_->position); }
std::string ArchiveContext::hostName() const { return impl_->host; }

Expected<FetchResult> ArchiveContext::fetch(std::span<const Pmid> pmids) {
  Impl& d = *impl_;
  if (d.position > d.last) return Failure{Error::EndOfLog, "archive " + d.path};
  FetchResult result;
  result.timestamp = fromNs(d.position);
  result.sets.resize(pmids.size());
  for (std::size_t i = 0; i < pmids.size(); ++i) result.sets[i].pmid = pmids[i];
  // Before the first sample every metric answers, without values (as PCP does).
  if (d.position >= d.first) {
    if (auto ok = d.moveTo(d.position); !ok) {
      d.loValid = d.hiValid = false;
      return ok.failure();
    }
    for (ValueSet& set : result.sets) d.answer(set.pmid, set);
  } else {
    for (ValueSet& set : result.sets)
      if (!d.metrics.count(set.pmid.raw())) set.status = static_cast<int>(Error::Pmid);
  }
  d.position += d.step;
  return result;
}

std::vector<Expected<Pmid>> ArchiveContext::lookup(std::span<const std::string> names) {
  std::vector<Expected<Pmid>> out;
  out.reserve(names.size());
  for (const std::string& name : names) {
    auto pmid = impl_->pmns.lookup(name);
    if (pmid) out.emplace_back(*pmid);
    else out.emplace_back(Failure{pmid.error(), name});
  }
  return out;
}

Expected<std::vector<std::string>> ArchiveContext::traverse(std::string_view prefix) {
  auto names = impl_->pmns.traverse(prefix);
  if (!names) return Failure{names.error(), std::string(prefix)};
  return names;
}

Expected<std::string> ArchiveContext::nameOf(Pmid pmid) {
  auto names = impl_->pmns.names(pmid);
  if (names.empty()) return Failure{Error::Pmid, pmid.toString()};
  return names.front();
}

Expected<std::vector<Pmns::Child>> ArchiveContext::children(std::string_view name) {
  auto kids = impl_->pmns.children(name);
  if (!kids) return Failure{kids.error(), std::string(name)};
  return kids;
}

Expected<Descriptor> ArchiveContext::descriptor(Pmid pmid) {
  auto m = impl_->metrics.find(pmid.raw());
  if (m == impl_->metrics.end()) return Failure{Error::Pmid, pmid.toString()};
  return m->second.desc;
}

Expected<std::string> ArchiveContext::helpText(Pmid pmid, bool longHelp) {
  auto m = impl_->metrics.find(pmid.raw());
  if (m == impl_->metrics.end()) return Failure{Error::Pmid, pmid.toString()};
  if (longHelp && !m->second.longHelp.empty()) return m->second.longHelp;
  if (m->second.oneLine.empty()) return Failure{Error::Text, pmid.toString()};
  return m->second.oneLine;
}

Expected<std::string> ArchiveContext::helpText(InDom indom, bool longHelp) {
  auto it = impl_->indoms.find(indom);
  if (it == impl_->indoms.end()) {
    if (impl_->knownInDoms.count(indom)) return Failure{Error::Text, indom.toString()};
    return Failure{Error::InDom, indom.toString()};
  }
  if (longHelp && !it->second.longHelp.empty()) return it->second.longHelp;
  if (it->second.oneLine.empty()) return Failure{Error::Text, indom.toString()};
  return it->second.oneLine;
}

Expected<std::vector<Instance>> ArchiveContext::instances(InDom indom) {
  if (!impl_->knownInDoms.count(indom)) return Failure{Error::InDom, indom.toString()};
  std::vector<Instance> out;
  auto it = impl_->members.find(indom);
  if (it == impl_->members.end()) return out;
  for (const Member& m : it->second)
    if (m.presentAt(impl_->position)) out.push_back(m.instance);
  return out;
}

Expected<std::vector<std::pair<std::int32_t, LabelSet>>> ArchiveContext::instanceLabels(InDom indom) {
  if (!impl_->knownInDoms.count(indom)) return Failure{Error::InDom, indom.toString()};
  std::vector<std::pair<std::int32_t, LabelSet>> out;
  auto it = impl_->members.find(indom);
  if (it == impl_->members.end()) return out;
  for (const Member& m : it->second)
    // Every present instance, with empty labels where none were recorded, as an agent answers.
    if (m.presentAt(impl_->position)) out.emplace_back(m.instance.id, m.labels);
  return out;
}

// The recorder stores each metric's labels of every level but the context's merged into
// its item level, so merging the levels here (metricLabels) gives what the host gave.
Expected<LabelSet> ArchiveContext::labels(LabelLevel level, std::uint32_t ident) {
  switch (level) {
    case LabelLevel::Context: return impl_->contextLabels;
    case LabelLevel::Domain:
      if (!impl_->domains.count(ident)) return Failure{Error::NoAgent, "domain " + std::to_string(ident)};
      return LabelSet{};
    case LabelLevel::InDom:
    case LabelLevel::Instances:
      if (!impl_->knownInDoms.count(InDom(ident))) return Failure{Error::InDom, InDom(ident).toString()};
      return LabelSet{};
    case LabelLevel::Cluster:
      if (!impl_->domains.count(Pmid(ident).domain())) return Failure{Error::NoAgent, Pmid(ident).toString()};
      return LabelSet{};
    case LabelLevel::Item: {
      auto m = impl_->metrics.find(ident);
      if (m == impl_->metrics.end()) return Failure{Error::Pmid, Pmid(ident).toString()};
      return m->second.labels;
    }
  }
  return Failure{Error::Type, "label level"};
}

int ArchiveContext::store(Pmid, const std::vector<InstanceValue>&) { return static_cast<int>(Error::Permission); }

}  // namespace sextant::archive
