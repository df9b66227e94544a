-- Cluster initiatives and memberships: the rules the database itself keeps,
-- and indexes for the searches and filters of the cluster lists.

-- An organisation has at most one open membership of a cluster at a time;
-- it may rejoin after leaving (a new row with a later joined_on).
CREATE UNIQUE INDEX memberships_open ON memberships (cluster_id, organisation_id) WHERE left_on IS NULL;

CREATE INDEX clusters_name_norm ON clusters (name_norm);
CREATE INDEX clusters_sector_stage ON clusters (sector, stage);
CREATE INDEX cluster_industries_isic ON cluster_industries (isic_code);
