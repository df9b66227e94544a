-- Area outlines a dataset brings for its own areas (districts, parishes),
-- matched to its area codes and kept in the shape the maps read.
CREATE TABLE dataset_outlines (
    dataset_id BIGINT PRIMARY KEY REFERENCES employment_datasets (id),
    geojson    TEXT NOT NULL,
    property   TEXT NOT NULL,
    features   INTEGER NOT NULL,
    unmatched  TEXT NOT NULL DEFAULT '',
    missing    TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id),
    created_at {{TS}} NOT NULL
);
