// sextant dump: everything an archive holds, as PCP's pmdumplog -a shows a PCP archive:
// what it is of (host, zone, times, interval, samples), the metrics' descriptors as
// pminfo -d prints them, each instance domain's members as they came and went, then
// every recorded sample with its values. --csv writes the samples as a table instead.
#include <charconv>
#include <map>
#include <optional>
#include <ostream>
#include <set>

#include "core/Rate.h"
#include "tools/Commands.h"
#include "tools/Replay.h"
#include "tools/archive/ArchiveContext.h"
#include "tools/archive/ArchiveSchema.h"

namespace sextant::cli {
namespace {

struct Member {
  std::int32_t inst = 0;
  std::string name;
  Timestamp since, until = Timestamp::max();
};

// What the context interface does not tell: when each sample was taken and the whole
// history of each instance domain (docs/archive-format.md, tables sample and instance).
struct Recording {
  std::vector<Timestamp> samples;
  std::map<InDom, std::vector<Member>> members;
};

Expected<Recording> readRecording(const std::string& path) {
  archive::sql::Database db;
  if (!db.open(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX))
    return Failure{Error::LogLabel, "archive " + path + ": " + db.error()};
  if (auto ok = archive::checkArchive(db, path); !ok) return ok.failure();
  Recording r;
  auto times = db.prepare("SELECT t FROM sample ORDER BY t");
  auto insts = db.prepare("SELECT indom, inst, name, since_ns, until_ns FROM instance ORDER BY since_ns, inst");
  if (!times || !insts) return Failure{Error::LogRecord, "archive " + path + ": " + db.error()};
  while (times.step() == SQLITE_ROW) r.samples.push_back(archive::fromNs(times.int64(0)));
  while (insts.step() == SQLITE_ROW) {
    Member m{static_cast<std::int32_t>(insts.int64(1)), std::string(insts.text(2)), archive::fromNs(insts.int64(3))};
    if (!insts.isNull(4)) m.until = archive::fromNs(insts.int64(4));
    r.members[InDom(static_cast<std::uint32_t>(insts.int64(0)))].push_back(std::move(m));
  }
  return r;
}

struct Metric {
  std::string name;
  Pmid pmid;
  Descriptor desc;
};

std::string hex(std::uint32_t raw) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", raw);
  return buf;
}

std::string shortest(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string("nan");
}

void printHeader(std::ostream& out, archive::ArchiveContext& a, const std::string& path, const Recording& rec,
                 const Replay& replay, bool windowed) {
  auto labels = a.labels(LabelLevel::Context, 0);
  out << "Archive:   " << path << "\nHost:      " << a.hostName() << "\nTimezone:  " << a.timezone()
      << "\nStart:     " << localTimeText(a.start()) << "\nEnd:       " << localTimeText(a.end())
      << "\nInterval:  " << shortest(std::chrono::duration<double>(a.recordedInterval()).count()) << " sec"
      << "\nSamples:   " << rec.samples.size() << "\nLabels:    " << (labels ? labels->toJson() : "{}") << '\n';
  if (windowed)
    out << "Window:    " << localTimeText(replay.window.start) << " to " << localTimeText(replay.window.end) << '\n';
}

void printMetrics(std::ostream& out, const std::vector<Metric>& metrics) {
  out << "\nDescriptions of the metrics:\n";
  for (const auto& m : metrics) {
    const Descriptor& d = m.desc;
    out << "PMID: " << m.pmid.toString() << " (" << m.name << ")\n    Data Type: " << typeName(d.type)
        << "  InDom: " << d.indom.toString() << ' ' << hex(d.indom.raw()) << "\n    Semantics: "
        << semanticsName(d.semantics) << "  Units: " << d.units.toString() << '\n';
  }
}

// Each instance domain's members at every time they changed, as pmdumplog -i lists them.
void printInDoms(std::ostream& out, archive::ArchiveContext& a, const Recording& rec) {
  out << "\nInstance domains:\n";
  for (const auto& [indom, list] : rec.members) {
    auto help = a.helpText(indom, false);
    out << "InDom: " << indom.toString();
    if (help) out << " [" << *help << ']';
    out << '\n';
    std::set<Timestamp> changes;
    for (const auto& m : list) {
      changes.insert(m.since);
      if (m.until != Timestamp::max()) changes.insert(m.until);
    }
    for (Timestamp t : changes) {
      std::vector<const Member*> present;
      for (const auto& m : list)
        if (m.since <= t && t < m.until) present.push_back(&m);
      out << "    " << localTimeText(t) << "  " << present.size() << (present.size() == 1 ? " instance\n" : " instances\n");
      for (const Member* m : present) out << "        " << m->inst << " or \"" << m->name << "\"\n";
    }
  }
}

// The recorded values at `t`, or nothing once the reason is on `err`.
std::optional<FetchResult> fetchAt(archive::ArchiveContext& a, Timestamp t, const std::vector<Pmid>& ask,
                                   std::ostream& err) {
  a.setPosition(t);
  auto r = a.fetch(ask);
  if (r) return std::move(*r);
  err << "sextant: " << r.failure().message() << '\n';
  return std::nullopt;
}

std::string setError(const ValueSet& set) { return "Error: " + std::string(errorMessage(set.status)); }

int printSamples(std::ostream& out, std::ostream& err, archive::ArchiveContext& a, const std::vector<Metric>& metrics,
                 const std::vector<Timestamp>& times) {
  std::vector<Pmid> ask;
  for (const auto& m : metrics) ask.push_back(m.pmid);
  out << "\nSamples:\n";
  for (Timestamp t : times) {
    auto r = fetchAt(a, t, ask, err);
    if (!r) return kExitFailure;
    a.setPosition(t);  // instance names as they were at t
    InstanceNames names(a);
    std::size_t count = 0;
    for (const auto& set : r->sets) count += !set.ok() || !set.values.empty();
    out << localTimeText(t) << "  " << count << (count == 1 ? " metric\n" : " metrics\n");
    for (std::size_t i = 0; i < metrics.size(); ++i) {
      const ValueSet& set = r->sets[i];
      if (set.ok() && set.values.empty()) continue;
      const std::string lead = "    " + metrics[i].pmid.toString() + " (" + metrics[i].name + "): ";
      out << lead;
      if (!set.ok()) {
        out << setError(set) << '\n';
        continue;
      }
      bool firstValue = true;
      for (const auto& v : set.values) {
        if (!firstValue) out << std::string(lead.size(), ' ');
        firstValue = false;
        if (!metrics[i].desc.indom.isNull()) {
          const std::string* n = names.name(metrics[i].desc.indom, v.inst);
          out << "inst [" << v.inst;
          if (n) out << " or \"" << *n << '"';
          out << "] ";
        }
        out << "value " << formatValue(v.value) << '\n';
      }
    }
  }
  return kExitOk;
}

std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + '"';
}

struct CsvColumn {
  std::size_t metric;
  std::int32_t inst;
  std::optional<double> previous;  // --rate: the last raw value
  Timestamp previousAt;
};

// One row per sample: the time (ISO 8601) and a column per metric and instance, empty
// where there is no value. Columns are the instances present at any time in the window.
int printCsv(std::ostream& out, std::ostream& err, archive::ArchiveContext& a, const std::vector<Metric>& metrics,
             const Recording& rec, const std::vector<Timestamp>& times, const TimeWindow& w, bool rates) {
  std::vector<CsvColumn> cols;
  out << "time";
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    const Metric& m = metrics[i];
    if (m.desc.indom.isNull()) {
      cols.push_back({i, kNullInstance, std::nullopt, {}});
      out << ',' << csvField(m.name);
      continue;
    }
    std::map<std::int32_t, std::string> seen;  // by id: a stable column order
    if (auto it = rec.members.find(m.desc.indom); it != rec.members.end())
      for (const auto& mb : it->second)
        if (mb.since <= w.end && mb.until > w.start) seen[mb.inst] = mb.name;
    for (const auto& [inst, name] : seen) {
      cols.push_back({i, inst, std::nullopt, {}});
      out << ',' << csvField(m.name + "[" + name + "]");
    }
  }
  out << '\n';
  std::vector<Pmid> ask;
  std::vector<DisplayUnits> display;
  for (const auto& m : metrics) {
    ask.push_back(m.pmid);
    display.push_back(displayUnits(m.desc));
  }
  for (Timestamp t : times) {
    auto r = fetchAt(a, t, ask, err);
    if (!r) return kExitFailure;
    out << isoTimeText(t);
    for (auto& c : cols) {
      out << ',';
      const Metric& m = metrics[c.metric];
      const ValueSet& set = r->sets[c.metric];
      const Value* v = nullptr;
      if (set.ok())
        for (const auto& iv : set.values)
          if (iv.inst == c.inst) v = &iv.value;
      if (!v) {
        c.previous.reset();
        continue;
      }
      auto x = toDouble(*v);
      if (!x) {
        out << csvField(std::get<std::string>(*v));
      } else if (!rates || m.desc.semantics != Semantics::Counter) {
        out << formatValue(*v);
      } else {
        std::optional<double> rate;
        if (c.previous) rate = counterRate(*c.previous, *x, std::chrono::duration<double>(t - c.previousAt).count());
        if (rate) out << shortest(*rate * display[c.metric].scale);
        c.previous = *x;
        c.previousAt = t;
      }
    }
    out << '\n';
  }
  return kExitOk;
}

int runDump(const ParsedOptions& opts, std::ostream& out, std::ostream& err) {
  if (opts.has("local") || opts.has("host")) {
    err << "sextant: dump reads an archive file; -L and -h do not apply (see sextant help dump)\n";
    return kExitUsage;
  }
  std::vector<std::string> names = opts.positional;
  std::string path;
  if (auto a = opts.value("archive")) {
    path = *a;
  } else if (!names.empty()) {
    path = names.front();
    names.erase(names.begin());
  } else {
    err << "sextant: dump needs an archive file (see sextant help dump)\n";
    return kExitUsage;
  }
  if (opts.has("rate") && !opts.has("csv")) {
    err << "sextant: --rate applies to --csv (see sextant help dump)\n";
    return kExitUsage;
  }
  auto opened = archive::ArchiveContext::open(path);
  if (!opened) {
    err << "sextant: " << opened.failure().detail << '\n';
    return kExitFailure;
  }
  archive::ArchiveContext& a = **opened;
  Replay replay;
  if (int status = setUpTime(a, opts, err, replay); status != kExitOk) return status;
  auto rec = readRecording(path);
  if (!rec) {
    err << "sextant: " << rec.failure().detail << '\n';
    return kExitFailure;
  }

  bool unknown = false;
  std::vector<Metric> metrics;
  const auto leaves = expandNames(a, names, err, "sextant: ", unknown);
  const auto pmids = a.lookup(leaves);
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    if (!pmids[i]) continue;
    auto desc = a.descriptor(*pmids[i]);
    if (desc) metrics.push_back(Metric{leaves[i], *pmids[i], *desc});
  }
  std::vector<Timestamp> times;
  for (Timestamp t : rec->samples)
    if (t >= replay.window.start && t <= replay.window.end) times.push_back(t);

  int status = kExitOk;
  if (opts.has("csv")) {
    status = printCsv(out, err, a, metrics, *rec, times, replay.window, opts.has("rate"));
  } else {
    printHeader(out, a, path, *rec, replay, opts.has("start") || opts.has("finish"));
    printMetrics(out, metrics);
    printInDoms(out, a, *rec);
    status = printSamples(out, err, a, metrics, times);
  }
  if (status == kExitOk && unknown) status = kExitUsage;
  return status;
}

}  // namespace

const Command& dumpCommand() {
  static const Command command{
      "dump",
      "dump [--csv [--rate]] [-S START] [-T END] [-Z TZ | -z] ARCHIVE [NAME...]",
      "show everything an archive holds, as pmdumplog -a does, or its samples as CSV",
      "Prints what ARCHIVE is of (host, time zone, first and last sample, interval, number\n"
      "of samples, context labels), the descriptor of every metric (as info -d does), each\n"
      "instance domain's members at every time they changed, and then every recorded\n"
      "sample: its time and the values of each metric, by instance. NAMEs (and what is\n"
      "below them) limit the metrics shown. -S and -T limit the samples to a time window.\n"
      "With --csv, one header row \"time,NAME,NAME[INSTANCE],...\" and one row per sample:\n"
      "the time in ISO 8601 with its UTC offset, then the values (numbers as recorded, or\n"
      "with --rate counters as rates per second as watch shows them; strings quoted as CSV\n"
      "quotes; empty where there is no value).\n",
      withTimeOptions(
          {
              {0, "csv", false, "", "write the samples as CSV, one row per sample"},
              {0, "rate", false, "", "with --csv: counters as rates per second"},
          },
          true, false),
      nullptr,
      runDump,
  };
  return command;
}

}  // namespace sextant::cli
