#pragma once
// A Context over agents loaded in this process (PCP's PM_CONTEXT_LOCAL): no daemon, the
// platform's agents answer directly. It owns its Collector.
#include <memory>
#include <string>

#include "core/Collector.h"
#include "core/Context.h"
#include "core/Platform.h"

namespace sextant {

class LocalContext final : public Context {
 public:
  // Builds the platform's agents. `contextLabels` are the host's labels (hostname,
  // domainname, machineid, ...), gathered by the caller so that this class makes no
  // system calls of its own; `hostName` is what hostName() reports.
  static Expected<std::unique_ptr<LocalContext>> open(const PlatformOptions& options, LabelSet contextLabels,
                                                      std::string hostName);

  std::vector<Expected<Pmid>> lookup(std::span<const std::string> names) override;
  Expected<std::vector<std::string>> traverse(std::string_view prefix) override;
  Expected<std::vector<Pmns::Child>> children(std::string_view name) override;
  Expected<Descriptor> descriptor(Pmid pmid) override;
  Expected<std::string> helpText(Pmid pmid, bool longHelp) override;
  Expected<std::string> helpText(InDom indom, bool longHelp) override;
  Expected<std::vector<Instance>> instances(InDom indom) override;
  Expected<FetchResult> fetch(std::span<const Pmid> pmids) override;
  Expected<LabelSet> labels(LabelLevel level, std::uint32_t ident) override;
  Expected<std::vector<std::pair<std::int32_t, LabelSet>>> instanceLabels(InDom indom) override;
  std::string hostName() const override { return hostName_; }

  const Collector& collector() const { return collector_; }

 private:
  explicit LocalContext(std::string hostName) : hostName_(std::move(hostName)) {}
  Collector collector_;
  std::string hostName_;
};

}  // namespace sextant
