#!/usr/bin/env bash
# Two runs writing one output at once (issue 16, item 7), and temporaries left by a killed run (item 11).
#   concurrent_writers.sh UPLIFTCTL MODEL_DIR FEATURES WORKDIR
# - Pairs of `score` runs start together on the same new output, without --overwrite: exactly one may
#   succeed, the other fails with one error line (exit 2 if it saw the file at its start, 4 if the file
#   appeared while it ran), and the file left is the winner's, whole (same bytes as a lone run's).
# - A `.NAME.tmp-PID-N` folder two days old, of a process that is gone, is removed by the next run in that
#   folder, which says so on stderr; a fresh one is kept.
set -uo pipefail
upliftctl=$1 model=$2 features=$3 work=$4
rm -rf "$work" && mkdir -p "$work" || exit 1
cd "$work" || exit 1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

"$upliftctl" score -q -m "$model" -i "$features" -o lone.parquet || { echo "setup: lone score failed"; exit 1; }
for pair in 1 2 3 4; do
    out=race_$pair.parquet
    "$upliftctl" score -q -m "$model" -i "$features" -o "$out" 2>a.err & a=$!
    "$upliftctl" score -q -m "$model" -i "$features" -o "$out" 2>b.err & b=$!
    wait $a; ra=$?
    wait $b; rb=$?
    winners=$(( (ra == 0) + (rb == 0) ))
    [ "$winners" -eq 1 ] || fail "pair $pair: $winners runs exited 0 (exits $ra, $rb)"
    for side in a b; do
        rc=$([ $side = a ] && echo $ra || echo $rb)
        [ "$rc" -eq 0 ] && continue
        [ "$rc" -eq 2 ] || [ "$rc" -eq 4 ] || fail "pair $pair: the losing run exited $rc"
        [ "$(wc -l < $side.err)" -eq 1 ] || fail "pair $pair: the losing run printed $(wc -l < $side.err) lines"
        grep -Eq '^upliftctl: error: output .*(already exists|appeared while this run was writing it)' $side.err \
            || fail "pair $pair: unexpected message: $(cat $side.err)"
    done
    cmp -s lone.parquet "$out" || fail "pair $pair: $out is not a whole run's output"
done
leftovers=$(find . -name '.*.tmp-*' -o -name '.*.spool-*')
[ -z "$leftovers" ] || fail "temporaries left behind: $leftovers"

mkdir -p .stale.parquet.tmp-99999999-0/base && touch -d '2 days ago' .stale.parquet.tmp-99999999-0
touch .fresh.parquet.tmp-99999998-0
"$upliftctl" score -m "$model" -i "$features" -o after_kill.parquet >/dev/null 2>stale.err \
    || fail "score after a killed run failed: $(cat stale.err)"
[ ! -e .stale.parquet.tmp-99999999-0 ] || fail "the two-day-old temporary of a dead process is still there"
[ -e .fresh.parquet.tmp-99999998-0 ] || fail "a fresh temporary was removed"
grep -q "removed '.*\.stale\.parquet\.tmp-99999999-0', the temporary of an interrupted run" stale.err \
    || fail "no warning names the removed temporary: $(cat stale.err)"

[ "$failures" -eq 0 ] && echo "concurrent writers and stale temporaries: all checks passed"
exit $((failures > 0))
