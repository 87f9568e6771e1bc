-- FAMILY habits: when and where the client shops — shares of the transactions before the cutoff by weekday and by
-- part of the day (local time of transaction_datetime), stores visited, lines per basket.
-- Shares and averages are NULL for clients without transactions, distinct_stores 0.
-- per_client reads upl_trn alone and is joined to the clients afterwards, on 1 row per client.
--@window all
WITH per_client AS (
    SELECT t.client_id
         , count(*) AS n
         , count(*) FILTER (WHERE isodow(t.trn_time) = 1) AS n_mon
         , count(*) FILTER (WHERE isodow(t.trn_time) = 2) AS n_tue
         , count(*) FILTER (WHERE isodow(t.trn_time) = 3) AS n_wed
         , count(*) FILTER (WHERE isodow(t.trn_time) = 4) AS n_thu
         , count(*) FILTER (WHERE isodow(t.trn_time) = 5) AS n_fri
         , count(*) FILTER (WHERE isodow(t.trn_time) = 6) AS n_sat
         , count(*) FILTER (WHERE isodow(t.trn_time) = 7) AS n_sun
         , count(*) FILTER (WHERE hour(t.trn_time) < 6) AS n_night
         , count(*) FILTER (WHERE hour(t.trn_time) BETWEEN 6 AND 11) AS n_morning
         , count(*) FILTER (WHERE hour(t.trn_time) BETWEEN 12 AND 17) AS n_afternoon
         , count(*) FILTER (WHERE hour(t.trn_time) >= 18) AS n_evening
         , count(DISTINCT t.store_id) AS stores
         , sum(t.lines) AS lines
    FROM upl_trn t
    GROUP BY t.client_id
)
SELECT c.client_id
     , p.n_mon / p.n AS weekday_share_mon  -- share of transactions made on Mondays
     , p.n_tue / p.n AS weekday_share_tue  -- share of transactions made on Tuesdays
     , p.n_wed / p.n AS weekday_share_wed  -- share of transactions made on Wednesdays
     , p.n_thu / p.n AS weekday_share_thu  -- share of transactions made on Thursdays
     , p.n_fri / p.n AS weekday_share_fri  -- share of transactions made on Fridays
     , p.n_sat / p.n AS weekday_share_sat  -- share of transactions made on Saturdays
     , p.n_sun / p.n AS weekday_share_sun  -- share of transactions made on Sundays
     , p.n_night / p.n AS hour_share_night  -- share of transactions made 00:00-05:59
     , p.n_morning / p.n AS hour_share_morning  -- share of transactions made 06:00-11:59
     , p.n_afternoon / p.n AS hour_share_afternoon  -- share of transactions made 12:00-17:59
     , p.n_evening / p.n AS hour_share_evening  -- share of transactions made 18:00-23:59
     , coalesce(p.stores, 0) AS distinct_stores  -- distinct stores visited before the cutoff
     , p.lines / p.n AS avg_lines_per_transaction  -- mean number of product lines per transaction; NULL without transactions
FROM upl_clients c
LEFT JOIN per_client p ON p.client_id = c.client_id
