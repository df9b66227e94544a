-- On PostgreSQL an imported dataset's cells get a partition of their own.
-- Loading millions of rows into a table without an index and building the
-- index once afterwards is several times faster than maintaining the
-- primary key row by row, and replacing a dataset drops its old partition
-- instead of deleting millions of rows. Cells written by plain INSERTs
-- (the demonstration data, tests) land in the shared default partition.
ALTER TABLE employment_cells RENAME TO employment_cells_before_0100;
ALTER INDEX employment_cells_pkey RENAME TO employment_cells_before_0100_pkey;

CREATE TABLE employment_cells (
    dataset_id     BIGINT NOT NULL,
    area_code      TEXT NOT NULL,
    industry       TEXT NOT NULL,
    year           INTEGER NOT NULL,
    employment     BIGINT,
    establishments BIGINT,
    wages_cents    BIGINT,
    suppressed     BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (dataset_id, area_code, industry, year)
) PARTITION BY LIST (dataset_id);

CREATE TABLE employment_cells_shared PARTITION OF employment_cells DEFAULT;

INSERT INTO employment_cells SELECT * FROM employment_cells_before_0100;

DROP TABLE employment_cells_before_0100;
