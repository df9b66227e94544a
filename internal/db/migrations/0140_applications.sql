-- Applications to calls for proposals: a concept note drafted by a lead
-- organisation for a cluster initiative, its cluster datasheet (member
-- organisations of the registry with their role), its budget request by
-- funding source in minor units of the programme's currency, the
-- declarations the eligibility rules judge, and, once submitted, the
-- result of each of the call's rules with its reason.
--
-- bso_id and cluster_id carry the applicant's scope: BSO staff work on the
-- applications of their BSO, cluster managers on their cluster's.

CREATE TABLE applications (
    id                    {{ID}},
    call_id               BIGINT NOT NULL REFERENCES calls (id),
    status                TEXT NOT NULL,
    title                 TEXT NOT NULL,
    summary               TEXT NOT NULL DEFAULT '',
    lead_org_id           BIGINT NOT NULL REFERENCES organisations (id),
    bso_id                BIGINT REFERENCES organisations (id),
    cluster_id            BIGINT REFERENCES clusters (id),
    grant_request         BIGINT NOT NULL DEFAULT 0,
    counterpart_cash      BIGINT NOT NULL DEFAULT 0,
    counterpart_in_kind   BIGINT NOT NULL DEFAULT 0,
    formally_registered   BOOLEAN NOT NULL DEFAULT FALSE,
    no_tax_debt           BOOLEAN NOT NULL DEFAULT FALSE,
    monitoring_commitment BOOLEAN NOT NULL DEFAULT FALSE,
    months_operating      INTEGER NOT NULL DEFAULT 0,
    documents             TEXT NOT NULL DEFAULT '',
    eligible              BOOLEAN,
    created_by            BIGINT REFERENCES users (id),
    created_at            {{TS}} NOT NULL,
    updated_at            {{TS}} NOT NULL,
    submitted_at          {{TS}},
    submitted_by          BIGINT REFERENCES users (id)
);
CREATE INDEX applications_call ON applications (call_id, status);
CREATE INDEX applications_bso ON applications (bso_id);
CREATE INDEX applications_cluster ON applications (cluster_id);

CREATE TABLE application_members (
    application_id  BIGINT NOT NULL REFERENCES applications (id),
    position        INTEGER NOT NULL,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    role            TEXT NOT NULL,
    PRIMARY KEY (application_id, position),
    UNIQUE (application_id, organisation_id)
);

CREATE TABLE application_results (
    application_id BIGINT NOT NULL REFERENCES applications (id),
    position       INTEGER NOT NULL,
    kind           TEXT NOT NULL,
    pass           BOOLEAN NOT NULL,
    reason         TEXT NOT NULL,
    PRIMARY KEY (application_id, position)
);
