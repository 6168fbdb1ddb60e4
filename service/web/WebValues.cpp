// /pmapi/fetch, /pmapi/profile, /pmapi/store and /pmapi/derive (spec 6.3, 6.5-6.7).
#include <charconv>
#include <cstdlib>
#include <map>
#include <set>

#include "service/web/WebCall.h"

namespace sextant::web {
namespace {

struct Wanted {
  std::string name;
  Pmid pmid;
  const DerivedMetrics::Metric* derived = nullptr;
};

// "<seconds>.<nine digits>": pmproxy 6.0.3 leaves the fraction unpadded, which makes
// time go backwards (spec 5 and 13, item 1); this is the value it meant.
std::string timestampText(Timestamp t) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  const auto since = static_cast<unsigned long long>(ns < 0 ? 0 : ns);  // no clock reads before 1970
  char buf[48];
  char* end = std::to_chars(buf, buf + 24, since / 1'000'000'000).ptr;
  *end++ = '.';
  char* digits = end;
  end = std::to_chars(end, end + 16, since % 1'000'000'000).ptr;
  std::string text(buf, digits);
  text.append(9 - static_cast<std::size_t>(end - digits), '0');  // the fraction in nine digits
  text.append(digits, end);
  return text;
}

// A value as text parsed for a metric of type `t`; nothing when it does not parse.
std::optional<Value> parseValue(const std::string& text, ValueType t) {
  auto integer = [&](auto zero) -> std::optional<Value> {
    decltype(zero) v{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return Value(v);
  };
  switch (t) {
    case ValueType::I32: return integer(std::int32_t{});
    case ValueType::U32: return integer(std::uint32_t{});
    case ValueType::I64: return integer(std::int64_t{});
    case ValueType::U64: return integer(std::uint64_t{});
    case ValueType::Float:
    case ValueType::Double: {
      char* end = nullptr;
      const double d = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size()) return std::nullopt;
      return t == ValueType::Float ? Value(static_cast<float>(d)) : Value(d);
    }
    case ValueType::String: return Value(text);
    default: return std::nullopt;
  }
}

}  // namespace

Response WebApi::fetch(Call& c) {
  Context& source = c.source();
  DerivedMetrics& derived = c.context->derived;
  std::vector<Wanted> wanted;
  // Names resolve in one lookup for the whole list; unknown ones are left out.
  auto byNames = [&](const std::vector<std::string>& list) {
    std::vector<std::string> plain;
    for (const auto& n : list)
      if (!derived.byName(n)) plain.push_back(n);
    auto ids = source.lookup(plain);
    std::size_t k = 0;
    for (const auto& n : list) {
      if (const auto* m = derived.byName(n)) wanted.push_back({n, m->pmid, m});
      else if (auto& id = ids[k++]; id) wanted.push_back({n, *id, nullptr});
    }
  };
  auto byPmid = [&](const std::string& text) -> bool {
    auto pmid = parsePmid(text);
    if (!pmid) return false;
    if (const auto* m = derived.byPmid(*pmid)) {
      wanted.push_back({m->name, m->pmid, m});
      return true;
    }
    auto name = source.nameOf(*pmid);
    if (!name) return false;
    wanted.push_back({*name, *pmid, nullptr});
    return true;
  };
  // Unknown entries of a list are left out; a single unknown one fails (spec 6.3).
  if (const std::string* names = c.param("names")) {
    const auto list = splitList(*names);
    if (list.empty()) return c.failure("Insufficient elements in list");
    byNames(list);
  } else if (const std::string* name = c.param("name")) {
    byNames({*name});
    if (wanted.empty()) return c.failure("bad parameters passed");
  } else if (const std::string* pmids = c.param("pmids")) {
    const auto list = splitList(*pmids);
    if (list.empty()) return c.failure("Insufficient elements in list");
    for (const auto& p : list) byPmid(p);
  } else if (const std::string* pmid = c.param("pmid")) {
    if (!byPmid(*pmid)) return c.failure("bad parameters passed");
  }

  // One fetch for the plain metrics and every derived metric's operands, each once.
  std::vector<Pmid> ask;
  std::map<Pmid, std::size_t> at;
  auto position = [&](Pmid p) {
    auto [it, added] = at.try_emplace(p, ask.size());
    if (added) ask.push_back(p);
    return it->second;
  };
  for (const auto& w : wanted) {
    if (!w.derived) position(w.pmid);
    else for (Pmid op : w.derived->compiled->operands()) position(op);
  }
  FetchResult result;
  result.timestamp = std::chrono::system_clock::now();
  if (!ask.empty()) {
    auto r = source.fetch(ask);
    // Past an archive's end pmFetch fails with PM_ERR_EOL and pmproxy sends its text alone.
    if (!r && r.error() == Error::EndOfLog) return c.failure(std::string(errorMessage(Error::EndOfLog)));
    if (!r) return c.failure(r.failure().message());
    result = std::move(*r);
  }

  const Profile& profile = c.context->profile;
  Json j = c.open();
  j.key("timestamp").raw(timestampText(result.timestamp)).key("values").beginArray();
  ValueSet computed;  // a derived metric's values
  for (const auto& w : wanted) {
    const ValueSet* set = &computed;
    InDom indom;
    if (w.derived) {
      std::vector<ValueSet> operands;
      for (Pmid op : w.derived->compiled->operands()) operands.push_back(result.sets[position(op)]);
      computed = derived.evaluate(*w.derived, operands, result.timestamp);
      indom = w.derived->desc.indom;
    } else {
      set = &result.sets[position(w.pmid)];
      if (auto d = source.descriptor(w.pmid)) indom = d->indom;
    }
    j.beginObject().key("pmid").string(w.pmid.toString()).key("name").string(w.name).key("instances").beginArray();
    if (set->ok()) {
      for (const auto& iv : set->values) {
        if (!indom.isNull() && !profile.accepts(indom, iv.inst)) continue;
        j.beginObject().key("instance");
        if (indom.isNull()) j.null();
        else j.integer(iv.inst);
        j.key("value").value(iv.value).endObject();
      }
    }
    j.endArray().endObject();
  }
  j.endArray().endObject();
  return Call::ok(j);
}

Response WebApi::profile(Call& c) {
  const std::string& expr = *c.param("expr");
  if (expr != "add" && expr != "del") return c.failure(expr + " - invalid 'expr' parameter value");
  Context& source = c.source();
  auto indom = requestedInDom(source, c.params());
  if (!indom) return c.failure(indom.failure().detail);
  Profile& profile = c.context->profile;
  const bool listed = c.params().first({"iname", "instance"}) != nullptr;
  if (!listed) {  // the whole domain in (add) or out (del)
    if (expr == "add") profile.includeAll(*indom);
    else profile.include(*indom, {});
    return c.success();
  }
  auto insts = requestedInstances(source, c.params(), *indom);
  if (!insts) return c.failure(insts.failure().detail);
  std::set<std::int32_t> ids;
  for (const auto& i : *insts) ids.insert(i.id);
  // PCP's profile rules: "add" to a domain with no rule means "only these" (observed).
  const auto rule = profile.rules().find(*indom);
  if (expr == "add") {
    if (rule == profile.rules().end()) {
      profile.include(*indom, ids);
    } else if (rule->second.include) {
      auto merged = rule->second.insts;
      merged.insert(ids.begin(), ids.end());
      profile.include(*indom, merged);
    } else {
      auto left = rule->second.insts;
      for (auto id : ids) left.erase(id);
      profile.exclude(*indom, left);
    }
  } else {
    if (rule == profile.rules().end()) {
      profile.exclude(*indom, ids);
    } else if (rule->second.include) {
      auto left = rule->second.insts;
      for (auto id : ids) left.erase(id);
      profile.include(*indom, left);
    } else {
      auto merged = rule->second.insts;
      merged.insert(ids.begin(), ids.end());
      profile.exclude(*indom, merged);
    }
  }
  return c.success();
}

Response WebApi::store(Call& c) {
  Context& source = c.source();
  const std::string* name = c.param("name");
  std::optional<Pmid> pmid;
  std::string label;
  if (name) {
    label = *name;
    auto id = source.lookup(std::span<const std::string>(name, 1)).at(0);
    if (id) pmid = *id;
  } else {
    label = *c.param("pmid");
    pmid = parsePmid(label);
  }
  auto desc = pmid ? source.descriptor(*pmid) : Expected<Descriptor>(Error::Name);
  if (!desc) return c.failure(label + " - failed to lookup metric");
  const std::string* given = c.param("value");
  const std::string text = c.request.method == "POST" && !c.request.body.empty() ? c.request.body : given ? *given : "";
  const std::string failed = "failed to store value to metric " + label + ": ";
  auto value = parseValue(text, desc->type);
  if (!value) return c.failure(failed + std::string(errorMessage(Error::Type)));

  std::vector<InstanceValue> values;
  if (desc->indom.isNull()) {
    values.push_back({kNullInstance, *value});
  } else {
    auto insts = requestedInstances(source, c.params(), desc->indom);
    if (!insts) return c.failure(failed + insts.failure().detail);
    for (const auto& i : *insts) values.push_back({i.id, *value});
  }
  if (const int rc = source.store(*pmid, values); rc < 0) return c.failure(failed + errorMessage(rc));
  return c.success();
}

Response WebApi::derive(Call& c) {
  DerivedMetrics& derived = c.context->derived;
  const std::string* name = c.param("name");
  const std::string* expr = c.param("expr");
  if (name && expr) {
    if (auto why = derived.define(c.source(), *name, *expr)) return c.failure(*why);
    return c.success();
  }
  if (c.request.method != "POST" || c.request.body.empty() || name || expr)
    return c.failure("invalid derive parameters");
  // Bulk: "name = expression" lines (also split at '&' or ';'), '#' comments; lines are
  // counted from 0 and the first failure stops, earlier ones staying defined (spec 6.7).
  std::string text = c.request.body;
  for (char& ch : text)
    if (ch == '&' || ch == ';') ch = '\n';
  std::size_t lineNo = 0, start = 0;
  while (start <= text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    std::string line = text.substr(start, end - start);
    start = end + 1;
    const std::size_t thisLine = lineNo++;
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    const auto eq = line.find('=');
    auto trim = [](std::string s) {
      const auto a = s.find_first_not_of(" \t\r");
      const auto b = s.find_last_not_of(" \t\r");
      return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
    };
    if (eq == std::string::npos) return c.failure("invalid derived metric definition on line " + std::to_string(thisLine));
    const std::string n = trim(line.substr(0, eq)), e = trim(line.substr(eq + 1));
    if (auto why = derived.define(c.source(), n, e))
      return c.failure("failed to create derived metric \"" + n + "\" on line " + std::to_string(thisLine) +
                       " from: " + e + "\n" + *why);
  }
  return c.success();
}

}  // namespace sextant::web
