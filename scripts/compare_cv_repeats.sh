#!/usr/bin/env bash
# Does repeating the search's cross-validation (--cv-repeats) choose better candidates? On Hillstrom (one e-mail
# arm against no e-mail, outcome visit, the arm ingested alone), for each split seed 1..N, `train --learner auto`
# runs once per repeat count on the same rows, and the holdout Qini AUC of the refitted choice is recorded. Prints
# each count's mean and the paired mean difference from the first count with its standard error
# (docs/train.md, "Model selection").
# usage: scripts/compare_cv_repeats.sh UPLIFTCTL WORKDIR [SPLITS=10] [LEVEL="Womens E-Mail"] [REPEATS="1 3"]
# Cost: one full search per split and count, about 70 s per repeat on 2 cores: the defaults take ~50 minutes.
set -euo pipefail
bin=$1
work=$2
splits=${3:-10}
level=${4:-Womens E-Mail}
read -r -a counts <<< "${5:-1 3}"
here=$(cd "$(dirname "$0")/.." && pwd)
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
rm -rf "$work" && mkdir -p "$work"
"$bin" ingest -i "$here/examples/data/hillstrom.csv" -o "$work/dataset.parquet" --treatment segment \
  --control "No E-Mail" --outcome visit --treatment-level "$level" --drop conversion,spend -q
"$bin" features -i "$work/dataset.parquet" -o "$work/features.parquet" -q
results="$work/results.tsv"
: > "$results"
for seed in $(seq 1 "$splits"); do
  for r in "${counts[@]}"; do
    "$bin" train -i "$work/features.parquet" -o "$work/model" --learner auto --cv-repeats "$r" --seed "$seed" \
      --oof-folds 0 --permutation-repeats 0 --overwrite -q
    python3 - "$work/model/model.json" "$level" "$seed" "$r" >> "$results" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
chosen = next(c for c in m["auto_search"]["candidates"] if c["selected"])
settings = ";".join(f"{k}={v}" for k, v in sorted(chosen["params"].items()))
print(sys.argv[3], sys.argv[4], m["holdout_metrics"][sys.argv[2]]["qini_auc"], chosen["learner"], settings, sep="\t")
PY
    tail -n 1 "$results" >&2
  done
done
python3 - "$results" <<'PY'
import collections, statistics, sys
q = collections.defaultdict(dict)
for line in open(sys.argv[1]):
    seed, r, value, *_ = line.rstrip("\n").split("\t")
    q[int(r)][int(seed)] = float(value)
counts = sorted(q)
seeds = sorted(q[counts[0]])
print(f"holdout Qini AUC of auto's choice over {len(seeds)} splits (seeds {seeds[0]}..{seeds[-1]}):")
for r in counts:
    print(f"  --cv-repeats {r:<3} mean {statistics.mean(q[r].values()):.4f}")
for r in counts[1:]:
    d = [q[r][s] - q[counts[0]][s] for s in seeds]
    se = statistics.stdev(d) / len(d) ** 0.5 if len(d) > 1 else float("nan")
    print(f"  {r} minus {counts[0]}: {statistics.mean(d):+.4f} (se {se:.4f}; better on {sum(x > 0 for x in d)}, "
          f"same on {sum(x == 0 for x in d)}, worse on {sum(x < 0 for x in d)} of {len(d)})")
PY
