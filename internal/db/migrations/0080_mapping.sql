-- Cluster mapping: industry classifications besides ISIC, cluster
-- definition sets, and employment datasets by area × industry × year.

-- NAICS 2012 (six-digit US codes) and the Census Bureau's concordance to
-- ISIC Rev.4. ISIC itself is in isic_codes.
CREATE TABLE naics_codes (
    code  TEXT PRIMARY KEY,
    title TEXT NOT NULL
);

CREATE TABLE naics_isic (
    naics_code TEXT NOT NULL,
    isic_code  TEXT NOT NULL,
    partial    BOOLEAN NOT NULL,
    notes      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (naics_code, isic_code)
);
CREATE INDEX naics_isic_isic ON naics_isic (isic_code);

-- A definition set groups industry codes of one classification into
-- clusters. One code belongs to at most one cluster of a set (the primary
-- key of definition_industries), since a cluster's employment would
-- otherwise be counted twice.
CREATE TABLE definition_sets (
    id             {{ID}},
    name           TEXT NOT NULL UNIQUE,
    classification TEXT NOT NULL CHECK (classification IN ('isic4', 'naics2012')),
    description    TEXT NOT NULL DEFAULT '',
    builtin        BOOLEAN NOT NULL DEFAULT FALSE,
    derived_from   BIGINT REFERENCES definition_sets (id),
    created_by     BIGINT REFERENCES users (id),
    created_at     {{TS}} NOT NULL,
    updated_at     {{TS}} NOT NULL,
    archived_at    {{TS}}
);

CREATE TABLE definition_clusters (
    set_id BIGINT NOT NULL REFERENCES definition_sets (id),
    code   TEXT NOT NULL,
    name   TEXT NOT NULL,
    type   TEXT NOT NULL CHECK (type IN ('traded', 'local')),
    PRIMARY KEY (set_id, code)
);

CREATE TABLE definition_industries (
    set_id          BIGINT NOT NULL,
    industry        TEXT NOT NULL,
    cluster_code    TEXT NOT NULL,
    subcluster_code TEXT NOT NULL DEFAULT '',
    subcluster_name TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (set_id, industry),
    FOREIGN KEY (set_id, cluster_code) REFERENCES definition_clusters (set_id, code)
);

-- An employment dataset: cells of one classification for areas that are
-- either the platform's areas (area_id) or exist only in the dataset (a
-- district of another country). country_iso3 places an area in a country,
-- so that a country or the region can serve as the reference.
CREATE TABLE employment_datasets (
    id             {{ID}},
    name           TEXT NOT NULL UNIQUE,
    classification TEXT NOT NULL CHECK (classification IN ('isic4', 'naics2012')),
    description    TEXT NOT NULL DEFAULT '',
    source         TEXT NOT NULL DEFAULT '',
    demo           BOOLEAN NOT NULL DEFAULT FALSE,
    cells          BIGINT NOT NULL DEFAULT 0,
    suppressed     BIGINT NOT NULL DEFAULT 0,
    first_year     INTEGER,
    last_year      INTEGER,
    version        INTEGER NOT NULL DEFAULT 0,
    created_by     BIGINT REFERENCES users (id),
    created_at     {{TS}} NOT NULL,
    updated_at     {{TS}} NOT NULL,
    imported_at    {{TS}},
    archived_at    {{TS}}
);

CREATE TABLE dataset_areas (
    dataset_id   BIGINT NOT NULL REFERENCES employment_datasets (id),
    code         TEXT NOT NULL,
    name         TEXT NOT NULL DEFAULT '',
    area_id      BIGINT REFERENCES areas (id),
    country_iso3 TEXT REFERENCES countries (iso3),
    PRIMARY KEY (dataset_id, code)
);

-- One row per dataset × area × industry × year. Suppressed cells carry no
-- values. Wages are in hundredths of the currency unit so that sums are
-- exact. Keyed by the primary key alone: millions of rows per dataset.
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
) {{KEYED}};
