#!/usr/bin/env bash
# Benchmark of `upliftctl score` (issue 4): 10,000,000 clients x 20 numeric features scored with a T-learner
# trained by the real binary on a 100,000-row sample (the first 100,000 rows of the same generator).
# Prints wall time and peak RSS (GNU time) at 1M and 10M rows; memory should be about flat.
# Usage: scripts/bench_score.sh [build-dir=build] [work-dir=/tmp/upliftctl_bench_score] [threads=2]
set -euo pipefail
BUILD=${1:-build}
WORK=${2:-/tmp/upliftctl_bench_score}
THREADS=${3:-2}
U="$(realpath "$BUILD")/apps/upliftctl/upliftctl"
GEN="$(realpath "$BUILD")/bench/make_score_data"
mkdir -p "$WORK"
cd "$WORK"
[ -f sample.parquet ] || "$GEN" 100000 sample.parquet
[ -f clients_1m.parquet ] || "$GEN" 1000000 clients_1m.parquet
[ -f clients_10m.parquet ] || "$GEN" 10000000 clients_10m.parquet
"$U" ingest -i sample.parquet -o dataset.parquet --treatment arm --control control --outcome bought \
    --id client_id --overwrite > /dev/null
"$U" features -i dataset.parquet -o features.parquet --overwrite > /dev/null
"$U" train -i features.parquet -o model --learner t --seed 1 --threads "$THREADS" --overwrite > /dev/null
for n in 1m 10m; do
    echo "== score $n rows (threads $THREADS; load: $(cut -d' ' -f1-3 /proc/loadavg))"
    /usr/bin/time -v "$U" score -m model -i "clients_$n.parquet" -o "scores_$n.parquet" --threads "$THREADS" \
        --overwrite 2> "time_$n.txt"
    grep -E "Elapsed|Maximum resident|User time|System time|Percent of CPU" "time_$n.txt"
done
