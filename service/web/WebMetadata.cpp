// /pmapi/context, /pmapi/metric, /pmapi/indom and /pmapi/children (spec 6.1, 6.2, 6.4, 6.8).
#include <fnmatch.h>

#include <regex>
#include <set>

#include "service/web/WebCall.h"

namespace sextant::web {
namespace {

LabelSet contextLabels(Context& source) {
  auto l = source.labels(LabelLevel::Context, 0);
  return l ? *l : LabelSet{};
}

void helpKeys(Json& j, Expected<std::string> oneLine, Expected<std::string> full, bool always) {
  const std::string one = oneLine ? *oneLine : std::string();
  std::string help = full ? *full : std::string();
  if (help.empty()) help = one;  // pmproxy repeats the one-line text (spec section 5)
  if (!always && one.empty() && help.empty()) return;
  j.key("text-oneline").string(one).key("text-help").string(help);
}

void metricEntry(Json& j, Context& source, const std::string& name, const Descriptor& d, const LabelSet& labels) {
  j.beginObject().key("name").string(name).key("series").string(metricSeries(name, d, labels));
  j.key("pmid").string(d.pmid.toString());
  if (!d.indom.isNull()) j.key("indom").string(d.indom.toString());
  j.key("type").string(typeWord(d.type)).key("sem").string(semanticsName(d.semantics));
  j.key("units").string(webUnits(d.units)).key("labels").raw(labels.toJson());
  helpKeys(j, source.helpText(d.pmid, false), source.helpText(d.pmid, true), true);
  j.endObject();
}

void failedEntry(Json& j, const std::string& name, const std::string& message) {
  j.beginObject().key("name").string(name).key("message").string(message).key("success").boolean(false).endObject();
}

}  // namespace

Response WebApi::context(Call& c) {
  Context& source = c.source();
  const LabelSet labels = contextLabels(source);
  Json j = c.open();
  j.key("source").string(sha1Hex(source.hostName() + labels.toJson()));
  j.key("hostspec").string(source.hostName()).key("labels").raw(labels.toJson()).endObject();
  return Call::ok(j);
}

Response WebApi::metric(Call& c) {
  Context& source = c.source();
  DerivedMetrics& derived = c.context->derived;
  std::vector<std::string> asked;
  if (const std::string* prefix = c.param("prefix")) {
    asked.push_back(*prefix);
  } else if (const std::string* names = c.param("names")) {
    asked = splitList(*names);
    if (asked.empty()) return c.failure("Insufficient elements in list");
  } else if (const std::string* name = c.param("name")) {
    asked.push_back(*name);
  } else if (const std::string* pmids = c.params().first({"pmids", "pmid"})) {
    // Not in pmproxy 6.0.3, which walks the whole name space instead (spec 13, item 6).
    for (const std::string& text : splitList(*pmids)) {
      auto pmid = parsePmid(text);
      auto known = pmid ? source.nameOf(*pmid) : Expected<std::string>(Error::Pmid);
      asked.push_back(known ? *known : text);
    }
  } else {
    asked.push_back("");  // the whole name space
  }
  const bool single = asked.size() == 1;

  Json j = c.open();
  j.key("metrics").beginArray();
  for (const std::string& name : asked) {
    if (const auto* m = derived.byName(name)) {
      metricEntry(j, source, m->name, m->desc, contextLabels(source));
      continue;
    }
    auto leaves = source.traverse(name);
    if (!leaves || leaves->empty()) {
      const std::string why(leaves ? errorMessage(Error::Name) : errorMessage(leaves.error()));
      if (single) return c.failure(name + " traversal failed - " + why);
      failedEntry(j, name, why);
      continue;
    }
    auto pmids = source.lookup(*leaves);
    for (std::size_t i = 0; i < leaves->size(); ++i) {
      auto desc = pmids[i] ? source.descriptor(*pmids[i]) : Expected<Descriptor>(pmids[i].failure());
      if (!desc) {
        failedEntry(j, (*leaves)[i], "failed to lookup metric name");
        continue;
      }
      metricEntry(j, source, (*leaves)[i], *desc, metricLabels(source, *desc));
    }
  }
  j.endArray().endObject();
  return Call::ok(j);
}

namespace {

// Which instances of a list the request keeps: `iname` (matched per `match`), else
// `instance` ids, else all. Null on a bad `match`, with `bad` set to its text.
std::optional<std::vector<Instance>> selectInstances(const Params& p, std::vector<Instance> all, std::string& bad) {
  if (const std::string* inames = p.get("iname")) {
    const std::string* how = p.get("match");
    const std::string mode = how ? *how : "exact";
    if (mode != "exact" && mode != "glob" && mode != "regex") {
      bad = mode;
      return std::nullopt;
    }
    std::vector<Instance> kept;
    const auto wanted = splitList(*inames);
    std::vector<std::regex> patterns;
    if (mode == "regex") {
      try {
        for (const auto& w : wanted) patterns.emplace_back(w, std::regex::extended);
      } catch (const std::regex_error&) {
        bad = mode;
        return std::nullopt;
      }
    }
    for (auto& inst : all) {
      bool keep = false;
      for (std::size_t k = 0; k < wanted.size() && !keep; ++k) {
        if (mode == "exact") keep = inst.name == wanted[k];
        else if (mode == "glob") keep = fnmatch(wanted[k].c_str(), inst.name.c_str(), 0) == 0;
        else keep = std::regex_search(inst.name, patterns[k]);
      }
      if (keep) kept.push_back(std::move(inst));
    }
    return kept;
  }
  if (const std::string* ids = p.get("instance")) {
    std::set<std::int32_t> wanted;
    for (const auto& text : splitList(*ids)) wanted.insert(std::atoi(text.c_str()));
    std::vector<Instance> kept;
    for (auto& inst : all)
      if (wanted.count(inst.id)) kept.push_back(std::move(inst));
    return kept;
  }
  return all;
}

}  // namespace

// The instance domain a request names by `name` (a metric) or `indom`; on failure the
// message for the client.
Expected<InDom> requestedInDom(Context& source, const Params& p) {
  if (const std::string* name = p.get("name")) {
    auto pmid = source.lookup(std::span<const std::string>(name, 1)).at(0);
    auto desc = pmid ? source.descriptor(*pmid) : Expected<Descriptor>(pmid.failure());
    if (!desc) return Failure{Error::Name, *name + " - failed to lookup metric"};
    if (desc->indom.isNull()) return Failure{Error::InDom, *name + " - metric has null indom"};
    return desc->indom;
  }
  const std::string* text = p.get("indom");
  auto indom = text ? parseInDom(*text) : std::nullopt;
  if (!indom) return Failure{Error::InDom, (text ? *text : std::string()) + " - invalid 'indom' parameter value"};
  return *indom;
}

// Instance selection as /pmapi/indom and /pmapi/profile read it.
Expected<std::vector<Instance>> requestedInstances(Context& source, const Params& p, InDom indom) {
  auto all = source.instances(indom);
  if (!all) return Failure{all.error(), indom.toString() + " - " + std::string(errorMessage(all.error()))};
  std::string bad;
  auto kept = selectInstances(p, std::move(*all), bad);
  if (!kept) return Failure{Error::Generic, bad + " - invalid 'match' parameter value"};
  return std::move(*kept);
}

Response WebApi::indom(Call& c) {
  Context& source = c.source();
  auto indom = requestedInDom(source, c.params());
  if (!indom) return c.failure(indom.failure().detail);
  auto insts = requestedInstances(source, c.params(), *indom);
  if (!insts) return c.failure(insts.failure().detail);
  // pmproxy 6.0.3 labels the domain with the context's and the domain's own labels, and
  // each instance with the context's only (observed).
  const LabelSet instLabels = contextLabels(source);
  LabelSet labels = instLabels;
  if (auto own = source.labels(LabelLevel::InDom, indom->raw())) labels.merge(*own);

  Json j = c.open();
  j.key("indom").string(indom->toString()).key("labels").raw(labels.toJson());
  helpKeys(j, source.helpText(*indom, false), source.helpText(*indom, true), false);
  j.key("instances").beginArray();
  for (const Instance& inst : *insts) {
    j.beginObject().key("instance").integer(inst.id).key("name").string(inst.name);
    j.key("labels").raw(instLabels.toJson()).endObject();
  }
  j.endArray().endObject();
  return Call::ok(j);
}

Response WebApi::children(Call& c) {
  Context& source = c.source();
  const std::string* given = c.params().first({"prefix", "name"});
  const std::string name = given ? *given : std::string();
  auto kids = source.children(name);
  std::vector<std::string> leaf, nonleaf;
  if (kids) {
    for (const auto& k : *kids) (k.leaf ? leaf : nonleaf).push_back(k.name);
  }
  // The context's derived metrics join the tree at their first component.
  for (const auto& m : c.context->derived.all()) {
    const std::string& n = m->name;
    if (!name.empty() && n.rfind(name + ".", 0) != 0) continue;
    const std::string rest = name.empty() ? n : n.substr(name.size() + 1);
    const auto dot = rest.find('.');
    auto& list = dot == std::string::npos ? leaf : nonleaf;
    const std::string part = rest.substr(0, dot);
    if (std::find(list.begin(), list.end(), part) == list.end()) list.push_back(part);
  }
  if (!kids && leaf.empty() && nonleaf.empty()) return c.failure("child traversal failed - Unknown metric name");
  Json j = c.open();
  j.key("name").string(name).key("leaf").beginArray();
  for (const auto& l : leaf) j.string(l);
  j.endArray().key("nonleaf").beginArray();
  for (const auto& n : nonleaf) j.string(n);
  j.endArray().endObject();
  return Call::ok(j);
}

}  // namespace sextant::web
