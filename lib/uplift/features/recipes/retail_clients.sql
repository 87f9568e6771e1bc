-- STAGING: the clients that get a feature row — the population (upl_population: the campaign's clients, every
-- client known at the cutoff, or a list; see retail_population.hpp) found in clients.parquet — with their
-- treatment and target when the population carries campaign outcomes. Population ids missing from
-- clients.parquet are counted and left out by the program before this runs (see docs/features.md).
CREATE OR REPLACE TEMP TABLE upl_clients AS
SELECT p.client_id,
--@if outcomes
       CAST(p.treatment_flg AS VARCHAR) AS treatment_flg,   -- "0" control, "1" offer: `train` wants text levels
       p.target,
--@end
       cl.first_issue_date,
       cl.first_redeem_date,
       cl.age,
       cl.gender
FROM upl_population p
JOIN upl_clients_src cl USING (client_id);
