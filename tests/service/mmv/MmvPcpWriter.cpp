/* (C code, compiled as C++ because the project has no C language enabled.)
 * A program instrumented with PCP's own libpcp_mmv, for the MMV interop tests: it
 * publishes one MMV file in $PCP_TMP_DIR/mmv through libpcp_mmv's registry API, prints
 * "ready" and then keeps the process (and so the PROCESS-flag file) alive until its
 * standard input closes.
 *
 *   mmv_pcp_writer NAME CLUSTER FLAGS MODE
 *
 * MODE "all":  one metric of every MMV type, an instance domain with two instances,
 *              units and help text, fixed values (the tests check them exactly).
 * MODE "flip": a single u64 metric "flip" rewritten in a loop between two patterns,
 *              0x5555555555555555 and 0xAAAAAAAAAAAAAAAA (a torn read shows a mix).
 * MODE "wide": 100 u64 metrics m0..m99 (items 1..100; libpcp_mmv refuses item 0)
 *              with values 0..99 (benchmarks). */
#include <pcp/pmapi.h>
#include <pcp/mmv_stats.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <poll.h>

static int stdinClosed(int timeoutMs) {
    struct pollfd p = {0, POLLIN, 0};
    char buf[64];
    if (poll(&p, 1, timeoutMs) <= 0) return 0;
    return read(0, buf, sizeof buf) <= 0;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: mmv_pcp_writer NAME CLUSTER FLAGS all|flip|wide\n");
        return 2;
    }
    const char *mode = argv[4];
    mmv_registry_t *reg = mmv_stats_registry(argv[1], atoi(argv[2]), (mmv_stats_flags_t)atoi(argv[3]));
    if (!reg) { perror("mmv_stats_registry"); return 1; }
    pmUnits none = MMV_UNITS(0, 0, 0, 0, 0, 0);
    pmUnits count = MMV_UNITS(0, 0, 1, 0, 0, PM_COUNT_ONE);
    pmUnits kbyte = MMV_UNITS(1, 0, 0, PM_SPACE_KBYTE, 0, 0);
    pmUnits msec = MMV_UNITS(0, 1, 0, 0, PM_TIME_MSEC, 0);
    char name[32];
    if (strcmp(mode, "all") == 0) {
        mmv_stats_add_indom(reg, 7, "test colours", "the colours of the test");
        mmv_stats_add_instance(reg, 7, 0, "red");
        mmv_stats_add_instance(reg, 7, 1, "green");
        mmv_stats_add_metric(reg, "i32", 1, MMV_TYPE_I32, MMV_SEM_INSTANT, kbyte, 7, "signed 32", "a signed 32-bit level per colour");
        mmv_stats_add_metric(reg, "u32", 2, MMV_TYPE_U32, MMV_SEM_COUNTER, count, 0, "unsigned 32", NULL);
        mmv_stats_add_metric(reg, "i64", 3, MMV_TYPE_I64, MMV_SEM_INSTANT, none, 0, NULL, NULL);
        mmv_stats_add_metric(reg, "u64", 4, MMV_TYPE_U64, MMV_SEM_COUNTER, count, 0, "requests", NULL);
        mmv_stats_add_metric(reg, "float", 5, MMV_TYPE_FLOAT, MMV_SEM_INSTANT, none, 0, NULL, NULL);
        mmv_stats_add_metric(reg, "double", 6, MMV_TYPE_DOUBLE, MMV_SEM_INSTANT, msec, 0, NULL, NULL);
        mmv_stats_add_metric(reg, "string", 7, MMV_TYPE_STRING, MMV_SEM_DISCRETE, none, 0, "state", NULL);
        mmv_stats_add_metric(reg, "elapsed", 8, MMV_TYPE_ELAPSED, MMV_SEM_COUNTER, none, 0, NULL, NULL);
    } else if (strcmp(mode, "flip") == 0) {
        mmv_stats_add_metric(reg, "flip", 1, MMV_TYPE_U64, MMV_SEM_INSTANT, none, 0, NULL, NULL);
    } else {
        for (int i = 0; i < 100; ++i) {
            snprintf(name, sizeof name, "m%d", i);
            /* the registry keeps the pointer, not a copy */
            if (mmv_stats_add_metric(reg, strdup(name), (unsigned)i + 1, MMV_TYPE_U64, MMV_SEM_COUNTER, count, 0, NULL, NULL) < 0) {
                fprintf(stderr, "cannot add %s\n", name);
                return 1;
            }
        }
    }
    void *map = mmv_stats_start(reg);
    if (!map) { perror("mmv_stats_start"); return 1; }
    pmAtomValue *v;
    if (strcmp(mode, "all") == 0) {
        v = mmv_lookup_value_desc(map, "i32", "red"); mmv_set_value(map, v, 17);
        v = mmv_lookup_value_desc(map, "i32", "green"); mmv_set_value(map, v, -5);
        v = mmv_lookup_value_desc(map, "u32", NULL); mmv_set_value(map, v, 4000000000.0);
        v = mmv_lookup_value_desc(map, "i64", NULL); v->ll = -1234567890123LL;
        v = mmv_lookup_value_desc(map, "u64", NULL); v->ull = 18000000000000000000ULL;
        v = mmv_lookup_value_desc(map, "float", NULL); mmv_set_value(map, v, 3.5);
        v = mmv_lookup_value_desc(map, "double", NULL); mmv_set_value(map, v, 0.25);
        v = mmv_lookup_value_desc(map, "string", NULL); mmv_set_string(map, v, "ok", 2);
        v = mmv_lookup_value_desc(map, "elapsed", NULL); mmv_set_value(map, v, 1500000);
    } else if (strcmp(mode, "flip") == 0) {
        v = mmv_lookup_value_desc(map, "flip", NULL);
        v->ull = 0x5555555555555555ULL;  /* before "ready": a reader never sees the initial 0 */
    } else {
        for (int i = 0; i < 100; ++i) {
            snprintf(name, sizeof name, "m%d", i);
            v = mmv_lookup_value_desc(map, name, NULL);
            if (!v) { fprintf(stderr, "no metric %s\n", name); return 1; }
            v->ull = (unsigned long long)i;
        }
    }
    printf("ready\n");
    fflush(stdout);
    if (strcmp(mode, "flip") == 0) {
        v = mmv_lookup_value_desc(map, "flip", NULL);
        volatile __uint64_t *slot = &v->ull;
        for (unsigned long n = 0;; ++n) {
            *slot = (n & 1) ? 0xAAAAAAAAAAAAAAAAULL : 0x5555555555555555ULL;
            if ((n & 0xFFFF) == 0 && stdinClosed(0)) break;
        }
    } else {
        while (!stdinClosed(1000)) {}
    }
    mmv_stats_free(reg);
    return 0;
}
