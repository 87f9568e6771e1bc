#!/usr/bin/env bash
# The forest against the meta-learners on Hillstrom (Women's e-mail vs no e-mail, outcome visit), every learner at
# train's defaults plus the forest with 100 trees at depth 6, over many 30% holdouts instead of one: a single
# holdout of 12,808 rows moves a learner's Qini AUC by about 0.01 between seeds, more than the learners differ.
# For each split seed 1..N every learner is trained on the same rows and measured on the same holdout; the
# script prints each learner's mean holdout Qini AUC and the forests' paired mean difference from each
# meta-learner with its standard error (docs/forest.md, "Against the meta-learners").
# usage: forest_vs_meta.sh UPLIFTCTL HILLSTROM_CSV WORKDIR [SPLITS=10] [LEVEL="Womens E-Mail"] [CHECK=ahead]
# exit, CHECK=ahead: 0 when both forests' mean holdout Qini AUC is at least every meta-learner's, 1 otherwise;
#       CHECK=positive: 0 when both forests' mean holdout Qini AUC is above 0 (it ranks the right way), 1 otherwise.
set -euo pipefail
bin=$1
hillstrom=$2
work=$3
splits=${4:-10}
level=${5:-Womens E-Mail}
check=${6:-ahead}
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
rm -rf "$work" && mkdir -p "$work"
"$bin" ingest -i "$hillstrom" -o "$work/dataset.parquet" --treatment segment --control "No E-Mail" --outcome visit \
  --treatment-level "$level" --drop conversion,spend -q
"$bin" features -i "$work/dataset.parquet" -o "$work/features.parquet" -q
results="$work/results.tsv"
: > "$results"
for seed in $(seq 1 "$splits"); do
  for learner in s t x dr ct forest forest_depth6; do
    args=(--learner "$learner")
    [[ $learner == forest_depth6 ]] && args=(--learner forest --trees 100 --max-depth 6)
    "$bin" train -i "$work/features.parquet" -o "$work/model" --seed "$seed" --oof-folds 0 --permutation-repeats 0 \
      --overwrite -q "${args[@]}"
    qini=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["holdout_metrics"][sys.argv[2]]["qini_auc"])' \
      "$work/model/model.json" "$level")
    printf '%s\t%s\t%s\n' "$seed" "$learner" "$qini" >> "$results"
  done
done
python3 - "$results" "$check" <<'PY'
import collections, statistics, sys
q = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    seed, learner, value = line.split("\t")
    q[learner][int(seed)] = float(value)
seeds = sorted(q["s"])
meta = ["s", "t", "x", "dr", "ct"]
print(f"mean holdout Qini AUC over {len(seeds)} splits (seeds {seeds[0]}..{seeds[-1]}):")
for learner in meta + ["forest", "forest_depth6"]:
    print(f"  {learner:14} {statistics.mean(q[learner].values()):.4f}")
ok = True
for forest in ["forest", "forest_depth6"]:
    for m in meta:
        d = [q[forest][s] - q[m][s] for s in seeds]
        mean, se = statistics.mean(d), statistics.stdev(d) / len(d) ** 0.5
        ahead = mean >= 0
        if sys.argv[2] == "ahead": ok = ok and ahead
        print(f"  {forest} - {m:3} {mean:+.4f} (se {se:.4f}, forest ahead on {sum(x > 0 for x in d)}/{len(d)})"
              f"{' ok' if ahead else ' behind'}")
    if sys.argv[2] == "positive":
        mean = statistics.mean(q[forest].values())
        ok = ok and mean > 0
        print(f"  {forest} mean {mean:+.4f}: {'ok' if mean > 0 else 'RANKS BACKWARDS'}")
sys.exit(0 if ok else 1)
PY
