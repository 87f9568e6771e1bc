-- FAMILY profile: who the client is, from clients.parquet. Dates after the cutoff count as missing:
-- at the cutoff the client had not yet been issued a card / redeemed points.
--@window static
SELECT c.client_id
     , CASE WHEN c.age BETWEEN 10 AND 100 THEN c.age END AS age  -- age in years; NULL when missing or absurd (outside 10..100)
     , CAST(c.gender = 'M' AS BIGINT) AS gender_m  -- 1 when gender is M, else 0
     , CAST(c.gender = 'F' AS BIGINT) AS gender_f  -- 1 when gender is F, else 0
     , CAST(c.gender IS NULL OR c.gender NOT IN ('M', 'F') AS BIGINT) AS gender_u  -- 1 when gender is U, missing or another value, else 0
--@window all
     , CASE WHEN c.first_issue_date < {cutoff}
            THEN date_diff('day', CAST(c.first_issue_date AS DATE), {cutoff_date}) END AS days_since_first_issue  -- days from the card's first issue date to the cutoff date; NULL when missing or not before the cutoff
     , CASE WHEN c.first_redeem_date < {cutoff}
            THEN date_diff('day', CAST(c.first_redeem_date AS DATE), {cutoff_date}) END AS days_since_first_redeem  -- days from the first points redemption to the cutoff date; NULL when never redeemed before the cutoff
     , CAST(coalesce(c.first_redeem_date < {cutoff}, false) AS BIGINT) AS has_redeemed  -- 1 when points were first redeemed before the cutoff, else 0
FROM upl_clients c
