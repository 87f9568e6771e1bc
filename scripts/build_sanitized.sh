#!/usr/bin/env bash
# Builds build-asan/: clang-14 with AddressSanitizer + UndefinedBehaviorSanitizer, the library instrumented for
# libFuzzer's coverage feedback, the tests, the benchmarks and the fuzz targets. One build serves the sanitizer job
# (scripts/sanitize.sh) and the fuzzers (scripts/fuzz.sh), so CI compiles the library twice (Release and this),
# not three times. Prints the build directory on its last line.
#   UPLIFT_BUILD_TARGETS="fuzz_plan ..."   build only these targets
#   UPLIFT_ASAN_BUILD_DIR=dir               another build directory
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${UPLIFT_ASAN_BUILD_DIR:-build-asan}
# A build-asan/ configured by an older checkout with g++ cannot switch compilers in place.
if [[ -f $build_dir/CMakeCache.txt ]] && ! grep -q '^CMAKE_CXX_COMPILER:.*clang++-14' "$build_dir/CMakeCache.txt"; then
  echo "build_sanitized: $build_dir/ was configured with another compiler; starting it afresh" >&2
  rm -rf "$build_dir"
fi
# bootstrap.sh installs these when missing (a clean CI machine).
export UPLIFT_EXTRA_PACKAGES="clang-14 libfuzzer-14-dev libclang-rt-14-dev ${UPLIFT_EXTRA_PACKAGES:-}"
# -O1 with line tables, as AddressSanitizer's documentation advises: readable stacks, and quicker to compile than
# Release's -O3. Without NDEBUG, so Eigen's own bounds checks are on too. bench/ is built because the retail
# end-to-end tests check the features against a brute-force query run by bench_sql.
UPLIFT_BUILD_DIR=$build_dir scripts/build.sh -DCMAKE_CXX_COMPILER=clang++-14 \
  -DUPLIFT_SANITIZE=ON -DUPLIFT_FUZZ=ON -DUPLIFT_BUILD_TESTS=ON -DUPLIFT_BUILD_BENCH=ON \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" >/dev/null
echo "$build_dir"
