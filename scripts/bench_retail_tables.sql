-- X5-RetailHero-shaped typed tables (the shape `ingest` retail mode writes, see docs/retail_schema.md) made
-- with plain DuckDB SQL, for benchmarking `features` when `simulate` is not at hand.
-- Placeholders replaced by scripts/bench_retail_features.sh: @N@ (clients), @DIR@ (output folder).
-- Deterministic: every "random" number is hash(...) of the row's coordinates, never random().
-- Sizes: transactions per client floor(34·u²) (over-dispersed, mean ≈ 10.8, many with none),
-- lines per transaction 1 + floor(19.5·u) (mean ≈ 10.3): about 111 purchase lines per client,
-- 45 million at 400,000 clients. History 2018-11-21 .. 2019-03-18; the campaign starts 2019-03-19.

CREATE MACRO u(a, b, c) AS (hash(a, b, c) % 1000000007) / 1000000007.0;

CREATE TABLE bench_clients AS
SELECT i,
       printf('%010x', hash(i, 'client') & 1099511627775) AS client_id,
       CAST(floor(34 * u(i, 0, 'trn') * u(i, 0, 'trn')) AS INTEGER) AS n_trn
FROM range(@N@) r(i);

COPY (
    SELECT client_id,
           TIMESTAMP '2017-01-01' + to_seconds(CAST(floor(u(i, 1, 'issue') * 700 * 86400) AS BIGINT)) AS first_issue_date,
           CASE WHEN u(i, 1, 'redeem') < 0.7
                THEN TIMESTAMP '2018-06-01' + to_seconds(CAST(floor(u(i, 2, 'redeem') * 330 * 86400) AS BIGINT)) END
               AS first_redeem_date,
           CASE WHEN u(i, 1, 'age') < 0.02 THEN 999 WHEN u(i, 1, 'age') < 0.05 THEN NULL
                ELSE 18 + CAST(floor(u(i, 2, 'age') * 60) AS BIGINT) END AS age,
           CASE WHEN u(i, 1, 'g') < 0.45 THEN 'F' WHEN u(i, 1, 'g') < 0.8 THEN 'M' ELSE 'U' END AS gender
    FROM bench_clients ORDER BY i
) TO '@DIR@/clients.parquet' (FORMAT parquet, COMPRESSION zstd);

COPY (
    SELECT client_id,
           CAST(u(i, 3, 'treat') < 0.5 AS BIGINT) AS treatment_flg,
           CAST(u(i, 3, 'target') < 0.55 + 0.05 * CAST(u(i, 3, 'treat') < 0.5 AS INTEGER) AS BIGINT) AS target
    FROM bench_clients ORDER BY i
) TO '@DIR@/campaign.parquet' (FORMAT parquet, COMPRESSION zstd);

COPY (
    SELECT printf('%010x', hash(p, 'product') & 1099511627775) AS product_id,
           printf('%010x', hash(p % 4, 'l1') & 1099511627775) AS level_1,
           printf('%010x', hash(p % 40, 'l2') & 1099511627775) AS level_2,
           printf('%010x', hash(p % 200, 'l3') & 1099511627775) AS level_3,
           printf('%010x', hash(p % 800, 'l4') & 1099511627775) AS level_4,
           CAST(p % 120 AS VARCHAR) AS segment_id,
           printf('%010x', hash(p % 4000, 'brand') & 1099511627775) AS brand_id,
           printf('%010x', hash(p % 3000, 'vendor') & 1099511627775) AS vendor_id,
           round(u(p, 4, 'netto') * 2, 3) AS netto,
           CAST(u(p, 4, 'own') < 0.1 AS BIGINT) AS is_own_trademark,
           CAST(u(p, 4, 'alc') < 0.05 AS BIGINT) AS is_alcohol
    FROM range(40000) r(p)
) TO '@DIR@/products.parquet' (FORMAT parquet, COMPRESSION zstd);

CREATE TABLE bench_trn AS
SELECT i, client_id, j,
       printf('%010x', hash(i, j, 'trn') & 1099511627775) AS transaction_id,
       TIMESTAMP '2018-11-21 08:00:00'
           + to_seconds(CAST(floor(u(i, j, 'day') * 118) * 86400 + floor(u(i, j, 'sec') * 14 * 3600) AS BIGINT))
           AS transaction_datetime,
       1 + CAST(floor(19.5 * u(i, j, 'lines')) AS INTEGER) AS n_lines,
       round(exp(5.5 + u(i, j, 'sum') * 2), 2) AS purchase_sum,
       u(i, j, 'spent') < 0.25 AS spends,
       'store_' || CAST(hash(i, CAST(u(i, j, 'store') < 0.8 AS INTEGER), 'store') % 400 AS VARCHAR) AS store_id
FROM (SELECT i, client_id, unnest(range(n_trn)) AS j FROM bench_clients);

COPY (
    SELECT client_id, transaction_id, transaction_datetime,
           round(purchase_sum * 0.01, 1) AS regular_points_received,
           CASE WHEN u(i, j, 'express') < 0.1 THEN 30.0 ELSE 0.0 END AS express_points_received,
           CASE WHEN spends THEN -round(purchase_sum * 0.1, 1) ELSE 0.0 END AS regular_points_spent,
           CASE WHEN spends AND u(i, j, 'xs') < 0.2 THEN -10.0 ELSE 0.0 END AS express_points_spent,
           purchase_sum, store_id,
           printf('%010x', hash(CAST(floor(u(i, k, 'prod') * u(i, k, 'prod') * 40000) AS BIGINT), 'product') & 1099511627775)
               AS product_id,
           CAST(1 + floor(u(i, k, 'qty') * 3) AS DOUBLE) AS product_quantity,
           round(purchase_sum / n_lines, 2) AS trn_sum_from_iss,
           CASE WHEN spends THEN round(purchase_sum * 0.1 / n_lines, 2) END AS trn_sum_from_red
    FROM (SELECT *, unnest(range(n_lines)) + 100 * j AS k FROM bench_trn)
    ORDER BY i, j, k
) TO '@DIR@/purchases.parquet' (FORMAT parquet, COMPRESSION zstd);
