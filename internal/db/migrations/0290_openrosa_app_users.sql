-- App users let a field officer point ODK Collect at a campaign without a
-- platform account: a name and a secret (stored as its SHA-256 hash, like
-- link tokens), sent with HTTP Basic authentication to the campaign's
-- OpenRosa address. An officer who runs the campaign creates and revokes
-- them.
CREATE TABLE campaign_app_users (
    id          {{ID}},
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id),
    name        TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_by  BIGINT REFERENCES users (id),
    created_at  {{TS}} NOT NULL,
    revoked_at  {{TS}},
    UNIQUE (campaign_id, name)
);
