-- FAMILY check: average check (mean purchase_sum per transaction) and its trend.
-- A trend below 1 means the client's baskets got smaller lately, above 1 larger.
-- NULL when the window holds no transaction (no check to average).
WITH per_window AS (
    SELECT c.client_id
--@each window
         , sum(t.purchase_sum) FILTER (WHERE t.days_before <= {w}) AS money_{w}
         , count(t.trn_time) FILTER (WHERE t.days_before <= {w}) AS n_{w}
--@end
    FROM upl_clients c
    LEFT JOIN upl_trn t ON t.client_id = c.client_id
    GROUP BY c.client_id
)
SELECT client_id
--@each window
     , CAST(money_{w} AS DOUBLE) / nullif(n_{w}, 0) AS avg_check_{w}d  -- mean purchase_sum per transaction in the last {w} days; NULL without transactions
--@end
--@each shorter_window
     , (CAST(money_{w} AS DOUBLE) / nullif(n_{w}, 0)) / (CAST(money_{wmax} AS DOUBLE) / nullif(n_{wmax}, 0)) AS check_trend_{w}d  -- avg_check_{w}d / avg_check_{wmax}d; NULL when either is NULL
--@end
FROM per_window
