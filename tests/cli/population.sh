#!/usr/bin/env bash
# Scoring the whole client base with last month's model (issue 17): features at a later cutoff, from a folder
# with another catalogue and no campaign, for every client (--population all) and exactly the model's columns
# (--like), scored without a column mismatch; a list of ids with an unknown one; the far-cutoff check; train
# refusing a file for scoring only.
#   population.sh UPLIFTCTL WORKDIR
set -uo pipefail
upliftctl=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
run() { "$upliftctl" "$@" || { echo "setup failed: $*"; exit 1; }; }

# Last month: a campaign, features at its cutoff, a model. This month: other clients, another catalogue (its
# level_1 categories are other ids), no campaign, a later cutoff.
run simulate -q --clients 1500 --seed 3 -o march
run simulate -q --clients 1500 --seed 5 --cutoff 2019-05-01 -o april
run ingest -q --clients march/clients.csv --purchases march/purchases.csv --products march/products.csv \
    --campaign march/campaign.csv --out march_data
run ingest -q --clients april/clients.csv --purchases april/purchases.csv --products april/products.csv \
    --out april_data
[ ! -e april_data/campaign.parquet ] || fail "ingest without --campaign wrote campaign.parquet"
run features -q --data march_data --cutoff 2019-03-19 -o march.csv
run train -q -i march.csv -o model --rounds 20 --permutation-repeats 0 --seed 3
head -1 march.csv | grep -q 'level_1_share___other__' || fail "training features have no __other__ column"

# (1) --population all --like model: exactly the model's columns, in its order; then scored.
"$upliftctl" features --data april_data --cutoff 2019-05-01 --population all --like model -o april.csv \
    >like.out 2>like.err || fail "features --like failed: $(cat like.err)"
[ "$(head -1 april.csv)" = "$(head -1 march.csv | sed 's/,treatment_flg,target//')" ] \
    || fail "--like columns differ from the model's: $(head -1 april.csv)"
grep -q "3 product categories model 'model' never saw (.*) fold into its level_1_share___other__: [0-9]* of the clients" like.err \
    || fail "no warning counts the folded categories: $(cat like.err)"
grep -q "3 product categories model 'model' knew are not in this catalogue" like.err \
    || fail "no warning names the zeroed categories: $(cat like.err)"
grep -q "population all: no treatment or target, for scoring only" like.out || fail "summary: $(cat like.out)"
"$upliftctl" score -m model -i april.csv -o april_scores.csv >score.out 2>score.err \
    || fail "score on --like features failed: $(cat score.err)"
grep -q "lacks" score.err && fail "score reports a column mismatch: $(cat score.err)"
[ "$(wc -l < april_scores.csv)" -eq "$(wc -l < april.csv)" ] || fail "not every client was scored"
head -1 april_scores.csv | grep -q "treatment_flg" && fail "scores of scoring-only rows carry a treatment column"

# score lines up features built without --like by the same rule, with counted warnings.
run features -q --data april_data --cutoff 2019-05-01 -o april_plain.parquet
"$upliftctl" score -m model -i april_plain.parquet -o plain_scores.parquet >/dev/null 2>plain.err \
    || fail "score on features of another catalogue failed: $(cat plain.err)"
grep -q "3 product-mix column(s) the model never saw (.*) folded into its level_1_share___other__: [0-9]* rows" plain.err \
    || fail "score: no fold warning: $(cat plain.err)"

# (2) A list of ids: kept byte for byte, an unknown id reported.
{ echo "client_id"; sed -n '2p;3p' april/clients.csv | cut -d, -f1; echo "0000000000"; } > ids.csv
"$upliftctl" features --data april_data --cutoff 2019-05-01 --population ids.csv -o ids_features.csv \
    >ids.out 2>ids.err || fail "--population FILE failed: $(cat ids.err)"
grep -q "1 of 3 client id(s) of the population (ids.csv) are not in '.*clients.parquet' and get no feature row (e.g. '0000000000')" ids.err \
    || fail "the unknown id is not reported: $(cat ids.err)"
[ "$(wc -l < ids_features.csv)" -eq 3 ] || fail "expected 2 rows for the 2 known ids"

# (3) A cutoff far after the history: exit 3 unless allowed.
"$upliftctl" features --data april_data --cutoff 2021-01-01 --population all -o far.parquet >/dev/null 2>far.err
rc=$?
[ "$rc" -eq 3 ] || fail "far cutoff exited $rc, expected 3"
grep -q "^upliftctl: error: --cutoff 2021-01-01 is [0-9]* days after the last purchase .*--allow-outside-history" far.err \
    || fail "far cutoff message: $(cat far.err)"
[ ! -e far.parquet ] || fail "far cutoff left an output"
"$upliftctl" features -q --data april_data --cutoff 2021-01-01 --population all --allow-outside-history \
    -o far.parquet 2>/dev/null || fail "--allow-outside-history did not allow the far cutoff"

# (4) train refuses a file for scoring only.
"$upliftctl" train -i april.csv -o refused >/dev/null 2>train.err
rc=$?
[ "$rc" -eq 3 ] || fail "train on scoring-only features exited $rc, expected 3"
grep -q "^upliftctl: error: 'april.csv' is for scoring only" train.err || fail "train message: $(cat train.err)"

# A campaign file without outcomes (a CRM list of clients to contact) ingests as a client list.
cut -d, -f1 april/campaign.csv > list.csv
run ingest -q --clients april/clients.csv --purchases april/purchases.csv --campaign list.csv --out list_data
run features -q --data list_data --cutoff 2019-05-01 -o list.csv.out.csv
head -1 list.csv.out.csv | grep -q "treatment_flg" && fail "a client list produced a treatment column"

[ "$failures" -eq 0 ] && echo "population: all checks passed"
exit $((failures > 0))
