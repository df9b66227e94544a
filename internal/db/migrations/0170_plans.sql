-- Cluster competitiveness improvement plans: one per shortlisted
-- application, written by the cluster's facilitator and approved by the
-- programme. Every save stores the whole plan as a new version (JSON in
-- plan_versions.content); plans.version is the latest, baseline_version
-- the one approved as the implementation baseline.
--
-- programme_id, call_id, bso_id and cluster_id are copied from the
-- application so that scope filters and lists need no join.

CREATE TABLE plans (
    id               {{ID}},
    application_id   BIGINT NOT NULL UNIQUE REFERENCES applications (id),
    call_id          BIGINT NOT NULL REFERENCES calls (id),
    programme_id     BIGINT NOT NULL REFERENCES programmes (id),
    bso_id           BIGINT REFERENCES organisations (id),
    cluster_id       BIGINT REFERENCES clusters (id),
    facilitator_id   BIGINT REFERENCES users (id),
    title            TEXT NOT NULL,
    status           TEXT NOT NULL,
    version          INTEGER NOT NULL,
    baseline_version INTEGER,
    review_comment   TEXT NOT NULL DEFAULT '',
    submitted_at     {{TS}},
    submitted_by     BIGINT REFERENCES users (id),
    approved_at      {{TS}},
    approved_by      BIGINT REFERENCES users (id),
    created_by       BIGINT REFERENCES users (id),
    created_at       {{TS}} NOT NULL,
    updated_at       {{TS}} NOT NULL
);
CREATE INDEX plans_call ON plans (call_id, status);
CREATE INDEX plans_programme ON plans (programme_id);
CREATE INDEX plans_bso ON plans (bso_id);
CREATE INDEX plans_cluster ON plans (cluster_id);

CREATE TABLE plan_versions (
    plan_id  BIGINT NOT NULL REFERENCES plans (id),
    version  INTEGER NOT NULL,
    content  TEXT NOT NULL,
    saved_by BIGINT REFERENCES users (id),
    saved_at {{TS}} NOT NULL,
    PRIMARY KEY (plan_id, version)
);
