#!/usr/bin/env bash
# ingest → features → train → score with every intermediate in CSV: text ids of digits ("01" and "1" are two
# clients) must come out of score as they went into ingest, and a text column whose first values are digits
# must stay text. Each reader takes the column types from the
# CSV's .meta.json sidecar; DuckDB's sampling would read the ids as numbers and merge such clients.
#   csv_chain_types.sh UPLIFTCTL WORKDIR
set -euo pipefail
upliftctl=$1 work=$2
rm -rf "$work" && mkdir -p "$work" && cd "$work"
# 45,000 clients: ids n and 0n; `shop` is text (most values are words) but its first 22,000 values are
# digits, all DuckDB's sampling sees of a 45,000-row file.
awk 'BEGIN {
  print "cid,arm,y,x,shop"
  for (n = 1; n <= 22500; n++) {
    for (k = 0; k < 2; k++) {
      row = 2 * (n - 1) + k
      id = (k == 0 ? n : "0" n)
      shop = (row < 22000 ? row % 5 : (row % 2 ? "north" : "south"))
      printf "%s,%d,%d,%d,%s\n", id, (n + k) % 2, (n % 3 == 0), n % 17, shop
    }
  }
}' > raw.csv
"$upliftctl" ingest -i raw.csv -o dataset.csv --id cid --treatment arm --control 0 --outcome y -q
"$upliftctl" features -i dataset.csv -o features.csv -q
"$upliftctl" train -i features.csv -o model --rounds 3 --oof-folds 0 --permutation-repeats 0 --holdout 0.2 -q
"$upliftctl" score -m model -i features.csv -o scores.csv -q
want=$(tail -n +2 raw.csv | cut -d, -f1 | LC_ALL=C sort)
for f in features.csv scores.csv; do
  got=$(tail -n +2 "$f" | cut -d, -f1 | LC_ALL=C sort)
  if [[ $got != "$want" ]]; then
    echo "FAIL: the ids of $f differ from the input's: $(diff <(echo "$want") <(echo "$got") | head -5 | tr '\n' ' ')"
    exit 1
  fi
done
echo "ok: 45000 ids, '01' and '1' kept apart, and the text column shop read as text, through features.csv and scores.csv"
