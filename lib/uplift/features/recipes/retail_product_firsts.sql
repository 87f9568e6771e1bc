-- DERIVED TABLE product_firsts: for each client and day, how many products the client bought that day for
-- the first time. The basket family's distinct_products at a cutoff is the sum over the days before it:
-- every product bought before the cutoff was first bought on exactly one of those days, so the count is
-- exact without keeping the product lists. The cutoff is a midnight, so whole days are exact.
-- Written by `ingest` as product_firsts.parquet; `features` runs this recipe itself only when that file is
-- missing or was not made from the purchases.parquet beside it.
SELECT client_id,
       first_day,
       count(*) AS new_products
FROM (
    -- products are told apart by a 64-bit hash of the id, half the work of grouping by the text; two
    -- products of one client colliding is a ~1e-16 chance (n^2 / 2^65 for a client's n products)
    SELECT client_id, hash(product_id) AS product, min(CAST(transaction_datetime AS DATE)) AS first_day
    FROM upl_purchases_src
    GROUP BY client_id, hash(product_id)
)
GROUP BY client_id, first_day
