#!/usr/bin/env bash
# Installs the build and test dependencies, then builds and runs the whole test suite:
#   1. the parser fuzzers (clang + libFuzzer, ASan, UBSan) for a bounded time,
#   2. every test under AddressSanitizer and UndefinedBehaviorSanitizer (build-asan/),
#   3. every test on the Release build (build/), the build that run.sh uses.
set -euo pipefail
cd "$(dirname "$0")"
# Compile caches hit across clones in different folders.
export CCACHE_BASEDIR="$PWD"
scripts/install-deps.sh --test
launcher=-DCMAKE_CXX_COMPILER_LAUNCHER=ccache

echo "== fuzzing the parsers"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSEXTANT_FUZZ=ON -DSEXTANT_BUILD_TESTS=OFF -DSEXTANT_BUILD_BENCH=OFF -DSEXTANT_BUILD_SERVICE=OFF \
  -DSEXTANT_BUILD_GUI=OFF "$launcher" >/dev/null
cmake --build build-fuzz -j2
ctest --test-dir build-fuzz --output-on-failure

echo "== tests under ASan and UBSan"
cmake --preset debug-asan "$launcher" >/dev/null
cmake --build --preset debug-asan
ctest --preset debug-asan -j2

echo "== tests on the Release build"
cmake --preset release "$launcher" >/dev/null
cmake --build --preset release
ctest --preset release -j2
