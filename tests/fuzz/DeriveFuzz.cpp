// libFuzzer harness for the derived-metric engine (core/derive/Derive.h): the input is an
// expression. compile() may refuse it; it must never crash, hang or leak, and what it
// reports must make sense (a caret inside or just past the text, a message for a syntax
// error's caller). What it accepts is evaluated three times over synthetic fetches, so
// rate() and delta() see a previous sample, including one with a failed operand.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/derive/Derive.h"

using namespace sextant;
using namespace sextant::derive;

namespace {

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "derive invariant broken: %s\n", what);
  std::abort();
}

const InDom kDisks = InDom::make(60, 1);

// One metric of each kind the checker distinguishes.
Expected<Descriptor> resolve(std::string_view name) {
  if (name == "disk.read")  // counter u64 over an indom
    return Descriptor{Pmid::make(60, 0, 1), ValueType::U64, kDisks, Semantics::Counter, Units::count()};
  if (name == "load")  // instant double, singular
    return Descriptor{Pmid::make(60, 0, 2), ValueType::Double, InDom(), Semantics::Instant, Units::none()};
  if (name == "release")  // string
    return Descriptor{Pmid::make(60, 0, 3), ValueType::String, InDom(), Semantics::Discrete, Units::none()};
  if (name == "ncpu")  // discrete u32
    return Descriptor{Pmid::make(60, 0, 4), ValueType::U32, InDom(), Semantics::Discrete, Units::none()};
  if (name == "busy")  // time counter u32 over the same indom
    return Descriptor{Pmid::make(60, 0, 5), ValueType::U32, kDisks, Semantics::Counter,
                      Units::time(TimeScale::Millisec)};
  return Error::Name;
}

ValueSet synthetic(Pmid pmid, int round) {
  ValueSet s;
  s.pmid = pmid;
  switch (pmid.item()) {
    case 1:
      for (std::int32_t i = 0; i < 3; ++i)
        s.values.push_back({(i + round) % 4, std::uint64_t(1000u * static_cast<unsigned>(round) + static_cast<unsigned>(i))});
      break;
    case 2: s.values.push_back({kNullInstance, round == 1 ? 0.0 : 1.5 * round}); break;
    case 3: s.values.push_back({kNullInstance, std::string("6.1.0")}); break;
    case 4: s.values.push_back({kNullInstance, std::uint32_t(4)}); break;
    default:
      // Wraps between the first and second round.
      s.values.push_back({0, std::uint32_t(round == 0 ? 0xFFFFFFF0u : 0x10u * static_cast<unsigned>(round))});
      s.values.push_back({2, std::uint32_t(7)});
      break;
  }
  if (round == 2 && pmid.item() == 4) s.status = static_cast<int>(Error::Value);
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto compiled = Expression::compile(text, resolve);
  if (auto* e = std::get_if<DeriveError>(&compiled)) {
    std::size_t shown = text.substr(0, text.find('\0')).size();
    if (e->position > shown + 1) broken("caret beyond the end of the text");
    if (e->kind != DeriveError::Kind::Syntax && e->reason.empty()) broken("semantic error without a reason");
    std::string m = pcpMessage("fuzz.metric", text, *e);
    if (m.empty() || m.back() != '\n') broken("message does not end in a newline");
    return 0;
  }
  Expression& x = std::get<Expression>(compiled);
  Descriptor d = x.descriptor();
  if (!d.pmid.isNull()) broken("result descriptor carries a pmid");
  for (int round = 0; round < 3; ++round) {
    std::vector<ValueSet> sets;
    for (Pmid p : x.operands()) sets.push_back(synthetic(p, round));
    ValueSet v = x.evaluate(sets, Timestamp{} + std::chrono::seconds(10 * round));
    if (!v.ok()) {
      if (!v.values.empty()) broken("values with an error status");
      continue;
    }
    for (const auto& iv : v.values) {
      if (d.type != ValueType::String && valueTypeOf(iv.value) != d.type) broken("value type differs from descriptor");
      if (d.indom.isNull() && iv.inst != kNullInstance) broken("singular result with an instance");
    }
  }
  return 0;
}
