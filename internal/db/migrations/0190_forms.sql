-- Data-collection forms. A form has a stable form_id (from the XLSForm's
-- settings) and one or more versions; each upload adds a version whose
-- version string is new for the form. Versions are never changed or
-- deleted: each keeps the original workbook, the parsed definition (JSON)
-- and the generated XForm with its MD5 hash. Only publication changes.
CREATE TABLE forms (
    id          {{ID}},
    form_key    TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    created_by  BIGINT REFERENCES users (id),
    created_at  {{TS}} NOT NULL,
    updated_at  {{TS}} NOT NULL
);
CREATE TABLE form_versions (
    id               {{ID}},
    form_id          BIGINT NOT NULL REFERENCES forms (id),
    version          TEXT NOT NULL,
    title            TEXT NOT NULL,
    default_language TEXT NOT NULL,
    languages        TEXT NOT NULL,
    field_count      INTEGER NOT NULL,
    workbook_name    TEXT NOT NULL,
    workbook         {{BLOB}} NOT NULL,
    definition       TEXT NOT NULL,
    xform            TEXT NOT NULL,
    xform_md5        TEXT NOT NULL,
    published        BOOLEAN NOT NULL DEFAULT FALSE,
    published_at     {{TS}},
    created_by       BIGINT REFERENCES users (id),
    actor            TEXT NOT NULL,
    created_at       {{TS}} NOT NULL,
    UNIQUE (form_id, version)
);
CREATE INDEX form_versions_form ON form_versions (form_id, created_at);
-- A numeric field of a version mapped to an indicator and, optionally, to
-- one category of one of the indicator's disaggregation dimensions.
CREATE TABLE form_field_mappings (
    id             {{ID}},
    version_id     BIGINT NOT NULL REFERENCES form_versions (id),
    field_name     TEXT NOT NULL,
    indicator_id   BIGINT NOT NULL REFERENCES indicators (id),
    dimension_code TEXT NOT NULL DEFAULT '',
    category_code  TEXT NOT NULL DEFAULT '',
    updated_by     BIGINT REFERENCES users (id),
    updated_at     {{TS}} NOT NULL,
    UNIQUE (version_id, field_name)
);
CREATE INDEX form_field_mappings_indicator ON form_field_mappings (indicator_id);
