-- Uploaded files waiting for the background job that reads them. A file is
-- kept in the database, not on a server's disk, so that the job may run on
-- any server instance and after a restart; it is stored in parts of 1 MiB
-- so that neither the upload nor the job ever holds the whole file in
-- memory. The job deletes its upload when it ends.

CREATE TABLE uploads (
    id         {{ID}},
    user_id    BIGINT REFERENCES users (id),
    name       TEXT NOT NULL,
    size       BIGINT NOT NULL DEFAULT 0,
    created_at {{TS}} NOT NULL
);
CREATE INDEX uploads_created ON uploads (created_at);

CREATE TABLE upload_parts (
    upload_id BIGINT NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
    seq       INTEGER NOT NULL,
    data      {{BLOB}} NOT NULL,
    PRIMARY KEY (upload_id, seq)
);
