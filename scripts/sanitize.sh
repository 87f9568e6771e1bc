#!/usr/bin/env bash
# The sanitizer job: builds build-asan/ (scripts/build_sanitized.sh: clang-14, AddressSanitizer +
# UndefinedBehaviorSanitizer, leak detection on, any report fails its test) and runs the unit, end-to-end and
# fuzz-replay tests there (docs/testing.md, "Sanitizer job").
#   scripts/sanitize.sh            the job
#   scripts/sanitize.sh -R cli     only tests matching a regex (arguments go to ctest)
set -euo pipefail
cd "$(dirname "$0")/.."
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
export ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1
export LSAN_OPTIONS=suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export UPLIFT_NODE_TOOLS=1
build_dir=$(scripts/build_sanitized.sh | tail -n 1)
# Left out: the browser tests (they check the HTML a headless Chromium draws, and the same HTML bytes are already
# checked by the end-to-end report tests here) and the calibration run (20 simulated campaigns, statistics only;
# ~2 min in Release, many times that under ASan, and its code paths are those of the end-to-end chain).
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" -LE 'browser|calibration' "$@"
