#!/usr/bin/env bash
# Rebuilds the small bad-input fixtures in tests/data/ from the bundled Hillstrom file.
# Deterministic (no randomness): the same input always gives the same fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."
src=examples/data/hillstrom.csv
# Outcome column (visit, 10th) holds words in two rows of every three: the run must fail (exit 3).
tr -d '\r' <"$src" | sed -n 1,301p | awk 'BEGIN{FS=OFS=","} NR==1{print; next} {n=split($0,f,","); if ((NR-2)%3) f[n-2]="yes"; s=f[1]; for(i=2;i<=n;i++) s=s "," f[i]; print s}' >tests/data/outcome_words.csv
# 3000 good rows, then: one outcome that is a word, one row cut short.
tr -d '\r' <"$src" | sed -n 1,3001p | awk 'BEGIN{FS=OFS=","} NR==1501{n=split($0,f,","); f[n-2]="maybe"; s=f[1]; for(i=2;i<=n;i++) s=s "," f[i]; print s; next} NR==2001{print "5,2) $100 - $200,140.74"; next} {print}' >tests/data/one_bad_row.csv
echo "made tests/data/outcome_words.csv tests/data/one_bad_row.csv" >&2
# 3000 rows with zero-padded ten-digit client ids (0000002051, 0000002058, ...): they must reach plan.csv exact.
tr -d '\r' <"$src" | sed -n 1,3001p | awk 'BEGIN{FS=OFS=","} NR==1{print "client_id," $0; next} {printf "%010d,%s\n", 2044 + 7 * (NR - 1), $0}' >tests/data/padded_ids.csv
echo "made tests/data/padded_ids.csv" >&2
# 3000 rows, line 3's history is the word n/a: one reject, and history stays a number.
tr -d '\r' <"$src" | sed -n 1,3001p | sed '3s/,329.08,/,n\/a,/' >tests/data/one_bad_value.csv
# 3000 rows, line 52 opens a quote it never closes: that line alone is rejected, named.
tr -d '\r' <"$src" | sed -n 1,3001p | sed '52s/,Surburban,/,"Surburban,/' >tests/data/unclosed_quote.csv
echo "made tests/data/one_bad_value.csv tests/data/unclosed_quote.csv" >&2
