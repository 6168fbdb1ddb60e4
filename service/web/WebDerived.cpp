#include "service/web/WebDerived.h"

namespace sextant::web {
namespace {

constexpr unsigned kDerivedCluster = 2047;
constexpr unsigned kFirstItem = 1023;  // items count down, as libpcp numbers them

}  // namespace

std::optional<std::string> DerivedMetrics::define(Context& source, const std::string& name,
                                                  const std::string& expression) {
  if (byName(name)) {
    return "Error: pmAddDerivedMetric(\"" + name + "\", ...): returns -12409\nDuplicate per-context derived metric name\n";
  }
  if (metrics_.size() > kFirstItem) return "Error: pmAddDerivedMetric(\"" + name + "\", ...): too many derived metrics\n";
  derive::Resolve resolve = [&](std::string_view operand) -> Expected<Descriptor> {
    const std::string n(operand);
    if (const Metric* m = byName(n)) return m->desc;
    auto pmid = source.lookup(std::span<const std::string>(&n, 1)).at(0);
    if (!pmid) return pmid.failure();
    return source.descriptor(*pmid);
  };
  auto compiled = derive::Expression::compile(expression, resolve);
  if (auto* error = std::get_if<derive::DeriveError>(&compiled)) return derive::pcpMessage(name, expression, *error);
  auto m = std::make_unique<Metric>();
  m->name = name;
  m->pmid = Pmid::make(kDerivedDomain, kDerivedCluster, kFirstItem - static_cast<unsigned>(metrics_.size()));
  m->expression = expression;
  m->compiled = std::make_unique<derive::Expression>(std::move(std::get<derive::Expression>(compiled)));
  m->desc = m->compiled->descriptor();
  m->desc.pmid = m->pmid;
  metrics_.push_back(std::move(m));
  return std::nullopt;
}

const DerivedMetrics::Metric* DerivedMetrics::byName(std::string_view name) const {
  for (const auto& m : metrics_)
    if (m->name == name) return m.get();
  return nullptr;
}

const DerivedMetrics::Metric* DerivedMetrics::byPmid(Pmid pmid) const {
  for (const auto& m : metrics_)
    if (m->pmid == pmid) return m.get();
  return nullptr;
}

ValueSet DerivedMetrics::evaluate(const Metric& m, std::span<const ValueSet> operandValues, Timestamp t) const {
  ValueSet set = m.compiled->evaluate(operandValues, t);
  set.pmid = m.pmid;
  return set;
}

}  // namespace sextant::web
