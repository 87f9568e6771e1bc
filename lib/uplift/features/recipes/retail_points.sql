-- FAMILY points: loyalty points earned and spent, and discount affinity — the share of transactions
-- in which the client paid with points. Points spent are shown as positive numbers.
-- Clients without transactions in a window: sums 0, share NULL.
-- per_client reads upl_trn alone and is joined to the clients afterwards, on 1 row per client.
WITH per_client AS (
    SELECT t.client_id
--@each window
         , sum(t.points_received) FILTER (WHERE t.days_before <= {w}) AS received_{w}
         , sum(t.regular_points_spent + t.express_points_spent) FILTER (WHERE t.days_before <= {w}) AS spent_{w}
         , sum(t.express_points_spent) FILTER (WHERE t.days_before <= {w}) AS express_{w}
         , count(*) FILTER (WHERE t.days_before <= {w} AND t.regular_points_spent + t.express_points_spent > 0) AS paid_{w}
         , count(*) FILTER (WHERE t.days_before <= {w}) AS n_{w}
--@end
    FROM upl_trn t
    GROUP BY t.client_id
)
SELECT c.client_id
--@each window
     , CAST(coalesce(p.received_{w}, 0) AS DOUBLE) AS points_received_{w}d  -- regular + express points received in the last {w} days
     , CAST(coalesce(p.spent_{w}, 0) AS DOUBLE) AS points_spent_{w}d  -- regular + express points spent in the last {w} days (positive)
     , CAST(coalesce(p.express_{w}, 0) AS DOUBLE) AS express_points_spent_{w}d  -- express (promotional) points spent in the last {w} days (positive)
     , p.paid_{w} / nullif(p.n_{w}, 0) AS points_spent_share_{w}d  -- share of the last {w} days' transactions paid partly with points; NULL without transactions
--@end
FROM upl_clients c
LEFT JOIN per_client p ON p.client_id = c.client_id
