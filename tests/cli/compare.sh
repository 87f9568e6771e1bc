#!/usr/bin/env bash
# Champion and challenger (issue 17): a challenger trained on shuffled outcomes is rejected with exit 7 and
# decision "reject"; the same two models the other way round promote the good one (exit 0); no champion promotes.
#   compare.sh UPLIFTCTL WORKDIR
set -uo pipefail
upliftctl=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# Two campaigns (last month's, which trained the production model, and this month's) where the offer works
# only for clients with x1 above 0.5: a model that learns it ranks them first.
campaign() {
    awk -v seed="$1" 'BEGIN { srand(seed); print "x1,x2,x3,arm,buy"
        for (i = 0; i < 3000; i++) {
            x1 = rand(); x2 = rand(); x3 = rand(); treated = rand() < 0.5
            p = 0.1 + 0.2 * x2 + (treated && x1 > 0.5 ? 0.5 : 0)
            printf "%.4f,%.4f,%.4f,%s,%d\n", x1, x2, x3, treated ? "offer" : "none", rand() < p } }'
}
# A deliberately weakened model learns from the same rows with the outcomes shuffled (seeded).
shuffle_outcomes() {
    awk -F, -v OFS=, 'BEGIN { srand(5) } NR == 1 { header = $0; next } { row[NR - 1] = $0; buy[NR - 1] = $5 }
        END { n = NR - 1; for (i = n; i > 1; i--) { j = int(rand() * i) + 1; t = buy[i]; buy[i] = buy[j]; buy[j] = t }
              print header; for (i = 1; i <= n; i++) { $0 = row[i]; $5 = buy[i]; print } }' "$1"
}
campaign 18 > last.csv
campaign 17 > campaign.csv
shuffle_outcomes last.csv > last_shuffled.csv
shuffle_outcomes campaign.csv > shuffled.csv
[ "$(cut -d, -f5 campaign.csv | sort | uniq -c)" = "$(cut -d, -f5 shuffled.csv | sort | uniq -c)" ] \
    || fail "shuffling changed the outcomes' counts"
cmp -s campaign.csv shuffled.csv && fail "shuffling changed nothing"

for name in last last_shuffled campaign shuffled; do
    "$upliftctl" ingest -q -i $name.csv -o $name.parquet --treatment arm --control none --outcome buy \
        || { echo "setup: ingest $name failed"; exit 1; }
    "$upliftctl" train -q -i $name.parquet -o model_$name --holdout 0.3 --rounds 40 --oof-folds 0 --seed 7 \
        || { echo "setup: train $name failed"; exit 1; }
done

# This month's weakened challenger against last month's good champion, on the real outcomes of its holdout rows.
"$upliftctl" compare --champion model_last --challenger model_shuffled --features campaign.parquet \
    --bootstrap 300 -o reject.json > reject.out 2> reject.err
rc=$?
[ "$rc" -eq 7 ] || fail "a challenger trained on shuffled outcomes exited $rc, expected 7: $(cat reject.err)"
grep -q '"decision": "reject"' reject.json || fail "reject.json does not say reject: $(head -c 400 reject.json)"
grep -q "error" reject.err && fail "a rejection is not an error: $(cat reject.err)"
[ "$(wc -l < reject.err)" -eq 1 ] || fail "expected one line on stderr: $(cat reject.err)"
grep -q "^upliftctl: challenger rejected (exit 7): challenger credibly worse on qini_auc" reject.err \
    || fail "unexpected rejection line: $(cat reject.err)"
grep -q "^decision   reject" reject.out || fail "the table does not show the decision: $(cat reject.out)"
grep -q '"n": 901' reject.json || fail "not the 901 holdout rows: $(grep -A3 '"rows"' reject.json)"

# The other way round: this month's good challenger replaces last month's weak champion.
"$upliftctl" compare --champion model_last_shuffled --challenger model_campaign --features campaign.parquet \
    --bootstrap 300 -o promote.json > promote.out 2> promote.err
rc=$?
[ "$rc" -eq 0 ] || fail "a good challenger exited $rc, expected 0: $(cat promote.err)"
grep -q '"decision": "promote"' promote.json || fail "promote.json does not say promote"
[ -s promote.err ] && fail "stderr not empty on promotion: $(cat promote.err)"

# The same on uplift@0.3, with the JSON on stdout (what the pipeline reads when it gives no -o).
"$upliftctl" compare --champion model_last --challenger model_shuffled --features campaign.parquet \
    --bootstrap 300 --metric uplift_at_30 > stdout.json 2> stdout.err
rc=$?
[ "$rc" -eq 7 ] || fail "--metric uplift_at_30 exited $rc, expected 7: $(cat stdout.err)"
grep -q '"metric": "uplift_at_30"' stdout.json || fail "stdout is not compare.json"

# Same bytes at any --threads.
"$upliftctl" compare --champion model_last --challenger model_shuffled --features campaign.parquet \
    --bootstrap 300 --threads 1 -q -o threads1.json 2>/dev/null
"$upliftctl" compare --champion model_last --challenger model_shuffled --features campaign.parquet \
    --bootstrap 300 --threads 3 -q -o threads3.json 2>/dev/null
cmp -s threads1.json threads3.json || fail "compare.json differs between --threads 1 and 3"

# A huge margin tolerates even the weakened model.
"$upliftctl" compare --champion model_last --challenger model_shuffled --features campaign.parquet \
    --bootstrap 300 --margin 10 -q -o margin.json 2> margin.err
rc=$?
[ "$rc" -eq 0 ] || fail "--margin 10 exited $rc, expected 0: $(cat margin.err)"

# A model against itself: a difference of exactly 0, promoted; trained on the compared file, the champion is warned of.
"$upliftctl" compare --champion model_campaign --challenger model_campaign --features campaign.parquet \
    --bootstrap 50 -o same.json > /dev/null 2> same.err
rc=$?
[ "$rc" -eq 0 ] || fail "a model against itself exited $rc, expected 0: $(cat same.err)"
python3 -c 'import json, sys; d = json.load(open("same.json"))["levels"][0]["difference"]
sys.exit(d["qini_auc"] != {"estimate": 0.0, "low": 0.0, "high": 0.0})' \
    || fail "a model against itself differs: $(grep -A4 '"difference"' same.json)"
grep -q "warning.*champion 'model_campaign' was trained on 'campaign.parquet' itself" same.err \
    || fail "no in-sample warning: $(cat same.err)"

# No champion: leaving it out, or a missing folder with --first-run-ok, promotes; a missing folder alone is exit 4.
"$upliftctl" compare --challenger model_shuffled --features campaign.parquet -q -o first.json 2> first.err
rc=$?
[ "$rc" -eq 0 ] || fail "no --champion exited $rc, expected 0: $(cat first.err)"
grep -q '"reason": "no champion"' first.json || fail "first.json does not give the reason 'no champion'"
grep -q '"champion": null' first.json || fail "first.json names a champion"
"$upliftctl" compare --champion prod_missing --first-run-ok --challenger model_shuffled --features campaign.parquet \
    -q -o first_ok.json 2> first_ok.err
rc=$?
[ "$rc" -eq 0 ] || fail "--first-run-ok exited $rc, expected 0: $(cat first_ok.err)"
grep -q '"reason": "no champion"' first_ok.json || fail "first_ok.json does not give the reason 'no champion'"
"$upliftctl" compare --champion prod_missing --challenger model_shuffled --features campaign.parquet \
    -o missing.json 2> missing.err
rc=$?
[ "$rc" -eq 4 ] || fail "a missing champion folder exited $rc, expected 4"
grep -q "^upliftctl: error: champion model folder 'prod_missing' does not exist; .*--first-run-ok" missing.err \
    || fail "unexpected message: $(cat missing.err)"
[ ! -e missing.json ] || fail "a failed compare left missing.json"

# The challenger's rows lack a feature the champion needs: one line naming it, exit 5.
"$upliftctl" ingest -q -i campaign.csv -o narrow.parquet --treatment arm --control none --outcome buy --drop x3 \
    || { echo "setup: ingest narrow failed"; exit 1; }
"$upliftctl" train -q -i narrow.parquet -o model_narrow --holdout 0.3 --rounds 10 --oof-folds 0 --seed 7 \
    || { echo "setup: train narrow failed"; exit 1; }
"$upliftctl" compare --champion model_last --challenger model_narrow --features narrow.parquet -o narrow.json \
    2> narrow.err
rc=$?
[ "$rc" -eq 5 ] || fail "a champion missing a feature exited $rc, expected 5: $(cat narrow.err)"
grep -q "^upliftctl: error: champion 'model_last' cannot score the compared rows: .*x3" narrow.err \
    || fail "unexpected message: $(cat narrow.err)"
[ -z "$(find . -name '.*.tmp-*')" ] || fail "temporaries left behind"

[ "$failures" -eq 0 ] && echo "compare: all checks passed"
exit $((failures > 0))
