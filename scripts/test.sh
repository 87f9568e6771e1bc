#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit, end-to-end, browser) under CTest.
#   scripts/test.sh            all tests
#   scripts/test.sh -R cli     only tests matching a regex (arguments go to ctest)
set -euo pipefail
cd "$(dirname "$0")/.."
export UPLIFT_NODE_TOOLS=1
export UPLIFT_EXTRA_PACKAGES="chromium ${UPLIFT_EXTRA_PACKAGES:-}"
scripts/build.sh >/dev/null
ctest --test-dir "${UPLIFT_BUILD_DIR:-build}" --output-on-failure -j "$(nproc)" "$@"
