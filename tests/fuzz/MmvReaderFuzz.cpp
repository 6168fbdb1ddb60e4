// libFuzzer harness for the MMV reader (core/mmv/MmvReader.h): the input is a whole MMV
// file. parseMmv may refuse it; it must never crash, hang, read out of bounds or leak
// (run under ASan and UBSan). Whatever it accepts, every value it describes must be
// readable with its own type (or refused cleanly), and with every other type too, since
// the agent trusts parseMmv's offsets from then on.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "core/mmv/MmvReader.h"

using namespace sextant;
using namespace sextant::mmv;

namespace {

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "MMV reader invariant broken: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // An exact-size, 8-aligned copy: ASan catches a read one byte past the end, and value
  // slots are aligned as in a real mapping.
  std::vector<std::uint64_t> storage((size + 7) / 8);
  auto* bytes = reinterpret_cast<std::uint8_t*>(storage.data());
  if (size > 0) __builtin_memcpy(bytes, data, size);
  const std::span<const std::uint8_t> file(bytes, size);

  (void)readGeneration(file, kHeaderGen1Offset);
  auto layout = parseMmv(file);
  if (!layout) {
    if (layout.failure().detail.empty()) broken("a refusal without a reason");
    return 0;
  }
  if (layout->size != size) broken("size");
  for (const MmvValueRef& ref : layout->values) {
    if (ref.metric >= layout->metrics.size()) broken("value refers to a missing metric");
    if (ref.valueOffset + kValueSize > size) broken("value slot outside the file");
    const MmvType type = layout->metrics[ref.metric].type;
    if (type == MmvType::String && ref.stringOffset + kStringSize > size) broken("string slot outside the file");
    auto v = readValue(file, ref, type, 1234567);
    if (v && valueTypeOf(*v) != exportedType(type)) broken("value of the wrong type");
    for (int t = -2; t <= 10; ++t) (void)readValue(file, ref, static_cast<MmvType>(t), -1);
  }
  for (const MmvMetricInfo& m : layout->metrics) {
    if (m.indom == 0) continue;
    bool found = false;
    for (const MmvIndomInfo& d : layout->indoms) found = found || d.serial == m.indom;
    if (!found) broken("metric refers to a missing indom");
  }
  return 0;
}
