-- STAGING: the history before the cutoff, from the derived tables (upl_transactions, upl_product_firsts:
-- transactions.parquet and product_firsts.parquet, or the same recipes run over the purchase lines).
-- The cutoff filter is here and only here, so nothing at or after the cutoff reaches any feature.
-- Transactions of clients outside the campaign are kept and simply never joined: filtering them here
-- would cost a join on every row.
CREATE OR REPLACE TEMP VIEW upl_trn AS
SELECT t.*,
       -- whole days from the transaction's date to the cutoff date: 1 = the day before the cutoff
       date_diff('day', CAST(t.trn_time AS DATE), {cutoff_date}) AS days_before
FROM upl_transactions t
WHERE t.trn_time < {cutoff};
-- distinct products bought before the cutoff, per client (see retail_product_firsts.sql)
CREATE OR REPLACE TEMP TABLE upl_new_products AS
SELECT client_id, CAST(sum(new_products) AS BIGINT) AS distinct_products
FROM upl_product_firsts
WHERE first_day < {cutoff_date}
GROUP BY client_id;
