#pragma once
// A web context's derived metrics (PMWEBAPI spec 6.7): names defined by expressions over
// the context's metrics, with PCP's derived PMIDs (domain 511, cluster 2047, items
// counting down from 1023), compiled by core/derive and evaluated on each fetch.
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/Context.h"
#include "core/derive/Derive.h"

namespace sextant::web {

class DerivedMetrics {
 public:
  struct Metric {
    std::string name;
    Pmid pmid;
    std::string expression;
    std::unique_ptr<derive::Expression> compiled;
    Descriptor desc;
  };

  // Defines `name`; on failure the message pmproxy gives ("Syntax Error: ...").
  std::optional<std::string> define(Context& source, const std::string& name, const std::string& expression);
  const Metric* byName(std::string_view name) const;
  const Metric* byPmid(Pmid pmid) const;
  const std::vector<std::unique_ptr<Metric>>& all() const { return metrics_; }

  // The derived metric's values from a fetch of its operands (in operands() order).
  ValueSet evaluate(const Metric& m, std::span<const ValueSet> operandValues, Timestamp t) const;

  static constexpr unsigned kDerivedDomain = 511;

 private:
  std::vector<std::unique_ptr<Metric>> metrics_;
};

}  // namespace sextant::web
