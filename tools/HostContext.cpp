#include "tools/HostContext.h"

#include <algorithm>
#include <set>

namespace sextant {
namespace {

constexpr std::int32_t kNoLabels = -12410;  // PM_ERR_NOLABELS: the server has no label support
// libpcp keeps each name-lookup request under about 63 KiB (spec 1.4); so do we.
constexpr std::size_t kMaxRequestBytes = 60000;
// Names a batched lookup could not resolve are asked again one by one, which tells an
// unknown name from an inner node (spec 2.12); past this many the rest are "unknown".
constexpr std::size_t kMaxSingleLookups = 64;

std::size_t pad4(std::size_t n) { return (n + 3) & ~std::size_t{3}; }

// A server's error reply carries no detail: name what was asked. A transport failure
// already names the peer and what went wrong.
Failure withDetail(const Failure& f, const std::string& what) { return f.detail.empty() ? Failure{f.code, what} : f; }

}  // namespace

Expected<std::unique_ptr<HostContext>> HostContext::open(const cli::HostSpec& spec, PduConnection::Timeouts timeouts) {
  auto conn = PduConnection::open(spec, timeouts);
  if (!conn) return conn.failure();
  std::unique_ptr<HostContext> ctx(new HostContext(std::move(*conn)));
  ctx->hostName_ = ctx->serverHostName();
  if (ctx->hostName_.empty()) ctx->hostName_ = spec.host;
  return ctx;
}

// pmcd.hostname, as pmGetContextHostName asks it (spec 7); empty when the server has
// no such metric or no value for it.
std::string HostContext::serverHostName() {
  const std::string name = "pmcd.hostname";
  auto ids = lookup(std::span<const std::string>(&name, 1));
  if (ids.empty() || !ids[0]) return {};
  Pmid pmid = *ids[0];
  auto result = fetch(std::span<const Pmid>(&pmid, 1));
  if (!result || result->sets.size() != 1 || !result->sets[0].ok() || result->sets[0].values.empty()) return {};
  const auto* text = std::get_if<std::string>(&result->sets[0].values[0].value);
  return text ? *text : std::string();
}

Expected<pdu::Bytes> HostContext::ask(const pdu::Bytes& request, pdu::Type expected, const std::string& what) {
  if (auto drained = dropUntakenFetch(); !drained) return withDetail(drained.failure(), what);
  return expect(conn_->request(request), expected, what);
}

Expected<bool> HostContext::dropUntakenFetch() {
  if (!awaiting_) return true;
  awaiting_ = false;
  if (auto stale = conn_->awaitReplyView(); !stale) return stale.failure();
  return true;
}

Expected<pdu::Bytes> HostContext::expect(Expected<pdu::Bytes> reply, pdu::Type expected, const std::string& what) {
  if (!reply) return withDetail(reply.failure(), what);
  if (auto ok = isOfType(*reply, expected, what); !ok) return ok.failure();
  return reply;
}

Expected<bool> HostContext::isOfType(pdu::ByteView reply, pdu::Type expected, const std::string& what) {
  auto header = pdu::decodeHeader(reply);
  if (!header || header->type != static_cast<std::int32_t>(expected)) {
    std::string got = header ? pdu::typeName(static_cast<pdu::Type>(header->type)) : "garbage";
    return Failure{Error::Ipc, what + ": expected " + pdu::typeName(expected) + ", got " + got};
  }
  return true;
}

Expected<std::vector<Pmid>> HostContext::lookupChunk(std::span<const std::string> names) {
  pdu::NamesPdu request;
  request.names.assign(names.begin(), names.end());
  auto reply = ask(pdu::encode(request), pdu::Type::PmnsIds, names.size() == 1 ? names[0] : "name lookup");
  if (!reply) return reply.failure();
  auto ids = pdu::decodeIds(*reply);
  if (!ids) return ids.failure();
  if (ids->pmids.size() != names.size())
    return Failure{Error::Ipc, "name lookup: " + std::to_string(ids->pmids.size()) + " identifiers for " +
                                   std::to_string(names.size()) + " names"};
  return std::move(ids->pmids);
}

std::vector<Expected<Pmid>> HostContext::lookup(std::span<const std::string> names) {
  std::vector<Expected<Pmid>> out;
  out.reserve(names.size());
  std::size_t singles = 0;
  for (std::size_t start = 0; start < names.size();) {
    std::size_t end = start, bytes = 24;
    while (end < names.size() && (end == start || bytes + 4 + pad4(names[end].size()) <= kMaxRequestBytes))
      bytes += 4 + pad4(names[end++].size());
    auto chunk = names.subspan(start, end - start);
    auto ids = lookupChunk(chunk);
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      if (!ids) {
        out.emplace_back(Failure{ids.error(), chunk[i]});
      } else if (!(*ids)[i].isNull()) {
        out.emplace_back((*ids)[i]);
      } else if (chunk.size() > 1 && singles < kMaxSingleLookups) {
        ++singles;
        auto one = lookupChunk(chunk.subspan(i, 1));
        if (one && !(*one)[0].isNull())
          out.emplace_back((*one)[0]);
        else
          out.emplace_back(Failure{one ? Error::Name : one.error(), chunk[i]});
      } else {
        out.emplace_back(Failure{Error::Name, chunk[i]});
      }
    }
    start = end;
  }
  return out;
}

Expected<std::vector<std::string>> HostContext::traverse(std::string_view prefix) {
  pdu::NameReqPdu request{true, 0, std::string(prefix)};
  auto reply = ask(pdu::encode(request), pdu::Type::PmnsNames, std::string(prefix));
  if (!reply) return reply.failure();
  auto names = pdu::decodeNames(*reply);
  if (!names) return names.failure();
  return std::move(names->names);
}

Expected<std::string> HostContext::nameOf(Pmid pmid) {
  pdu::IdsPdu request;
  request.pmids.push_back(pmid);
  auto reply = ask(pdu::encode(request), pdu::Type::PmnsNames, pmid.toString());
  if (!reply) return reply.failure();
  auto names = pdu::decodeNames(*reply);
  if (!names) return names.failure();
  if (names->names.empty()) return Failure{Error::Pmid, pmid.toString()};
  return std::move(names->names.front());
}

Expected<std::vector<Pmns::Child>> HostContext::children(std::string_view name) {
  pdu::NameReqPdu request{false, 1, std::string(name)};
  auto reply = ask(pdu::encode(request), pdu::Type::PmnsNames, std::string(name));
  if (!reply) return reply.failure();
  auto names = pdu::decodeNames(*reply);
  if (!names) return names.failure();
  if (names->status.size() != names->names.size())
    return Failure{Error::Ipc, std::string(name) + ": children without their leaf status"};
  std::vector<Pmns::Child> out;
  for (std::size_t i = 0; i < names->names.size(); ++i)
    out.push_back(Pmns::Child{names->names[i], names->status[i] == pdu::kLeafStatus});
  return out;
}

Expected<Descriptor> HostContext::descriptor(Pmid pmid) {
  if (auto it = descriptors_.find(pmid); it != descriptors_.end()) return it->second;
  auto reply = ask(pdu::encode(pdu::DescReqPdu{pmid}), pdu::Type::Desc, pmid.toString());
  if (!reply) return reply.failure();
  auto desc = pdu::decodeDesc(*reply);
  if (!desc) return desc.failure();
  descriptors_[pmid] = desc->desc;
  return desc->desc;
}

// Descriptors the next fetch needs, in one DESC_IDS when the server offers it (spec
// 2.8). Failures are left for descriptor() to report.
void HostContext::prefetchDescriptors(std::span<const Pmid> pmids) {
  std::set<Pmid> missing;
  for (Pmid p : pmids)
    if (!descriptors_.count(p)) missing.insert(p);
  if (missing.size() < 2 || !conn_->has(pdu::kFeatureDescs)) return;
  pdu::DescIdsPdu request;
  request.pmids.assign(missing.begin(), missing.end());
  auto reply = ask(pdu::encode(request), pdu::Type::Descs, "descriptors");
  if (!reply) return;
  auto descs = pdu::decodeDescs(*reply);
  if (!descs || descs->descs.size() != request.pmids.size()) return;
  for (std::size_t i = 0; i < descs->descs.size(); ++i)
    if (descs->descs[i].pmid == request.pmids[i]) descriptors_[request.pmids[i]] = descs->descs[i];
}

Expected<std::string> HostContext::text(std::uint32_t ident, std::int32_t kind, bool longHelp, const std::string& what) {
  pdu::TextReqPdu request{ident, kind | (longHelp ? pdu::kTextHelp : pdu::kTextOneLine)};
  auto reply = ask(pdu::encode(request), pdu::Type::Text, what);
  Expected<std::string> out = Error::Text;
  if (reply) {
    auto decoded = pdu::decodeText(*reply);
    if (!decoded) return decoded.failure();
    out = std::move(decoded->text);
  } else {
    out = reply.failure();
  }
  // Missing long help falls back to the one-line text, as libpcp does (spec 2.10).
  if (longHelp && (!out || out->empty())) return text(ident, kind, false, what);
  if (out && out->empty()) return Failure{Error::Text, what};
  return out;
}

Expected<std::string> HostContext::helpText(Pmid pmid, bool longHelp) {
  return text(pmid.raw(), pdu::kTextPmid, longHelp, pmid.toString());
}

Expected<std::string> HostContext::helpText(InDom indom, bool longHelp) {
  return text(indom.raw(), pdu::kTextInDom, longHelp, indom.toString());
}

Expected<std::vector<Instance>> HostContext::instances(InDom indom) {
  pdu::InstanceReqPdu request{indom, kNullInstance, {}};
  auto reply = ask(pdu::encode(request), pdu::Type::Instance, indom.toString());
  if (!reply) return reply.failure();
  auto decoded = pdu::decodeInstance(*reply);
  if (!decoded) return decoded.failure();
  return std::move(decoded->instances);
}

Expected<FetchResult> HostContext::fetch(std::span<const Pmid> pmids) {
  FetchResult result;
  if (auto ok = fetchInto(pmids, result); !ok) return ok.failure();
  return result;
}

Expected<bool> HostContext::fetchInto(std::span<const Pmid> pmids, FetchResult& result) {
  if (auto asked = startFetch(pmids); !asked) return asked;
  return finishFetch(result);
}

Expected<bool> HostContext::startFetch(std::span<const Pmid> pmids) {
  if (auto drained = dropUntakenFetch(); !drained) return withDetail(drained.failure(), "fetch");
  if (pmids.data() != asked_.data()) asked_.assign(pmids.begin(), pmids.end());
  if (pmids.empty()) return true;
  // The same list as last time (a recorder, watch): its types are known already, and
  // so is the request.
  const bool typed = std::equal(pmids.begin(), pmids.end(), typedPmids_.begin(), typedPmids_.end());
  if (!typed) {
    prefetchDescriptors(pmids);
    typedPmids_.clear();
    types_.clear();
    fetchRequest_.clear();
    for (Pmid p : pmids) fetchedDomains_.insert(p.domain());
    for (Pmid p : pmids) {  // the known prefix; past an unknown one, finishFetch() asks per set
      auto d = descriptor(p);
      if (!d) break;
      types_.push_back(d->type);
    }
    if (types_.size() == pmids.size()) typedPmids_.assign(pmids.begin(), pmids.end());  // only when all are known
  }
  // A server answers a fetch only after a profile (spec 2.4): ours asks for everything.
  if (!profileSent_) {
    if (auto sent = conn_->send(pdu::encode(pdu::ProfilePdu{})); !sent) return withDetail(sent.failure(), "profile");
    profileSent_ = true;
  }
  const bool highres = conn_->has(pdu::kFeatureHighres);
  if (fetchRequest_.empty()) {  // a new list (cleared above), or the first fetch
    pdu::FetchPdu request;
    request.pmids.assign(pmids.begin(), pmids.end());
    request.highres = highres;
    fetchRequest_ = pdu::encode(request);
  }
  if (auto sent = conn_->send(fetchRequest_); !sent) return withDetail(sent.failure(), "fetch");
  awaiting_ = true;
  return true;
}

Expected<bool> HostContext::finishFetch(FetchResult& result) {
  const std::span<const Pmid> pmids = asked_;
  if (pmids.empty()) {
    result.sets.clear();
    result.timestamp = std::chrono::system_clock::now();
    return true;
  }
  if (!awaiting_) return Failure{Error::Ipc, "fetch: no request was sent"};
  awaiting_ = false;
  const bool highres = conn_->has(pdu::kFeatureHighres);
  // The reply is read where it arrived, and its values straight into `result`, whose
  // sets and values keep their storage when a caller passes the same result each time.
  auto reply = conn_->awaitReplyView();
  if (!reply) return withDetail(reply.failure(), "fetch");
  const auto replyType = highres ? pdu::Type::HighresResult : pdu::Type::Result;
  if (auto ok = isOfType(*reply, replyType, "fetch"); !ok) return ok.failure();
  lastFetchBytes_ = reply->size();
  if (auto decoded = pdu::decodeResultValues(*reply, types_, result); !decoded) return decoded.failure();
  if (result.sets.size() != pmids.size())
    return Failure{Error::Ipc, "fetch: " + std::to_string(result.sets.size()) + " value sets for " +
                                   std::to_string(pmids.size()) + " metrics"};
  if (types_.size() < pmids.size()) {
    // Some types are not known yet, and a value's bytes mean nothing without its type:
    // the sets that came with values (unreadable, so Error::Conv) have their metric's
    // descriptor looked up, and the reply, kept aside from those lookups, read again.
    const pdu::Bytes kept(reply->begin(), reply->end());
    std::vector<ValueType> types(types_);
    std::vector<std::pair<std::size_t, int>> untyped;  // set, why its descriptor is not known
    for (std::size_t i = types_.size(); i < pmids.size(); ++i) {
      ValueType type = ValueType::NoSupport;
      if (result.sets[i].status == static_cast<int>(Error::Conv)) {
        if (auto desc = descriptor(pmids[i])) type = desc->type;
        else untyped.emplace_back(i, static_cast<int>(desc.error()));
      }
      types.push_back(type);
    }
    if (auto decoded = pdu::decodeResultValues(kept, types, result); !decoded) return decoded.failure();
    for (auto [i, why] : untyped) result.sets[i].status = why;
  }
  for (std::size_t i = 0; i < pmids.size(); ++i) result.sets[i].pmid = pmids[i];
  return true;
}

Expected<pdu::LabelPdu> HostContext::labelRequest(std::uint32_t ident, LabelLevel level) {
  if (!conn_->has(pdu::kFeatureLabels)) return Failure{static_cast<Error>(kNoLabels), conn_->peer()};
  pdu::LabelReqPdu request{ident, static_cast<std::int32_t>(level)};
  auto reply = ask(pdu::encode(request), pdu::Type::Label, "labels");
  if (!reply) return reply.failure();
  auto decoded = pdu::decodeLabel(*reply);
  if (!decoded) return decoded.failure();
  // The client must see its own question answered (spec 2.15).
  if (decoded->ident != ident || decoded->type != request.type)
    return Failure{Error::Ipc, "labels: reply for another identifier or level"};
  return decoded;
}

int HostContext::store(Pmid pmid, const std::vector<InstanceValue>& values) {
  pdu::WireValueSet set;
  set.pmid = pmid;
  set.numval = static_cast<std::int32_t>(values.size());
  for (const auto& v : values) set.values.push_back(pdu::toWire(v.inst, v.value));
  set.valfmt = !set.values.empty() && !set.values.front().inSitu ? 1 : 0;
  // The answer is an ERROR PDU: code 0 when the store was taken (spec 2.17).
  auto reply = ask(pdu::encodeStore({set}), pdu::Type::Error, pmid.toString());
  return reply ? 0 : static_cast<int>(reply.error());
}

Expected<LabelSet> HostContext::labels(LabelLevel level, std::uint32_t ident) {
  // The wire's identifiers per level (spec 2.15): the context is 0xFFFFFFFF and a
  // cluster is the PMID with item 0.
  if (level == LabelLevel::Context) ident = kNullId;
  if (level == LabelLevel::Cluster) ident &= ~0x3FFu;
  // The context and domain levels are shared by many metrics; libpcp asks for them
  // once per context, and so do we.
  const bool cached = level == LabelLevel::Context || level == LabelLevel::Domain;
  const auto key = std::make_pair(static_cast<unsigned>(level), ident);
  if (cached)
    if (auto it = sharedLabels_.find(key); it != sharedLabels_.end()) return it->second;
  auto reply = labelRequest(ident, level);
  if (!reply) return reply.failure();
  LabelSet set = reply->sets.empty() ? LabelSet{} : std::move(reply->sets.front().second);
  if (cached) sharedLabels_[key] = set;
  return set;
}

Expected<std::vector<std::pair<std::int32_t, LabelSet>>> HostContext::instanceLabels(InDom indom) {
  // pmcd (6.0.3) hands an in-process agent the profile of the last client that
  // fetched from it, and the agent consults that profile while listing instance
  // labels: if that client has gone, pmcd crashes (seen with pminfo -l followed by
  // another client). A fetch from the agent's domain first makes the profile ours.
  if (!fetchedDomains_.count(indom.domain())) {
    for (const auto& [pmid, desc] : descriptors_) {
      if (desc.indom != indom) continue;
      if (auto primed = fetch(std::span<const Pmid>(&pmid, 1)); !primed) return primed.failure();
      break;
    }
  }
  auto reply = labelRequest(indom.raw(), LabelLevel::Instances);
  if (!reply) return reply.failure();
  std::vector<std::pair<std::int32_t, LabelSet>> out;
  for (auto& [inst, set] : reply->sets)
    if (!set.empty()) out.emplace_back(inst, std::move(set));
  return out;
}

}  // namespace sextant
