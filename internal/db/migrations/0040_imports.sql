-- Bulk imports: a file checked in a dry run is kept here until its owner
-- commits it or it expires, so the commit stores exactly the file that was
-- checked. Only the SHA-256 of the batch's token is stored.

CREATE TABLE import_batches (
    token_hash   TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    kind         TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    rows         INTEGER NOT NULL,
    content      {{BLOB}} NOT NULL,
    created_at   {{TS}} NOT NULL,
    expires_at   {{TS}} NOT NULL,
    committed_at {{TS}},
    created      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX import_batches_expires ON import_batches (expires_at);
