# Shared by the benchmark scripts that run PCP's daemons beside Sextant's: sourced after
# the caller sets `me` (its name, for messages) and `pin` (a command prefix such as
# "taskset -c 0", or empty). Gives: PCP's directories, a scratch directory `work` that
# is removed at exit with every process listed in `pids`, free loopback ports, and a
# private pmcd with the linux agent.

conf() { sed -n "s/^$1=//p" "${PCP_CONF:-/etc/pcp.conf}" 2>/dev/null | tr -d '"'; }
binadm=$(conf PCP_BINADM_DIR)
pmdas=$(conf PCP_PMDAS_DIR)
[ -x "$binadm/pmcd" ] || { echo "$me: PCP's pmcd is not installed (Debian package pcp)" >&2; exit 1; }
user=${USER:-$(id -un)}

work=$(mktemp -d "/tmp/sextant-$me-XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Below Linux's ephemeral range, so outgoing connections cannot take it meanwhile.
free_port() {
  local port
  for _ in $(seq 200); do
    port=$((20000 + RANDOM % 12000))
    listening "$port" || { echo "$port"; return; }
  done
  echo "$me: no free port" >&2
  exit 1
}
# wait_port PORT PID NAME: until PORT answers; NAME's log is shown if PID dies first.
wait_port() {
  for _ in $(seq 200); do
    listening "$1" && return
    kill -0 "$2" 2>/dev/null || break
    sleep 0.1
  done
  echo "$me: $3 did not start; its log:" >&2
  cat "$work/$3.log" >&2 || true
  exit 1
}

# start_pmcd: a private pmcd (pmcd and linux agents) on a free port; sets pmcd_port and
# pmcd_pid.
start_pmcd() {
  pmcd_port=$(free_port)
  printf 'pmcd\t2\tdso\tpmcd_init\t%s/pmcd/pmda_pmcd.so\nlinux\t60\tdso\tlinux_init\t%s/linux/pmda_linux.so\n\n[access]\nallow ".*" : all;\n' \
    "$pmdas" "$pmdas" >"$work/pmcd.conf"
  PCP_RUN_DIR=$work "${pin[@]}" "$binadm/pmcd" -f -A -p "$pmcd_port" -s "$work/pmcd.socket" -c "$work/pmcd.conf" \
    -l "$work/pmcd.log" -U "$user" >/dev/null 2>&1 &
  pmcd_pid=$!
  pids+=($pmcd_pid)
  wait_port "$pmcd_port" "$pmcd_pid" pmcd
}
