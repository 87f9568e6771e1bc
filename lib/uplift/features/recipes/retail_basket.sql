-- FAMILY basket: what the client buys, from the product lines before the cutoff. The product-mix shares
-- need products.parquet and are left out without it. Shares are by money: the line sums
-- (trn_sum_from_iss) of the matching products over the line sums of all products before the cutoff;
-- lines whose product is not in products.parquet count in the denominator only.
-- Clients without purchases: distinct_products 0, shares NULL.
--@window all
WITH per_client AS (
    SELECT c.client_id
         , coalesce(len(list_distinct(flatten(list(t.product_hashes)))), 0) AS distinct_products
         , CAST(sum(t.line_money) AS DOUBLE) AS money
--@if products
         , CAST(coalesce(sum(t.own_money), 0) AS DOUBLE) AS money_own
         , CAST(coalesce(sum(t.alcohol_money), 0) AS DOUBLE) AS money_alcohol
--@each level_1
         , CAST(coalesce(sum(t.money_{key}), 0) AS DOUBLE) AS money_{key}
--@end
--@end
    FROM upl_clients c
    LEFT JOIN upl_trn t ON t.client_id = c.client_id
    GROUP BY c.client_id
)
SELECT client_id
     , distinct_products AS distinct_products  -- distinct products bought before the cutoff
--@if products
     , money_own / nullif(money, 0) AS own_trademark_share  -- share of spending (line sums) on own-trademark products; NULL without purchases
     , money_alcohol / nullif(money, 0) AS alcohol_share  -- share of spending (line sums) on alcohol; NULL without purchases
--@each level_1
     , money_{key} / nullif(money, 0) AS level_1_share_{key}  -- share of spending (line sums) on products of level_1 category {level_text}; NULL without purchases
--@end
--@end
FROM per_client
