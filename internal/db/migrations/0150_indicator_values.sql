-- Results framework, second slice: the values measured for an indicator,
-- one subject, period and category. Every value ever entered for the same
-- key is kept: entering it again adds a version, and the latest version is
-- the one shown. Each version carries its own review: received, has issues,
-- approved or rejected, with the reviewer's comment. Results count only
-- approved versions (the latest approved one per key).
CREATE TABLE indicator_values (
    id             {{ID}},
    indicator_id   BIGINT NOT NULL REFERENCES indicators (id),
    subject_kind   TEXT NOT NULL CHECK (subject_kind IN ('cluster', 'organisation', 'country')),
    subject_id     BIGINT NOT NULL DEFAULT 0,
    subject_iso3   TEXT NOT NULL DEFAULT '',
    period_type    TEXT NOT NULL CHECK (period_type IN ('month', 'quarter', 'year')),
    period_key     TEXT NOT NULL,
    period_start   TEXT NOT NULL,
    dimension_code TEXT NOT NULL DEFAULT '',
    category_code  TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL,
    value          DOUBLE PRECISION NOT NULL,
    source         TEXT NOT NULL CHECK (source IN ('entry', 'import', 'survey')),
    note           TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL CHECK (state IN ('received', 'has_issues', 'approved', 'rejected')),
    review_comment TEXT NOT NULL DEFAULT '',
    reviewed_by    BIGINT REFERENCES users (id),
    reviewer       TEXT NOT NULL DEFAULT '',
    reviewed_at    {{TS}},
    created_by     BIGINT REFERENCES users (id),
    actor          TEXT NOT NULL,
    created_at     {{TS}} NOT NULL,
    UNIQUE (indicator_id, subject_kind, subject_id, subject_iso3, period_key, dimension_code, category_code, version)
);
CREATE INDEX indicator_values_subject ON indicator_values (subject_kind, subject_id, subject_iso3, period_key, indicator_id);
CREATE INDEX indicator_values_state ON indicator_values (state, created_at);
