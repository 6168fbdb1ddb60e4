#!/usr/bin/env bash
# Installs the build dependencies, builds Sextant (Release, into build/) and runs the
# main job. On a desktop (DISPLAY or WAYLAND_DISPLAY set): sextantd in the background
# and the sextant-gui dashboard on it, until the window is closed. Elsewhere: a live
# view of load, CPU and memory in the terminal; Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")"
# Compile caches hit across clones in different folders.
export CCACHE_BASEDIR="$PWD"
scripts/install-deps.sh
cmake --preset release -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build --preset release

if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec build/bin/sextant watch -t 1 kernel.all.load kernel.all.cpu.user kernel.all.cpu.sys mem.util.free "$@"
fi
# A collector already answering on the REST port (a sextantd, or PCP's pmproxy) is used
# as it is; otherwise this one runs for as long as the window is open.
if ! (exec 3<>/dev/tcp/127.0.0.1/44322) 2>/dev/null; then
  build/bin/sextantd --socket "" &
  daemon=$!
  trap 'kill $daemon 2>/dev/null || true' EXIT
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/44322) 2>/dev/null && break; sleep 0.1; done
fi
build/bin/sextant-gui --host 127.0.0.1:44322 "$@"
