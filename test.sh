#!/usr/bin/env bash
# Installs the build and test dependencies, builds Sextant (Release, into build/) and
# runs the whole test suite with ctest.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh --test
cmake --preset release -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build --preset release
ctest --preset release -j2
