-- DERIVED TABLE transactions: one row per transaction over the whole purchase history — the one pass over
-- the product lines. `ingest` writes it once as transactions.parquet; `features` reads that file and only
-- runs this recipe itself (over purchases.parquet: slower, same numbers) when the file is missing or was
-- not made from the purchases.parquet beside it.
-- The transaction-level fields (datetime, purchase_sum, points, store) repeat on every line, so they are
-- taken once per transaction. max()/min() rather than any_value(): the lines agree in clean data, and if a
-- dirty export lets them differ the result still does not depend on which thread saw which line. A
-- transaction happened at its first line's time (trn_time): features keep it whole or leave it out.
-- Money and points are DECIMAL(18,2) (exact cents): sums of exact numbers do not depend on the order in
-- which threads add them up, so features are byte-identical whatever --threads is.
SELECT p.client_id,
       p.transaction_id,
       min(p.transaction_datetime)                                            AS trn_time,
       CAST(max(p.purchase_sum) AS DECIMAL(18, 2))                            AS purchase_sum,
       CAST(max(p.regular_points_received) AS DECIMAL(18, 2))
         + CAST(max(p.express_points_received) AS DECIMAL(18, 2))             AS points_received,
       -- points spent are stored <= 0 (X5 convention); here they are made positive
       -CAST(min(p.regular_points_spent) AS DECIMAL(18, 2))                   AS regular_points_spent,
       -CAST(min(p.express_points_spent) AS DECIMAL(18, 2))                   AS express_points_spent,
       max(p.store_id)                                                        AS store_id,
       count(*)                                                               AS lines,
       -- line sums (trn_sum_from_iss) in whole cents, in total and by kind of product, for the product-mix
       -- shares. Cents held in DOUBLE rather than DECIMAL: these sums run on every line and DECIMAL's
       -- 128-bit sums cost twice as much; sums of whole numbers below 2^53 are exact in any order too.
       sum(round(p.trn_sum_from_iss * 100))                                  AS line_cents
--@if products
     -- lines of products found in products.parquet: the level_1 shares' fold-in column is what of it no named
     -- category takes, so it does not depend on which categories have a column
     , coalesce(sum(round(p.trn_sum_from_iss * 100)) FILTER (WHERE pr.product_id IS NOT NULL), 0) AS catalogued_cents
     , coalesce(sum(round(p.trn_sum_from_iss * 100)) FILTER (WHERE pr.is_own_trademark = 1), 0) AS own_cents
     , coalesce(sum(round(p.trn_sum_from_iss * 100)) FILTER (WHERE pr.is_alcohol = 1), 0) AS alcohol_cents
--@each level_1
     , coalesce(sum(round(p.trn_sum_from_iss * 100)) FILTER (WHERE pr.level_1 = {level}), 0) AS cents_{key}
--@end
--@end
FROM upl_purchases_src p
--@if products
LEFT JOIN upl_products_src pr ON pr.product_id = p.product_id
--@end
GROUP BY p.client_id, p.transaction_id
