#!/usr/bin/env bash
# Benchmark of `features --data` (retail mode) against one full DuckDB scan of the purchases file.
# Target (issue 5): at 400,000 clients / ~45M purchase lines, features within 3x the time of
# `SELECT sum(purchase_sum) FROM read_parquet(purchases)`, peak memory under 8 GiB.
#
# Usage: scripts/bench_retail_features.sh [CLIENTS=400000] [WORKDIR=/tmp/upliftctl_bench_retail_CLIENTS]
# Env:   UPLIFT_BUILD_DIR (default build), THREADS (default: all cores), CUTOFF (default 2019-03-19)
# The tables come from `upliftctl simulate` + `ingest` when this build has them (with the derived
# transactions.parquet and product_firsts.parquet features reads), else from the DuckDB SQL generator
# scripts/bench_retail_tables.sql (same typed shape, no derived tables: features then aggregates the
# lines itself). They are made once and reused.
# Prints the figures as a Markdown table row for docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${1:-400000}
work=${2:-/tmp/upliftctl_bench_retail_$clients}
build=${UPLIFT_BUILD_DIR:-build}
upliftctl=$build/apps/upliftctl/upliftctl
bench_sql=$build/bench/bench_sql
threads=${THREADS:-$(nproc)}
cutoff=${CUTOFF:-2019-03-19}
for tool in "$upliftctl" "$bench_sql" /usr/bin/time; do
    [[ -x $tool ]] || { echo "missing $tool (build first: scripts/build.sh)" >&2; exit 1; }
done
data=$work/data
mkdir -p "$data"

has_simulate=$("$upliftctl" --help | grep -Ecq "^ +simulate " || true)
# Tables kept from a build whose ingest did not yet write transactions.parquet are made again: features
# would otherwise measure its slow path over the purchase lines.
if [[ ! -f $data/purchases.parquet ]] || { [[ $has_simulate != 0 ]] && [[ ! -f $data/transactions.parquet ]]; }; then
    if [[ $has_simulate != 0 ]]; then
        echo "making $clients clients with upliftctl simulate + ingest ..." >&2
        "$upliftctl" simulate --clients "$clients" --out "$work/raw" --seed 1 --overwrite >&2
        "$upliftctl" ingest --clients "$work/raw/clients.csv" --purchases "$work/raw/purchases.csv" \
            --products "$work/raw/products.csv" --campaign "$work/raw/campaign.csv" --out "$data" --overwrite >&2
        cutoff=$(sed -n 's/.*"cutoff": *"\([0-9-]*\)".*/\1/p' "$work/raw/simulate.json")
    else
        echo "making $clients clients with scripts/bench_retail_tables.sql ..." >&2
        sed -e "s/@N@/$clients/" -e "s#@DIR@#$data#" scripts/bench_retail_tables.sql >"$work/tables.sql"
        "$bench_sql" "@$work/tables.sql" >&2
    fi
fi

purchases=$data/purchases.parquet
lines=$("$bench_sql" "SELECT count(*) AS n FROM read_parquet('$purchases')" | sed 's/.*n=//')
# The reference: one full scan, best of three (the first warms the page cache): wall seconds and CPU
# seconds (user + system; on a shared host the CPU ratio is the steadier figure).
scans=$(for _ in 1 2 3; do
    /usr/bin/time -f "cpu %U %S" "$bench_sql" --threads "$threads" \
        "SELECT sum(purchase_sum) AS s FROM read_parquet('$purchases')" 2>&1 | tr '\n' ' ' |
        awk '{ for (i = 1; i <= NF; i++) if ($i == "cpu") print $1, $(i + 1) + $(i + 2) }'
done)
scan=$(echo "$scans" | cut -d' ' -f1 | sort -g | head -n 1)
scan_cpu=$(echo "$scans" | cut -d' ' -f2 | sort -g | head -n 1)

/usr/bin/time -v "$upliftctl" features --data "$data" --cutoff "$cutoff" -o "$work/features.parquet" --overwrite \
    --threads "$threads" -v 2>"$work/features.time" >"$work/features.out"
grep 'features:' "$work/features.time" >&2 || true
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/features.time" |
       awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
user=$(sed -n 's/.*User time (seconds): //p' "$work/features.time")
sys=$(sed -n 's/.*System time (seconds): //p' "$work/features.time")
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/features.time")
load=$(cut -d' ' -f1 /proc/loadavg)
ratio=$(awk -v a="$wall" -v b="$scan" 'BEGIN { printf "%.1f", a / b }')
cpu_ratio=$(awk -v u="$user" -v s="$sys" -v b="$scan_cpu" 'BEGIN { printf "%.1f", (u + s) / b }')
rss=$(awk -v k="$rss_kb" 'BEGIN { printf "%.2f GiB", k / 1048576 }')
head -n 1 "$work/features.out" >&2
echo "| date | clients | purchase lines | threads | scan wall / CPU | features wall / CPU | wall ratio | CPU ratio | peak RSS | load after |"
echo "|---|---|---|---|---|---|---|---|---|---|"
echo "| $(date -u +%F) | $clients | $lines | $threads | ${scan} / ${scan_cpu} s | ${wall} / $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') s | ${ratio}x | ${cpu_ratio}x | $rss | $load |"
