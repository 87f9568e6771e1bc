#!/usr/bin/env bash
# Benchmark of the flat data path (issue 19): N rows of id, 0/1 treatment, 0/1 outcome and 12 numeric
# features with a known true uplift (bench/bench_flat.cpp), run as `ingest -> features -> train --learner t
# -> score` under /usr/bin/time -v, against, in the same run:
#   - the Python reference (Debian python3-pandas + python3-xgboost, bench/bench_flat_reference.py):
#     read_csv, two XGBClassifier fits, two predict_proba of every row;
#   - the floor: one DuckDB read_csv of the file, plus the bare XGBoost work through the C API on the same
#     arrays (the two fits, two in-place predictions of every row).
# The settings are the same on every side: hist, 100 rounds, depth 6, eta 0.3, subsample and colsample 1
# (XGBClassifier's defaults), 2 threads, no early stopping. All three fit on the same rows: train's
# holdout (30%, which it needs for its Qini AUC) is passed to the reference and the floor, and the holdout
# Qini AUC of both models is measured on those rows. train's out-of-fold scores and permutation importance
# are off (the reference has neither); its randomisation check stays (it always runs).
# Prints each stage's wall time and peak RSS, and the ratios of the issue's goals.
# Usage: scripts/bench_flat.sh N [work-dir=/tmp/upliftctl_bench_flat_N] [threads=2] [seed=1]
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${UPLIFT_BUILD_DIR:-build}
N=${1:?usage: scripts/bench_flat.sh N [work-dir] [threads] [seed]}
WORK=${2:-/tmp/upliftctl_bench_flat_$N}
THREADS=${3:-2}
SEED=${4:-1}
PY=/usr/bin/python3   # Debian's, where python3-pandas and python3-xgboost live
scripts/build.sh >/dev/null
U="$ROOT/$BUILD/apps/upliftctl/upliftctl"
B="$ROOT/$BUILD/bench/bench_flat"
"$PY" -c "import pandas, xgboost, sklearn" || { echo "bench_flat: needs python3-pandas python3-xgboost python3-sklearn (UPLIFT_EXTRA_PACKAGES=\"python3-pandas python3-xgboost python3-sklearn\" scripts/bootstrap.sh)" >&2; exit 1; }
mkdir -p "$WORK"
cd "$WORK"
DATA=data_${N}_seed${SEED}.csv
[ -f "$DATA" ] || "$B" make "$N" "$SEED" "$DATA" >/dev/null

declare -A WALL RSS
# run NAME CMD...: runs under GNU time, keeps its wall seconds and peak RSS (MB).
run() {
    local name=$1; shift
    /usr/bin/time -v "$@" > "$name.out" 2> "$name.time" || { cat "$name.time" >&2; exit 1; }
    WALL[$name]=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0;
        for (i = 1; i <= n; ++i) s = s * 60 + p[i]; printf "%.2f", s}' "$name.time")
    RSS[$name]=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2 / 1024}' "$name.time")
}

echo "== bench_flat: $N rows, $(du -m "$DATA" | cut -f1) MB of CSV, threads $THREADS, seed $SEED (load: $(cut -d' ' -f1-3 /proc/loadavg))"
run ingest "$U" ingest -i "$DATA" -o dataset.parquet --treatment treatment --control 0 --outcome outcome \
    --id id --id-type integer --threads "$THREADS" --overwrite
run features "$U" features -i dataset.parquet -o features.parquet --threads "$THREADS" --overwrite
run train "$U" train -i features.parquet -o model --learner t --rounds 100 --max-depth 6 --learning-rate 0.3 \
    --early-stopping 0 --holdout 0.3 --oof-folds 0 --permutation-repeats 0 --xgb subsample=1 \
    --xgb colsample_bytree=1 --seed "$SEED" --threads "$THREADS" --overwrite
run score "$U" score -m model -i features.parquet -o scores.parquet --threads "$THREADS" --overwrite
"$B" holdout model holdout_ids.bin >/dev/null
run reference "$PY" "$ROOT/bench/bench_flat_reference.py" "$DATA" holdout_ids.bin reference_uplift.bin "$THREADS" "$SEED"
run floor "$B" floor "$DATA" holdout_ids.bin scores.parquet reference_uplift.bin "$THREADS" "$SEED"

val() { awk -v k="$2" '$1 == k {print $2}' "$1.out"; }
chain=0; max_rss=0
printf "%-10s %9s %10s\n" stage wall_s peak_MB
for s in ingest features train score; do
    printf "%-10s %9s %10s\n" "$s" "${WALL[$s]}" "${RSS[$s]}"
    chain=$(echo "$chain + ${WALL[$s]}" | bc)
    (( RSS[$s] > max_rss )) && max_rss=${RSS[$s]}
done
printf "%-10s %9s %10s\n" chain "$chain" "$max_rss"
printf "%-10s %9s %10s   (read_csv %s, fit %s, predict %s)\n" reference "${WALL[reference]}" "${RSS[reference]}" \
    "$(val reference reference_read_csv_s)" "$(val reference reference_fit_s)" "$(val reference reference_predict_s)"
floor_read=$(val floor duckdb_read_csv_s); floor_xgb=$(val floor floor_s)
printf "%-10s %9s %10s   (DuckDB read_csv %s + XGBoost C API %s: fit %s, predict %s)\n" floor \
    "$(echo "$floor_read + $floor_xgb" | bc)" "${RSS[floor]}" "$floor_read" "$floor_xgb" \
    "$(val floor floor_fit_s)" "$(val floor floor_predict_s)"
# bc drops the leading zero of a ratio below 1 (".96"): printf gives "0.96".
ratio() { LC_ALL=C printf "%.2f" "$(echo "scale=4; $1 / $2" | bc)"; }
echo "chain / reference wall:            $(ratio "$chain" "${WALL[reference]}")  (goal <= 0.9)"
echo "max stage RSS / reference RSS:     $(ratio "$max_rss" "${RSS[reference]}")  (goal <= 0.5)"
echo "chain / (floor + DuckDB read_csv): $(ratio "$chain" "$(echo "$floor_read + $floor_xgb" | bc)")  (goal <= 1.2)"
echo "holdout Qini AUC: upliftctl $(val floor qini_upliftctl), reference $(val floor qini_reference), true uplift $(val floor qini_truth); max |uplift difference| $(val floor max_abs_uplift_diff)"
