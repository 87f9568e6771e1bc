-- STAGING: one row per transaction made BEFORE THE CUTOFF — the only pass over the purchase lines.
-- purchases.parquet has one row per product line; the transaction-level fields (datetime, purchase_sum,
-- points, store) repeat on every line, so they are taken once per transaction. max()/min() rather than
-- any_value(): the lines agree in clean data, and if a dirty export lets them differ the result still
-- does not depend on which thread saw which line.
-- Money and points become DECIMAL(18,2) (exact cents): sums of exact numbers do not depend on the order
-- in which threads add them up, so the output is byte-identical whatever --threads is.
-- The cutoff filter is here, on every line, so nothing at or after the cutoff reaches any feature.
-- Purchases of clients outside the campaign are aggregated too and simply never joined: filtering them
-- here would cost a join on every line.
CREATE TEMP TABLE upl_trn AS
SELECT p.client_id,
       min(p.transaction_datetime)                                            AS trn_time,
       -- whole days from the transaction's date to the cutoff date: 1 = the day before the cutoff
       date_diff('day', CAST(min(p.transaction_datetime) AS DATE), {cutoff_date}) AS days_before,
       CAST(max(p.purchase_sum) AS DECIMAL(18, 2))                            AS purchase_sum,
       CAST(max(p.regular_points_received) AS DECIMAL(18, 2))
         + CAST(max(p.express_points_received) AS DECIMAL(18, 2))             AS points_received,
       -- points spent are stored <= 0 (X5 convention); here they are made positive
       -CAST(min(p.regular_points_spent) AS DECIMAL(18, 2))                   AS regular_points_spent,
       -CAST(min(p.express_points_spent) AS DECIMAL(18, 2))                   AS express_points_spent,
       max(p.store_id)                                                        AS store_id,
       count(*)                                                               AS lines,
       -- 64-bit hashes of the products bought (the basket family counts distinct ones per client):
       -- hashes rather than the ids keep this list small; two products colliding is a ~1e-12 chance
       list(hash(p.product_id))                                               AS product_hashes,
       -- line sums (trn_sum_from_iss) in whole cents, in total and by kind of product, for the product-mix
       -- shares. Cents held in DOUBLE rather than DECIMAL: these sums run on every line and DECIMAL's
       -- 128-bit sums cost twice as much; sums of whole numbers below 2^53 are exact in any order too.
       sum(round(p.trn_sum_from_iss * 100))                                  AS line_cents
--@if products
     , sum(round(p.trn_sum_from_iss * 100)) FILTER (WHERE pr.is_own_trademark = 1) AS own_cents
     , sum(round(p.trn_sum_from_iss * 100)) FILTER (WHERE pr.is_alcohol = 1) AS alcohol_cents
--@each level_1
     , sum(round(p.trn_sum_from_iss * 100)) FILTER (WHERE pr.level_1 = {level}) AS cents_{key}
--@end
--@end
FROM upl_purchases_src p
--@if products
LEFT JOIN upl_products_src pr ON pr.product_id = p.product_id
--@end
WHERE p.transaction_datetime < {cutoff}
GROUP BY p.client_id, p.transaction_id;
