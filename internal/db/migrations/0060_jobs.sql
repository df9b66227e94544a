-- Progress of background jobs, for the person who started them. River keeps
-- its own tables (created by its migrator at start) and deletes finished
-- jobs after a day; a row here outlives that so the person can still see
-- how their job ended, until it is pruned after 30 days.
-- job_id is River's job ID; user_id is NULL for jobs the system started.

CREATE TABLE job_progress (
    job_id      BIGINT PRIMARY KEY,
    user_id     BIGINT REFERENCES users (id),
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    unit        TEXT NOT NULL DEFAULT 'items',
    done        BIGINT NOT NULL DEFAULT 0,
    total       BIGINT NOT NULL DEFAULT 0,
    message     TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL,
    result_json TEXT,
    created_at  {{TS}} NOT NULL,
    updated_at  {{TS}} NOT NULL
);
CREATE INDEX job_progress_user ON job_progress (user_id, created_at);
CREATE INDEX job_progress_updated ON job_progress (updated_at);
