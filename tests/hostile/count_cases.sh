#!/usr/bin/env bash
# Checks the hostile corpus: at least MIN cases, and every subcommand named is run by at least one case.
#   count_cases.sh CASES_DIR MIN COMMAND...
set -u
dir=$1 min=$2
shift 2
n=$(find "$dir" -name '*.case' | wc -l)
status=0
if (( n < min )); then echo "FAIL: $n hostile cases, at least $min expected" >&2; status=1; fi
for command in "$@"; do
  if ! grep -lq "^run:.*\$UPLIFTCTL $command " "$dir"/*.case; then
    echo "FAIL: no hostile case runs 'upliftctl $command'" >&2; status=1
  fi
done
(( status == 0 )) && echo "ok: $n hostile cases covering $*"
exit $status
