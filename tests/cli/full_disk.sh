#!/usr/bin/env bash
# A full disk: ingest (flat and retail), features, train, score, optimize and report write their outputs onto a tiny tmpfs. Each must fail with exit 4
# and one "upliftctl: error:" line, and leave nothing behind on it: neither the final name nor a temporary.
# Needs root (mount); anywhere else it exits 77, which CTest reports as skipped (SKIP_RETURN_CODE).
#   full_disk.sh UPLIFTCTL HILLSTROM_CSV WORKDIR
set -uo pipefail
upliftctl=$1 hillstrom=$2 work=$3
source "$(dirname "$0")/mounted_output.sh"
disk=$work/disk
fresh_work "$disk"
mount_or_skip "$disk" "a tmpfs" "mount -t tmpfs -o size=64k tmpfs '$disk'"
failures=0

# Inputs live off the small disk; each case writes an output too large for what is left on it.
make_sources 300
run_src train -i "$work/src/features.parquet" -o "$work/src/model" --learner t --holdout 0.3 --seed 7
run_src score -m "$work/src/model" -i "$work/src/features.parquet" -o "$work/src/scores.parquet"

full='no space left on device'
expect_io ingest "$full" "$disk" -- \
    ingest -i "$hillstrom" -o "$disk/dataset.parquet" --treatment segment --control "No E-Mail" \
    --outcome visit --treatment-level "Womens E-Mail" --drop conversion,spend
expect_io train "$full" "$disk" -- \
    train -i "$work/src/features.parquet" -o "$disk/model" --learner t --holdout 0.3 --seed 7
expect_io optimize "$full" "$disk" -- \
    optimize -s "$work/src/scores.parquet" --budget 1000 --contact-cost 0.1 --value 2 -o "$disk/plan.csv"
expect_io optimize_parquet "$full" "$disk" -- \
    optimize -s "$work/src/scores.parquet" --budget 1000 --contact-cost 0.1 --value 2 -o "$disk/plan.parquet"
expect_io features "$full" "$disk" -- \
    features -i "$work/src/dataset.parquet" -o "$disk/features.parquet"
expect_io score "$full" "$disk" -- \
    score -m "$work/src/model" -i "$work/src/features.parquet" -o "$disk/scores.parquet"
run_src optimize -s "$work/src/scores.parquet" --budget 1000 --contact-cost 0.1 --value 2 -o "$work/src/plan.csv"
expect_io report "$full" "$disk" -- \
    report -s "$work/src/model/holdout.parquet" --model "$work/src/model" --plan "$work/src/plan.json" \
    -o "$disk/report.md" -o "$disk/report.html"
expect_io ingest_retail "$full" "$disk" -- \
    ingest --clients "$work/src/retail/clients.csv" --purchases "$work/src/retail/purchases.csv" \
    --products "$work/src/retail/products.csv" --campaign "$work/src/retail/campaign.csv" --out "$disk/retail" \
    --max-reject-rate 1
exit $((failures > 0))
