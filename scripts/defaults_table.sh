#!/usr/bin/env bash
# Evidence for train's default depth, rounds and learning rate (docs/train.md, "Defaults"): the 3-fold
# cross-validated Qini AUC on the training rows (30% held out, seed 42) of every XGBoost learner at every setting
# of the grid below, on Hillstrom (Womens and Mens E-Mail vs No E-Mail; visit and conversion) and on `simulate`
# data (8,000 clients through the retail chain), with train's early stopping (20 rounds). Runs `train --learner
# auto` with that grid on each, keeps each search's table in <workdir>/<data>.txt and prints, as Markdown, the
# mean over the five learners per setting and data set.
# Usage: scripts/defaults_table.sh [upliftctl] [workdir]
set -euo pipefail
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}  # docs/benchmarks.md: spinning OpenMP threads starve a shared machine
cd "$(dirname "$0")/.."
bin=${1:-build/apps/upliftctl/upliftctl}
work=${2:-$(mktemp -d)}
mkdir -p "$work"
grid=${GRID:-"learner=s,t,x,dr,ct;max-depth=2,3,4,6;rounds=100,200;learning-rate=0.05,0.1"}
for outcome in visit conversion; do
  if [[ $outcome == visit ]]; then leaks=conversion,spend; else leaks=visit,spend; fi
  [[ -f $work/$outcome.features.parquet ]] && continue
  "$bin" ingest -i examples/data/hillstrom.csv --treatment segment --control "No E-Mail" --outcome "$outcome" \
    --drop "$leaks" --overwrite -o "$work/$outcome.parquet" >/dev/null
  "$bin" features -i "$work/$outcome.parquet" -o "$work/$outcome.features.parquet" --overwrite >/dev/null
done
if [[ ! -f $work/sim.features.parquet ]]; then
  "$bin" simulate --clients 8000 --out "$work/sim_raw" --seed 7 --overwrite >/dev/null
  "$bin" ingest --clients "$work/sim_raw/clients.csv" --purchases "$work/sim_raw/purchases.csv" \
    --products "$work/sim_raw/products.csv" --campaign "$work/sim_raw/campaign.csv" --out "$work/sim_data" --overwrite >/dev/null
  "$bin" features --data "$work/sim_data" --cutoff 2019-03-19 -o "$work/sim.features.parquet" --overwrite >/dev/null
fi
run() {  # name features [train args...]
  local name=$1 features=$2
  shift 2
  "$bin" train -i "$features" -o "$work/model_$name" --learner auto --search "$grid" --cv 3 --oof-folds 0 \
    --permutation-repeats 0 --overwrite "$@" >"$work/$name.txt"
}
run hw_visit "$work/visit.features.parquet" --treatment-level "Womens E-Mail"
run hm_visit "$work/visit.features.parquet" --treatment-level "Mens E-Mail"
run hw_conversion "$work/conversion.features.parquet" --treatment-level "Womens E-Mail"
run hm_conversion "$work/conversion.features.parquet" --treatment-level "Mens E-Mail"
run simulate "$work/sim.features.parquet"
python3 - "$work" <<'PY'
import collections, re, sys
work = sys.argv[1]
names = ["hw_visit", "hm_visit", "hw_conversion", "hm_conversion", "simulate"]
cell = collections.defaultdict(dict)   # setting -> data -> [values over learners]
for n in names:
    for line in open(f"{work}/{n}.txt"):
        m = re.match(r"\s*\d+ (\w+)\s+max-depth=(\d+);rounds=(\d+);learning-rate=([^;]+);early-stopping=\d+\s+(-?[0-9.]+)\s", line)
        if not m: continue
        learner, depth, rounds, lr, q = m.groups()
        key = (int(depth), int(rounds), float(lr))
        cell[key].setdefault(n, []).append(float(q))
print("| depth | rounds | learning rate | " + " | ".join(names) + " | mean |")
print("|---|---|---|" + "---|" * (len(names) + 1))
for key in sorted(cell):
    means = [sum(cell[key][n]) / len(cell[key][n]) for n in names]
    print(f"| {key[0]} | {key[1]} | {key[2]:g} | " + " | ".join(f"{v:.4f}" for v in means) + f" | {sum(means)/len(means):.4f} |")
PY
