// The C interface (include/sextant/mmv.h) over sextant::mmv::Writer.
#include <algorithm>
#include <atomic>
#include <cstring>
#include <new>
#include <string>

#include "sextant/mmv.h"
#include "instrument/MmvWriter.h"

using sextant::Units;
using namespace sextant::mmv;

struct sextant_mmv {
  explicit sextant_mmv(WriterOptions o) : writer(std::move(o)) {}
  Writer writer;
  std::vector<IndomSpec> indoms;  // collected here: instances arrive one call at a time
  std::string error;
  std::string path;
};

namespace {

int failed(sextant_mmv* m, std::string why) {
  m->error = std::move(why);
  return -1;
}

std::string textOf(const char* s) { return s ? s : ""; }

}  // namespace

extern "C" {

sextant_mmv* sextant_mmv_create(const char* name, const char* directory, uint32_t cluster, uint32_t flags) {
  WriterOptions o;
  o.fileName = textOf(name);
  o.directory = textOf(directory);
  o.cluster = cluster;
  o.flags = flags;
  auto* m = new (std::nothrow) sextant_mmv(std::move(o));
  if (m) m->path = m->writer.path();
  return m;
}

int sextant_mmv_add_indom(sextant_mmv* m, uint32_t serial, const char* short_help, const char* long_help) {
  if (m->writer.started()) return failed(m, "instance domain added after start");
  for (const auto& d : m->indoms)
    if (d.serial == serial) return failed(m, "instance domain " + std::to_string(serial) + " added twice");
  m->indoms.push_back({serial, {}, textOf(short_help), textOf(long_help)});
  return 0;
}

int sextant_mmv_add_instance(sextant_mmv* m, uint32_t serial, int32_t id, const char* name) {
  if (m->writer.started()) return failed(m, "instance added after start");
  for (auto& d : m->indoms) {
    if (d.serial != serial) continue;
    d.instances.push_back({id, textOf(name)});
    return 0;
  }
  return failed(m, "instance domain " + std::to_string(serial) + " has not been added");
}

int sextant_mmv_add_metric(sextant_mmv* m, const char* name, uint32_t item, int type, int semantics, uint32_t units,
                           uint32_t indom, const char* short_help, const char* long_help) {
  MetricSpec s;
  s.name = textOf(name);
  s.item = item;
  s.type = static_cast<Type>(type);
  s.semantics = static_cast<sextant::Semantics>(semantics);
  s.units = Units::unpack(units);
  s.indom = indom;
  s.shortHelp = textOf(short_help);
  s.longHelp = textOf(long_help);
  return m->writer.addMetric(std::move(s)) ? 0 : failed(m, m->writer.error());
}

int sextant_mmv_start(sextant_mmv* m) {
  for (auto& d : m->indoms)
    if (!m->writer.addIndom(std::move(d))) return failed(m, m->writer.error());
  m->indoms.clear();
  return m->writer.start() ? 0 : failed(m, m->writer.error());
}

sextant_mmv_value* sextant_mmv_lookup(sextant_mmv* m, const char* metric, int32_t instance) {
  if (!metric) return nullptr;
  for (Type t : {Type::I32, Type::U32, Type::I64, Type::U64, Type::Float, Type::Double, Type::String})
    if (void* slot = m->writer.valueSlot(metric, instance, t)) return static_cast<sextant_mmv_value*>(slot);
  return nullptr;
}

int sextant_mmv_set_string(sextant_mmv* m, sextant_mmv_value* v, const char* text) {
  char* slot = v ? m->writer.stringSlot(v) : nullptr;
  if (!slot) return failed(m, "not a string value");
  // Same steps as StringValue::set: bytes, terminator, rest cleared, length in the value field.
  std::string_view t = text ? text : "";
  const std::size_t n = std::min(t.size(), kStringSize - 1);
  if (n > 0) std::memcpy(slot, t.data(), n);
  std::memset(slot + n, 0, kStringSize - n);
  std::atomic_ref<std::uint64_t>(*reinterpret_cast<std::uint64_t*>(v)).store(n, std::memory_order_relaxed);
  return 0;
}

const char* sextant_mmv_error(const sextant_mmv* m) { return m->error.c_str(); }

const char* sextant_mmv_path(const sextant_mmv* m) { return m->path.c_str(); }

void sextant_mmv_destroy(sextant_mmv* m) { delete m; }

}  // extern "C"
