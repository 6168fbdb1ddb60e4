#pragma once
// The one interface every client talks to (DESIGN.md "Contexts"), as PCP's PMAPI
// context: a live host (PDU over TCP), local (agents loaded in-process) or an archive.
// Tools, the recorder and the GUI are written against this and never see which kind
// they hold.
//
// Methods are not const: a host context does network I/O and an archive context moves
// a read position. No method throws; every failure is an Error value.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/Agent.h"
#include "core/Descriptor.h"
#include "core/Expected.h"
#include "core/Labels.h"
#include "core/Pmns.h"
#include "core/Value.h"

namespace sextant {

class Context {
 public:
  virtual ~Context();

  // One result per name, in order: the PMID, Error::Name if unknown, Error::NonLeaf
  // for an inner node of the name space.
  virtual std::vector<Expected<Pmid>> lookup(std::span<const std::string> names) = 0;
  // Every leaf name below `prefix` ("" for all), or the leaf itself; Error::Name if unknown.
  virtual Expected<std::vector<std::string>> traverse(std::string_view prefix) = 0;
  // A name of a PMID (the first, if it has several); Error::Pmid if it has none.
  virtual Expected<std::string> nameOf(Pmid pmid) = 0;
  // The direct children of an inner node ("" is the root).
  virtual Expected<std::vector<Pmns::Child>> children(std::string_view name) = 0;

  virtual Expected<Descriptor> descriptor(Pmid pmid) = 0;
  // One-line (longHelp false) or long help text.
  virtual Expected<std::string> helpText(Pmid pmid, bool longHelp) = 0;
  virtual Expected<std::string> helpText(InDom indom, bool longHelp) = 0;
  virtual Expected<std::vector<Instance>> instances(InDom indom) = 0;

  // One value set per PMID, in request order. A failure here is of the whole request
  // (lost connection, end of archive); a metric without values has its set's status.
  virtual Expected<FetchResult> fetch(std::span<const Pmid> pmids) = 0;
  // The same into `out`, whose storage a context may reuse: a client that fetches the
  // same metrics again and again (a recorder) then allocates nothing per fetch.
  virtual Expected<bool> fetchInto(std::span<const Pmid> pmids, FetchResult& out);
  // A fetch in two halves: startFetch() asks and returns at once, finishFetch() takes
  // the answer into `out` as fetchInto() would. A client that samples at an interval
  // can ask at one tick and take the answer at the next, long since arrived, instead of
  // waiting for it (a recorder). For a host, any other call in between drops the
  // answer (finishFetch() then fails). A context without a server to wait for does the
  // whole fetch in finishFetch().
  virtual Expected<bool> startFetch(std::span<const Pmid> pmids);
  virtual Expected<bool> finishFetch(FetchResult& out);
  // The size of the last fetch's answer on the wire, in bytes; 0 without a wire. An
  // answer left unread must fit the socket's buffers, or the server blocks sending it.
  virtual std::size_t lastFetchBytes() const { return 0; }

  // Stores values into a metric (PCP's pmStore): 0, or an Error code (Error::Permission
  // for a read-only metric).
  virtual int store(Pmid pmid, const std::vector<InstanceValue>& values) = 0;

  // Labels of one level (PCP's pmLookupLabels): Context ignores `ident`; Domain takes a
  // domain number, InDom an indom, Cluster and Item a PMID.
  virtual Expected<LabelSet> labels(LabelLevel level, std::uint32_t ident) = 0;
  // The instance-level labels of each instance of `indom` that has any.
  virtual Expected<std::vector<std::pair<std::int32_t, LabelSet>>> instanceLabels(InDom indom) = 0;

  // The host the values describe, as a person would name it ("vm", "db1.example.com").
  virtual std::string hostName() const = 0;

  // True for a recorded archive: each fetch moves through recorded time, so a client
  // sampling at an interval must not wait between fetches.
  virtual bool replays() const { return false; }

 protected:
  std::vector<Pmid> asked_;  // the metrics of the last startFetch()
};

// The labels of a metric as PCP merges them for a value without instances: context,
// domain, indom, cluster and item levels, later levels replacing earlier ones. Levels
// that fail are skipped, as pmLookupLabels does for missing levels.
LabelSet metricLabels(Context& context, const Descriptor& desc);

}  // namespace sextant
