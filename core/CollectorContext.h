#pragma once
// A Context over a Collector in this process: the agents answer directly, no protocol
// in between. LocalContext owns its Collector; sextantd's REST front end shares the
// daemon's, and passes the mutex that every front end takes around it, so that each
// call here is one locked step (with the agents' change check first, as a PDU request).
#include <mutex>
#include <string>

#include "core/Collector.h"
#include "core/Context.h"

namespace sextant {

class CollectorContext : public Context {
 public:
  // `lock` may be null when nothing else uses the collector.
  CollectorContext(Collector& collector, std::mutex* lock, std::string hostName)
      : collector_(collector), lock_(lock), hostName_(std::move(hostName)) {}

  std::vector<Expected<Pmid>> lookup(std::span<const std::string> names) override;
  Expected<std::vector<std::string>> traverse(std::string_view prefix) override;
  Expected<std::vector<Pmns::Child>> children(std::string_view name) override;
  Expected<std::string> nameOf(Pmid pmid) override;
  Expected<Descriptor> descriptor(Pmid pmid) override;
  Expected<std::string> helpText(Pmid pmid, bool longHelp) override;
  Expected<std::string> helpText(InDom indom, bool longHelp) override;
  Expected<std::vector<Instance>> instances(InDom indom) override;
  Expected<FetchResult> fetch(std::span<const Pmid> pmids) override;
  int store(Pmid pmid, const std::vector<InstanceValue>& values) override;
  Expected<LabelSet> labels(LabelLevel level, std::uint32_t ident) override;
  Expected<std::vector<std::pair<std::int32_t, LabelSet>>> instanceLabels(InDom indom) override;
  std::string hostName() const override { return hostName_; }

 private:
  // Holds the shared lock (if any); with `refresh`, dynamic agents (new MMV files) catch
  // up first, as before a PDU request. Descriptors, help and labels of names already
  // looked up need no refresh.
  class Step {
   public:
    explicit Step(CollectorContext& c, bool refresh = true);
    ~Step();
    Step(const Step&) = delete;
    Step& operator=(const Step&) = delete;

   private:
    std::mutex* lock_;
  };

  Collector& collector_;
  std::mutex* lock_;
  std::string hostName_;
};

}  // namespace sextant
