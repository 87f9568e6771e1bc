-- FAMILY check: average check (mean purchase_sum per transaction) and its trend.
-- A trend below 1 means the client's baskets got smaller lately, above 1 larger.
-- NULL when the window holds no transaction (no check to average).
-- per_client reads upl_trn alone and is joined to the clients afterwards, on 1 row per client.
WITH per_client AS (
    SELECT t.client_id
--@each window
         , sum(t.purchase_sum) FILTER (WHERE t.days_before <= {w}) AS money_{w}
         , count(*) FILTER (WHERE t.days_before <= {w}) AS n_{w}
--@end
    FROM upl_trn t
    GROUP BY t.client_id
)
SELECT c.client_id
--@each window
     , CAST(p.money_{w} AS DOUBLE) / nullif(p.n_{w}, 0) AS avg_check_{w}d  -- mean purchase_sum per transaction in the last {w} days; NULL without transactions
--@end
--@each shorter_window
     , (CAST(p.money_{w} AS DOUBLE) / nullif(p.n_{w}, 0)) / (CAST(p.money_{wmax} AS DOUBLE) / nullif(p.n_{wmax}, 0)) AS check_trend_{w}d  -- avg_check_{w}d / avg_check_{wmax}d; NULL when either is NULL
--@end
FROM upl_clients c
LEFT JOIN per_client p ON p.client_id = c.client_id
