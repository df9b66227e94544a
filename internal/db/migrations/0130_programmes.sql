-- Programmes that fund cluster initiatives and their calls for proposals.
-- A call keeps its own co-financing settings, eligibility rules (a kind
-- from the library in internal/programme/rules.go with JSON parameters, in
-- order) and weighted scoring criteria with a rubric per score level,
-- since the real programme changed them from call to call.

CREATE TABLE programmes (
    id          {{ID}},
    name        TEXT NOT NULL,
    funder_id   BIGINT NOT NULL REFERENCES organisations (id),
    currency    TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    starts_on   TEXT,
    ends_on     TEXT,
    created_by  BIGINT REFERENCES users (id),
    created_at  {{TS}} NOT NULL,
    updated_at  {{TS}} NOT NULL,
    archived_at {{TS}}
);
CREATE INDEX programmes_funder ON programmes (funder_id);

CREATE TABLE programme_countries (
    programme_id BIGINT NOT NULL REFERENCES programmes (id),
    country_iso3 TEXT NOT NULL REFERENCES countries (iso3),
    PRIMARY KEY (programme_id, country_iso3)
);
CREATE INDEX programme_countries_country ON programme_countries (country_iso3);

-- opens_at, closes_at (the concept-note deadline) and full_plan_due_at are
-- stored in UTC; time_zone (IANA) is how the call shows them. Shares are
-- fractions between 0 and 1; grant_ceiling is in minor units of the
-- programme's currency. in_kind_rule is '' (no limit), 'max_in_kind' (at
-- most in_kind_share of the counterpart in kind) or 'min_cash' (at least
-- in_kind_share of the counterpart in cash).
CREATE TABLE calls (
    id                    {{ID}},
    programme_id          BIGINT NOT NULL REFERENCES programmes (id),
    number                TEXT NOT NULL,
    title                 TEXT NOT NULL,
    description           TEXT NOT NULL DEFAULT '',
    time_zone             TEXT NOT NULL,
    opens_at              {{TS}} NOT NULL,
    closes_at             {{TS}} NOT NULL,
    full_plan_due_at      {{TS}},
    published             BOOLEAN NOT NULL DEFAULT FALSE,
    grant_ceiling         BIGINT NOT NULL,
    max_grant_share       DOUBLE PRECISION NOT NULL,
    min_counterpart_share DOUBLE PRECISION NOT NULL,
    in_kind_rule          TEXT NOT NULL DEFAULT '',
    in_kind_share         DOUBLE PRECISION NOT NULL DEFAULT 0,
    created_by            BIGINT REFERENCES users (id),
    created_at            {{TS}} NOT NULL,
    updated_at            {{TS}} NOT NULL,
    archived_at           {{TS}},
    UNIQUE (programme_id, number)
);
CREATE INDEX calls_dates ON calls (published, opens_at, closes_at);

CREATE TABLE call_rules (
    call_id  BIGINT NOT NULL REFERENCES calls (id),
    position INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    params   TEXT NOT NULL,
    PRIMARY KEY (call_id, position)
);

CREATE TABLE call_criteria (
    call_id     BIGINT NOT NULL REFERENCES calls (id),
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    weight      INTEGER NOT NULL,
    PRIMARY KEY (call_id, position)
);

CREATE TABLE call_criterion_levels (
    call_id    BIGINT NOT NULL,
    position   INTEGER NOT NULL,
    score      INTEGER NOT NULL,
    descriptor TEXT NOT NULL,
    PRIMARY KEY (call_id, position, score),
    FOREIGN KEY (call_id, position) REFERENCES call_criteria (call_id, position)
);
