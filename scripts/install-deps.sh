#!/usr/bin/env bash
# Installs what Sextant needs to build and test on Debian or Ubuntu, by package name.
# Idempotent: packages already present are left alone.
#
#   scripts/install-deps.sh          build and benchmark dependencies
#   scripts/install-deps.sh --test   plus what the test suite talks to (PCP's real tools, Prometheus'
#                                    promtool, clang's libFuzzer)
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# qt6-charts-dev and libxkbcommon-dev: sextant-gui (Qt Charts; Qt's Widgets need xkbcommon's headers).
build_pkgs=(cmake ninja-build g++ ccache pkg-config qt6-base-dev qt6-charts-dev libxkbcommon-dev libbenchmark-dev libpoco-dev
            libsqlite3-dev)
bench_pkgs=(wrk curl)  # the REST benchmark (bench/rest-bench.sh) drives HTTP with them
test_pkgs=(clang libclang-rt-dev xvfb xauth openssl)  # openssl: the HTTPS test makes its certificate
# Installed with the systemctl stand-in below; prometheus brings promtool, which checks
# the /metrics text (tests/rest/OpenMetricsTest).
pcp_pkgs=(pcp libpcp3-dev libpcp-mmv1-dev libpcp-pmda3-dev python3-pcp prometheus)

want=("${build_pkgs[@]}" "${bench_pkgs[@]}")
with_test=0
[ "${1:-}" = "--test" ] && with_test=1 && want+=("${test_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}"
  as_root apt-get update -q >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

pcp_missing=()
if [ "$with_test" -eq 1 ]; then
  for p in "${pcp_pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || pcp_missing+=("$p")
  done
fi
if [ "${#pcp_missing[@]}" -gt 0 ]; then
  # Debian's pcp package runs `systemctl daemon-reload` while configuring, which fails
  # where systemd is not running (containers, CI). A systemctl that does nothing is put
  # first on PATH for this install only.
  shim=$(mktemp -d)
  trap 'rm -rf "$shim"' EXIT
  printf '#!/bin/sh\nexit 0\n' >"$shim/systemctl"
  chmod +x "$shim/systemctl"
  echo "installing the reference PCP tools and promtool: ${pcp_missing[*]}"
  as_root apt-get update -q >/dev/null
  as_root dpkg --configure -a >/dev/null 2>&1 || true
  as_root env PATH="$shim:$PATH" DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${pcp_missing[@]}" >/dev/null
fi

if [ "$with_test" -eq 1 ]; then
  # What a private pmcd started by the tests needs and a package install in a container
  # may not leave behind (no systemd ran its units): the name space root, built from
  # the agents' pmns files, and the run directory for its pid file and sockets.
  pcp_var=$(sed -n 's/^PCP_VAR_DIR=//p' /etc/pcp.conf 2>/dev/null | tr -d '"')
  pcp_run=$(sed -n 's/^PCP_RUN_DIR=//p' /etc/pcp.conf 2>/dev/null | tr -d '"')
  pcp_var=${pcp_var:-/var/lib/pcp}
  pcp_run=${pcp_run:-/run/pcp}
  if [ ! -s "$pcp_var/pmns/root" ] && [ -x "$pcp_var/pmns/Rebuild" ]; then
    echo "building PCP's name space root ($pcp_var/pmns/root)"
    as_root sh -c "cd '$pcp_var/pmns' && ./Rebuild -du" >/dev/null
  fi
  [ -d "$pcp_run" ] || as_root mkdir -p "$pcp_run"
fi
