-- FAMILY basket: what the client buys, from the product lines before the cutoff. The product-mix shares
-- need products.parquet and are left out without it. Shares are by money: the line sums
-- (trn_sum_from_iss) of the matching products over the line sums of all products before the cutoff;
-- lines whose product is not in products.parquet count in the denominator only. level_1_share___other__
-- takes the catalogued products of the categories without a column of their own.
-- Clients without purchases: distinct_products 0, shares NULL.
--@window all
-- distinct_products comes from upl_new_products (retail_history.sql: the days products were first bought).
-- per_client reads upl_trn alone and is joined to the clients afterwards, on 1 row per client.
WITH per_client AS (
    SELECT t.client_id
         , sum(t.line_cents) AS money
--@if products
         , coalesce(sum(t.catalogued_cents), 0) AS money_catalogued
         , coalesce(sum(t.own_cents), 0) AS money_own
         , coalesce(sum(t.alcohol_cents), 0) AS money_alcohol
--@each level_1
         , coalesce(sum(t.cents_{key}), 0) AS money_{key}
--@end
--@end
    FROM upl_trn t
    GROUP BY t.client_id
)
SELECT c.client_id
     , coalesce(n.distinct_products, 0) AS distinct_products  -- distinct products bought before the cutoff
--@if products
     , b.money_own / nullif(b.money, 0) AS own_trademark_share  -- share of spending (line sums) on own-trademark products; NULL without purchases
     , b.money_alcohol / nullif(b.money, 0) AS alcohol_share  -- share of spending (line sums) on alcohol; NULL without purchases
--@each level_1
     , b.money_{key} / nullif(b.money, 0) AS level_1_share_{key}  -- share of spending (line sums) on products of level_1 category {level_text}; NULL without purchases
--@end
     -- the fold-in column: a category without a column of its own (beyond the top ones, or one a model never
     -- saw when features are built --like it) counts here, so the shares of catalogued products add up to it
     , (b.money_catalogued
--@each level_1
        - b.money_{key}
--@end
       ) / nullif(b.money, 0) AS level_1_share___other__  -- share of spending (line sums) on products of every other level_1 category; NULL without purchases
--@end
FROM upl_clients c
LEFT JOIN per_client b ON b.client_id = c.client_id
LEFT JOIN upl_new_products n ON n.client_id = c.client_id
