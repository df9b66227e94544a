-- The core records: places, industries, organisations, cluster initiatives,
-- memberships, accounts and the audit log.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE countries (
    iso3         TEXT PRIMARY KEY,
    iso2         TEXT NOT NULL UNIQUE,
    numeric_code TEXT NOT NULL,
    name         TEXT NOT NULL,
    languages    TEXT NOT NULL,
    currency     TEXT NOT NULL,
    caricom      BOOLEAN NOT NULL DEFAULT FALSE,
    cariforum    BOOLEAN NOT NULL DEFAULT FALSE,
    in_region    BOOLEAN NOT NULL DEFAULT FALSE,
    notes        TEXT NOT NULL DEFAULT ''
);

CREATE TABLE areas (
    id           {{ID}},
    country_iso3 TEXT NOT NULL REFERENCES countries (iso3),
    code         TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL,
    type         TEXT NOT NULL,
    parent_code  TEXT NOT NULL DEFAULT '',
    UNIQUE (country_iso3, name)
);

CREATE TABLE isic_codes (
    code        TEXT PRIMARY KEY,
    level       TEXT NOT NULL,
    parent_code TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL
);

CREATE TABLE organisations (
    id           {{ID}},
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL,
    name_norm    TEXT NOT NULL,
    country_iso3 TEXT NOT NULL REFERENCES countries (iso3),
    area_id      BIGINT REFERENCES areas (id),
    isic_code    TEXT REFERENCES isic_codes (code),
    size_band    TEXT NOT NULL DEFAULT '',
    women_led    BOOLEAN NOT NULL DEFAULT FALSE,
    youth_led    BOOLEAN NOT NULL DEFAULT FALSE,
    founded_year INTEGER,
    website      TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    contact_name TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '',
    created_at   {{TS}} NOT NULL,
    updated_at   {{TS}} NOT NULL,
    archived_at  {{TS}}
);
CREATE INDEX organisations_country_kind ON organisations (country_iso3, kind);
CREATE INDEX organisations_name_norm ON organisations (name_norm);
CREATE INDEX organisations_isic ON organisations (isic_code);

CREATE TABLE clusters (
    id              {{ID}},
    name            TEXT NOT NULL,
    name_norm       TEXT NOT NULL,
    sector          TEXT NOT NULL,
    value_chain     TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    stage           TEXT NOT NULL,
    lead_bso_id     BIGINT NOT NULL REFERENCES organisations (id),
    cluster_org_id  BIGINT REFERENCES organisations (id),
    facilitator     TEXT NOT NULL DEFAULT '',
    started_year    INTEGER,
    created_at      {{TS}} NOT NULL,
    updated_at      {{TS}} NOT NULL,
    archived_at     {{TS}}
);
CREATE INDEX clusters_lead_bso ON clusters (lead_bso_id);

CREATE TABLE cluster_countries (
    cluster_id   BIGINT NOT NULL REFERENCES clusters (id),
    country_iso3 TEXT NOT NULL REFERENCES countries (iso3),
    PRIMARY KEY (cluster_id, country_iso3)
);
CREATE INDEX cluster_countries_country ON cluster_countries (country_iso3);

CREATE TABLE cluster_industries (
    cluster_id BIGINT NOT NULL REFERENCES clusters (id),
    isic_code  TEXT NOT NULL REFERENCES isic_codes (code),
    PRIMARY KEY (cluster_id, isic_code)
);

CREATE TABLE memberships (
    id              {{ID}},
    cluster_id      BIGINT NOT NULL REFERENCES clusters (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    role            TEXT NOT NULL,
    joined_on       TEXT NOT NULL,
    left_on         TEXT,
    created_at      {{TS}} NOT NULL,
    updated_at      {{TS}} NOT NULL,
    UNIQUE (cluster_id, organisation_id, joined_on)
);
CREATE INDEX memberships_org ON memberships (organisation_id);

CREATE TABLE users (
    id            {{ID}},
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    scope_kind    TEXT NOT NULL DEFAULT '',
    scope_id      TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    locale        TEXT NOT NULL DEFAULT '',
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  {{TS}},
    created_at    {{TS}} NOT NULL,
    last_login_at {{TS}},
    disabled_at   {{TS}}
);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    created_at   {{TS}} NOT NULL,
    expires_at   {{TS}} NOT NULL,
    last_seen_at {{TS}} NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           {{ID}},
    user_id      BIGINT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   {{TS}} NOT NULL,
    last_used_at {{TS}},
    revoked_at   {{TS}}
);

-- One-time links: password resets and invitations.
CREATE TABLE user_links (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    purpose    TEXT NOT NULL,
    created_at {{TS}} NOT NULL,
    expires_at {{TS}} NOT NULL,
    used_at    {{TS}}
);

CREATE TABLE audit_log (
    id          {{ID}},
    at          {{TS}} NOT NULL,
    user_id     BIGINT,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    record_type TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    before_json TEXT,
    after_json  TEXT
);
CREATE INDEX audit_log_record ON audit_log (record_type, record_id);
CREATE INDEX audit_log_at ON audit_log (at);
