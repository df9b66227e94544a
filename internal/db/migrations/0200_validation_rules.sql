-- Data quality of indicator values: validation rules in the manner of
-- DHIS2's (a left side, an operator and a right side over indicator totals
-- and categories), the runs that check them for a scope of subjects and
-- periods, and the violations each run found. A violation stays current
-- until a later run checks the same subject and period again
-- (superseded_by names that run).
CREATE TABLE validation_rules (
    id            {{ID}},
    name          TEXT NOT NULL UNIQUE,
    description   TEXT NOT NULL DEFAULT '',
    left_expr     TEXT NOT NULL,
    operator      TEXT NOT NULL CHECK (operator IN ('equal_to', 'not_equal_to', 'less_than', 'less_than_or_equal_to',
                      'greater_than', 'greater_than_or_equal_to', 'compulsory_pair', 'exclusive_pair')),
    right_expr    TEXT NOT NULL,
    importance    TEXT NOT NULL CHECK (importance IN ('high', 'medium', 'low')),
    left_missing  TEXT NOT NULL CHECK (left_missing IN ('skip_if_any_missing', 'skip_if_all_missing', 'never_skip')),
    right_missing TEXT NOT NULL CHECK (right_missing IN ('skip_if_any_missing', 'skip_if_all_missing', 'never_skip')),
    period_type   TEXT NOT NULL CHECK (period_type IN ('month', 'quarter', 'year')),
    builtin       BOOLEAN NOT NULL DEFAULT FALSE,
    created_by    BIGINT REFERENCES users (id),
    created_at    {{TS}} NOT NULL,
    updated_at    {{TS}} NOT NULL,
    archived_at   {{TS}}
);

-- A check of the rules: on entry (one subject and period, when values are
-- saved) or on demand (a country or cluster and a range of periods).
CREATE TABLE validation_runs (
    id           {{ID}},
    kind         TEXT NOT NULL CHECK (kind IN ('entry', 'on_demand')),
    country_iso3 TEXT NOT NULL DEFAULT '',
    cluster_id   BIGINT NOT NULL DEFAULT 0,
    subject      TEXT NOT NULL DEFAULT '',
    period_from  TEXT NOT NULL,
    period_to    TEXT NOT NULL,
    pairs        INTEGER NOT NULL DEFAULT 0,
    checks       INTEGER NOT NULL DEFAULT 0,
    violations   INTEGER NOT NULL DEFAULT 0,
    created_by   BIGINT REFERENCES users (id),
    actor        TEXT NOT NULL,
    created_at   {{TS}} NOT NULL
);
CREATE INDEX validation_runs_created ON validation_runs (created_at);

-- A rule that did not hold for one subject and period. country_iso3 is the
-- subject's country (a cluster's first country), so that the table can be
-- filtered and later distributed by country.
CREATE TABLE validation_violations (
    id            {{ID}},
    run_id        BIGINT NOT NULL REFERENCES validation_runs (id),
    rule_id       BIGINT NOT NULL REFERENCES validation_rules (id),
    subject_kind  TEXT NOT NULL CHECK (subject_kind IN ('cluster', 'organisation', 'country')),
    subject_id    BIGINT NOT NULL DEFAULT 0,
    subject_iso3  TEXT NOT NULL DEFAULT '',
    country_iso3  TEXT NOT NULL DEFAULT '',
    period_key    TEXT NOT NULL,
    period_start  TEXT NOT NULL,
    left_value    DOUBLE PRECISION,
    right_value   DOUBLE PRECISION,
    superseded_by BIGINT REFERENCES validation_runs (id),
    created_at    {{TS}} NOT NULL
);
CREATE INDEX validation_violations_run ON validation_violations (run_id);
CREATE INDEX validation_violations_current ON validation_violations (subject_kind, subject_id, subject_iso3, period_key, superseded_by);
CREATE INDEX validation_violations_country ON validation_violations (country_iso3, period_start);

-- The built-in rules for the standard indicators.
INSERT INTO validation_rules (name, description, left_expr, operator, right_expr, importance, left_missing, right_missing, period_type, builtin, created_at, updated_at) VALUES
('Jobs for women within total jobs', 'Jobs created for women cannot exceed the total jobs created.', 'JOBS_CREATED[women]', 'less_than_or_equal_to', 'JOBS_CREATED', 'high', 'skip_if_any_missing', 'skip_if_any_missing', 'year', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
('Jobs for men within total jobs', 'Jobs created for men cannot exceed the total jobs created.', 'JOBS_CREATED[men]', 'less_than_or_equal_to', 'JOBS_CREATED', 'high', 'skip_if_any_missing', 'skip_if_any_missing', 'year', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
('Youth jobs within total jobs', 'Jobs created for young people (15 to 35) cannot exceed the total jobs created.', 'JOBS_CREATED[youth]', 'less_than_or_equal_to', 'JOBS_CREATED', 'high', 'skip_if_any_missing', 'skip_if_any_missing', 'year', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
('Jobs for women and men add up to the total', 'When both are given, jobs for women and for men add up to the total jobs created.', 'JOBS_CREATED[women] + JOBS_CREATED[men]', 'equal_to', 'JOBS_CREATED', 'medium', 'skip_if_any_missing', 'skip_if_any_missing', 'year', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP),
('Exports within revenue', 'Exports of member firms are part of their revenue and cannot exceed it.', 'EXPORTS', 'less_than_or_equal_to', 'REVENUE', 'medium', 'skip_if_any_missing', 'skip_if_any_missing', 'year', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP);
