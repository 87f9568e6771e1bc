-- FAMILY basket: what the client buys, from the product lines before the cutoff. The product-mix shares
-- need products.parquet and are left out without it. Shares are by money: the line sums
-- (trn_sum_from_iss) of the matching products over the line sums of all products before the cutoff;
-- lines whose product is not in products.parquet count in the denominator only.
-- Clients without purchases: distinct_products 0, shares NULL.
--@window all
WITH lines AS (
    SELECT p.client_id,
           p.product_id,
           CAST(p.trn_sum_from_iss AS DECIMAL(18, 2)) AS line_sum
--@if products
         , pr.is_own_trademark
         , pr.is_alcohol
         , pr.level_1
--@end
    FROM upl_purchases_src p
    SEMI JOIN upl_clients c ON p.client_id = c.client_id
--@if products
    LEFT JOIN upl_products_src pr ON pr.product_id = p.product_id
--@end
    WHERE p.transaction_datetime < {cutoff}
), per_client AS (
    SELECT client_id
         , count(DISTINCT product_id) AS distinct_products
         , sum(line_sum) AS money
--@if products
         , sum(line_sum) FILTER (WHERE is_own_trademark = 1) AS money_own
         , sum(line_sum) FILTER (WHERE is_alcohol = 1) AS money_alcohol
--@each level_1
         , sum(line_sum) FILTER (WHERE level_1 = {level}) AS money_{key}
--@end
--@end
    FROM lines
    GROUP BY client_id
)
SELECT c.client_id
     , coalesce(b.distinct_products, 0) AS distinct_products  -- distinct products bought before the cutoff
--@if products
     , CAST(coalesce(b.money_own, 0) AS DOUBLE) / nullif(CAST(b.money AS DOUBLE), 0) AS own_trademark_share  -- share of spending (line sums) on own-trademark products; NULL without purchases
     , CAST(coalesce(b.money_alcohol, 0) AS DOUBLE) / nullif(CAST(b.money AS DOUBLE), 0) AS alcohol_share  -- share of spending (line sums) on alcohol; NULL without purchases
--@each level_1
     , CAST(coalesce(b.money_{key}, 0) AS DOUBLE) / nullif(CAST(b.money AS DOUBLE), 0) AS level_1_share_{key}  -- share of spending (line sums) on products of level_1 category {level_text}; NULL without purchases
--@end
--@end
FROM upl_clients c
LEFT JOIN per_client b ON b.client_id = c.client_id
