#!/usr/bin/env bash
# sextant-gui under load: a dashboard of 12 charts with 8 series each (96 lines),
# updated at 1 Hz with a 15-minute window, against a private sextantd on a free
# loopback port, on a private Xvfb display. Every STEP seconds it prints the GUI's CPU
# use over the last step (percent of one core, from all its threads' schedstat) and its
# resident memory; at the end, the whole run's CPU and how memory moved after the
# window filled. A screenshot of the loaded dashboard is saved beside the figures.
# Measurements, not a test: nothing is asserted.
#
# Usage (from the build tree, which generates ./gui-bench):
#   gui-bench.sh SEXTANT_GUI SEXTANTD SEXTANT [--duration 600] [--step 60] [--out DIR]
set -euo pipefail

gui=${1:?usage: gui-bench.sh SEXTANT_GUI SEXTANTD SEXTANT [--duration S] [--step S] [--out DIR]}
daemon=${2:?usage}
cli=${3:?usage}
shift 3
duration=600
step=60
out=$PWD/gui-bench-out
while [ $# -gt 0 ]; do
  case $1 in
    --duration) duration=$2; shift 2 ;;
    --step) step=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "gui-bench: unknown option $1" >&2; exit 2 ;;
  esac
done
command -v xvfb-run >/dev/null || { echo "gui-bench: xvfb-run is not installed (Debian packages xvfb and xauth)" >&2; exit 1; }
mkdir -p "$out"
work=$(mktemp -d /tmp/sextant-gui-bench-XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  local port
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 12000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  echo "gui-bench: no free port" >&2
  exit 1
}
pdu=$(free_port)
rest=$(free_port)
"$daemon" --pdu-port "$pdu" --rest-port "$rest" --listen 127.0.0.1 --socket "" --log "$work/sextantd.log" &
pids+=($!)
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$rest") 2>/dev/null && break; sleep 0.1; done

# 96 numeric metrics without instances, eight to a chart.
mapfile -t names < <("$cli" info -h "127.0.0.1:$pdu" -d kernel mem swap disk.all network.all 2>/dev/null |
  awk '/^[a-z]/ { name = $1 } /InDom: PM_INDOM_NULL/ && !/string/ { print name }' | head -96)
[ "${#names[@]}" -ge 96 ] || { echo "gui-bench: only ${#names[@]} singular metrics found" >&2; exit 1; }
{
  echo '{"format": "sextant-dashboard", "version": 1, "name": "gui-bench", "windowMinutes": 15, "columns": 3, "charts": ['
  for c in $(seq 0 11); do
    [ "$c" -gt 0 ] && echo ','
    printf '{"title": "chart %d", "style": "line", "series": [' $((c + 1))
    for s in $(seq 0 7); do
      [ "$s" -gt 0 ] && printf ', '
      printf '{"metric": "%s"}' "${names[$((c * 8 + s))]}"
    done
    printf ']}'
  done
  echo ']}'
} >"$work/bench-dashboard.json"

export QT_QPA_PLATFORM=xcb HOME=$work XDG_CONFIG_HOME=$work/config
xvfb-run -a -s "-screen 0 1920x1200x24" "$gui" --host "127.0.0.1:$rest" --dashboard "$work/bench-dashboard.json" \
  >"$work/gui.log" 2>&1 &
pids+=($!)
gui_pid=
for _ in $(seq 100); do
  gui_pid=$(pgrep -f "^$gui --host 127.0.0.1:$rest" || true)
  [ -n "$gui_pid" ] && break
  sleep 0.1
done
[ -n "$gui_pid" ] || { echo "gui-bench: sextant-gui did not start:" >&2; cat "$work/gui.log" >&2; exit 1; }

run_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ t += $1 } END { print t + 0 }'; }
rss_mb() { awk '/^VmRSS/ { printf "%.1f", $2 / 1024 }' /proc/"$1"/status; }
echo "sextant-gui: 12 charts x 8 series at 1 Hz, 15-minute window, ${duration} s" >&2
printf '%8s %12s %10s\n' "time s" "CPU % core" "RSS MiB"
sleep 5  # start-up left out
first=$(run_ns "$gui_pid") last=$first elapsed=0
rss_start=$(rss_mb "$gui_pid")
while [ "$elapsed" -lt "$duration" ]; do
  sleep "$step"
  elapsed=$((elapsed + step))
  now=$(run_ns "$gui_pid")
  kill -0 "$gui_pid" 2>/dev/null || { echo "gui-bench: sextant-gui exited:" >&2; cat "$work/gui.log" >&2; exit 1; }
  rss=$(rss_mb "$gui_pid")
  awk -v a="$last" -v b="$now" -v s="$step" -v t="$elapsed" -v r="$rss" 'BEGIN { printf "%8d %12.2f %10s\n", t, (b - a) / 1e7 / s, r }'
  last=$now
done
awk -v a="$first" -v b="$last" -v s="$duration" -v r0="$rss_start" -v r1="$(rss_mb "$gui_pid")" \
  'BEGIN { printf "whole run: %.2f %% of one core; RSS %s MiB after 5 s, %s MiB at the end\n", (b - a) / 1e7 / s, r0, r1 }'
# A picture of the loaded dashboard, from the same X display.
display=$(tr '\0' '\n' </proc/"$gui_pid"/environ | sed -n 's/^DISPLAY=//p')
if command -v import >/dev/null && [ -n "$display" ]; then
  DISPLAY=$display XAUTHORITY=$(tr '\0' '\n' </proc/"$gui_pid"/environ | sed -n 's/^XAUTHORITY=//p') \
    import -window root "$out/gui-bench.png" && echo "screenshot: $out/gui-bench.png"
fi
