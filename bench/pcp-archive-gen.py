#!/usr/bin/env python3
# Writes a PCP archive (libpcp_import, Debian's python3-pcp) with the synthetic data
# that bench/ArchiveGen.cpp writes as a Sextant archive: the same metrics, instances,
# times and values, so that replaying the two compares the readers alone.
#
# Usage: pcp-archive-gen.py OUTPUT_BASE SAMPLES INTERVAL_SECONDS
#
# The data (keep in step with ArchiveGen.cpp): 20 counters of 4 instances each, 20
# singular counters and 20 singular instantaneous values: 120 values a sample. Sample s
# of metric m, instance i (0 for singular ones):
#   counter  c<m>: s * (m + 1) * 7 + i * 13 + (s * s) % 17
#   instant  g<m>: (m * 31 + i * 17 + s * 5) % 1000
# starting at 2026-01-01 00:00:00 UTC.
import sys

from pcp import pmapi, pmi
import cpmapi as api

START = 1767225600  # 2026-01-01T00:00:00Z


def main():
    base, samples, step = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    log = pmi.pmiLogImport(base)
    log.pmiSetHostname("bench")
    log.pmiSetTimezone("UTC")
    indom = log.pmiInDom(245, 1)
    for i in range(4):
        log.pmiAddInstance(indom, "inst%d" % i, i)
    count = log.pmiUnits(0, 0, 1, 0, 0, api.PM_COUNT_ONE)
    none = log.pmiUnits(0, 0, 0, 0, 0, 0)
    handles = []  # (handle, kind, m, i)
    for m in range(20):
        name = "bench.multi.c%d" % m
        log.pmiAddMetric(name, log.pmiID(245, 0, m), api.PM_TYPE_U64, indom, api.PM_SEM_COUNTER, count)
        for i in range(4):
            handles.append((log.pmiGetHandle(name, "inst%d" % i), "c", m, i))
    for m in range(20):
        name = "bench.single.c%d" % m
        log.pmiAddMetric(name, log.pmiID(245, 1, m), api.PM_TYPE_U64, api.PM_INDOM_NULL, api.PM_SEM_COUNTER, count)
        handles.append((log.pmiGetHandle(name, ""), "c", m, 0))
    for m in range(20):
        name = "bench.single.g%d" % m
        log.pmiAddMetric(name, log.pmiID(245, 2, m), api.PM_TYPE_U64, api.PM_INDOM_NULL, api.PM_SEM_INSTANT, none)
        handles.append((log.pmiGetHandle(name, ""), "g", m, 0))
    for s in range(samples):
        for handle, kind, m, i in handles:
            if kind == "c":
                v = s * (m + 1) * 7 + i * 13 + (s * s) % 17
            else:
                v = (m * 31 + i * 17 + s * 5) % 1000
            log.pmiPutValueHandle(handle, str(v))
        log.pmiWrite(START + s * step, 0)
    log.pmiEnd()


if __name__ == "__main__":
    main()
