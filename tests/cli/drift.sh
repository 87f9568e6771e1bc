#!/usr/bin/env bash
# Drift at score time (issue 17): the model's training distributions in model.json, a warning naming the
# shifted features, and exit 6 with no scores under --drift-fail.
#   drift.sh UPLIFTCTL MODEL_DIR DATASET WORKDIR   (the Hillstrom model and dataset of the cli:hs_* tests)
set -uo pipefail
upliftctl=$1 model=$2 dataset=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

grep -q '"drift_reference"' "$model/model.json" || fail "model.json has no drift_reference"
"$upliftctl" features -q -i "$dataset" -o features.csv || { echo "setup: features failed"; exit 1; }

# The campaign's own clients: nothing drifted, so no drift warning.
"$upliftctl" score -q -m "$model" -i features.csv -o same.parquet 2>same.err || fail "score on the same clients failed"
"$upliftctl" score -m "$model" -i features.csv -o same_loud.parquet >/dev/null 2>same_loud.err
grep -q "drift" same_loud.err && fail "drift reported for the training population: $(cat same_loud.err)"

# Next month gone wrong: recency counted from a cutoff a year late (as a cutoff set in the wrong year).
# (The header quotes names holding commas, so the column is found on the data's field count: recency is 4th.)
awk -F, -v OFS=, 'NR == 1 { print; next } { $4 = $4 + 12; print }' features.csv > shifted.csv
head -1 shifted.csv | cut -d, -f4 | grep -qx recency || fail "recency is not the 4th column of features.csv"
"$upliftctl" score -m "$model" -i shifted.csv -o shifted.parquet >/dev/null 2>shifted.err \
    || fail "score on shifted features failed: $(cat shifted.err)"
grep -q "drift against the training rows: feature 'recency': PSI [0-9.]* (major shift), 100.0% outside the training range" shifted.err \
    || fail "no warning names recency, wholly outside its training range: $(cat shifted.err)"
grep -q "feature 'history'" shifted.err && fail "history did not move but is reported: $(cat shifted.err)"
[ -f shifted.parquet ] || fail "warnings alone must not stop the scores"

"$upliftctl" score -m "$model" -i shifted.csv -o gated.parquet --drift-fail 0.25 >/dev/null 2>gated.err
rc=$?
[ "$rc" -eq 6 ] || fail "--drift-fail exited $rc, expected 6"
[ "$(wc -l < gated.err)" -eq 1 ] || fail "--drift-fail printed $(wc -l < gated.err) lines: $(cat gated.err)"
grep -q "^upliftctl: error: [0-9]* of the model's inputs drifted past --drift-fail 0.25 .*no scores written" gated.err \
    || fail "unexpected message: $(cat gated.err)"
[ ! -e gated.parquet ] || fail "--drift-fail left gated.parquet"
[ -z "$(find . -name '.*.tmp-*' -o -name '.*.spool-*')" ] || fail "temporaries left behind"

[ "$failures" -eq 0 ] && echo "drift: all checks passed"
exit $((failures > 0))
