#!/usr/bin/env bash
# Times `upliftctl simulate` at X5 scale (figures go to docs/benchmarks.md). The machine may be shared:
# the load average before and after is printed so the wall time can be judged.
#   scripts/bench_simulate.sh [clients=400000] [out=/tmp/upliftctl_bench_simulate] [extra simulate flags...]
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-400000}
out=${2:-/tmp/upliftctl_bench_simulate}
shift $(( $# > 2 ? 2 : $# ))
bin=${UPLIFTCTL:-build/apps/upliftctl/upliftctl}
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)  cores: $(nproc)"
/usr/bin/time -v "$bin" simulate --clients "$clients" --out "$out" --overwrite "$@" 2>&1 |
  grep -E "rows|Elapsed|User time|System time|Maximum resident|Percent of CPU"
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
du -b "$out"/* | sort -k2
