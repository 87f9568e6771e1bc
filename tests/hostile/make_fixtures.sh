#!/usr/bin/env bash
# Builds the small, good artifacts the hostile cases start from, once per test run: a 2,000-row flat
# extract of Hillstrom, its dataset, features, a cheap model, scores, a plan, and a 300-client simulated
# retail folder with its ingested tables. Cases only read these; each case copies what it damages.
#
#   make_fixtures.sh UPLIFTCTL HILLSTROM_CSV FIX_DIR
set -euo pipefail
upliftctl=$1 hillstrom=$2 fix=$3
rm -rf "$fix" && mkdir -p "$fix" && cd "$fix"
run() { "$upliftctl" "$@" >/dev/null; }

head -n 2001 "$hillstrom" > flat.csv
run ingest -i flat.csv -o dataset.parquet --treatment segment --control "No E-Mail" --outcome visit \
    --treatment-level "Womens E-Mail" --drop conversion,spend
run features -i dataset.parquet -o features.parquet
# Few shallow trees and two out-of-fold folds keep the model cheap; its shape is what the cases need.
run train -i features.parquet -o model --rounds 5 --max-depth 2 --early-stopping 0 --oof-folds 2 \
    --permutation-repeats 0 --seed 7 -q
run score -m model -i features.parquet -o scores.parquet -q
run optimize -s model/out_of_fold.parquet --budget 50 --contact-cost 0.1 --value 2 -o plan.csv
cat > offers.json <<'JSON'
{"channels": {"email": 0.1},
 "offers": [{"level": "Womens E-Mail", "kind": "percent", "value": 0.1, "channel": "email"}]}
JSON

run simulate --clients 300 --out raw --seed 3
run ingest --clients raw/clients.csv --purchases raw/purchases.csv --products raw/products.csv \
    --campaign raw/campaign.csv --out retail
