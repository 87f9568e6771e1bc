-- STAGING: the clients that get a feature row — campaign clients found in clients.parquet — with
-- their treatment and target. Campaign clients missing from clients.parquet are counted and left out
-- by the program before this runs (see docs/features.md).
CREATE TEMP TABLE upl_clients AS
SELECT cp.client_id,
       CAST(cp.treatment_flg AS VARCHAR) AS treatment_flg,   -- "0" control, "1" offer: `train` wants text levels
       cp.target,
       cl.first_issue_date,
       cl.first_redeem_date,
       cl.age,
       cl.gender
FROM upl_campaign_src cp
JOIN upl_clients_src cl USING (client_id);
