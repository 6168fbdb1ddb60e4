/*
 * Sextant instrumentation, C interface: publish an application's counters and gauges
 * in a memory-mapped values (MMV, version 2) file that PCP's mmv agent and sextantd read.
 * Link with sextant_mmv (C++ inside; link with a C++ compiler or add the C++ runtime).
 *
 *   sextant_mmv* m = sextant_mmv_create("myapp", NULL, 0, 0);
 *   sextant_mmv_add_metric(m, "requests", 1, SEXTANT_MMV_U64, SEXTANT_MMV_COUNTER,
 *                          SEXTANT_MMV_UNITS(0, 0, 1, 0, 0, 0), 0, "requests served", NULL);
 *   if (sextant_mmv_start(m) != 0) fprintf(stderr, "%s\n", sextant_mmv_error(m));
 *   sextant_mmv_value* requests = sextant_mmv_lookup(m, "requests", SEXTANT_MMV_NO_INSTANCE);
 *   sextant_mmv_inc_u64(requests, 1);      (one relaxed atomic add, any thread)
 *   ...
 *   sextant_mmv_destroy(m);
 *
 * Register everything before sextant_mmv_start(); the file's structure is fixed then.
 * The inc and set functions are inline: an increment is one atomic add, a set one store
 * into the mapping; no lock, no system call, safe from any number of threads. They need
 * GCC or Clang (__atomic built-ins). Use the function whose type matches the metric's.
 * String updates (sextant_mmv_set_string) are not atomic, as in PCP: a reader may see a
 * mix of old and new text; serialise concurrent sets of one string yourself.
 */
#ifndef SEXTANT_MMV_H
#define SEXTANT_MMV_H

#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Metric types: PCP's PM_TYPE_* numbers. */
enum {
  SEXTANT_MMV_I32 = 0,
  SEXTANT_MMV_U32 = 1,
  SEXTANT_MMV_I64 = 2,
  SEXTANT_MMV_U64 = 3,
  SEXTANT_MMV_FLOAT = 4,
  SEXTANT_MMV_DOUBLE = 5,
  SEXTANT_MMV_STRING = 6
};

/* Semantics: PCP's PM_SEM_* numbers. */
enum { SEXTANT_MMV_COUNTER = 1, SEXTANT_MMV_INSTANT = 3, SEXTANT_MMV_DISCRETE = 4 };

/* File flags. */
#define SEXTANT_MMV_NOPREFIX 0x1u /* names mmv.<metric> instead of mmv.<file>.<metric> */
#define SEXTANT_MMV_PROCESS 0x2u  /* readers drop the file when this process is gone */
#define SEXTANT_MMV_SENTINEL 0x4u /* all-ones integers and "" mean "no value" */

#define SEXTANT_MMV_NO_INSTANCE (-1)

/* PCP's pmUnits as a 32-bit number: dimensions of space, time and count (-8..7), then
 * the scales: space 0 byte .. 8 YiB, time 0 ns, 1 us, 2 ms, 3 s, 4 min, 5 h, count a
 * power of ten. E.g. bytes: (1,0,0,0,0,0); milliseconds: (0,1,0,0,2,0); count: (0,0,1,0,0,0). */
#define SEXTANT_MMV_UNITS(dimSpace, dimTime, dimCount, scaleSpace, scaleTime, scaleCount)                   \
  ((((uint32_t)(dimSpace)&0xFu) << 28) | (((uint32_t)(dimTime)&0xFu) << 24) | (((uint32_t)(dimCount)&0xFu) << 20) | \
   (((uint32_t)(scaleSpace)&0xFu) << 16) | (((uint32_t)(scaleTime)&0xFu) << 12) | (((uint32_t)(scaleCount)&0xFu) << 8))

typedef struct sextant_mmv sextant_mmv;
/* A value in the mapping; valid until sextant_mmv_destroy(). */
typedef struct sextant_mmv_value sextant_mmv_value;

/* A registry for the file `name` in `directory` (NULL: $PCP_TMP_DIR/mmv, PCP_TMP_DIR
 * from the environment, else PCP's pcp.conf, else /var/tmp). cluster: PMID cluster
 * 1..4095, 0 lets the reader choose. Returns NULL only when out of memory. */
sextant_mmv* sextant_mmv_create(const char* name, const char* directory, uint32_t cluster, uint32_t flags);

/* Registration, before start. 0 on success, -1 with sextant_mmv_error() set. Help
 * texts may be NULL; every text is at most 255 bytes. */
int sextant_mmv_add_indom(sextant_mmv* m, uint32_t serial, const char* short_help, const char* long_help);
/* Adds an instance to a domain added before (ids and names unique in the domain). */
int sextant_mmv_add_instance(sextant_mmv* m, uint32_t serial, int32_t id, const char* name);
/* indom: the serial of a domain, or 0 for a singular metric. */
int sextant_mmv_add_metric(sextant_mmv* m, const char* name, uint32_t item, int type, int semantics, uint32_t units,
                           uint32_t indom, const char* short_help, const char* long_help);

/* Writes and publishes the file. 0 on success, -1 with sextant_mmv_error() set. */
int sextant_mmv_start(sextant_mmv* m);

/* The value of a metric's instance (SEXTANT_MMV_NO_INSTANCE for a singular metric), or
 * NULL when unknown or before start. */
sextant_mmv_value* sextant_mmv_lookup(sextant_mmv* m, const char* metric, int32_t instance);

/* Copies text (at most 255 bytes) into a STRING value. -1 if v is not a string value. */
int sextant_mmv_set_string(sextant_mmv* m, sextant_mmv_value* v, const char* text);

const char* sextant_mmv_error(const sextant_mmv* m); /* the last failure, "" if none */
const char* sextant_mmv_path(const sextant_mmv* m);  /* the file's path */

/* Unmaps; removes the file when SEXTANT_MMV_PROCESS was given. Handles die with it. */
void sextant_mmv_destroy(sextant_mmv* m);

/* Updates: one atomic instruction each (relaxed order: values are independent). */
static inline void sextant_mmv_inc_u64(sextant_mmv_value* v, uint64_t n) {
  __atomic_fetch_add((uint64_t*)(void*)v, n, __ATOMIC_RELAXED);
}
static inline void sextant_mmv_inc_i64(sextant_mmv_value* v, int64_t n) {
  __atomic_fetch_add((int64_t*)(void*)v, n, __ATOMIC_RELAXED);
}
static inline void sextant_mmv_inc_u32(sextant_mmv_value* v, uint32_t n) {
  __atomic_fetch_add((uint32_t*)(void*)v, n, __ATOMIC_RELAXED);
}
static inline void sextant_mmv_inc_i32(sextant_mmv_value* v, int32_t n) {
  __atomic_fetch_add((int32_t*)(void*)v, n, __ATOMIC_RELAXED);
}
static inline void sextant_mmv_set_u64(sextant_mmv_value* v, uint64_t x) {
  __atomic_store_n((uint64_t*)(void*)v, x, __ATOMIC_RELAXED);
}
static inline void sextant_mmv_set_i64(sextant_mmv_value* v, int64_t x) {
  __atomic_store_n((int64_t*)(void*)v, x, __ATOMIC_RELAXED);
}
static inline void sextant_mmv_set_u32(sextant_mmv_value* v, uint32_t x) {
  __atomic_store_n((uint32_t*)(void*)v, x, __ATOMIC_RELAXED);
}
static inline void sextant_mmv_set_i32(sextant_mmv_value* v, int32_t x) {
  __atomic_store_n((int32_t*)(void*)v, x, __ATOMIC_RELAXED);
}
/* Floating point: the bits are stored with one atomic store. */
static inline void sextant_mmv_set_double(sextant_mmv_value* v, double x) {
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  __atomic_store_n((uint64_t*)(void*)v, bits, __ATOMIC_RELAXED);
}
static inline void sextant_mmv_set_float(sextant_mmv_value* v, float x) {
  uint32_t bits;
  memcpy(&bits, &x, sizeof bits);
  __atomic_store_n((uint32_t*)(void*)v, bits, __ATOMIC_RELAXED);
}

#ifdef __cplusplus
}
#endif

#endif /* SEXTANT_MMV_H */
