#include "service/PduSession.h"

#include <chrono>
#include <cstdio>

#include "core/Catalog.h"
#include "service/SelfAgent.h"

namespace sextant::service {
namespace {

using pdu::Type;

constexpr std::uint32_t kCredVersion = 1;  // credential type CVERSION (spec 2.3)

// Instance-name lookup as PCP's agents do it (spec 2.9): an exact match wins; else a
// name without a space matches an instance whose name up to its first space is equal
// ("5" finds "5 minute"), which pmval -i relies on.
const Instance* matchInstance(const std::vector<Instance>& insts, const std::string& name) {
  for (const auto& i : insts)
    if (i.name == name) return &i;
  if (name.find(' ') != std::string::npos) return nullptr;
  for (const auto& i : insts)
    if (std::string_view(i.name).substr(0, i.name.find(' ')) == name) return &i;
  return nullptr;
}

bool validLabelType(std::int32_t t) {
  switch (t) {
    case 0x01: case 0x02: case 0x04: case 0x08: case 0x10: case 0x20: return true;
    default: return false;
  }
}

}  // namespace

PduSession::PduSession(Collector& collector, std::mutex& collectorLock, ServiceStats& stats,
                       ConnectionFacts facts)
    : collector_(collector), lock_(collectorLock), stats_(stats), facts_(std::move(facts)),
      clientId_(stats.addClient()) {}

PduSession::~PduSession() { stats_.removeClient(clientId_); }

pdu::Bytes PduSession::hello() {
  stats_.countOut(static_cast<std::int32_t>(Type::Error));
  return pdu::encode(pdu::ErrorPdu{0, pdu::kHelloFeatureWord});
}

pdu::Bytes PduSession::refusal(Error code) {
  // pmcd sends a zero feature word with a refusal (spec 1.5).
  return pdu::encode(pdu::ErrorPdu{pdu::toV1(static_cast<std::int32_t>(code)), 0u});
}

PduSession::Reply PduSession::send(pdu::Bytes bytes) {
  if (auto h = pdu::decodeHeader(bytes)) stats_.countOut(h->type);
  return Reply{std::move(bytes), false, {}};
}

PduSession::Reply PduSession::error(int code, std::string log) {
  Reply r = send(pdu::encode(pdu::ErrorPdu{code, std::nullopt}));
  r.log = std::move(log);
  return r;
}

PduSession::Reply PduSession::malformed(std::int32_t type, const Failure& why) {
  // The framing is intact (the Framer delivered a whole PDU), so the stream can go on:
  // answer PM_ERR_IPC as pmcd does and keep the connection (spec 1.7).
  return error(static_cast<int>(Error::Ipc), std::string("malformed ") + pdu::typeName(static_cast<Type>(type)) +
                                                 " PDU: " + why.message());
}

bool PduSession::hidden(unsigned domain) const { return domain == catalog::kProcDomain && !facts_.procAllowed; }

PduSession::Reply PduSession::handle(pdu::ByteView pdu) {
  auto h = pdu::decodeHeader(pdu);
  if (!h || static_cast<std::size_t>(h->length) != pdu.size()) {
    // Only a broken framer could hand us this; the stream position is unknown.
    Reply r{{}, true, "PDU header does not match its length; closing"};
    return r;
  }
  stats_.countIn(h->type);
  Reply r;
  {
    // The whole request under the lock: a refresh may rebuild the name space (a new
    // MMV file), and the agents may re-read their sources, before it is answered.
    std::lock_guard lock(lock_);
    collector_.refresh();
    r = dispatch(*h, pdu);
  }
  if (h->type != static_cast<std::int32_t>(Type::Creds) && !r.close) handshakeDone_ = true;
  return r;
}

PduSession::Reply PduSession::dispatch(const pdu::Header& h, pdu::ByteView pdu) {
  switch (static_cast<Type>(h.type)) {
    case Type::Creds: return onCreds(pdu);
    case Type::Profile: return onProfile(pdu);
    case Type::Fetch:
    case Type::HighresFetch: return onFetch(pdu);
    case Type::DescReq: return onDescReq(pdu);
    case Type::DescIds: return onDescIds(pdu);
    case Type::InstanceReq: return onInstanceReq(pdu);
    case Type::TextReq: return onTextReq(pdu);
    case Type::PmnsNames: return onNames(pdu);
    case Type::PmnsIds: return onIds(pdu);
    case Type::PmnsChild:
    case Type::PmnsTraverse: return onNameReq(pdu);
    case Type::LabelReq: return onLabelReq(pdu);
    case Type::Result: return onStore(pdu);
    default: break;
  }
  // Replies sent the wrong way, ATTR (never offered) and codes nobody knows: pmcd
  // answers PM_ERR_IPC and keeps the connection (spec 1.7).
  return error(static_cast<int>(Error::Ipc), "unexpected PDU type 0x" + [&] {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%x", static_cast<unsigned>(h.type));
    return std::string(buf);
  }());
}

PduSession::Reply PduSession::onCreds(pdu::ByteView pdu) {
  auto m = pdu::decodeCreds(pdu);
  // CREDS never gets a reply (spec 8.2 pitfall 3), so a broken one cannot be answered
  // without desynchronising the client: close, as pmcd does.
  if (!m) return Reply{{}, true, "malformed CREDS PDU: " + m.failure().message() + "; closing"};
  for (std::uint32_t word : m->creds) {
    if ((word >> 24) != kCredVersion) continue;  // other credential types carry nothing we use
    // Any protocol version is accepted (pmcd records it without checking, spec 1.6).
    // The flags ask to switch on security features; this server offers none of them,
    // and going on would mean reading a TLS or SASL exchange as PDUs.
    if (const std::uint32_t flags = word & 0xffffu; flags != 0) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "CREDS asks for features 0x%x that were not offered; closing", flags);
      return Reply{{}, true, buf};
    }
  }
  handshakeDone_ = true;
  return {};
}

PduSession::Reply PduSession::onProfile(pdu::ByteView pdu) {
  auto m = pdu::decodeProfile(pdu);
  if (!m) return malformed(static_cast<std::int32_t>(Type::Profile), m.failure());
  profiles_[m->ctxid] = std::move(m->profile);
  return {};
}

PduSession::Reply PduSession::onFetch(pdu::ByteView pdu) {
  auto m = pdu::decodeFetch(pdu);
  if (!m) return malformed(static_cast<std::int32_t>(Type::Fetch), m.failure());
  if (m->pmids.empty()) return error(static_cast<int>(Error::Ipc), "FETCH of no metrics");
  auto profile = profiles_.find(m->ctxid);
  if (profile == profiles_.end()) return error(static_cast<int>(Error::NoProfile));

  const auto start = std::chrono::steady_clock::now();
  // Withheld domains are not even asked: their agents would read every process.
  std::vector<Pmid> ask;
  ask.reserve(m->pmids.size());
  for (Pmid p : m->pmids)
    if (!hidden(p.domain())) ask.push_back(p);
  FetchResult& result = scratch_;  // its storage is reused from one fetch to the next
  collector_.fetch(ask, profile->second, result);
  if (ask.size() != m->pmids.size()) {
    std::vector<ValueSet> sets;
    sets.reserve(m->pmids.size());
    std::size_t next = 0;
    for (Pmid p : m->pmids) {
      if (hidden(p.domain())) {
        sets.push_back(ValueSet{p, static_cast<int>(Error::Permission), {}});
      } else {
        sets.push_back(std::move(result.sets[next++]));
      }
    }
    result.sets = std::move(sets);
  }
  Reply r = send(pdu::encodeResult(result, m->highres));
  stats_.recordFetch(std::chrono::steady_clock::now() - start);
  return r;
}

PduSession::Reply PduSession::onDescReq(pdu::ByteView pdu) {
  auto m = pdu::decodeDescReq(pdu);
  if (!m) return malformed(static_cast<std::int32_t>(Type::DescReq), m.failure());
  auto d = collector_.descriptor(m->pmid);
  // pmcd answers PM_ERR_PMID for an unknown domain too (spec 2.7).
  if (!d) return error(static_cast<int>(Error::Pmid));
  return send(pdu::encode(pdu::DescPdu{*d}));
}

PduSession::Reply PduSession::onDescIds(pdu::ByteView pdu) {
  auto m = pdu::decodeDescIds(pdu);
  if (!m) return malformed(static_cast<std::int32_t>(Type::DescIds), m.failure());
  pdu::DescsPdu out;
  out.descs.reserve(m->pmids.size());
  for (Pmid p : m->pmids) {
    auto d = collector_.descriptor(p);
    // A hole is a descriptor with a null PMID and zero fields (spec 2.8).
    if (d) {
      out.descs.push_back(*d);
    } else {
      Descriptor hole;
      hole.type = ValueType::I32;
      hole.indom = InDom(0);
      hole.semantics = static_cast<Semantics>(0);
      out.descs.push_back(hole);
    }
  }
  if (m->pmids.size() == 1 && out.descs[0].pmid.isNull()) return error(static_cast<int>(Error::Pmid));
  return send(pdu::encode(out));
}

PduSession::Reply PduSession::onInstanceReq(pdu::ByteView pdu) {
  auto m = pdu::decodeInstanceReq(pdu);
  if (!m) return malformed(static_cast<std::int32_t>(Type::InstanceReq), m.failure());
  // Process instance names carry command lines: withheld like the values.
  if (hidden(m->indom.domain())) return error(static_cast<int>(Error::Permission));
  Expected<std::vector<Instance>> insts = collector_.instances(m->indom);
  if (!insts) return error(static_cast<int>(insts.error()));
  pdu::InstancePdu out{m->indom, {}};
  if (!m->name.empty()) {
    // name -> id: pmcd answers the id with an empty name (spec 2.9).
    const Instance* i = matchInstance(*insts, m->name);
    if (!i) return error(static_cast<int>(Error::Inst));
    out.instances.push_back(Instance{i->id, {}});
  } else if (m->inst != kNullInstance) {
    // id -> name: pmcd answers the name with a null id.
    const Instance* found = nullptr;
    for (const auto& i : *insts)
      if (i.id == m->inst) found = &i;
    if (!found) return error(static_cast<int>(Error::Inst));
    out.instances.push_back(Instance{kNullInstance, found->name});
  } else {
    out.instances = std::move(*insts);
  }
  return send(pdu::encode(out));
}

PduSession::Reply PduSession::onTextReq(pdu::ByteView pdu) {
  auto m = pdu::decodeTextReq(pdu);
  if (!m) return malformed(static_cast<std::int32_t>(Type::TextReq), m.failure());
  const bool forPmid = (m->flags & pdu::kTextPmid) != 0, forInDom = (m->flags & pdu::kTextInDom) != 0;
  const bool oneLine = (m->flags & pdu::kTextOneLine) != 0, help = (m->flags & pdu::kTextHelp) != 0;
  if (forPmid == forInDom || oneLine == help) return error(static_cast<int>(Error::Text), "TEXT_REQ with flags " + std::to_string(m->flags));

  const std::string* shortText = nullptr;
  const std::string* longText = nullptr;
  if (forPmid) {
    auto info = collector_.metric(Pmid(m->ident));
    if (!info) return error(static_cast<int>(info.error()));
    shortText = &(*info)->oneLine;
    longText = &(*info)->longHelp;
  } else {
    const InDom indom(m->ident);
    const Agent* a = collector_.agent(indom.domain());
    if (a)
      for (const auto& i : a->indoms())
        if (i.indom == indom) {
          shortText = &i.oneLine;
          longText = &i.longHelp;
        }
    if (!shortText) return error(static_cast<int>(Error::InDom));
  }
  // Missing long help is an empty TEXT (the client then asks for the one-line text);
  // no text at all is PM_ERR_TEXT (spec 2.10).
  if (shortText->empty() && longText->empty()) return error(static_cast<int>(Error::Text));
  if (oneLine && shortText->empty()) return error(static_cast<int>(Error::Text));
  return send(pdu::encode(pdu::TextPdu{m->ident, oneLine ? *shortText : *longText}));
}

PduSession::Reply PduSession::onNames(pdu::ByteView pdu) {
  auto m = pdu::decodeNames(pdu);
  if (!m) return malformed(static_cast<std::int32_t>(Type::PmnsNames), m.failure());
  pdu::IdsPdu out;
  out.pmids.reserve(m->names.size());
  for (const auto& name : m->names) {
    auto p = collector_.lookup(name);
    // One name that fails is an ERROR; with several, failures are holes (spec 2.12).
    if (!p && m->names.size() == 1) return error(static_cast<int>(p.error()));
    out.pmids.push_back(p ? *p : Pmid());
    if (p) ++out.status;
  }
  return send(pdu::encode(out));
}

PduSession::Reply PduSession::onIds(pdu::ByteView pdu) {
  auto m = pdu::decodeIds(pdu);
  if (!m) return malformed(static_cast<std::int32_t>(Type::PmnsIds), m.failure());
  pdu::NamesPdu out;
  for (Pmid p : m->pmids) {
    auto info = collector_.metric(p);
    // Unknown item: PM_ERR_PMID; unknown domain: PM_ERR_NOAGENT (spec 2.13).
    if (!info) return error(static_cast<int>(info.error()));
    for (auto& n : collector_.pmns().names(p)) out.names.push_back(std::move(n));
  }
  return send(pdu::encode(out));
}

PduSession::Reply PduSession::onNameReq(pdu::ByteView pdu) {
  auto m = pdu::decodeNameReq(pdu);
  if (!m) return malformed(static_cast<std::int32_t>(Type::PmnsChild), m.failure());
  pdu::NamesPdu out;
  if (m->traverse) {
    auto names = collector_.pmns().traverse(m->name);
    if (!names) return error(static_cast<int>(Error::Name));
    out.names = std::move(*names);
    return send(pdu::encode(out));
  }
  auto kids = collector_.pmns().children(m->name);
  if (!kids) return error(static_cast<int>(Error::Name));
  for (const auto& k : *kids) {
    out.names.push_back(k.name);
    if (m->subtype == 1) out.status.push_back(k.leaf ? pdu::kLeafStatus : pdu::kNonLeafStatus);
  }
  return send(pdu::encode(out));
}

PduSession::Reply PduSession::onLabelReq(pdu::ByteView pdu) {
  auto m = pdu::decodeLabelReq(pdu);
  if (!m) return malformed(static_cast<std::int32_t>(Type::LabelReq), m.failure());
  if (!validLabelType(m->type)) return error(static_cast<int>(Error::Type));
  const auto level = static_cast<LabelLevel>(m->type);
  pdu::LabelPdu out{m->ident, m->type, {}};
  if (level == LabelLevel::Instances) {
    if (hidden(InDom(m->ident).domain())) return error(static_cast<int>(Error::Permission));
    auto sets = collector_.instanceLabels(InDom(m->ident));
    if (!sets) return error(static_cast<int>(sets.error()));
    out.sets = std::move(*sets);
  } else {
    auto set = collector_.labels(level, m->ident);
    if (!set) return error(static_cast<int>(set.error()));
    // An empty level is a LABEL with no sets, not an error (spec 2.15).
    if (!set->empty()) out.sets.emplace_back(kNullInstance, std::move(*set));
  }
  return send(pdu::encode(out));
}

PduSession::Reply PduSession::onStore(pdu::ByteView pdu) {
  auto m = pdu::decodeResult(pdu);
  if (!m) return malformed(static_cast<std::int32_t>(Type::Result), m.failure());
  // Every store gets an answer: 0, or the first error (spec 2.17). A client naming
  // itself in pmcd.client.whoami, as pmval and pmlogger do at start-up, is this
  // session's business; other metrics go to their agents, from local clients only.
  if (m->sets.empty()) return error(static_cast<int>(Error::Ipc), "store of no metrics");
  // Refusals first, so that a refused store changes nothing.
  for (const pdu::WireValueSet& set : m->sets) {
    if (set.numval <= 0 || set.values.empty()) return error(static_cast<int>(Error::Ipc), "store with no values");
    if (set.pmid == kWhoamiPmid) continue;
    if (!facts_.local || hidden(set.pmid.domain())) return error(static_cast<int>(Error::Permission));
    if (!collector_.descriptor(set.pmid)) return error(static_cast<int>(Error::Pmid));
  }
  for (const pdu::WireValueSet& set : m->sets) {
    if (set.pmid == kWhoamiPmid) continue;  // last, once the agents have taken theirs
    auto desc = collector_.descriptor(set.pmid);
    std::vector<InstanceValue> values;
    for (const pdu::WireValue& w : set.values) {
      auto v = pdu::interpret(w, desc->type);
      if (!v) return error(static_cast<int>(Error::Type));
      values.push_back(InstanceValue{w.inst, std::move(*v)});
    }
    if (const int rc = collector_.store(set.pmid, values); rc < 0) return error(rc);
  }
  for (const pdu::WireValueSet& set : m->sets) {
    if (set.pmid != kWhoamiPmid) continue;
    auto v = pdu::interpret(set.values[0], ValueType::String);
    if (!v || !std::holds_alternative<std::string>(*v)) return error(static_cast<int>(Error::Type));
    whoami_ = std::get<std::string>(*v);
    stats_.setWhoami(clientId_, whoami_);
  }
  return error(0);
}

}  // namespace sextant::service
