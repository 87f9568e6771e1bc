#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang-14 (-fsanitize=fuzzer,address,undefined) in build-asan/ (the
# sanitizer job's build, scripts/build_sanitized.sh) and runs each for SECONDS, starting from its seed corpus
# in fuzz/corpus/<target>/ (docs/testing.md, "Fuzzers").
#   scripts/fuzz.sh [SECONDS] [TARGET...]     default 60 s, every target (csv_ingest model_bundle offers plan)
# New inputs that reach new code collect in build-asan/corpus/<target>/ (kept between runs, not in the repo).
# A crash, leak, timeout or out-of-memory stops that target and leaves its input in build-asan/crashes/<target>/;
# the script then exits 1 naming it. Fix the bug and copy the input to fuzz/regressions/<target>/, where CTest
# replays it in every build.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(csv_ingest model_bundle offers plan)

export OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export LSAN_OPTIONS=suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0

build_dir=$(UPLIFT_BUILD_TARGETS="${targets[*]/#/fuzz_}" scripts/build_sanitized.sh | tail -n 1)

failed=()
for t in "${targets[@]}"; do
  binary=$build_dir/fuzz/fuzz_$t
  [[ -x $binary ]] || { echo "fuzz: no target '$t' (fuzz/fuzz_$t.cpp)" >&2; exit 2; }
  corpus=$build_dir/corpus/$t crashes=$build_dir/crashes/$t
  mkdir -p "$corpus" "$crashes"
  dict=()
  [[ -f fuzz/dict/$t.dict ]] && dict=(-dict="fuzz/dict/$t.dict")
  log=$build_dir/fuzz_$t.log
  echo "fuzz: $t for ${seconds}s" >&2
  # -timeout: a DuckDB scan of a few KB takes milliseconds, so 10 s per input is a hang. -rss_limit_mb bounds a
  # target that allocates without limit (the libFuzzer default of 2 GB, written out).
  status=0
  "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$crashes/" "${dict[@]}" "$corpus" "fuzz/corpus/$t" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  echo "fuzz: $t: ${runs:-?} inputs in ${seconds}s, corpus $(find "$corpus" -type f | wc -l) files, exit $status" >&2
  if ((status != 0)); then
    grep -E "^==[0-9]+==ERROR|^SUMMARY|^fuzz: |Test unit written to" "$log" >&2 || tail -n 20 "$log" >&2
    failed+=("$t")
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: FAILED: ${failed[*]} (logs in $build_dir/fuzz_<target>.log, inputs in $build_dir/crashes/)" >&2
  exit 1
fi
echo "fuzz: no crash in ${targets[*]}" >&2
