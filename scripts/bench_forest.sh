#!/usr/bin/env bash
# Benchmark of the uplift forest (issue 18): the fit of train's default forest (100 trees, depth 6, kl) on
# seeded rows × 12 features at 30k, 1M and 5M rows, at 1 and 2 threads (build/bench/bench_forest: median wall
# seconds of the fit and of scoring the same rows, and peak RSS), then the whole `train --learner forest`
# process on Hillstrom (Women's e-mail vs none, visit) with what the forest costs and what the rest of train
# costs (the same run with --trees 1).
# Usage: scripts/bench_forest.sh [build-dir=build] [work-dir=/tmp/upliftctl_bench_forest] [sizes="30000 1000000 5000000"]
set -euo pipefail
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}  # XGBoost's threads in train's randomisation check
BUILD=$(realpath "${1:-build}")
WORK=${2:-/tmp/upliftctl_bench_forest}
SIZES=${3:-"30000 1000000 5000000"}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
U="$BUILD/apps/upliftctl/upliftctl"
B="$BUILD/bench/bench_forest"
mkdir -p "$WORK"
cd "$WORK"

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

echo "== forest fit (load: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%10s %7s %9s %9s %9s %s\n' rows threads fit_s predict_s peak_MiB runs
for n in $SIZES; do
    runs=5
    [ "$n" -ge 1000000 ] && runs=3
    [ "$n" -ge 5000000 ] && runs=1
    for t in 1 2; do
        : >runs.txt
        for _ in $(seq "$runs"); do "$B" "$n" "$t" >>runs.txt; done
        printf '%10s %7s %9s %9s %9s %s\n' "$n" "$t" "$(cut -d' ' -f3 runs.txt | median)" \
            "$(cut -d' ' -f4 runs.txt | median)" "$(cut -d' ' -f5 runs.txt | sort -n | tail -1)" "$runs"
    done
done

echo "== train --learner forest on Hillstrom (load: $(cut -d' ' -f1-3 /proc/loadavg))"
"$U" ingest -i "$ROOT/examples/data/hillstrom.csv" -o hs.parquet --treatment segment --control "No E-Mail" \
    --outcome visit --drop conversion,spend --overwrite >/dev/null 2>&1
"$U" features -i hs.parquet -o hs_features.parquet --overwrite >/dev/null
train() { "$U" train -i hs_features.parquet -o hs_model --treatment-level "Womens E-Mail" --learner forest \
    --threads 2 --overwrite "$@"; }
train | grep -E "^Womens E-Mail +0" | awk '{print "holdout qini_auc", $3}'
for what in "forest:" "rest:--trees 1"; do
    name=${what%%:*} args=${what#*:}
    : >runs.txt
    for _ in 1 2 3 4 5 6 7; do
        /usr/bin/time -f "%e %U %S %M" -o one.txt "$U" train -i hs_features.parquet -o hs_model \
            --treatment-level "Womens E-Mail" --learner forest --threads 2 --overwrite $args >/dev/null
        cat one.txt >>runs.txt
    done
    echo "$name: median wall $(cut -d' ' -f1 runs.txt | median) s, user $(cut -d' ' -f2 runs.txt | median) s," \
         "sys $(cut -d' ' -f3 runs.txt | median) s, peak RSS $(($(cut -d' ' -f4 runs.txt | sort -n | tail -1) / 1024)) MiB (7 runs)"
done
