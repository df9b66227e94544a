-- Implementation of approved improvement plans: spending and in-kind
-- contributions against the budget lines of the approved baseline,
-- progress on its milestones, quarterly progress reports, and the files
-- that prove them (receipts, evidence), kept in the database.
--
-- Budget lines and milestones are positional in a version's content, so
-- each record keeps the baseline version it was recorded against and the
-- position (from 1) of its line or milestone in that version.

CREATE TABLE plan_attachments (
    id           {{ID}},
    plan_id      BIGINT NOT NULL REFERENCES plans (id),
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    data         {{BLOB}} NOT NULL,
    created_by   BIGINT REFERENCES users (id),
    created_at   {{TS}} NOT NULL
);
CREATE INDEX plan_attachments_plan ON plan_attachments (plan_id);

CREATE TABLE plan_spending (
    id               {{ID}},
    plan_id          BIGINT NOT NULL REFERENCES plans (id),
    baseline_version INTEGER NOT NULL,
    line             INTEGER NOT NULL,
    source           TEXT NOT NULL,
    spent_on         TEXT NOT NULL,
    amount           BIGINT NOT NULL,
    description      TEXT NOT NULL,
    given            TEXT NOT NULL DEFAULT '',
    valuation        TEXT NOT NULL DEFAULT '',
    receipt_id       BIGINT REFERENCES plan_attachments (id),
    created_by       BIGINT REFERENCES users (id),
    created_at       {{TS}} NOT NULL
);
CREATE INDEX plan_spending_plan ON plan_spending (plan_id, spent_on);

CREATE TABLE plan_milestone_progress (
    plan_id          BIGINT NOT NULL REFERENCES plans (id),
    baseline_version INTEGER NOT NULL,
    milestone        INTEGER NOT NULL,
    status           TEXT NOT NULL,
    completed_on     TEXT NOT NULL DEFAULT '',
    note             TEXT NOT NULL DEFAULT '',
    evidence_id      BIGINT REFERENCES plan_attachments (id),
    updated_by       BIGINT REFERENCES users (id),
    updated_at       {{TS}} NOT NULL,
    PRIMARY KEY (plan_id, baseline_version, milestone)
);

CREATE TABLE plan_reports (
    id           {{ID}},
    plan_id      BIGINT NOT NULL REFERENCES plans (id),
    period       TEXT NOT NULL,
    summary      TEXT NOT NULL,
    narrative    TEXT NOT NULL,
    status       TEXT NOT NULL,
    submitted_by BIGINT REFERENCES users (id),
    submitted_at {{TS}} NOT NULL,
    accepted_by  BIGINT REFERENCES users (id),
    accepted_at  {{TS}},
    UNIQUE (plan_id, period)
);
