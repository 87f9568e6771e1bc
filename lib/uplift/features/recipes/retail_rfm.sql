-- FAMILY rfm: recency, frequency and monetary value of the purchase history before the cutoff.
-- A transaction is in the window of W days when its date is at most W days before the cutoff date
-- (days_before <= W; days_before = 1 for the day before the cutoff).
-- Clients without purchases: frequencies and sums 0, recency and history NULL.
--@window all
SELECT c.client_id
     , min(t.days_before) AS recency_days  -- days from the last purchase's date to the cutoff date (1 = the day before); NULL without purchases
     , max(t.days_before) AS history_days  -- days from the first purchase's date in the history to the cutoff date; NULL without purchases
     , count(t.trn_time) AS frequency_all  -- transactions before the cutoff
     , CAST(coalesce(sum(t.purchase_sum), 0) AS DOUBLE) AS monetary_all  -- sum of purchase_sum over the transactions before the cutoff
--@each window
     , count(t.trn_time) FILTER (WHERE t.days_before <= {w}) AS frequency_{w}d  -- transactions in the last {w} days before the cutoff
     , CAST(coalesce(sum(t.purchase_sum) FILTER (WHERE t.days_before <= {w}), 0) AS DOUBLE) AS monetary_{w}d  -- sum of purchase_sum over the transactions of the last {w} days
--@end
FROM upl_clients c
LEFT JOIN upl_trn t ON t.client_id = c.client_id
GROUP BY c.client_id
