#!/usr/bin/env bash
# Calibration of the plan's promise on simulated campaigns whose true uplift per client is known.
# For each seed: simulate a retail chain, ingest, build features at the campaign's cutoff, train a T-learner
# (which writes out-of-fold scores for every campaign client), plan on those scores, and compare the plan's
# measured extra conversions (plan.json test_estimate: estimate and 95% range) with the true sum of uplift
# over the clients the plan chose (truth.csv). Prints one line per seed and the summary:
#   coverage = share of seeds whose 95% range covers the true sum   (asked: >= 0.90)
#   mean error = mean of (estimate - truth) / truth over the seeds   (asked: within +-5%)
# usage: plan_coverage.sh UPLIFTCTL WORKDIR [SEEDS=20] [CLIENTS=20000]
# exit: 0 when both targets hold, 1 otherwise.
set -euo pipefail
bin=$1
work=$2
seeds=${3:-20}
clients=${4:-20000}
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
rm -rf "$work" && mkdir -p "$work"
results="$work/results.tsv"
: > "$results"
for seed in $(seq 1 "$seeds"); do
  d="$work/seed$seed"
  mkdir -p "$d"
  "$bin" simulate --clients "$clients" --seed "$seed" --out "$d/raw" -q > /dev/null
  cutoff=$(sed -n 's/.*"cutoff": *"\([0-9-]*\)".*/\1/p' "$d/raw/simulate.json")
  "$bin" ingest --clients "$d/raw/clients.csv" --purchases "$d/raw/purchases.csv" --products "$d/raw/products.csv" \
    --campaign "$d/raw/campaign.csv" --out "$d/data" -q > /dev/null
  "$bin" features --data "$d/data" --cutoff "$cutoff" -o "$d/features.parquet" -q > /dev/null
  "$bin" train -i "$d/features.parquet" -o "$d/model" --learner t --seed "$seed" -q > /dev/null
  # A contact costs 0.1 and a purchase is worth 1: the plan takes the clients whose uplift pays for the contact.
  "$bin" optimize -s "$d/model/out_of_fold.parquet" --budget 500 --contact-cost 0.1 --value 1 \
    -o "$d/plan.csv" -q > /dev/null
  node - "$d/plan.json" "$d/plan.csv" "$d/raw/truth.csv" "$seed" >> "$results" <<'JS'
const fs = require('fs');
const [planJson, planCsv, truthCsv, seed] = process.argv.slice(2);
const plan = JSON.parse(fs.readFileSync(planJson, 'utf8'));
const t = plan.test_estimate;
if (!t) { console.error(`seed ${seed}: plan.json has no test_estimate`); process.exit(1); }
const uplift = new Map();
const truthLines = fs.readFileSync(truthCsv, 'utf8').trim().split('\n');
const th = truthLines[0].split(',');
for (const line of truthLines.slice(1)) {
  const f = line.split(',');
  uplift.set(f[th.indexOf('client_id')], Number(f[th.indexOf('uplift')]));
}
const planLines = fs.readFileSync(planCsv, 'utf8').trim().split('\n');
const ph = planLines[0].split(',');
let truth = 0, n = 0;
for (const line of planLines.slice(1)) {
  const id = line.split(',')[ph.indexOf('client_id')];
  if (!uplift.has(id)) { console.error(`seed ${seed}: client ${id} of the plan is not in truth.csv`); process.exit(1); }
  truth += uplift.get(id);
  n += 1;
}
const e = t.incremental_conversions;
const covered = e.low <= truth && truth <= e.high ? 1 : 0;
console.log([seed, n, t.measured, truth.toFixed(3), e.estimate.toFixed(3), e.low.toFixed(3), e.high.toFixed(3),
  e.model_forecast.toFixed(3), covered].join('\t'));
JS
  tail -n 1 "$results" >&2
  rm -rf "$d/raw" "$d/data"  # keep the plan and model, drop the bulky tables
done
node - "$results" <<'JS'
const fs = require('fs');
const rows = fs.readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => l.split('\t').map(Number));
const coverage = rows.reduce((s, r) => s + r[8], 0) / rows.length;
const meanError = rows.reduce((s, r) => s + (r[4] - r[3]) / r[3], 0) / rows.length;
const forecastError = rows.reduce((s, r) => s + (r[7] - r[3]) / r[3], 0) / rows.length;
const clients = rows.reduce((s, r) => s + r[1], 0) / rows.length;
console.log(`seeds ${rows.length}, planned clients per seed ${clients.toFixed(0)} (mean)`);
console.log(`coverage of the 95% range: ${(100 * coverage).toFixed(1)}% (asked: at least 90%)`);
console.log(`mean error of the estimate: ${(100 * meanError).toFixed(2)}% of the true sum (asked: within 5%)`);
console.log(`mean error of the model's own forecast: ${(100 * forecastError).toFixed(2)}% (shown for comparison)`);
process.exit(coverage >= 0.9 && Math.abs(meanError) <= 0.05 ? 0 : 1);
JS
