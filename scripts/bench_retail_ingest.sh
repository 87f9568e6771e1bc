#!/usr/bin/env bash
# Benchmark of `ingest` retail mode against DuckDB's own read_csv of the same files (issue 5 target:
# within 2x). Builds, makes X5-sized CSVs once (45M purchase lines, ~4.5 GB) and prints a Markdown table
# for docs/benchmarks.md. Usage: scripts/bench_retail_ingest.sh [purchase_lines=45000000] [dir] [threads]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${UPLIFT_BUILD_DIR:-build}
scripts/build.sh >/dev/null
lines=${1:-45000000}
dir=${2:-$build_dir/bench_retail_$lines}
threads=${3:-2}
/usr/bin/time -v "$build_dir/bench/bench_retail_ingest" "$lines" "$dir" "$threads" 2> >(grep -E "generated|Maximum resident|Elapsed|error|terminate|what\(\)|signal" >&2)
