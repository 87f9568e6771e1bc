#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, end-to-end, browser) under CTest.
#   scripts/test.sh            all tests
#   scripts/test.sh -R cli     only tests matching a regex (arguments go to ctest)
set -euo pipefail
# XGBoost's OpenMP threads spin while waiting; on a shared machine that starves everything (docs/benchmarks.md).
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
cd "$(dirname "$0")/.."
export UPLIFT_NODE_TOOLS=1
export UPLIFT_EXTRA_PACKAGES="chromium poppler-utils ${UPLIFT_EXTRA_PACKAGES:-}"
scripts/build.sh >/dev/null
ctest --test-dir "${UPLIFT_BUILD_DIR:-build}" --output-on-failure -j "$(nproc)" "$@"
