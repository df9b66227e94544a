-- An imported dataset's partition is written once, by the import, which
-- refuses a file with two cells at the same area, industry and year before
-- anything is committed, and is never written again (a re-import builds a
-- new partition and drops the old one). A primary key on those partitions
-- only re-proved what the import had proved, and building it took a third
-- of the import's time. The key stays where rows are written one by one:
-- the shared partition (demonstration data, small writes). Readers of an
-- imported partition scan it whole or by block ranges (LoadDataset), so
-- no index is needed there.
ALTER TABLE employment_cells DROP CONSTRAINT employment_cells_pkey;
CREATE UNIQUE INDEX employment_cells_shared_key ON employment_cells_shared (dataset_id, area_code, industry, year);
