#!/usr/bin/env bash
# Recording and replay, Sextant against PCP (Debian package pcp), in one run.
#
# Recording: a private pmcd (linux agent) on a free loopback port; PCP's pmlogger and
# `sextant record` record the same metrics from it at 1 s for SAMPLES samples, side by
# side. Reported: values recorded, archive bytes per value (pmlogger's data
# file alone, and with its metadata and index; Sextant's one file), and the recorders'
# CPU time per sample: in the steady state (all threads' schedstat, nanoseconds, over
# samples - 10 samples) and with start-up (`times` of a subshell around each).
#
# Replay: a one-day archive at 1 s (86,400 samples of 120 values) generated twice with
# the same data, by bench/pcp-archive-gen.py (PCP's libpcp_import) and by archive_gen
# (Sextant's writer); then the wall time of pmdumplog against `sextant dump`, and of
# pmrep's CSV of rates against `sextant dump --csv --rate`, output to /dev/null.
# Measurements, not a test: nothing is asserted.
#
# Usage (from the build tree, which generates ./archive-bench):
#   archive-bench.sh SEXTANT ARCHIVE_GEN [--samples 60] [--replay-samples 86400]
set -euo pipefail

sextant=${1:?usage: archive-bench.sh SEXTANT ARCHIVE_GEN [--samples N] [--replay-samples N]}
generator=${2:?usage: archive-bench.sh SEXTANT ARCHIVE_GEN [--samples N] [--replay-samples N]}
shift 2
samples=60
replay_samples=86400
while [ $# -gt 0 ]; do
  case $1 in
    --samples) samples=$2; shift 2 ;;
    --replay-samples) replay_samples=$2; shift 2 ;;
    *) echo "archive-bench: unknown option $1" >&2; exit 2 ;;
  esac
done
pin=()
me=archive-bench
. "$(dirname "$0")/pcp-common.sh"
for tool in "$binadm/pmlogger" pmdumplog pmrep; do
  command -v "$tool" >/dev/null || { echo "archive-bench: $tool is not installed (Debian package pcp)" >&2; exit 1; }
done
[ -x "$sextant" ] && [ -x "$generator" ] || { echo "archive-bench: build sextant and archive_gen first" >&2; exit 1; }
# PCP's python tools want Debian's python, not one earlier on PATH.
export PATH=/usr/bin:$PATH

start_pmcd
# What both record: the host's load, CPU, memory, swap, disks and network interfaces.
metrics=(kernel.all mem.util swap disk.all network.interface.in network.interface.out)

# run_ns PID: the CPU time of every thread of PID so far, in nanoseconds (schedstat).
run_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ t += $1 } END { print t + 0 }'; }
# timed NAME COMMAND...: runs COMMAND as the child of a subshell that then prints the
# child's user and system time (`times`) into $work/NAME.times; output in NAME.out.
timed() {
  local name=$1
  shift
  ( "$@" >"$work/$name.out" 2>&1 || { echo "archive-bench: $1 failed:" >&2; cat "$work/$name.out" >&2; exit 1; }
    times >"$work/$name.times" )
}
# all_ms NAME: the CPU milliseconds per sample of NAME's whole run (start-up included).
all_ms() {
  awk -v s="$samples" 'NR == 2 { split($1 " " $2, f, /[ms]+/); printf "%.3f\n", (f[1] * 60 + f[2] + f[3] * 60 + f[4]) * 1000 / s }' \
    "$work/$1.times"
}

echo "recording ${#metrics[@]} subtrees from pmcd at 1 s, $samples samples, both recorders at once..." >&2
{
  echo "log mandatory on 1 sec {"
  printf '  %s\n' "${metrics[@]}"
  echo "}"
} >"$work/pmlogger.conf"
# Both run side by side, so that whatever else the machine does weighs on both alike,
# half an interval apart, so that neither waits for pmcd to answer the other.
timed pmlogger env PCP_TMP_DIR="$work" "$binadm/pmlogger" -h "127.0.0.1:$pmcd_port" \
  -c "$work/pmlogger.conf" -s "$samples" -l "$work/pmlogger.log" "$work/pcp" &
pl_shell=$!
sleep 0.5
timed sextant "$sextant" record -h "127.0.0.1:$pmcd_port" -t 1 -s "$samples" -o "$work/rec.sextant" "${metrics[@]}" &
sx_shell=$!
sleep 0.2
pl_pid=$(pgrep -f "$work/pmlogger.conf") sx_pid=$(pgrep -f "$work/rec.sextant") ||
  { echo "archive-bench: a recorder did not start" >&2; exit 1; }
# The steady state: from about 5.5 s to $samples - 4.5 s, start-up and shut-down left out.
sleep 4.8
pl_a=$(run_ns "$pl_pid") sx_a=$(run_ns "$sx_pid")
sleep $((samples - 10))
pl_b=$(run_ns "$pl_pid") sx_b=$(run_ns "$sx_pid")
wait $pl_shell && wait $sx_shell || exit 1
per_sample() { awk -v a="$1" -v b="$2" -v n=$((samples - 10)) 'BEGIN { printf "%.3f\n", (b - a) / 1e6 / n }'; }
pl_cpu=$(per_sample "$pl_a" "$pl_b") sx_cpu=$(per_sample "$sx_a" "$sx_b")
pl_all_cpu=$(all_ms pmlogger) sx_all_cpu=$(all_ms sextant)

size() { stat -c %s "$@" | awk '{ t += $1 } END { print t + 0 }'; }
pl_data=$(size "$work/pcp.0")
pl_all=$(size "$work/pcp.0" "$work/pcp.meta" "$work/pcp.index")
sx_all=$(size "$work"/rec.sextant*)
# Values: each "value" line of the dumps (one per instance per metric per sample).
pl_values=$(pmdumplog "$work/pcp" | grep -c ' value ' || true)
sx_values=$("$sextant" dump "$work/rec.sextant" | grep -c ' value ' || true)

echo
echo "Recording, $samples samples at 1 s"
printf '%-10s %8s %13s %12s %14s %20s\n' recorder values "data B/value" "all B/value" "CPU/sample" "with start-up"
awk -v v="$pl_values" -v d="$pl_data" -v a="$pl_all" -v c="$pl_cpu" -v t="$pl_all_cpu" \
  'BEGIN { printf "%-10s %8d %13.1f %12.1f %11.3f ms %17.3f ms\n", "pmlogger", v, d / v, a / v, c, t }'
awk -v v="$sx_values" -v a="$sx_all" -v c="$sx_cpu" -v t="$sx_all_cpu" \
  'BEGIN { printf "%-10s %8d %13s %12.1f %11.3f ms %17.3f ms\n", "sextant", v, "-", a / v, c, t }'
echo "($((pl_values / samples)) values a sample; CPU/sample: the steady state, from 5.5 s to $((samples - 4)).5 s)"

echo >&2
echo "generating a ${replay_samples}-sample archive at 1 s twice (PCP's and Sextant's)..." >&2
/usr/bin/python3 "$(dirname "$0")/pcp-archive-gen.py" "$work/day" "$replay_samples" 1
"$generator" "$work/day.sextant" "$replay_samples" 1

# wall SECONDS of COMMAND..., the best of three runs, output discarded.
wall() {
  local best=
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || { echo "archive-bench: $* failed" >&2; exit 1; }
    t1=$(date +%s.%N)
    best=$(awk -v a="$t0" -v b="$t1" -v best="$best" 'BEGIN { d = b - a; if (best == "" || d < best) best = d; print best }')
  done
  echo "$best"
}
pd=$(wall pmdumplog -a "$work/day")
sd=$(wall "$sextant" dump "$work/day.sextant")
pr=$(wall pmrep -a "$work/day" -t 1s -o csv bench)
sr=$(wall "$sextant" dump --csv --rate "$work/day.sextant")
values=$((replay_samples * 120))
echo
echo "Replay of $replay_samples samples ($values values), best of 3, output to /dev/null"
printf '%-44s %10s %10s %8s\n' "" PCP sextant speed-up
awk -v p="$pd" -v s="$sd" 'BEGIN { printf "%-44s %9.2fs %9.2fs %7.1fx\n", "every value (pmdumplog -a / sextant dump)", p, s, p / s }'
awk -v p="$pr" -v s="$sr" 'BEGIN { printf "%-44s %9.2fs %9.2fs %7.1fx\n", "rates as CSV (pmrep -o csv / dump --csv --rate)", p, s, p / s }'
printf '%-44s %9.1fMB %8.1fMB\n' "archive size" "$(size "$work"/day.0 "$work"/day.meta "$work"/day.index | awk '{ print $1 / 1e6 }')" \
  "$(size "$work"/day.sextant* | awk '{ print $1 / 1e6 }')"
