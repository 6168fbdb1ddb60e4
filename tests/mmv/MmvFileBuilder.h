#pragma once
// Builds MMV files byte by byte from the format spec's tables (sections 5-7), laid out in
// the order libpcp_mmv uses: header, TOC, indoms, instances, metrics, values, strings,
// labels. Independent of any writer in the project, so reader tests check the spec, not
// a second copy of the same code. Tests corrupt the result through the recorded offsets.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/mmv/MmvFormat.h"

namespace sextant::mmv::test {

struct BIndom {
  std::uint32_t serial = 1;
  std::vector<std::pair<std::int32_t, std::string>> instances;
  std::string shortHelp, longHelp;
};

struct BMetric {
  std::string name;
  std::uint32_t item = 1;
  std::int32_t type = 0;
  std::int32_t semantics = kSemCounter;
  std::uint32_t units = 0;
  std::int32_t indom = 0;  // serial, 0 or -1 for none
  std::string shortHelp, longHelp;
};

struct BValue {
  std::size_t metric = 0;
  int instance = -1;  // index into the metric's indom's instances, -1 singular
  std::uint64_t bits = 0;
  std::int64_t extra = 0;
  std::string text;  // STRING values: the slot's content
};

struct BLabel {
  std::uint32_t flags = kLabelCluster;
  std::uint32_t identity = 0;
  std::int32_t internal = -1;
  std::string json;
};

struct MmvSpec {
  std::int32_t version = kVersion1;
  std::uint32_t flags = 0;
  std::int32_t cluster = 5;
  std::int32_t process = 4321;
  std::uint64_t generation = 0x6b0219fc000d0014ull;
  std::vector<BIndom> indoms;
  std::vector<BMetric> metrics;
  std::vector<BValue> values;
  std::vector<BLabel> labels;
};

struct Built {
  std::vector<std::uint8_t> bytes;
  std::uint64_t indoms = 0, instances = 0, metrics = 0, values = 0, strings = 0, labels = 0;
  std::vector<std::uint64_t> tocEntries;  // offset of each TOC entry
  std::vector<std::uint64_t> stringValueSlots;  // per value (0 unless STRING)
  std::uint64_t valueOffset(std::size_t i) const { return values + i * kValueSize; }
};

inline void put(std::vector<std::uint8_t>& b, std::uint64_t at, const void* p, std::size_t n) {
  std::memcpy(b.data() + at, p, n);
}
template <class T>
void putAt(std::vector<std::uint8_t>& b, std::uint64_t at, T v) {
  put(b, at, &v, sizeof v);
}

inline Built buildMmv(const MmvSpec& s) {
  const bool v1 = s.version == kVersion1;
  const std::size_t instSize = v1 ? kInstance1Size : kInstance2Size;
  const std::size_t metSize = v1 ? kMetric1Size : kMetric2Size;
  std::size_t instances = 0;
  for (const BIndom& d : s.indoms) instances += d.instances.size();
  // String slots in libpcp_mmv's order (spec 7.7).
  std::vector<std::string> strings;
  std::vector<std::size_t> instName, metName, valueSlot(s.values.size(), SIZE_MAX);
  std::vector<std::size_t> metHelp, indomHelp;
  if (!v1) {
    for (const BIndom& d : s.indoms)
      for (const auto& inst : d.instances) instName.push_back(strings.size()), strings.push_back(inst.second);
    for (const BMetric& m : s.metrics) metName.push_back(strings.size()), strings.push_back(m.name);
  }
  for (std::size_t i = 0; i < s.values.size(); ++i) {
    if (s.metrics[s.values[i].metric].type == static_cast<std::int32_t>(MmvType::String)) {
      valueSlot[i] = strings.size();
      strings.push_back(s.values[i].text);
    }
  }
  auto help = [&](const std::string& h) {
    if (h.empty()) return SIZE_MAX;
    strings.push_back(h);
    return strings.size() - 1;
  };
  for (const BMetric& m : s.metrics) metHelp.push_back(help(m.shortHelp)), metHelp.push_back(help(m.longHelp));
  for (const BIndom& d : s.indoms) indomHelp.push_back(help(d.shortHelp)), indomHelp.push_back(help(d.longHelp));

  std::vector<std::pair<Section, std::size_t>> tocs;  // section, count
  if (!s.indoms.empty()) tocs.push_back({Section::Indoms, s.indoms.size()}), tocs.push_back({Section::Instances, instances});
  tocs.push_back({Section::Metrics, s.metrics.size()});
  tocs.push_back({Section::Values, s.values.size()});
  if (!strings.empty()) tocs.push_back({Section::Strings, strings.size()});
  if (!s.labels.empty()) tocs.push_back({Section::Labels, s.labels.size()});

  Built out;
  std::uint64_t at = kHeaderSize + tocs.size() * kTocSize;
  out.indoms = at;
  at += s.indoms.size() * kIndomSize;
  out.instances = at;
  at += instances * instSize;
  out.metrics = at;
  at += s.metrics.size() * metSize;
  out.values = at;
  at += s.values.size() * kValueSize;
  out.strings = at;
  at += strings.size() * kStringSize;
  out.labels = at;
  at += s.labels.size() * kLabelSize;
  auto& b = out.bytes;
  b.assign(at, 0);
  auto slotAt = [&](std::size_t i) -> std::uint64_t { return i == SIZE_MAX ? 0 : out.strings + i * kStringSize; };

  put(b, 0, kMagic, 4);
  putAt<std::int32_t>(b, 4, s.version);
  putAt<std::uint64_t>(b, 8, s.generation);
  putAt<std::uint64_t>(b, 16, s.generation);
  putAt<std::int32_t>(b, 24, static_cast<std::int32_t>(tocs.size()));
  putAt<std::uint32_t>(b, 28, s.flags);
  putAt<std::int32_t>(b, 32, s.process);
  putAt<std::int32_t>(b, 36, s.cluster);
  for (std::size_t i = 0; i < tocs.size(); ++i) {
    const std::uint64_t e = kHeaderSize + i * kTocSize;
    out.tocEntries.push_back(e);
    const Section sec = tocs[i].first;
    const std::uint64_t off = sec == Section::Indoms ? out.indoms : sec == Section::Instances ? out.instances
                            : sec == Section::Metrics ? out.metrics : sec == Section::Values ? out.values
                            : sec == Section::Strings ? out.strings : out.labels;
    putAt<std::int32_t>(b, e, static_cast<std::int32_t>(sec));
    putAt<std::int32_t>(b, e + 4, static_cast<std::int32_t>(tocs[i].second));
    putAt<std::uint64_t>(b, e + 8, off);
  }
  std::vector<std::uint64_t> firstInstance;  // per indom
  std::size_t k = 0;
  for (std::size_t i = 0; i < s.indoms.size(); ++i) {
    const BIndom& d = s.indoms[i];
    const std::uint64_t r = out.indoms + i * kIndomSize;
    firstInstance.push_back(out.instances + k * instSize);
    putAt<std::uint32_t>(b, r, d.serial);
    putAt<std::uint32_t>(b, r + 4, static_cast<std::uint32_t>(d.instances.size()));
    putAt<std::uint64_t>(b, r + 8, d.instances.empty() ? 0 : firstInstance.back());
    putAt<std::uint64_t>(b, r + 16, slotAt(indomHelp[2 * i]));
    putAt<std::uint64_t>(b, r + 24, slotAt(indomHelp[2 * i + 1]));
    for (const auto& [id, name] : d.instances) {
      const std::uint64_t ir = out.instances + k * instSize;
      putAt<std::uint64_t>(b, ir, r);
      putAt<std::int32_t>(b, ir + 12, id);
      if (v1) put(b, ir + 16, name.data(), std::min(name.size(), kNameSize1));
      else putAt<std::uint64_t>(b, ir + 16, slotAt(instName[k]));
      ++k;
    }
  }
  for (std::size_t i = 0; i < s.metrics.size(); ++i) {
    const BMetric& m = s.metrics[i];
    std::uint64_t r = out.metrics + i * metSize;
    if (v1) put(b, r, m.name.data(), std::min(m.name.size(), kNameSize1));
    else putAt<std::uint64_t>(b, r, slotAt(metName[i]));
    r += v1 ? kNameSize1 : 8;
    putAt<std::uint32_t>(b, r, m.item);
    putAt<std::int32_t>(b, r + 4, m.type);
    putAt<std::int32_t>(b, r + 8, m.semantics);
    putAt<std::uint32_t>(b, r + 12, m.units);
    putAt<std::int32_t>(b, r + 16, m.indom);
    putAt<std::uint64_t>(b, r + 24, slotAt(metHelp[2 * i]));
    putAt<std::uint64_t>(b, r + 32, slotAt(metHelp[2 * i + 1]));
  }
  for (std::size_t i = 0; i < s.values.size(); ++i) {
    const BValue& v = s.values[i];
    const std::uint64_t r = out.values + i * kValueSize;
    putAt<std::uint64_t>(b, r, v.bits);
    const std::uint64_t slot = slotAt(valueSlot[i]);
    out.stringValueSlots.push_back(slot);
    putAt<std::int64_t>(b, r + 8, slot != 0 ? static_cast<std::int64_t>(slot) : v.extra);
    putAt<std::uint64_t>(b, r + 16, out.metrics + v.metric * metSize);
    std::uint64_t inst = 0;
    if (v.instance >= 0) {
      const auto serial = static_cast<std::uint32_t>(s.metrics[v.metric].indom);
      for (std::size_t d = 0; d < s.indoms.size(); ++d)
        if (s.indoms[d].serial == serial) inst = firstInstance[d] + static_cast<std::uint64_t>(v.instance) * instSize;
    }
    putAt<std::uint64_t>(b, r + 24, inst);
  }
  for (std::size_t i = 0; i < strings.size(); ++i)
    put(b, out.strings + i * kStringSize, strings[i].data(), std::min(strings[i].size(), kStringSize));
  for (std::size_t i = 0; i < s.labels.size(); ++i) {
    const BLabel& l = s.labels[i];
    const std::uint64_t r = out.labels + i * kLabelSize;
    putAt<std::uint32_t>(b, r, l.flags);
    putAt<std::uint32_t>(b, r + 4, l.identity);
    putAt<std::int32_t>(b, r + 8, l.internal);
    put(b, r + 12, l.json.data(), std::min(l.json.size(), kLabelPayloadSize));
  }
  return out;
}

// A file with every type, an indom with two instances and help texts: the base that the
// malformed-input tests corrupt.
inline MmvSpec richSpec(std::int32_t version) {
  MmvSpec s;
  s.version = version;
  s.indoms.push_back({7, {{0, "red"}, {1, "green"}}, "colours", "the colours"});
  s.metrics = {
      {"i32", 1, 0, kSemInstant, 0x10000000u, 7, "signed 32", ""},
      {"u32", 2, 1, kSemCounter, 0x00100000u, 0, "", "unsigned 32 long"},
      {"i64", 3, 2, kSemInstant, 0, -1, "", ""},
      {"u64", 4, 3, kSemCounter, 0x00100000u, 0, "request count", ""},
      {"flt", 5, 4, kSemInstant, 0, 0, "", ""},
      {"dbl", 6, 5, kSemInstant, 0, 0, "", ""},
      {"str", 7, 6, kSemDiscrete, 0, 0, "", ""},
      {"elapsed", 8, 9, kSemCounter, 0, 0, "", ""},
  };
  s.values = {
      {0, 0, 17, 0, ""},
      {0, 1, 0xfffffffbu, 0, ""},
      {1, -1, 4000000000u, 0, ""},
      {2, -1, static_cast<std::uint64_t>(-9000000000LL), 0, ""},
      {3, -1, 18000000000000000000ull, 0, ""},
      {4, -1, 0x40600000u, 0, ""},  // 3.5f
      {5, -1, 0x3fd0000000000000ull, 0, ""},  // 0.25
      {6, -1, 2, 0, "ok"},
      {7, -1, 1500000, 0, ""},
  };
  if (version == kVersion3) s.labels.push_back({kLabelCluster, 5, -1, "{\"app\":\"demo\"}"});
  return s;
}

}  // namespace sextant::mmv::test
