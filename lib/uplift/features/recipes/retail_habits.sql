-- FAMILY habits: when and where the client shops — shares of the transactions before the cutoff by weekday and by
-- part of the day (local time of transaction_datetime), stores visited, lines per basket.
-- Shares and averages are NULL for clients without transactions, distinct_stores 0.
--@window all
SELECT c.client_id
     , count(t.trn_time) FILTER (WHERE isodow(t.trn_time) = 1) / nullif(count(t.trn_time), 0) AS weekday_share_mon  -- share of transactions made on Mondays
     , count(t.trn_time) FILTER (WHERE isodow(t.trn_time) = 2) / nullif(count(t.trn_time), 0) AS weekday_share_tue  -- share of transactions made on Tuesdays
     , count(t.trn_time) FILTER (WHERE isodow(t.trn_time) = 3) / nullif(count(t.trn_time), 0) AS weekday_share_wed  -- share of transactions made on Wednesdays
     , count(t.trn_time) FILTER (WHERE isodow(t.trn_time) = 4) / nullif(count(t.trn_time), 0) AS weekday_share_thu  -- share of transactions made on Thursdays
     , count(t.trn_time) FILTER (WHERE isodow(t.trn_time) = 5) / nullif(count(t.trn_time), 0) AS weekday_share_fri  -- share of transactions made on Fridays
     , count(t.trn_time) FILTER (WHERE isodow(t.trn_time) = 6) / nullif(count(t.trn_time), 0) AS weekday_share_sat  -- share of transactions made on Saturdays
     , count(t.trn_time) FILTER (WHERE isodow(t.trn_time) = 7) / nullif(count(t.trn_time), 0) AS weekday_share_sun  -- share of transactions made on Sundays
     , count(t.trn_time) FILTER (WHERE hour(t.trn_time) < 6) / nullif(count(t.trn_time), 0) AS hour_share_night  -- share of transactions made 00:00-05:59
     , count(t.trn_time) FILTER (WHERE hour(t.trn_time) BETWEEN 6 AND 11) / nullif(count(t.trn_time), 0) AS hour_share_morning  -- share of transactions made 06:00-11:59
     , count(t.trn_time) FILTER (WHERE hour(t.trn_time) BETWEEN 12 AND 17) / nullif(count(t.trn_time), 0) AS hour_share_afternoon  -- share of transactions made 12:00-17:59
     , count(t.trn_time) FILTER (WHERE hour(t.trn_time) >= 18) / nullif(count(t.trn_time), 0) AS hour_share_evening  -- share of transactions made 18:00-23:59
     , count(DISTINCT t.store_id) AS distinct_stores  -- distinct stores visited before the cutoff
     , sum(t.lines) / nullif(count(t.trn_time), 0) AS avg_lines_per_transaction  -- mean number of product lines per transaction; NULL without transactions
FROM upl_clients c
LEFT JOIN upl_trn t ON t.client_id = c.client_id
GROUP BY c.client_id
