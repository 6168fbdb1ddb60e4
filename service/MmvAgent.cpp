#include "service/MmvAgent.h"

#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>

#include "core/Pmns.h"

namespace sextant::service {
namespace {

using namespace sextant::mmv;

constexpr unsigned kControlCluster = 0;
constexpr Pmid kReloadPmid = Pmid::make(kMmvDomain, kControlCluster, 0);
constexpr Pmid kDebugPmid = Pmid::make(kMmvDomain, kControlCluster, 1);
constexpr Pmid kFilesPmid = Pmid::make(kMmvDomain, kControlCluster, 2);

// PCP_TMP_DIR from a pcp.conf text: the value of the last "PCP_TMP_DIR=" line.
std::string tmpDirFromConf(const std::string& path) {
  std::ifstream in(path);
  std::string line, value;
  while (std::getline(in, line)) {
    if (line.rfind("PCP_TMP_DIR=", 0) != 0) continue;
    value = line.substr(12);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  }
  return value;
}

// Who identifies a version of a file on disk: a refusal is logged once per identity.
std::string identity(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return "gone";
  return std::to_string(st.st_ino) + ":" + std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) +
         "." + std::to_string(st.st_mtim.tv_nsec);
}

bool processGone(std::int32_t pid) { return pid <= 0 || (kill(pid, 0) != 0 && errno == ESRCH); }

bool sameMetric(const MetricInfo& a, const MetricInfo& b) {
  return a.name == b.name && a.desc == b.desc && a.oneLine == b.oneLine && a.longHelp == b.longHelp;
}

MetricInfo control(Pmid pmid, const char* name, const char* help) {
  return MetricInfo{name, Descriptor{pmid, ValueType::I32, InDom(), Semantics::Instant, Units::none()}, help, {}};
}

}  // namespace

std::string defaultMmvDir() {
  std::string tmp;
  if (const char* env = std::getenv("PCP_TMP_DIR"); env && *env) tmp = env;
  if (tmp.empty()) {
    const char* conf = std::getenv("PCP_CONF");
    tmp = tmpDirFromConf(conf && *conf ? conf : "/etc/pcp.conf");
  }
  if (tmp.empty()) tmp = "/var/tmp";  // libpcp's built-in default when pcp.conf has none
  return tmp + "/mmv";
}

struct MmvAgent::File {
  std::string name;
  MappedFile map;
  std::vector<std::uint8_t> copy;  // the file as loaded; value words refreshed per fetch
  MmvLayout layout;
  unsigned cluster = 0;
  bool dead = false;
};

struct MmvAgent::Served {
  File* file = nullptr;  // nullptr: a control metric
  std::size_t metric = 0;
  InDom indom;
  std::vector<std::size_t> values;  // indices into file->layout.values
};

MmvAgent::MmvAgent(MmvAgentOptions options) : options_(std::move(options)) {
  dir_ = options_.dir.empty() ? defaultMmvDir() : options_.dir;
  rescan();
}

MmvAgent::~MmvAgent() = default;

void MmvAgent::note(const std::string& line) {
  if (options_.log) options_.log(line);
}

void MmvAgent::dropFile(File& f, const std::string& why) {
  if (f.dead) return;
  f.dead = true;
  forced_ = true;
  const std::string path = dir_ + "/" + f.name;
  refusedWhy_[f.name] = identity(path);  // its next state is not logged again
  note("mmv file " + f.name + ": " + why + "; no longer served");
}

bool MmvAgent::changed() {
  if (watch_.armed()) {
    if (watch_.fired()) return true;
  } else {
    // No watch: the directory, every file's size and every writer, checked by hand.
    struct stat st {};
    const int err = stat(dir_.c_str(), &st) == 0 ? 0 : errno;
    if (err != dirErrno_ || st.st_mtim.tv_sec != dirMtime_.tv_sec || st.st_mtim.tv_nsec != dirMtime_.tv_nsec)
      return true;
    for (auto& f : files_) {
      if (f->map.shrunk()) return true;
      if ((f->layout.flags & kFlagProcess) && processGone(f->layout.process)) return true;
    }
  }
  // A file rewritten in place through a mapping raises no event and keeps its size:
  // its generation words tell.
  for (auto& f : files_) {
    if (f->dead) return true;
    std::uint64_t g1 = 0, g2 = 0;
    auto bytes = f->map.bytes();
    if (!guarded([&] {
          g1 = readGeneration(bytes, kHeaderGen1Offset);
          g2 = readGeneration(bytes, kHeaderGen2Offset);
        }))
      return true;
    if (g1 != f->layout.generation || g2 != f->layout.generation) return true;
  }
  return false;
}

bool MmvAgent::refresh() {
  const auto now = std::chrono::steady_clock::now();
  if (!forced_ && now - lastCheck_ < options_.checkInterval) return false;
  lastCheck_ = now;
  if (!forced_ && !changed()) return false;
  return rescan();
}

bool MmvAgent::rescan() {
  forced_ = false;
  ++reloads_;
  if (options_.watch) watch_.watchDirectory(dir_);  // before reading it: nothing during the scan is missed
  struct stat st {};
  dirErrno_ = stat(dir_.c_str(), &st) == 0 ? 0 : errno;
  dirMtime_ = dirErrno_ == 0 ? st.st_mtim : timespec{};

  std::vector<std::string> names;
  if (DIR* d = opendir(dir_.c_str())) {
    while (dirent* e = readdir(d))
      if (e->d_name[0] != '.') names.emplace_back(e->d_name);
    closedir(d);
  }
  std::sort(names.begin(), names.end());  // pmdammv scans in alphasort order

  std::map<std::string, std::unique_ptr<File>> old;
  for (auto& f : files_) old[f->name] = std::move(f);
  files_.clear();
  std::set<unsigned> clusters;
  std::set<std::string> seen;
  for (const auto& name : names) {
    seen.insert(name);
    const std::string path = dir_ + "/" + name;
    const std::string id = identity(path);
    auto refuse = [&](const std::string& why) {
      auto it = refusedWhy_.find(name);
      if (it != refusedWhy_.end() && it->second == id) return;
      refusedWhy_[name] = id;
      note("mmv file " + name + " refused: " + why);
    };
    std::unique_ptr<File> f;
    if (auto it = old.find(name); it != old.end() && !it->second->dead) {
      File& o = *it->second;
      // Shrunk in place under our mapping: said here, once, whatever the new bytes are.
      if (o.map.shrunk()) dropFile(o, "the file shrank while mapped");
      struct stat now {};
      const bool same = stat(path.c_str(), &now) == 0 && now.st_ino == o.map.inode() &&
                        static_cast<std::uint64_t>(now.st_size) == o.map.size() && !o.map.shrunk();
      std::uint64_t g1 = 0, g2 = 0;
      auto bytes = o.map.bytes();
      const bool readable = same && guarded([&] {
        g1 = readGeneration(bytes, kHeaderGen1Offset);
        g2 = readGeneration(bytes, kHeaderGen2Offset);
      });
      if (!o.dead && readable && g1 == o.layout.generation && g2 == g1) f = std::move(it->second);
    }
    if (!f) {
      struct stat fst {};
      if (stat(path.c_str(), &fst) != 0 || !S_ISREG(fst.st_mode)) continue;  // only regular files
      auto mapped = MappedFile::open(path);
      if (!mapped) {
        refuse(mapped.failure().detail);
        continue;
      }
      f = std::make_unique<File>();
      f->name = name;
      f->map = std::move(*mapped);
      f->copy.resize(f->map.size());
      auto bytes = f->map.bytes();
      std::uint8_t* dst = f->copy.data();
      if (!guarded([&] { if (!bytes.empty()) std::memcpy(dst, bytes.data(), bytes.size()); })) {
        refuse("file shrank while being read");
        continue;
      }
      auto layout = parseMmv(f->copy);
      if (!layout) {
        if (layout.error() == Error::Again) {
          forced_ = true;  // being written: retried at the next request, not an error
          continue;
        }
        refuse(layout.failure().detail);
        continue;
      }
      f->layout = std::move(*layout);
    }
    if ((f->layout.flags & kFlagProcess) && processGone(f->layout.process)) {
      refuse("its writer process " + std::to_string(f->layout.process) + " has exited");
      continue;
    }
    unsigned cluster = static_cast<unsigned>(f->layout.cluster);
    if (cluster == 0) {
      cluster = 1;
      while (clusters.count(cluster)) ++cluster;
      if (cluster > static_cast<unsigned>(kMaxCluster)) {
        refuse("no PMID cluster left");
        continue;
      }
    } else if (clusters.count(cluster)) {
      refuse("cluster " + std::to_string(cluster) + " is already used by another file");
      continue;
    }
    clusters.insert(cluster);
    f->cluster = cluster;
    refusedWhy_.erase(name);
    files_.push_back(std::move(f));
  }
  for (auto it = refusedWhy_.begin(); it != refusedWhy_.end();)
    it = seen.count(it->first) ? std::next(it) : refusedWhy_.erase(it);

  std::vector<std::int32_t> writers;
  for (const auto& f : files_)
    if (f->layout.flags & kFlagProcess) writers.push_back(f->layout.process);
  watch_.watchProcesses(writers);

  auto before = std::move(metrics_);
  auto indomsBefore = std::move(indoms_);
  rebuild();
  bool same = before.size() == metrics_.size() && indomsBefore.size() == indoms_.size();
  for (std::size_t i = 0; same && i < before.size(); ++i) same = sameMetric(before[i], metrics_[i]);
  for (std::size_t i = 0; same && i < indoms_.size(); ++i)
    same = indomsBefore[i].indom == indoms_[i].indom && indomsBefore[i].oneLine == indoms_[i].oneLine &&
           indomsBefore[i].longHelp == indoms_[i].longHelp;
  if (same) {
    // Keep the very same objects: the Collector holds pointers to them.
    metrics_ = std::move(before);
    indoms_ = std::move(indomsBefore);
  }
  return !same;
}

void MmvAgent::rebuild() {
  metrics_.clear();
  indoms_.clear();
  served_.clear();
  instances_.clear();
  metrics_.push_back(control(kReloadPmid, "mmv.control.reload", "Set to a non-zero value to rescan the MMV directory"));
  metrics_.push_back(control(kDebugPmid, "mmv.control.debug", "Debug flag of the MMV agent"));
  metrics_.push_back(control(kFilesPmid, "mmv.control.files", "Number of MMV files served"));
  Pmns names;
  for (const auto& m : metrics_) {
    (void)names.add(m.name, m.desc.pmid);
    served_[m.desc.pmid.raw()] = Served{};
  }
  std::map<InDom, std::size_t> indomIndex;
  for (auto& fp : files_) {
    File& f = *fp;
    const MmvLayout& l = f.layout;
    std::map<std::uint32_t, InDom> serials;
    for (const auto& d : l.indoms) {
      // pmdammv packs the cluster into the serial (spec section 12): InDom 70.(cluster<<11|serial).
      const InDom indom = InDom::make(kMmvDomain, (f.cluster << 11) | d.serial);
      serials[d.serial] = indom;
      auto& insts = instances_[indom];
      for (const auto& i : d.instances)
        if (std::none_of(insts.begin(), insts.end(), [&](const Instance& x) { return x.id == i.id; }))
          insts.push_back(Instance{i.id, i.name});
      if (!indomIndex.count(indom)) {
        indomIndex[indom] = indoms_.size();
        indoms_.push_back(InDomInfo{indom, d.shortHelp, d.longHelp});
      }
    }
    const std::string prefix = (l.flags & kFlagNoPrefix) ? "mmv." : "mmv." + f.name + ".";
    for (std::size_t mi = 0; mi < l.metrics.size(); ++mi) {
      const MmvMetricInfo& m = l.metrics[mi];
      const std::string full = prefix + m.name;
      const Pmid pmid = Pmid::make(kMmvDomain, f.cluster, m.item);
      // pmdammv skips invalid names, duplicate names and duplicate items: first one wins.
      if (!Pmns::validName(full) || served_.count(pmid.raw()) || !names.add(full, pmid)) continue;
      Descriptor desc;
      desc.pmid = pmid;
      desc.type = exportedType(m.type);
      const bool elapsed = m.type == MmvType::Elapsed;
      desc.semantics = (elapsed || m.semantics == kSemNone) ? Semantics::Counter : static_cast<Semantics>(m.semantics);
      desc.units = elapsed ? Units::time(TimeScale::Microsec) : Units::unpack(m.units);
      if (m.indom != 0) {
        auto it = serials.find(m.indom);
        if (it != serials.end()) desc.indom = it->second;
      }
      metrics_.push_back(MetricInfo{full, desc, m.shortHelp, m.longHelp});
      Served s{&f, mi, desc.indom, {}};
      std::set<std::int32_t> insts;
      for (std::size_t vi = 0; vi < l.values.size(); ++vi)
        if (l.values[vi].metric == mi && insts.insert(l.values[vi].instance).second) s.values.push_back(vi);
      served_[pmid.raw()] = std::move(s);
    }
  }
}

Expected<std::vector<Instance>> MmvAgent::instances(InDom indom) {
  auto it = instances_.find(indom);
  if (it == instances_.end()) return Failure{Error::InDom, indom.toString()};
  return it->second;
}

// Refreshes, from the mapping into the file's copy, the value words (and string slots)
// of one metric. Plain byte copies only: it runs under the SIGBUS guard (MappedFile.h).
void MmvAgent::copyWords(const Served& s) {
  File& f = *s.file;
  const std::uint8_t* src = f.map.bytes().data();
  std::uint8_t* dst = f.copy.data();
  const MmvValueRef* refs = f.layout.values.data();
  const bool isString = f.layout.metrics[s.metric].type == MmvType::String;
  for (std::size_t vi : s.values) {
    const std::uint64_t at = refs[vi].valueOffset;
    const std::uint64_t words[2] = {loadWord(src + at), loadWord(src + at + 8)};
    std::memcpy(dst + at, words, sizeof words);
    if (isString) std::memcpy(dst + refs[vi].stringOffset, src + refs[vi].stringOffset, kStringSize);
  }
}

// One metric's values, read from the file's copy (refreshed by fetch()).
void MmvAgent::fill(const Served& s, const Profile& profile, std::int64_t nowMicros, ValueSet& set) {
  const File& f = *s.file;
  if (f.dead) {
    set.status = static_cast<int>(Error::Value);
    return;
  }
  const MmvLayout& l = f.layout;
  const MmvType type = l.metrics[s.metric].type;
  for (std::size_t vi : s.values) {
    const MmvValueRef& ref = l.values[vi];
    if (!s.indom.isNull() && !profile.accepts(s.indom, ref.instance)) continue;
    auto v = readValue(f.copy, ref, type, nowMicros);
    if (v) {
      set.values.push_back(InstanceValue{s.indom.isNull() ? kNullInstance : ref.instance, std::move(*v)});
    } else if (s.indom.isNull()) {
      set.status = static_cast<int>(v.error());
      return;
    }
  }
  if (set.values.empty() && s.indom.isNull()) set.status = static_cast<int>(Error::Value);
}

int MmvAgent::store(Pmid pmid, const std::vector<InstanceValue>& values) {
  if (values.size() != 1 || values[0].inst != kNullInstance) return static_cast<int>(Error::Inst);
  if (pmid != kReloadPmid && pmid != kDebugPmid) return static_cast<int>(Error::Permission);
  const auto* v = std::get_if<std::int32_t>(&values[0].value);
  if (!v) return static_cast<int>(Error::Type);
  if (pmid == kDebugPmid) debug_ = *v;
  else if (*v != 0) forced_ = true;
  return 0;
}

const MmvAgent::File* MmvAgent::fileOfCluster(unsigned cluster) const {
  for (const auto& f : files_)
    if (f->cluster == cluster && !f->dead) return f.get();
  return nullptr;
}

LabelSet MmvAgent::fileLabels(const File& f, std::uint32_t kind, std::uint32_t identity, std::int32_t internal) {
  LabelSet out;
  for (const MmvLabelInfo& l : f.layout.labels) {
    if ((l.flags & ~kLabelOptional) != kind || l.identity != identity) continue;
    if (kind == kLabelInstances && l.internal != internal) continue;
    // The record holds one compact JSON object, {"name":value}, checked by the reader.
    const std::string& j = l.json;
    const auto colon = j.find("\":");
    if (j.size() < 6 || j.front() != '{' || j[1] != '"' || j.back() != '}' || colon == std::string::npos) continue;
    out.setJson(j.substr(2, colon - 2), j.substr(colon + 2, j.size() - colon - 3));
  }
  return out;
}

LabelSet MmvAgent::labels(LabelLevel level, std::uint32_t ident) const {
  switch (level) {
    case LabelLevel::Cluster:
    case LabelLevel::Item: {
      const Pmid pmid(ident);
      const File* f = pmid.domain() == kMmvDomain ? fileOfCluster(pmid.cluster()) : nullptr;
      if (!f) return {};
      // A file asking for a cluster of its own names it in its CLUSTER labels; a file
      // given one by the agent wrote 0 there.
      if (level == LabelLevel::Cluster)
        return fileLabels(*f, kLabelCluster, static_cast<std::uint32_t>(f->layout.cluster), kNullInstance);
      return fileLabels(*f, kLabelItem, pmid.item(), kNullInstance);
    }
    case LabelLevel::InDom: {
      const InDom indom(ident);
      const File* f = indom.domain() == kMmvDomain ? fileOfCluster(indom.serial() >> 11) : nullptr;
      return f ? fileLabels(*f, kLabelIndom, indom.serial() & 0x7ffu, kNullInstance) : LabelSet{};
    }
    default: return Agent::labels(level, ident);
  }
}

std::vector<std::pair<std::int32_t, LabelSet>> MmvAgent::instanceLabels(InDom indom) {
  std::vector<std::pair<std::int32_t, LabelSet>> out;
  const File* f = fileOfCluster(indom.serial() >> 11);
  auto insts = instances(indom);
  if (!f || !insts) return out;
  for (const auto& i : *insts) out.emplace_back(i.id, fileLabels(*f, kLabelInstances, indom.serial() & 0x7ffu, i.id));
  return out;
}

void MmvAgent::fetch(std::span<const Pmid> pmids, const Profile& profile, std::span<ValueSet> out) {
  // One clock reading per fetch: ELAPSED values of one fetch share "now".
  const std::int64_t nowMicros = std::chrono::duration_cast<std::chrono::microseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
  found_.assign(pmids.size(), nullptr);
  for (std::size_t i = 0; i < pmids.size(); ++i)
    if (auto it = served_.find(pmids[i].raw()); it != served_.end()) found_[i] = &it->second;

  // Every word this fetch reads, copied from the mappings under one SIGBUS guard. A fault
  // (a file shrank under us) is traced to its file by guarding each metric alone.
  auto live = [](const Served* s) { return s && s->file && !s->file->dead; };
  if (!guarded([&] {
        for (const Served* s : found_)
          if (live(s)) copyWords(*s);
      })) {
    for (const Served* s : found_)
      if (live(s) && !guarded([&] { copyWords(*s); })) dropFile(*s->file, "the file shrank while mapped (SIGBUS caught)");
  }

  for (std::size_t i = 0; i < pmids.size(); ++i) {
    ValueSet& set = out[i];
    const Served* s = found_[i];
    if (!s) {
      set.status = static_cast<int>(Error::Pmid);
    } else if (!s->file) {
      const Pmid pmid = pmids[i];
      const std::int32_t v = pmid == kDebugPmid ? debug_ : pmid == kFilesPmid ? static_cast<std::int32_t>(files_.size()) : 0;
      set.values.push_back(InstanceValue{kNullInstance, v});
    } else {
      fill(*s, profile, nowMicros, set);
    }
  }
}

}  // namespace sextant::service
