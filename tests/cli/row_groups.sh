#!/usr/bin/env bash
# Parquet outputs of several row groups: ingest and score encode their rows a row group (122,880 rows) at a time on
# worker threads while they read. The files must be the same bytes at --threads 1, 2 and 3 and whatever score's
# --chunk-rows, and a second reader (hyparquet, when the download cache has it) must read the same rows and values
# as the CSV that ingest writes of the same input.
#   row_groups.sh UPLIFTCTL WORKDIR [NODE_MODULES PARQUET_CHECK]
set -euo pipefail
upliftctl=$1 work=$2 modules=${3:-} check=${4:-}
rm -rf "$work" && mkdir -p "$work" && cd "$work"
# 300,000 rows (two whole row groups and a part of one), text ids, a seeded generator of two numeric features.
awk 'BEGIN {
  print "client,arm,bought,x1,x2"
  s = 12345
  for (n = 1; n <= 300000; n++) {
    s = (s * 1103515245 + 12345) % 2147483648; x1 = s / 2147483648
    s = (s * 1103515245 + 12345) % 2147483648; x2 = s / 2147483648
    arm = n % 2
    printf "c%07d,%d,%d,%.6f,%.6f\n", n, arm, (x1 + arm * 0.2 * x2 > 0.7), x1, x2
  }
}' > raw.csv
ingest() {
  "$upliftctl" ingest -i raw.csv -o "$1" --id client --treatment arm --control 0 --outcome bought \
    --threads "$2" --rejects "$1.rejects.csv" --summary "$1.ingest.json" -q
}
fail() { echo "FAIL: $*"; exit 1; }
for t in 1 2 3; do ingest "dataset_t$t.parquet" "$t"; done
cmp dataset_t1.parquet dataset_t2.parquet || fail "ingest's dataset differs between --threads 1 and 2"
cmp dataset_t1.parquet dataset_t3.parquet || fail "ingest's dataset differs between --threads 1 and 3"
ingest dataset.csv 2

"$upliftctl" train -i dataset_t1.parquet -o model --learner t --rounds 5 --max-depth 3 --oof-folds 0 \
  --permutation-repeats 0 --holdout 0.2 --seed 3 -q
"$upliftctl" score -m model -i dataset_t1.parquet -o scores_a.parquet --threads 1 -q
"$upliftctl" score -m model -i dataset_t1.parquet -o scores_b.parquet --threads 2 --chunk-rows 7777 -q
"$upliftctl" score -m model -i dataset_t1.parquet -o scores_c.parquet --threads 3 --chunk-rows 250000 -q
cmp scores_a.parquet scores_b.parquet || fail "score's output differs between --threads 1 and 2 (--chunk-rows 7777)"
cmp scores_a.parquet scores_c.parquet || fail "score's output differs between --threads 1 and 3 (--chunk-rows 250000)"
"$upliftctl" score -m model -i dataset_t1.parquet -o scores.csv --threads 2 -q
[[ $(wc -l < scores.csv) -eq 300001 ]] || fail "scores.csv has $(wc -l < scores.csv) lines, not 300,001"

if [[ -n $modules && -d $modules/hyparquet ]]; then
  UPLIFT_NODE_MODULES=$modules node "$check" --parquet dataset_t1.parquet --csv dataset.csv --rows 300000 \
    --kv upliftctl.roles --types client:VARCHAR,arm:VARCHAR,bought:DOUBLE,x1:DOUBLE,x2:DOUBLE
  UPLIFT_NODE_MODULES=$modules node "$check" --parquet scores_a.parquet --csv scores.csv --rows 300000
  echo "ok: hyparquet reads the dataset and the scores as the CSVs hold them"
fi
echo "ok: 300,000 rows in 3 row groups, the same bytes at --threads 1, 2 and 3 (ingest) and whatever --chunk-rows (score)"
