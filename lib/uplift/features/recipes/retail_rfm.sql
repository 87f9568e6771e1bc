-- FAMILY rfm: recency, frequency and monetary value of the purchase history before the cutoff.
-- A transaction is in the window of W days when its date is at most W days before the cutoff date
-- (days_before <= W; days_before = 1 for the day before the cutoff).
-- Clients without purchases: frequencies and sums 0, recency and history NULL.
-- per_client reads upl_trn alone and is joined to the clients afterwards, on 1 row per client: joining
-- first would push every transaction through the join.
--@window all
WITH per_client AS (
    SELECT t.client_id
         , min(t.days_before) AS recency
         , max(t.days_before) AS history
         , count(*) AS n_all
         , sum(t.purchase_sum) AS money_all
--@each window
         , count(*) FILTER (WHERE t.days_before <= {w}) AS n_{w}
         , sum(t.purchase_sum) FILTER (WHERE t.days_before <= {w}) AS money_{w}
--@end
    FROM upl_trn t
    GROUP BY t.client_id
)
SELECT c.client_id
     , p.recency AS recency_days  -- days from the last purchase's date to the cutoff date (1 = the day before); NULL without purchases
     , p.history AS history_days  -- days from the first purchase's date in the history to the cutoff date; NULL without purchases
     , coalesce(p.n_all, 0) AS frequency_all  -- transactions before the cutoff
     , CAST(coalesce(p.money_all, 0) AS DOUBLE) AS monetary_all  -- sum of purchase_sum over the transactions before the cutoff
--@each window
     , coalesce(p.n_{w}, 0) AS frequency_{w}d  -- transactions in the last {w} days before the cutoff
     , CAST(coalesce(p.money_{w}, 0) AS DOUBLE) AS monetary_{w}d  -- sum of purchase_sum over the transactions of the last {w} days
--@end
FROM upl_clients c
LEFT JOIN per_client p ON p.client_id = c.client_id
