// /metrics and /pmapi/metrics: the Open Metrics (Prometheus) text exposition of a
// context's numeric metrics (spec section 8). Unlike pmproxy 6.0.3, an unknown name is
// skipped instead of failing the scrape, NaN is spelled NaN, and `times=true` stamps
// are true milliseconds (spec 13, items 2, 3 and 7).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "service/web/WebCall.h"

namespace sextant::web {
namespace {

// Label levels cached for one scrape: many metrics share a domain, indom and cluster.
class LabelCache {
 public:
  explicit LabelCache(Context& c) : c_(c) {}
  // pmproxy's scrape carries the context, indom, item and instance labels; it leaves out
  // the domain (agent) and cluster levels (observed).
  LabelSet metric(const Descriptor& d) {
    LabelSet merged = level(LabelLevel::Context, 0);
    if (!d.indom.isNull()) merged.merge(level(LabelLevel::InDom, d.indom.raw()));
    merged.merge(level(LabelLevel::Item, d.pmid.raw()));
    return merged;
  }
  // An instance's own labels, or null when it has none.
  const LabelSet* instance(InDom indom, std::int32_t id) {
    auto it = insts_.find(indom);
    if (it == insts_.end()) {
      std::map<std::int32_t, LabelSet> m;
      if (auto got = c_.instanceLabels(indom))
        for (auto& [inst, set] : *got)
          if (!set.empty()) m[inst] = std::move(set);
      it = insts_.emplace(indom, std::move(m)).first;
    }
    auto found = it->second.find(id);
    return found == it->second.end() ? nullptr : &found->second;
  }
  std::string instanceName(InDom indom, std::int32_t id) {
    auto it = names_.find(indom);
    if (it == names_.end()) {
      std::map<std::int32_t, std::string> m;
      if (auto all = c_.instances(indom))
        for (auto& i : *all) m[i.id] = std::move(i.name);
      it = names_.emplace(indom, std::move(m)).first;
    }
    auto n = it->second.find(id);
    return n == it->second.end() ? std::to_string(id) : n->second;
  }

 private:
  LabelSet level(LabelLevel l, std::uint32_t ident) {
    const auto key = std::make_pair(static_cast<unsigned>(l), ident);
    auto it = levels_.find(key);
    if (it == levels_.end()) {
      auto got = c_.labels(l, ident);
      it = levels_.emplace(key, got ? std::move(*got) : LabelSet{}).first;
    }
    return it->second;
  }
  Context& c_;
  std::map<std::pair<unsigned, std::uint32_t>, LabelSet> levels_;
  std::map<InDom, std::map<std::int32_t, LabelSet>> insts_;
  std::map<InDom, std::map<std::int32_t, std::string>> names_;
};

// The text of a label's JSON value: strings unquoted and unescaped, others as written.
std::string jsonText(const std::string& json) {
  if (json.size() < 2 || json.front() != '"' || json.back() != '"') return json;
  std::string text;
  for (std::size_t i = 1; i + 1 < json.size(); ++i) {
    if (json[i] != '\\' || i + 2 >= json.size()) {
      text += json[i];
      continue;
    }
    const char e = json[++i];
    if (e == 'u' && i + 4 < json.size()) {  // \u00XX: the characters labels escape
      text += static_cast<char>(std::strtol(json.substr(i + 1, 4).c_str(), nullptr, 16));
      i += 4;
    } else {
      text += e == 'n' ? '\n' : e == 't' ? '\t' : e;
    }
  }
  return text;
}

// A label value for the exposition: backslash, double quote and newline escaped.
void appendLabelValue(std::string& out, const std::string& text) {
  for (char ch : text) {
    if (ch == '\\') out += "\\\\";
    else if (ch == '"') out += "\\\"";
    else if (ch == '\n') out += "\\n";
    else out += ch;
  }
}

// k1="v1",k2="v2" for a label set.
std::string renderLabels(const LabelSet& set) {
  std::string out;
  for (const auto& [k, v] : set.entries()) {
    if (!out.empty()) out += ',';
    out += k + "=\"";
    appendLabelValue(out, jsonText(v));
    out += '"';
  }
  return out;
}

void appendNumber(std::string& out, const Value& v) {
  char buf[40];
  auto real = [&](double d, int digits) {
    if (std::isnan(d)) out += "NaN";
    else if (std::isinf(d)) out += d > 0 ? "+Inf" : "-Inf";
    else {
      std::snprintf(buf, sizeof buf, "%.*g", digits, d);
      out += buf;
    }
  };
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, float>) real(x, 8);
        else if constexpr (std::is_same_v<T, double>) real(x, 16);
        else if constexpr (std::is_integral_v<T>) out += std::to_string(x);
      },
      v);
}

}  // namespace

Response WebApi::openMetrics(Call& c) {
  Context& source = c.source();
  std::vector<std::string> prefixes{""};
  if (const std::string* given = c.params().first({"names", "name", "prefix", "target"})) prefixes = splitList(*given);
  const std::string* times = c.param("times");
  const bool stamped = times && *times == "true";

  std::vector<std::string> names;
  std::set<std::string> seen;
  for (const auto& prefix : prefixes) {
    auto leaves = source.traverse(prefix);
    if (!leaves) continue;  // unknown: skipped (spec 13, item 7)
    for (auto& n : *leaves)
      if (seen.insert(n).second) names.push_back(std::move(n));
  }
  auto ids = source.lookup(names);
  std::vector<std::pair<std::string, Descriptor>> metrics;
  std::vector<Pmid> ask;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!ids[i]) continue;
    auto d = source.descriptor(*ids[i]);
    if (!d || d->type == ValueType::String || d->type == ValueType::Aggregate || d->type == ValueType::NoSupport)
      continue;  // numbers only
    metrics.emplace_back(names[i], *d);
    ask.push_back(d->pmid);
  }
  FetchResult result;
  if (!ask.empty()) {
    auto r = source.fetch(ask);
    if (!r) return c.failure(r.failure().message());
    result = std::move(*r);
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(result.timestamp.time_since_epoch()).count();

  LabelCache cache(source);
  std::string out;
  out.reserve(metrics.size() * 256);
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    const auto& [name, d] = metrics[i];
    std::string oname = name;
    for (char& ch : oname)
      if (ch == '.') ch = '_';
    out += "# PCP5 " + name + " " + d.pmid.toString() + " " + std::string(typeWord(d.type)) + " " +
           d.indom.toString() + " " + std::string(semanticsName(d.semantics)) + " " + webUnits(d.units) + "\n";
    if (auto help = source.helpText(d.pmid, false); help && !help->empty()) {
      out += "# HELP " + oname + " ";
      for (char ch : *help) out += ch == '\n' ? ' ' : ch;
      out += "\n";
    }
    out += "# TYPE " + oname + (d.semantics == Semantics::Counter ? " counter\n" : " gauge\n");
    const ValueSet& set = result.sets[i];
    if (!set.ok()) continue;
    // The metric's labels are rendered once; an instance adds its name and id, and its
    // own labels when it has any (merged, so that no name appears twice).
    const LabelSet labels = cache.metric(d);
    const std::string common = renderLabels(labels);
    for (const auto& iv : set.values) {
      out += oname + "{";
      if (d.indom.isNull()) {
        out += common;
      } else {
        const LabelSet* own = cache.instance(d.indom, iv.inst);
        if (own) {
          LabelSet all = labels;
          all.merge(*own);
          out += renderLabels(all);
        } else {
          out += common;
        }
        if (out.back() != '{') out += ',';
        out += "instname=\"";
        appendLabelValue(out, cache.instanceName(d.indom, iv.inst));
        out += "\",instid=\"" + std::to_string(iv.inst) + "\"";
      }
      out += "} ";
      appendNumber(out, iv.value);
      if (stamped) out += " " + std::to_string(ms);
      out += "\n";
    }
  }
  Response r;
  r.contentType = "text/plain";
  r.body = std::move(out);
  return r;
}

}  // namespace sextant::web
