#!/usr/bin/env bash
# Runs one hostile-input case (tests/hostile/cases/NAME.case) and checks the contract every bad input must
# keep: the documented exit code, exactly one stderr line `upliftctl: error: ...` holding the case's phrase,
# nothing under any output name, no hidden temporary leftovers, and every file that existed before the run
# byte-identical after it.
#
#   run_case.sh CASE_FILE UPLIFTCTL FIX_DIR WORK_ROOT
#
# Case fields, one per line ("key: value"); `setup` may repeat and its lines run in order:
#   what     one line saying what hostile input this is
#   setup    shell run in $W before the command (builds the hostile input)
#   run      the command line; $UPLIFTCTL, $FIX (shared fixtures, read-only) and $W (the case's folder)
#   exit     expected exit code: 2, 3, 4, 5 or 130; 0 and 1 are refused (a hostile input never succeeds,
#            and 1 means a bug)
#   phrase   fixed text the error line must contain
#   outputs  names (relative to $W, space-separated) that must not exist afterwards
#   skip     `root` skips the case when run as root (permission cases: root reads a chmod 000 file)
# Exit status: 0 pass, 1 fail (the reason on stderr, prefixed FAIL:), 77 skipped.
set -u
case_file=$1 UPLIFTCTL=$2 FIX=$3 work_root=$4
name=$(basename "$case_file" .case)
W=$work_root/$name
export UPLIFTCTL FIX W

fail() { echo "FAIL: $name: $*" >&2; failed=1; }
field() { sed -n "s/^$1:[[:space:]]*//p" "$case_file"; }

what=$(field what) run=$(field run) expected=$(field exit) phrase=$(field phrase)
outputs=$(field outputs) setup=$(field setup) skip=$(field skip)
for key in what run exit phrase; do
  if [[ -z $(field $key) ]]; then echo "FAIL: $name: the case has no '$key:' line" >&2; exit 1; fi
done
case $expected in
  2|3|4|5|130) ;;
  *) echo "FAIL: $name: exit $expected is not a hostile-input exit code (2, 3, 4, 5 or 130)" >&2; exit 1 ;;
esac
if [[ $skip == root && $(id -u) == 0 ]]; then
  echo "skipped: $name needs a user that permissions apply to" >&2
  exit 77
fi

rm -rf "$W" && mkdir -p "$W" && cd "$W" || exit 1
if [[ -n $setup ]] && ! bash -euo pipefail -c "$setup" >setup.log 2>&1; then
  echo "FAIL: $name: setup failed" >&2; cat setup.log >&2; exit 1
fi
rm -f setup.log

# Every file present before the run, in the case's folder and in the shared fixtures, with its checksum.
snapshot() { find "$W" "$FIX" -type f ! -name '.stdout' ! -name '.stderr' -print0 2>/dev/null |
             xargs -0 -r sha256sum 2>/dev/null | LC_ALL=C sort; }
before=$(snapshot)

bash -c "$run" >"$W/.stdout" 2>"$W/.stderr"
rc=$?

failed=0
[[ $rc == "$expected" ]] || fail "exit code $rc, expected $expected"
err=$(cat "$W/.stderr")
lines=$(wc -l <"$W/.stderr")
if [[ $lines != 1 || $(tail -c 1 "$W/.stderr" | od -An -c | tr -d ' ') != '\n' ]]; then
  fail "stderr has $lines lines, expected exactly one"
fi
[[ $err == "upliftctl: error: "* ]] || fail "stderr does not start with 'upliftctl: error: '"
[[ $err == *"$phrase"* ]] || fail "stderr lacks the phrase '$phrase'"
for out in $outputs; do
  [[ -e $W/$out || -L $W/$out ]] && fail "output '$out' exists after the failed run"
done
leftovers=$(find "$W" "$FIX" \( -name '.*.tmp-*' -o -name '.*.spool-*' \) -print 2>/dev/null)
[[ -z $leftovers ]] || fail "temporary leftovers: $leftovers"
after=$(snapshot)
changed=$(LC_ALL=C comm -23 <(echo "$before") <(echo "$after") | awk '{print $2}')
[[ -z $changed ]] || fail "inputs changed or removed: $changed"

if [[ $failed != 0 ]]; then
  {
    echo "  what: $what"
    echo "  run:  $run"
    echo "--- stdout ---"; cat "$W/.stdout"
    echo "--- stderr ---"; cat "$W/.stderr"
  } >&2
  exit 1
fi
echo "ok: $name ($what)"
