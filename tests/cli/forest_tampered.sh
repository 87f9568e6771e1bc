#!/usr/bin/env bash
# A forest bundle whose base/forest.json changed after training is refused by score with exit 5, one line
# naming the file, and no output.
#   forest_tampered.sh UPLIFTCTL MODEL_DIR FEATURES WORKDIR
set -uo pipefail
upliftctl=$1 model=$2 features=$3 work=$4
rm -rf "$work" && mkdir -p "$work" && cp -r "$model" "$work/model" || exit 1
cd "$work" || exit 1
# One digit of the first leaf mean changed: still valid JSON, but not the trained forest.
sed -i 's/"mean":\[0\./"mean":[1./' model/base/forest.json
"$upliftctl" score -m model -i "$features" -o s.parquet 2>err.txt
rc=$?
[ "$rc" -eq 5 ] || { echo "FAIL: exit $rc, expected 5"; cat err.txt; exit 1; }
grep -q "forest.json' changed after training" err.txt || { echo "FAIL: message"; cat err.txt; exit 1; }
[ "$(wc -l <err.txt)" -eq 1 ] || { echo "FAIL: more than one line"; cat err.txt; exit 1; }
[ ! -e s.parquet ] || { echo "FAIL: output written"; exit 1; }
echo ok
