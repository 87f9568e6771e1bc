-- FAMILY points: loyalty points earned and spent, and discount affinity — the share of transactions
-- in which the client paid with points. Points spent are shown as positive numbers.
-- Clients without transactions in a window: sums 0, share NULL.
SELECT c.client_id
--@each window
     , CAST(coalesce(sum(t.points_received) FILTER (WHERE t.days_before <= {w}), 0) AS DOUBLE) AS points_received_{w}d  -- regular + express points received in the last {w} days
     , CAST(coalesce(sum(t.regular_points_spent + t.express_points_spent) FILTER (WHERE t.days_before <= {w}), 0) AS DOUBLE) AS points_spent_{w}d  -- regular + express points spent in the last {w} days (positive)
     , CAST(coalesce(sum(t.express_points_spent) FILTER (WHERE t.days_before <= {w}), 0) AS DOUBLE) AS express_points_spent_{w}d  -- express (promotional) points spent in the last {w} days (positive)
     , count(t.trn_time) FILTER (WHERE t.days_before <= {w} AND t.regular_points_spent + t.express_points_spent > 0)
         / nullif(count(t.trn_time) FILTER (WHERE t.days_before <= {w}), 0) AS points_spent_share_{w}d  -- share of the last {w} days' transactions paid partly with points; NULL without transactions
--@end
FROM upl_clients c
LEFT JOIN upl_trn t ON t.client_id = c.client_id
GROUP BY c.client_id
