#!/usr/bin/env bash
# A read-only output folder: retail ingest, train and simulate must fail with exit 4 (I/O) and one
# "upliftctl: error:" line, and leave nothing in the folder. As root (which permissions do not stop) the
# folder is a read-only bind mount; elsewhere it is a folder without write permission.
#   read_only.sh UPLIFTCTL HILLSTROM_CSV WORKDIR
set -uo pipefail
upliftctl=$1 hillstrom=$2 work=$3
umount "$work/ro" 2>/dev/null  # left mounted by a run that was killed
chmod -R u+w "$work" 2>/dev/null
rm -rf "$work" && mkdir -p "$work/src" "$work/ro" || exit 1
if [[ $(id -u) == 0 ]]; then
    if ! mount --bind "$work/ro" "$work/ro" 2>"$work/mount.err" || ! mount -o remount,ro,bind "$work/ro" "$work/ro" 2>>"$work/mount.err"; then
        umount "$work/ro" 2>/dev/null
        echo "SKIP: cannot make a read-only bind mount here: $(cat "$work/mount.err")"
        exit 77
    fi
    trap 'umount "$work/ro"' EXIT
else
    chmod a-w "$work/ro"
    trap 'chmod u+w "$work/ro"' EXIT
fi
ro=$work/ro
failures=0

run_src() { "$upliftctl" "$@" >/dev/null 2>"$work/src.err" || { echo "setup failed: $*"; cat "$work/src.err"; exit 1; }; }
run_src ingest -i "$hillstrom" -o "$work/src/dataset.parquet" --treatment segment --control "No E-Mail" \
    --outcome visit --treatment-level "Womens E-Mail" --drop conversion,spend
run_src features -i "$work/src/dataset.parquet" -o "$work/src/features.parquet"
run_src simulate --clients 100 --out "$work/src/retail" --seed 3

# expect_io NAME -- upliftctl ARGS...
expect_io() {
    local name=$1; shift 2
    "$upliftctl" "$@" >"$work/$name.out" 2>"$work/$name.err"
    local rc=$? problems=""
    [[ $rc == 4 ]] || problems+="exit code $rc, expected 4; "
    local errors
    errors=$(grep -c '^upliftctl: error: ' "$work/$name.err")
    [[ $errors == 1 ]] || problems+="$errors 'upliftctl: error:' lines on stderr, expected 1; "
    grep -Eqi 'read-only file system|permission denied' "$work/$name.err" || problems+="stderr does not say why; "
    [[ -z $(ls -A "$ro") ]] || problems+="left in the folder: $(ls -A "$ro"); "
    if [[ -n $problems ]]; then
        echo "FAIL $name: $problems"; echo "--- stderr ---"; cat "$work/$name.err"
        failures=$((failures + 1))
    else
        echo "ok $name: $(cat "$work/$name.err")"
    fi
}

expect_io ingest_retail -- ingest --clients "$work/src/retail/clients.csv" --purchases "$work/src/retail/purchases.csv" \
    --products "$work/src/retail/products.csv" --campaign "$work/src/retail/campaign.csv" --out "$ro/retail" \
    --max-reject-rate 1
expect_io train -- train -i "$work/src/features.parquet" -o "$ro/model" --learner t --holdout 0.3 --seed 7
expect_io simulate -- simulate --clients 100 --out "$ro/sim" --seed 3
exit $((failures > 0))
