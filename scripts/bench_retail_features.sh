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

# Floors: what DuckDB needs for the least work the features ask for, from transactions.parquet (the
# lines already grouped into transactions by ingest), best of three, no joins and no output file:
#   rfm   the rfm family's aggregates alone (recency, frequency and monetary per window);
#   all   every family's per-client aggregates (rfm, check, points, habits, basket) in one query.
# If a floor is over 3x the scan, no SQL recipe set can meet the target.
floor_rfm='' floor_all=''
transactions=$data/transactions.parquet
if [[ -f $transactions ]]; then
    history="(SELECT *, date_diff('day', CAST(trn_time AS DATE), DATE '$cutoff') AS d FROM read_parquet('$transactions') WHERE trn_time < TIMESTAMP '$cutoff')"
    per_window() { local w; for w in 7 30 90 180; do echo -n "${1//@w/$w}"; done; }
    rfm_sql="CREATE OR REPLACE TEMP TABLE floor AS SELECT client_id, min(d), max(d), count(*), sum(purchase_sum)
        $(per_window ', count(*) FILTER (WHERE d <= @w), sum(purchase_sum) FILTER (WHERE d <= @w)')
        FROM $history GROUP BY client_id"
    all_sql="CREATE OR REPLACE TEMP TABLE floor AS SELECT client_id, min(d), max(d), count(*), sum(purchase_sum)
        $(per_window ', count(*) FILTER (WHERE d <= @w), sum(purchase_sum) FILTER (WHERE d <= @w)')
        $(per_window ', sum(points_received) FILTER (WHERE d <= @w), sum(regular_points_spent + express_points_spent) FILTER (WHERE d <= @w), sum(express_points_spent) FILTER (WHERE d <= @w), count(*) FILTER (WHERE d <= @w AND regular_points_spent + express_points_spent > 0)')
        $(for k in 1 2 3 4 5 6 7; do printf ', count(*) FILTER (WHERE isodow(trn_time) = %s)' "$k"; done)
        , count(*) FILTER (WHERE hour(trn_time) < 6), count(*) FILTER (WHERE hour(trn_time) BETWEEN 6 AND 11)
        , count(*) FILTER (WHERE hour(trn_time) BETWEEN 12 AND 17), count(*) FILTER (WHERE hour(trn_time) >= 18)
        , count(DISTINCT store_id), sum(lines), sum(COLUMNS('^line_cents\$|^own_cents\$|^alcohol_cents\$|^cents_'))
        FROM $history GROUP BY client_id"
    best_of_three() { for _ in 1 2 3; do "$bench_sql" --threads "$threads" "$1" | cut -d' ' -f1; done | sort -g | head -n 1; }
    floor_rfm=$(best_of_three "$rfm_sql")
    floor_all=$(best_of_three "$all_sql")
fi

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
if [[ -n $floor_all ]]; then
    echo
    echo "| floor (transactions.parquet, no joins, no output) | wall | ÷ scan |"
    echo "|---|---|---|"
    echo "| rfm family's aggregates alone | ${floor_rfm} s | $(awk -v a="$floor_rfm" -v b="$scan" 'BEGIN { printf "%.1f", a / b }')x |"
    echo "| all families' aggregates in one query | ${floor_all} s | $(awk -v a="$floor_all" -v b="$scan" 'BEGIN { printf "%.1f", a / b }')x |"
fi
