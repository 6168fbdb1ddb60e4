// sextant info: pminfo's output, line for line, so that scripts written for pminfo
// read it unchanged. The layout follows what PCP 6's pminfo prints: a blank line
// before each metric when more than its name is shown, the name with its PMID and
// one-line help, the descriptor, the metric's labels, the long help, the values, and
// the instances' labels.
#include <cstdio>
#include <ostream>

#include "tools/Commands.h"
#include "tools/Replay.h"
#include "tools/archive/ArchiveContext.h"

namespace sextant::cli {
namespace {

struct Show {
  bool desc = false, fetch = false, oneLine = false, help = false, labels = false, pmid = false;
};

std::string hex(std::uint32_t raw) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%x", raw);
  return buf;
}

void printDescriptor(std::ostream& out, const Descriptor& d) {
  out << "    Data Type: " << typeName(d.type) << "  InDom: " << d.indom.toString() << ' ' << hex(d.indom.raw())
      << '\n';
  out << "    Semantics: " << semanticsName(d.semantics) << "  Units: " << d.units.toString() << '\n';
}

std::string instanceTag(InstanceNames& names, InDom indom, std::int32_t inst) {
  const std::string* name = names.name(indom, inst);
  if (!name) return "    inst [" + std::to_string(inst) + "]";
  return "    inst [" + std::to_string(inst) + " or \"" + *name + "\"]";
}

void printValues(std::ostream& out, const Descriptor& d, const ValueSet& set, InstanceNames& names) {
  // An agent that cannot give a metric on this machine answers Error::Value, which is
  // what a PCP agent's empty value set means to pminfo.
  if (set.status == static_cast<int>(Error::Value) || (set.ok() && set.values.empty())) {
    out << "No value(s) available!\n";
    return;
  }
  if (!set.ok()) {
    out << "Error: " << errorMessage(set.status) << '\n';
    return;
  }
  for (const auto& v : set.values) {
    out << (d.indom.isNull() ? std::string("   ") : instanceTag(names, d.indom, v.inst));
    out << " value " << formatValue(v.value) << '\n';
  }
}

void printHelp(std::ostream& out, Context& context, Pmid pmid) {
  auto text = context.helpText(pmid, true);
  if (!text) {
    out << "Full Help: Error: " << errorMessage(text.error()) << '\n';
    return;
  }
  std::string body = *text;
  while (!body.empty() && body.back() == '\n') body.pop_back();
  if (body.empty())
    out << "Help: <empty entry>\n";
  else
    out << "Help:\n" << body << '\n';
}

void printInstanceLabels(std::ostream& out, Context& context, const Descriptor& d, const LabelSet& metric,
                         InstanceNames& names) {
  std::vector<std::pair<std::int32_t, LabelSet>> own;
  if (auto l = context.instanceLabels(d.indom); l.ok()) own = std::move(*l);
  for (const auto& inst : names.of(d.indom)) {
    LabelSet merged = metric;
    for (const auto& [id, set] : own)
      if (id == inst.id) merged.merge(set);
    out << "    inst [" << inst.id << " or \"" << inst.name << "\"] labels " << merged.toJson() << '\n';
  }
}

int runInfo(Context& context, const ParsedOptions& opts, std::ostream& out, std::ostream& err) {
  Replay replay;
  if (int status = setUpTime(context, opts, err, replay); status != kExitOk) return status;
  Show show;
  show.desc = opts.has("desc");
  show.fetch = opts.has("fetch");
  show.oneLine = opts.has("oneline");
  show.help = opts.has("helptext");
  show.labels = opts.has("labels");
  show.pmid = opts.has("pmid");

  bool unknown = false;
  std::vector<std::string> names = expandNames(context, opts.positional, err, "Error: ", unknown);
  // Names alone need no lookup, as pminfo does not look them up: a pmcd's name space
  // may list names whose agent is not running.
  if (!show.desc && !show.fetch && !show.oneLine && !show.help && !show.labels && !show.pmid) {
    for (const auto& name : names) out << name << '\n';
    return unknown ? kExitUsage : kExitOk;
  }
  auto pmids = context.lookup(names);

  FetchResult values;
  std::vector<std::size_t> slot(names.size(), 0);
  if (show.fetch) {
    std::vector<Pmid> ask;
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (!pmids[i]) continue;
      slot[i] = ask.size();
      ask.push_back(*pmids[i]);
    }
    auto fetched = context.fetch(ask);
    if (!fetched) {
      err << "sextant: fetch failed: " << fetched.failure().message() << '\n';
      return kExitFailure;
    }
    values = std::move(*fetched);
    // An archive names the instances present at its position, which the fetch moved on.
    if (replay.archive) replay.archive->setPosition(values.timestamp);
  }

  InstanceNames instNames(context);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!pmids[i]) {
      err << "Error: " << names[i] << ": " << errorMessage(pmids[i].error()) << '\n';
      unknown = true;
      continue;
    }
    const Pmid pmid = *pmids[i];
    Descriptor desc;
    if (show.desc || show.fetch || show.labels) {
      auto d = context.descriptor(pmid);
      if (!d) {
        out << names[i] << ": pmLookupDesc: " << errorMessage(d.error()) << '\n';
        continue;
      }
      desc = *d;
    }
    if (show.desc || show.help || show.fetch || show.labels) out << '\n';
    out << names[i];
    if (show.pmid) out << " PMID: " << pmid.toString();
    if (show.oneLine) {
      if (auto t = context.helpText(pmid, false); t.ok())
        out << " [" << *t << ']';
      else
        out << " One-line Help: Error: " << errorMessage(t.error()) << '\n';
    }
    out << '\n';
    if (show.desc) printDescriptor(out, desc);
    LabelSet labels;
    if (show.labels) {
      labels = metricLabels(context, desc);
      out << "    labels " << labels.toJson() << '\n';
    }
    if (show.help) printHelp(out, context, pmid);
    if (show.fetch && slot[i] < values.sets.size()) printValues(out, desc, values.sets[slot[i]], instNames);
    if (show.labels && !desc.indom.isNull()) printInstanceLabels(out, context, desc, labels, instNames);
  }
  return unknown ? kExitUsage : kExitOk;
}

}  // namespace

const Command& infoCommand() {
  static const Command command{
      "info",
      "info [-dfmtTl] [-S START | -O ORIGIN] [-Z TZ | -z] [NAME...]",
      "describe metrics and show their values, as pminfo does",
      "Lists the metric names below each NAME (every metric when no NAME is given), one\n"
      "per line, and with options their descriptors, help text, labels and current values.\n"
      "The output is laid out exactly as PCP's pminfo lays it out, so scripts written for\n"
      "pminfo read it unchanged. An unknown NAME is reported on stderr as\n"
      "\"Error: NAME: Unknown metric name\" and makes the exit status 2.\n"
      "Over an archive (-a ARCHIVE), -f shows the values recorded at START or ORIGIN\n"
      "(default: the first sample), as pminfo -a -O does.\n",
      withTimeOptions({
          {'d', "desc", false, "", "show each metric's descriptor: type, instance domain, semantics, units"},
          {'f', "fetch", false, "", "fetch and show the current values of every instance"},
          {'m', "pmid", false, "", "show each metric's PMID after its name"},
          {'t', "oneline", false, "", "show the one-line help text after the name"},
          {'T', "helptext", false, "", "show the long help text"},
          {'l', "labels", false, "", "show the metric's labels and each instance's labels"},
      }, false),
      runInfo,
  };
  return command;
}

}  // namespace sextant::cli
