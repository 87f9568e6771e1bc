#!/usr/bin/env bash
# A read-only output folder: retail ingest, train and simulate must fail with exit 4 (I/O) and one
# "upliftctl: error:" line, and leave nothing in the folder. As root (which permissions do not stop) the
# folder is a read-only bind mount; elsewhere it is a folder without write permission.
#   read_only.sh UPLIFTCTL HILLSTROM_CSV WORKDIR
set -uo pipefail
upliftctl=$1 hillstrom=$2 work=$3
source "$(dirname "$0")/mounted_output.sh"
ro=$work/ro
fresh_work "$ro"
if [[ $(id -u) == 0 ]]; then
    mount_or_skip "$ro" "a read-only bind mount" "mount --bind '$ro' '$ro'" "mount -o remount,ro,bind '$ro' '$ro'"
else
    chmod a-w "$ro"
    trap 'chmod u+w "$ro"' EXIT
fi
failures=0
make_sources 100

why='read-only file system|permission denied'
expect_io ingest_retail "$why" "$ro" -- ingest --clients "$work/src/retail/clients.csv" \
    --purchases "$work/src/retail/purchases.csv" --products "$work/src/retail/products.csv" \
    --campaign "$work/src/retail/campaign.csv" --out "$ro/retail" --max-reject-rate 1
expect_io train "$why" "$ro" -- train -i "$work/src/features.parquet" -o "$ro/model" --learner t --holdout 0.3 --seed 7
expect_io simulate "$why" "$ro" -- simulate --clients 100 --out "$ro/sim" --seed 3
exit $((failures > 0))
