#!/usr/bin/env bash
# REST API throughput, sextantd against PCP's pmproxy, driven by wrk (Debian package wrk).
#
# Starts, on free loopback ports and in a private directory: PCP's pmcd (linux agent)
# with pmproxy in front of it (REST only: no Redis, series or search), and sextantd
# with its REST API. On each it makes one context (long polltimeout) and then:
#  - wrk on /pmapi/<ctx>/fetch?names=<5 metrics> with 1 and 4 keep-alive connections,
#    both servers, and with 16, 64 and 256 connections on sextantd alone;
#  - a full /metrics scrape (whole namespace): sextantd's median of 5, pmproxy once.
# Prints one table: requests/s, p99 latency, the servers' own CPU time per request
# (pmproxy's row counts pmproxy and pmcd, sextantd's the one daemon), non-2xx replies and
# socket errors, and sextantd's requests/s over pmproxy's. Measurements, not a test:
# nothing is asserted. pmproxy 6.0.3 may crash under several connections: its row then
# shows the errors, and it is restarted for what follows.
#
# --floor HTTP_FLOOR adds rows for bench/HttpFloor.cpp, a server that answers at once
# with a fixed reply: the loopback round trip that bounds any server here.
#
# --one-cpu runs the servers and wrk on one CPU (taskset): each request then costs the
# work of client and server plus two context switches, without the cross-CPU wake-ups
# that make a VM's loopback round trip slow, so the rate reflects the servers' own work.
#
# Usage (from the build tree, which generates ./rest-bench to call this with sextantd):
#   rest-bench.sh SEXTANTD [--floor HTTP_FLOOR] [--duration 5s] [--pmproxy-only] [--one-cpu]
set -euo pipefail

sextantd=${1:?usage: rest-bench.sh SEXTANTD [--floor HTTP_FLOOR] [--duration 5s] [--pmproxy-only] [--one-cpu]}
shift
duration=5s
pmproxy_only=0
floor=
pin=()
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --floor) floor=$2; shift 2 ;;
    --pmproxy-only) pmproxy_only=1; shift ;;
    --one-cpu) pin=(taskset -c 0); shift ;;
    *) echo "rest-bench: unknown option $1" >&2; exit 2 ;;
  esac
done

for tool in wrk curl; do
  command -v $tool >/dev/null || { echo "rest-bench: $tool is not installed (scripts/install-deps.sh)" >&2; exit 1; }
done
me=rest-bench
. "$(dirname "$0")/pcp-common.sh"
[ -x "$binadm/pmproxy" ] || { echo "rest-bench: PCP's pmproxy is not installed (Debian package pcp)" >&2; exit 1; }
[ "$pmproxy_only" = 1 ] || [ -x "$sextantd" ] || { echo "rest-bench: $sextantd has not been built" >&2; exit 1; }

start_pmcd

pmproxy_port=$(free_port)
printf '[pmproxy]\npcp.enabled = true\nhttp.enabled = true\nredis.enabled = false\nsecure.enabled = false\n[redis]\nenabled = false\n[discover]\nenabled = false\n[pmsearch]\nenabled = false\n[pmseries]\nenabled = false\n' \
  >"$work/pmproxy.conf"
start_pmproxy() {
  PCP_RUN_DIR=$work "${pin[@]}" "$binadm/pmproxy" -f -A -p "$pmproxy_port" -s "$work/pmproxy.socket" \
    -c "$work/pmproxy.conf" -l "$work/pmproxy.log" -U "$user" >/dev/null 2>&1 &
  pmproxy_pid=$!
  pids+=($pmproxy_pid)
  wait_port "$pmproxy_port" $! pmproxy
}
start_pmproxy

if [ "$pmproxy_only" = 0 ]; then
  pdu_port=$(free_port)
  rest_port=$(free_port)
  "${pin[@]}" "$sextantd" --foreground --pdu-port "$pdu_port" --rest-port "$rest_port" --listen 127.0.0.1 \
    --socket "" --log "$work/sextantd.log" >/dev/null 2>&1 &
  sextantd_pid=$!
  pids+=($sextantd_pid)
  wait_port "$rest_port" $! sextantd
fi

if [ -n "$floor" ]; then
  floor_port=$(free_port)
  "${pin[@]}" "$floor" "$floor_port" >"$work/floor.log" 2>&1 &
  floor_pid=$!
  pids+=($floor_pid)
  wait_port "$floor_port" $! floor
fi

names=hinv.ncpu,kernel.all.load,mem.physmem,mem.util.free,kernel.all.pswitch
# fetch_url PORT HOSTSPEC: a context made for the run, and its fetch URL, checked once.
fetch_url() {
  local ctx url reply
  ctx=$(curl -sf "http://127.0.0.1:$1/pmapi/context?hostspec=$2&polltimeout=3600" | sed -n 's/^{"context":\([0-9]*\).*/\1/p')
  [ -n "$ctx" ] || { echo "rest-bench: no context on port $1" >&2; exit 1; }
  url="http://127.0.0.1:$1/pmapi/$ctx/fetch?names=$names"
  reply=$(curl -sf "$url") || { echo "rest-bench: $url failed" >&2; exit 1; }
  for n in ${names//,/ }; do
    case $reply in *"\"name\":\"$n\""*) ;; *) echo "rest-bench: $n missing from $reply" >&2; exit 1 ;; esac
  done
  echo "$url"
}

# cpu_ticks PID...: user + system clock ticks the processes have used so far.
cpu_ticks() {
  local total=0 pid t
  for pid in "$@"; do
    t=$(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)
    total=$((total + t))
  done
  echo "$total"
}
hz=$(getconf CLK_TCK)

rows=()
declare -A rps
# bench NAME CONNECTIONS URL PID...: one wrk run; the PIDs are the server's processes.
bench() {
  local name=$1 conns=$2 url=$3 threads=2 out r p99 non2xx sock before after requests cpu
  shift 3
  [ "$conns" -lt 2 ] && threads=1
  before=$(cpu_ticks "$@")
  out=$("${pin[@]}" wrk -t"$threads" -c"$conns" -d"$duration" --latency "$url")
  after=$(cpu_ticks "$@")
  r=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  cpu=$(awk -v t=$((after - before)) -v hz="$hz" -v n="${requests:-0}" 'BEGIN { if (n > 0) printf "%.0f", t * 1e6 / hz / n; else print "?" }')
  p99=$(awk '$1 == "99%" {print $2; exit}' <<<"$out")
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
  sock=$(sed -n 's/.*Socket errors: connect \([0-9]*\), read \([0-9]*\), write \([0-9]*\), timeout \([0-9]*\).*/connect \1 read \2 write \3 timeout \4/p' <<<"$out")
  rps[$name/$conns]=$r
  rows+=("$(printf '%-9s %6s %12s %10s %10s %8s  %s' "$name" "$conns" "${r:-?}" "${p99:-?}" "$cpu us" "${non2xx:-0}" "${sock:-none}")")
}

# scrape_seconds PORT HOSTSPEC: one whole-namespace /metrics, its status and seconds.
scrape_seconds() { curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "http://127.0.0.1:$1/metrics?hostspec=$2"; }
# pmproxy's scrape first: the load below may crash it.
read -r pp_code pp_secs < <(scrape_seconds "$pmproxy_port" "127.0.0.1:$pmcd_port")

pp_url=$(fetch_url "$pmproxy_port" "127.0.0.1:$pmcd_port")
[ "$pmproxy_only" = 1 ] || sx_url=$(fetch_url "$rest_port" localhost)
for c in 1 4; do
  bench pmproxy "$c" "$pp_url" "$pmproxy_pid" "$pmcd_pid"
  if ! kill -0 "$pmproxy_pid" 2>/dev/null; then
    rows[-1]="$(printf '%-9s %6s  crashed (%s)' pmproxy "$c" "${rows[-1]##* }")"
    rps[pmproxy/$c]=0  # no ratio against a server that died
    rows+=("pmproxy restarted")
    start_pmproxy
    pp_url=$(fetch_url "$pmproxy_port" "127.0.0.1:$pmcd_port")
  fi
  [ "$pmproxy_only" = 1 ] || bench sextantd "$c" "$sx_url" "$sextantd_pid"
  [ -z "$floor" ] || bench floor "$c" "http://127.0.0.1:$floor_port/" "$floor_pid"
done
if [ "$pmproxy_only" = 0 ]; then
  for c in 16 64 256; do bench sextantd "$c" "$sx_url" "$sextantd_pid"; done
fi

echo
echo "GET /pmapi/<ctx>/fetch?names=$names, wrk $duration per row, keep-alive"
printf '%-9s %6s %12s %10s %10s %8s  %s\n' server conns "requests/s" "p99" "server CPU" "non-2xx" "socket errors"
printf '%s\n' "${rows[@]}"
if [ "$pmproxy_only" = 0 ]; then
  for c in 1 4; do
    awk -v s="${rps[sextantd/$c]:-0}" -v p="${rps[pmproxy/$c]:-0}" -v c="$c" \
      'BEGIN { if (p > 0) printf "sextantd / pmproxy at %d connection(s): %.2fx\n", c, s / p }'
  done
fi
if [ -n "$floor" ]; then
  awk -v f="${rps[floor/1]:-0}" -v p="${rps[pmproxy/1]:-0}" \
    'BEGIN { if (p > 0) printf "floor / pmproxy at 1 connection: %.2fx (no server can do better here)\n", f / p }'
fi
echo
echo "GET /metrics (whole namespace)"
printf '%-9s status %s, %s s (one run)\n' pmproxy "$pp_code" "$pp_secs"
if [ "$pmproxy_only" = 0 ]; then
  times=()
  for _ in 1 2 3 4 5; do
    read -r code secs < <(scrape_seconds "$rest_port" localhost)
    times+=("$secs")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -g | sed -n 3p)
  printf '%-9s status %s, %s s (median of 5)\n' sextantd "$code" "$median"
fi
