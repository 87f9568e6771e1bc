#!/usr/bin/env bash
# A full disk: ingest (flat and retail), features, train, score, optimize and report write their outputs onto a tiny tmpfs. Each must fail with exit 4
# and one "upliftctl: error:" line, and leave nothing behind on it: neither the final name nor a temporary.
# Needs root (mount); anywhere else it exits 77, which CTest reports as skipped (SKIP_RETURN_CODE).
#   full_disk.sh UPLIFTCTL HILLSTROM_CSV WORKDIR
set -uo pipefail
upliftctl=$1 hillstrom=$2 work=$3
skip=77
umount "$work/disk" 2>/dev/null  # left mounted by a run that was killed
rm -rf "$work" && mkdir -p "$work/src" "$work/disk" || exit 1
if ! mount -t tmpfs -o size=64k tmpfs "$work/disk" 2>"$work/mount.err"; then
    echo "SKIP: cannot mount a tmpfs here: $(cat "$work/mount.err")"
    exit $skip
fi
trap 'umount "$work/disk"' EXIT
disk=$work/disk
failures=0

# Inputs live off the small disk; each case writes an output too large for what is left on it.
run_src() { "$upliftctl" "$@" >/dev/null 2>"$work/src.err" || { echo "setup failed: $*"; cat "$work/src.err"; exit 1; }; }
run_src ingest -i "$hillstrom" -o "$work/src/dataset.parquet" --treatment segment --control "No E-Mail" \
    --outcome visit --treatment-level "Womens E-Mail" --drop conversion,spend
run_src features -i "$work/src/dataset.parquet" -o "$work/src/features.parquet"
run_src train -i "$work/src/features.parquet" -o "$work/src/model" --learner t --holdout 0.3 --seed 7
run_src score -m "$work/src/model" -i "$work/src/features.parquet" -o "$work/src/scores.parquet"
run_src simulate --clients 300 --out "$work/src/retail" --seed 3

# expect_full NAME FINAL_NAME... -- upliftctl ARGS...
expect_full() {
    local name=$1; shift
    local finals=()
    while [[ $1 != -- ]]; do finals+=("$1"); shift; done
    shift
    "$upliftctl" "$@" >"$work/$name.out" 2>"$work/$name.err"
    local rc=$?
    local problems=""
    [[ $rc == 4 ]] || problems+="exit code $rc, expected 4; "
    local errors
    errors=$(grep -c '^upliftctl: error: ' "$work/$name.err")
    [[ $errors == 1 ]] || problems+="$errors 'upliftctl: error:' lines on stderr, expected 1; "
    grep -qi 'no space left on device' "$work/$name.err" || problems+="stderr does not name the full disk; "
    for f in "${finals[@]}"; do
        [[ -e $disk/$f ]] && problems+="'$f' exists under its final name; "
    done
    local left
    left=$(ls -A "$disk")
    [[ -z $left ]] || problems+="left on the disk: $(echo $left); "
    if [[ -n $problems ]]; then
        echo "FAIL $name: $problems"
        echo "--- stderr ---"; cat "$work/$name.err"
        failures=$((failures + 1))
    else
        echo "ok $name: $(cat "$work/$name.err")"
    fi
    rm -rf "${disk:?}"/* "${disk:?}"/.[!.]* 2>/dev/null
}

expect_full ingest dataset.parquet dataset.rejects.csv dataset.ingest.json -- \
    ingest -i "$hillstrom" -o "$disk/dataset.parquet" --treatment segment --control "No E-Mail" \
    --outcome visit --treatment-level "Womens E-Mail" --drop conversion,spend
expect_full train model -- \
    train -i "$work/src/features.parquet" -o "$disk/model" --learner t --holdout 0.3 --seed 7
expect_full optimize plan.csv plan.json -- \
    optimize -s "$work/src/scores.parquet" --budget 1000 --contact-cost 0.1 --value 2 -o "$disk/plan.csv"
expect_full optimize_parquet plan.parquet plan.json -- \
    optimize -s "$work/src/scores.parquet" --budget 1000 --contact-cost 0.1 --value 2 -o "$disk/plan.parquet"
expect_full features features.parquet -- \
    features -i "$work/src/dataset.parquet" -o "$disk/features.parquet"
expect_full score scores.parquet -- \
    score -m "$work/src/model" -i "$work/src/features.parquet" -o "$disk/scores.parquet"
run_src optimize -s "$work/src/scores.parquet" --budget 1000 --contact-cost 0.1 --value 2 -o "$work/src/plan.csv"
expect_full report report.html report.md -- \
    report -s "$work/src/model/holdout.parquet" --model "$work/src/model" --plan "$work/src/plan.json" \
    -o "$disk/report.md" -o "$disk/report.html"
expect_full ingest_retail retail -- \
    ingest --clients "$work/src/retail/clients.csv" --purchases "$work/src/retail/purchases.csv" \
    --products "$work/src/retail/products.csv" --campaign "$work/src/retail/campaign.csv" --out "$disk/retail" \
    --max-reject-rate 1
exit $((failures > 0))
