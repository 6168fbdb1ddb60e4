// libFuzzer harness for the archive's blob codecs (tools/archive/ArchiveCodec.h). The
// first byte picks what the rest is:
//   0  a layout blob;
//   1  a varint length and a layout blob, then sample rows, each a flag byte (bit 0: a
//      keyframe), a varint length and the row's bytes, decoded in turn as a reader does;
//   2  label JSON.
// Decoding may refuse anything; it must never crash, read out of bounds or hang, and what
// it accepts must encode again to something that decodes to the same thing.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "tools/archive/ArchiveCodec.h"

using namespace sextant;
using namespace sextant::archive;

namespace {

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "archive codec invariant broken: %s\n", what);
  std::abort();
}

bool sameRow(const codec::Layout& layout, const codec::Row& a, const codec::Row& b) {
  std::size_t slot = 0;
  for (const codec::LayoutEntry& e : layout.entries)
    for (std::size_t k = 0; k < e.instances.size(); ++k, ++slot) {
      if (e.type == ValueType::String ? a.text[slot] != b.text[slot] : a.bits[slot] != b.bits[slot]) return false;
    }
  return true;
}

void layoutOnly(std::string_view in) {
  auto layout = codec::decodeLayout(in);
  if (!layout) {
    if (layout.error() != Error::LogRecord || layout.failure().detail.empty()) broken("layout refused without a reason");
    return;
  }
  std::string again;
  codec::encodeLayout(*layout, again);
  auto back = codec::decodeLayout(again);
  if (!back || !(*back == *layout)) broken("layout does not survive a re-encoding");
}

void rows(std::string_view in) {
  codec::ByteReader r(in);
  std::uint64_t n = 0;
  std::string_view layoutBytes;
  if (!r.varint(n) || n > r.remaining() || !r.take(static_cast<std::size_t>(n), layoutBytes)) return;
  auto layout = codec::decodeLayout(layoutBytes);
  if (!layout) return;
  codec::Row prev, cur, again;
  bool havePrev = false;
  std::string encoded;
  while (!r.atEnd()) {
    std::string_view flag, row;
    if (!r.take(1, flag) || !r.varint(n) || n > r.remaining() || !r.take(static_cast<std::size_t>(n), row)) return;
    const bool key = (flag[0] & 1) != 0 || !havePrev;
    if (!codec::decodeRow(*layout, row, key ? nullptr : &prev, cur)) {
      havePrev = false;
      continue;
    }
    // Every accepted number has a Value of its slot's type.
    std::size_t slot = 0;
    for (const codec::LayoutEntry& e : layout->entries)
      for (std::size_t k = 0; k < e.instances.size(); ++k, ++slot)
        if (e.type != ValueType::String && valueTypeOf(codec::valueOf(cur.bits[slot], e.type)) != e.type)
          broken("decoded value of the wrong type");
    codec::encodeRow(*layout, cur, key ? nullptr : &prev, encoded);
    if (!codec::decodeRow(*layout, encoded, key ? nullptr : &prev, again) || !sameRow(*layout, cur, again))
      broken("row does not survive a re-encoding");
    std::swap(prev, cur);
    havePrev = true;
  }
}

void labels(std::string_view in) {
  auto set = codec::decodeLabels(in);
  if (!set) return;
  const std::string json = set->toJson();
  auto back = codec::decodeLabels(json);
  if (!back || back->toJson() != json) broken("labels do not survive a re-encoding");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // An exact-size copy, so that ASan sees a read one byte past the end.
  const std::vector<char> input(data + 1, data + size);
  const std::string_view in(input.data(), input.size());
  switch (data[0] % 3) {
    case 0: layoutOnly(in); break;
    case 1: rows(in); break;
    default: labels(in); break;
  }
  return 0;
}
