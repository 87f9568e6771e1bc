#!/usr/bin/env bash
# Trains every learner on Hillstrom (all three arms) for the visit and spend outcomes and prints the
# holdout Qini AUC per learner and treated level, with the 5-fold cross-validated mean ± std on the
# training rows, as a Markdown table (docs/train.md quotes it).
# Usage: scripts/learner_table.sh [upliftctl] [workdir]   (seed 7, holdout 0.3)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/apps/upliftctl/upliftctl}
work=${2:-$(mktemp -d)}
mkdir -p "$work"
for outcome in visit spend; do
  # the other outcome columns would leak the answer into the features
  if [[ $outcome == visit ]]; then leaks=conversion,spend; else leaks=conversion,visit; fi
  "$bin" ingest -i examples/data/hillstrom.csv --treatment segment --control "No E-Mail" --outcome "$outcome" \
    --drop "$leaks" --overwrite -o "$work/$outcome.parquet" >/dev/null
  "$bin" features -i "$work/$outcome.parquet" -o "$work/$outcome.features.parquet" --overwrite >/dev/null
done
echo "| outcome | learner | Mens E-Mail: holdout (CV mean ± std) | Womens E-Mail: holdout (CV mean ± std) | seconds |"
echo "|---|---|---|---|---|"
for outcome in visit spend; do
  for learner in s t x dr ct; do
    [[ $outcome == spend && $learner == ct ]] && continue   # ct needs a binary outcome
    start=$(date +%s.%N)
    out=$("$bin" train -i "$work/$outcome.features.parquet" -o "$work/model_${outcome}_$learner" --learner "$learner" \
      --seed 7 --overwrite --permutation-repeats 0 --cv 5)
    secs=$(echo "$(date +%s.%N) - $start" | bc)
    # each level prints a cross-validation line (mean ± std) first, then its holdout line
    cell() { awk -v l="^$1" '$0 ~ l && $4 == "±" {cv = $3 " ± " $5} $0 ~ l && $4 != "±" {h = $3} END {print h " (" cv ")"}' <<<"$out"; }
    mens=$(cell "Mens E-Mail")
    womens=$(cell "Womens E-Mail")
    printf '| %s | %s | %s | %s | %.1f |\n' "$outcome" "$learner" "$mens" "$womens" "$secs"
  done
done
