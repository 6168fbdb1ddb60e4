#pragma once
// A Context over a live pmcd or sextantd (PCP's PM_CONTEXT_HOST): every call becomes
// PDUs on one TCP connection (PCP wire protocol spec, sections 2 and 6). Descriptors
// are cached, since every fetched value needs its metric's type to be read.
//
// Thread-compatible: one caller at a time, as the connection is strictly
// request/reply.
#include <map>
#include <memory>
#include <set>
#include <string>

#include "core/Context.h"
#include "tools/HostSpec.h"
#include "tools/PduConnection.h"

namespace sextant {

class HostContext final : public Context {
 public:
  // Connects and asks the server its host name (pmcd.hostname; the name in `spec`
  // when it has none). A failure's detail is a whole sentence for the user.
  static Expected<std::unique_ptr<HostContext>> open(const cli::HostSpec& spec,
                                                     PduConnection::Timeouts timeouts = {});

  std::vector<Expected<Pmid>> lookup(std::span<const std::string> names) override;
  Expected<std::vector<std::string>> traverse(std::string_view prefix) override;
  Expected<std::vector<Pmns::Child>> children(std::string_view name) override;
  Expected<std::string> nameOf(Pmid pmid) override;
  Expected<Descriptor> descriptor(Pmid pmid) override;
  Expected<std::string> helpText(Pmid pmid, bool longHelp) override;
  Expected<std::string> helpText(InDom indom, bool longHelp) override;
  Expected<std::vector<Instance>> instances(InDom indom) override;
  Expected<FetchResult> fetch(std::span<const Pmid> pmids) override;
  Expected<bool> fetchInto(std::span<const Pmid> pmids, FetchResult& out) override;
  Expected<bool> startFetch(std::span<const Pmid> pmids) override;  // sends the FETCH
  Expected<bool> finishFetch(FetchResult& out) override;             // reads its reply
  std::size_t lastFetchBytes() const override { return lastFetchBytes_; }
  int store(Pmid pmid, const std::vector<InstanceValue>& values) override;
  Expected<LabelSet> labels(LabelLevel level, std::uint32_t ident) override;
  Expected<std::vector<std::pair<std::int32_t, LabelSet>>> instanceLabels(InDom indom) override;
  std::string hostName() const override { return hostName_; }

  std::uint32_t features() const { return conn_->features(); }

 private:
  explicit HostContext(std::unique_ptr<PduConnection> conn) : conn_(std::move(conn)) {}
  // Sends `request`; the reply must be of type `expected`.
  Expected<pdu::Bytes> ask(const pdu::Bytes& request, pdu::Type expected, const std::string& what);
  // Reads past the answer to a startFetch() that no finishFetch() took, so that the
  // next request gets its own reply.
  Expected<bool> dropUntakenFetch();
  // `reply` if it is of type `expected`, else the failure naming `what`.
  static Expected<pdu::Bytes> expect(Expected<pdu::Bytes> reply, pdu::Type expected, const std::string& what);
  // Whether `reply` is of type `expected`; the failure names `what`.
  static Expected<bool> isOfType(pdu::ByteView reply, pdu::Type expected, const std::string& what);
  // Names in chunks that keep each request under pmcd's 64 KiB limit.
  Expected<std::vector<Pmid>> lookupChunk(std::span<const std::string> names);
  void prefetchDescriptors(std::span<const Pmid> pmids);
  Expected<std::string> text(std::uint32_t ident, std::int32_t kind, bool longHelp, const std::string& what);
  Expected<pdu::LabelPdu> labelRequest(std::uint32_t ident, LabelLevel level);
  std::string serverHostName();

  std::unique_ptr<PduConnection> conn_;
  std::map<Pmid, Descriptor> descriptors_;
  std::map<std::pair<unsigned, std::uint32_t>, LabelSet> sharedLabels_;  // context and domain levels
  bool profileSent_ = false;
  std::set<unsigned> fetchedDomains_;  // agents that have been sent our profile
  std::string hostName_;
  // The metrics of the last fetch whose descriptors were all known, and their types:
  // fetching the same list again (a recorder, watch) needs no descriptor lookups.
  std::vector<Pmid> typedPmids_;
  std::vector<ValueType> types_;  // the first types_.size() of the last list, in order
  pdu::Bytes fetchRequest_;        // the last list's FETCH PDU, sent again while it is typedPmids_
  bool awaiting_ = false;          // a FETCH was sent and its reply not yet read
  std::size_t lastFetchBytes_ = 0;
};

}  // namespace sextant
