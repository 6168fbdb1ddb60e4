// sextant fetch: one sample of each metric, as text lines or as one JSON object.
#include <chrono>
#include <ostream>

#include "tools/Commands.h"
#include "tools/JsonWriter.h"
#include "tools/Replay.h"
#include "tools/archive/ArchiveContext.h"

namespace sextant::cli {
namespace {

void writeJsonValue(JsonWriter& json, const Value& v) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string>)
          json.value(std::string_view(x));
        else if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>)
          json.value(x);
        else if constexpr (std::is_signed_v<T>)
          json.value(static_cast<std::int64_t>(x));
        else
          json.value(static_cast<std::uint64_t>(x));
      },
      v);
}

struct Item {
  std::string name;
  Expected<Pmid> pmid = Error::Name;
  Expected<Descriptor> desc = Error::Pmid;
  const ValueSet* set = nullptr;
};

std::string setError(const ValueSet& set) {
  if (set.ok()) return "No value available";
  return std::string(errorMessage(set.status));
}

void writeJson(std::ostream& out, const FetchResult& result, const std::vector<Item>& items, InstanceNames& names) {
  JsonWriter json;
  json.beginObject();
  json.key("timestamp").value(std::chrono::duration<double>(result.timestamp.time_since_epoch()).count());
  json.key("metrics").beginArray();
  for (const auto& item : items) {
    json.beginObject().key("name").value(item.name);
    if (!item.pmid) {
      json.key("error").value(errorMessage(item.pmid.error())).endObject();
      continue;
    }
    json.key("pmid").value(item.pmid->toString());
    if (!item.desc) {
      json.key("error").value(errorMessage(item.desc.error())).endObject();
      continue;
    }
    const Descriptor& d = *item.desc;
    json.key("type").value(typeName(d.type));
    json.key("semantics").value(semanticsName(d.semantics));
    json.key("units").value(d.units.toString());
    if (!item.set || !item.set->ok() || item.set->values.empty()) {
      json.key("error").value(item.set ? setError(*item.set) : std::string("No value available")).endObject();
      continue;
    }
    json.key("instances").beginArray();
    for (const auto& v : item.set->values) {
      json.beginObject();
      if (d.indom.isNull()) {
        json.key("id").null().key("name").null();
      } else {
        json.key("id").value(static_cast<std::int64_t>(v.inst));
        const std::string* n = names.name(d.indom, v.inst);
        if (n)
          json.key("name").value(*n);
        else
          json.key("name").null();
      }
      json.key("value");
      writeJsonValue(json, v.value);
      json.endObject();
    }
    json.endArray().endObject();
  }
  json.endArray().endObject();
  out << json.text() << '\n';
}

void writeText(std::ostream& out, std::ostream& err, const std::vector<Item>& items, InstanceNames& names) {
  for (const auto& item : items) {
    if (!item.pmid || !item.desc) continue;  // already reported
    if (!item.set || !item.set->ok() || item.set->values.empty()) {
      err << "sextant: " << item.name << ": " << (item.set ? setError(*item.set) : "No value available") << '\n';
      continue;
    }
    for (const auto& v : item.set->values) {
      out << item.name;
      if (!item.desc->indom.isNull()) {
        const std::string* n = names.name(item.desc->indom, v.inst);
        out << '[' << (n ? *n : std::to_string(v.inst)) << ']';
      }
      out << ' ' << formatValue(v.value) << '\n';
    }
  }
}

int runFetch(Context& context, const ParsedOptions& opts, std::ostream& out, std::ostream& err) {
  if (opts.positional.empty()) {
    err << "sextant: fetch needs at least one metric name (see sextant help fetch)\n";
    return kExitUsage;
  }
  Replay replay;
  if (int status = setUpTime(context, opts, err, replay); status != kExitOk) return status;
  const bool asJson = opts.has("json");
  bool unknown = false;
  std::vector<Item> items;
  // Unknown names stay in the JSON list as entries with an error, so that the output
  // answers every name asked for.
  for (const auto& arg : opts.positional) {
    auto names = context.traverse(arg);
    if (!names) {
      unknown = true;
      if (!asJson) err << "sextant: " << arg << ": " << errorMessage(names.error()) << '\n';
      items.push_back(Item{arg, Failure{names.error(), arg}, Error::Name, nullptr});
      continue;
    }
    auto pmids = context.lookup(*names);
    for (std::size_t i = 0; i < names->size(); ++i) items.push_back(Item{(*names)[i], pmids[i], Error::Pmid, nullptr});
  }
  std::vector<Pmid> ask;
  std::vector<std::size_t> slot;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!items[i].pmid) continue;
    items[i].desc = context.descriptor(*items[i].pmid);
    slot.push_back(i);
    ask.push_back(*items[i].pmid);
  }
  auto result = context.fetch(ask);
  if (!result) {
    err << "sextant: fetch failed: " << result.failure().message() << '\n';
    return kExitFailure;
  }
  for (std::size_t k = 0; k < slot.size() && k < result->sets.size(); ++k) items[slot[k]].set = &result->sets[k];
  // An archive names the instances present at its position, which the fetch moved on.
  if (replay.archive) replay.archive->setPosition(result->timestamp);

  InstanceNames names(context);
  if (asJson)
    writeJson(out, *result, items, names);
  else
    writeText(out, err, items, names);
  return unknown ? kExitUsage : kExitOk;
}

}  // namespace

const Command& fetchCommand() {
  static const Command command{
      "fetch",
      "fetch [--json] [-S START | -O ORIGIN] [-Z TZ | -z] NAME...",
      "show one sample of metrics, as text or JSON",
      "Fetches every metric below each NAME once. As text, one line per value:\n"
      "  NAME VALUE             for a metric with a single value\n"
      "  NAME[INSTANCE] VALUE   for each instance of a metric with instances\n"
      "where VALUE is written as pminfo writes it (strings in double quotes). A metric\n"
      "this machine cannot give is reported on stderr (\"sextant: NAME: No value\n"
      "available\") and does not change the exit status.\n"
      "With --json, one object: {\"timestamp\": seconds since 1970, \"metrics\": [{\"name\",\n"
      "\"pmid\", \"type\", \"semantics\", \"units\", \"instances\": [{\"id\", \"name\", \"value\"}]}]};\n"
      "id and name are null for a metric with a single value; a metric without values has\n"
      "\"error\" instead of \"instances\"; NaN and infinities are null. Counters are raw\n"
      "(use watch for rates). An unknown NAME makes the exit status 2.\n"
      "Over an archive (-a ARCHIVE) the values are those recorded at START or ORIGIN\n"
      "(default: the first sample), interpolated between samples as PCP does.\n",
      withTimeOptions(
          {
              {0, "json", false, "", "write one JSON object instead of text lines"},
          },
          false),
      runFetch,
  };
  return command;
}

}  // namespace sextant::cli
