#!/usr/bin/env bash
# Installs the build dependencies, builds Sextant (Release, into build/) and runs the
# main job: a live view of load, CPU and memory on this machine. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")"
# Compile caches hit across clones in different folders.
export CCACHE_BASEDIR="$PWD"
scripts/install-deps.sh
cmake --preset release -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build --preset release
exec build/bin/sextant watch -t 1 kernel.all.load kernel.all.cpu.user kernel.all.cpu.sys mem.util.free "$@"
