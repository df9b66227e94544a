-- Data-collection campaigns: a published form version sent to respondents
-- (organisations) for one period, with opening, closing and deadline dates.
-- campaign_key is random: it names the campaign in OpenRosa addresses.
CREATE TABLE campaigns (
    id            {{ID}},
    campaign_key  TEXT NOT NULL UNIQUE,
    title         TEXT NOT NULL,
    form_id       BIGINT NOT NULL REFERENCES forms (id),
    version_id    BIGINT NOT NULL REFERENCES form_versions (id),
    period        TEXT NOT NULL,
    opens_on      TEXT NOT NULL,
    closes_on     TEXT NOT NULL,
    deadline      TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'draft',
    bso_id        BIGINT REFERENCES organisations (id),
    prefill_from  BIGINT REFERENCES campaigns (id),
    reminder_days TEXT NOT NULL DEFAULT '',
    created_by    BIGINT REFERENCES users (id),
    actor         TEXT NOT NULL,
    created_at    {{TS}} NOT NULL,
    updated_at    {{TS}} NOT NULL,
    opened_at     {{TS}},
    closed_at     {{TS}}
);
CREATE INDEX campaigns_bso ON campaigns (bso_id);
CREATE INDEX campaigns_version ON campaigns (version_id);
-- The clusters whose members were invited when the campaign was created.
CREATE TABLE campaign_clusters (
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    cluster_id  BIGINT NOT NULL REFERENCES clusters (id),
    PRIMARY KEY (campaign_id, cluster_id)
);
-- One invitation per respondent organisation, revoked or not.
CREATE TABLE campaign_invitations (
    id              {{ID}},
    campaign_id     BIGINT NOT NULL REFERENCES campaigns (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    cluster_id      BIGINT REFERENCES clusters (id),
    expires_at      {{TS}},
    emailed_at      {{TS}},
    revoked_at      {{TS}},
    created_at      {{TS}} NOT NULL,
    UNIQUE (campaign_id, organisation_id)
);
-- The links of an invitation. Only the SHA-256 hash of a link's token is
-- kept; the token itself is shown or emailed once, when made. An invitation
-- may have several working links (the invitation email, a reminder, one to
-- copy); making a new link to copy ends the others.
CREATE TABLE campaign_tokens (
    token_hash    TEXT PRIMARY KEY,
    invitation_id BIGINT NOT NULL REFERENCES campaign_invitations (id),
    purpose       TEXT NOT NULL,
    created_at    {{TS}} NOT NULL,
    revoked_at    {{TS}}
);
CREATE INDEX campaign_tokens_invitation ON campaign_tokens (invitation_id);
-- A reminder sent to one invitation for one day before the deadline, so
-- that none is sent twice.
CREATE TABLE campaign_reminders (
    invitation_id BIGINT NOT NULL REFERENCES campaign_invitations (id),
    days_before   INTEGER NOT NULL,
    sent_at       {{TS}} NOT NULL,
    PRIMARY KEY (invitation_id, days_before)
);
-- Submissions: the answers normalised as JSON (field name to value, repeats
-- as arrays of objects) beside the raw payload. instance_id is made by the
-- client and makes a retry harmless. An edit is a new row: original_id
-- points at the first submission of the chain and the row it replaces is
-- marked superseded.
CREATE TABLE submissions (
    id              {{ID}},
    campaign_id     BIGINT NOT NULL REFERENCES campaigns (id),
    invitation_id   BIGINT NOT NULL REFERENCES campaign_invitations (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    version_id      BIGINT NOT NULL REFERENCES form_versions (id),
    instance_id     TEXT NOT NULL,
    deprecated_id   TEXT NOT NULL DEFAULT '',
    original_id     BIGINT REFERENCES submissions (id),
    superseded      BOOLEAN NOT NULL DEFAULT FALSE,
    channel         TEXT NOT NULL,
    answers         TEXT NOT NULL,
    content_hash    TEXT NOT NULL,
    raw             {{BLOB}},
    raw_type        TEXT NOT NULL DEFAULT '',
    attachments     TEXT NOT NULL DEFAULT '[]',
    state           TEXT NOT NULL DEFAULT 'received',
    review_comment  TEXT NOT NULL DEFAULT '',
    reviewer        TEXT NOT NULL DEFAULT '',
    reviewed_by     BIGINT REFERENCES users (id),
    reviewed_at     {{TS}},
    submitted_by    BIGINT REFERENCES users (id),
    actor           TEXT NOT NULL DEFAULT '',
    received_at     {{TS}} NOT NULL
);
CREATE UNIQUE INDEX submissions_instance ON submissions (instance_id);
CREATE INDEX submissions_campaign ON submissions (campaign_id, received_at);
CREATE INDEX submissions_invitation ON submissions (invitation_id, received_at);
