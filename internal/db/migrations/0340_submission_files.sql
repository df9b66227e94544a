-- The files sent with a submission (photos, documents, recordings named by
-- the form's image and file fields), kept in the database beside it so that
-- a backup holds everything and any server instance can serve them. One row
-- per file and submission: an edit that keeps a file gets its own copy of
-- the row, so a version of a submission never depends on another one.
-- Files are not shared between submissions by their SHA-256: the few
-- duplicates (an edit keeping its photo) cost less than the bookkeeping
-- of shared rows. The file list with sizes, and the files named but not
-- received, stay in submissions.attachments; this table holds the bytes.
CREATE TABLE submission_files (
    id            {{ID}},
    submission_id BIGINT NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    data          {{BLOB}} NOT NULL,
    created_at    {{TS}} NOT NULL,
    UNIQUE (submission_id, name)
);
