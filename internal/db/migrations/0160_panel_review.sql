-- Panel review of applications to calls for proposals.
--
-- A call's disagreement margin is how far apart (in points of the 0–100
-- weighted scale) two reviewers' weighted totals of one application may be
-- before the dashboard flags the application for discussion.
ALTER TABLE calls ADD COLUMN disagreement_margin DOUBLE PRECISION NOT NULL DEFAULT 20;

-- One row per reviewer account assigned to an application. status is
-- 'pending' until the reviewer declares whether they have a conflict of
-- interest, 'conflicted' when they declared one (the reviewer is then
-- unassigned, and the row stays as the record of it), 'draft' while they
-- score, and 'submitted' once their scores are final. call_id repeats the
-- application's call so that a call's reviews are read without a join.
CREATE TABLE application_reviews (
    id             {{ID}},
    application_id BIGINT NOT NULL REFERENCES applications (id),
    call_id        BIGINT NOT NULL REFERENCES calls (id),
    reviewer_id    BIGINT NOT NULL REFERENCES users (id),
    status         TEXT NOT NULL,
    conflict_note  TEXT NOT NULL DEFAULT '',
    declared_at    {{TS}},
    comment        TEXT NOT NULL DEFAULT '',
    assigned_by    BIGINT REFERENCES users (id),
    assigned_at    {{TS}} NOT NULL,
    updated_at     {{TS}} NOT NULL,
    submitted_at   {{TS}},
    UNIQUE (application_id, reviewer_id)
);
CREATE INDEX application_reviews_reviewer ON application_reviews (reviewer_id, status);
CREATE INDEX application_reviews_call ON application_reviews (call_id);

-- A reviewer's score of one criterion, named by its position in the call
-- (call_criteria.position). Criteria cannot change once a call has scores.
CREATE TABLE review_scores (
    review_id BIGINT NOT NULL REFERENCES application_reviews (id),
    position  INTEGER NOT NULL,
    score     INTEGER NOT NULL,
    comment   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (review_id, position)
);

-- The panel's decision on an application: 'shortlisted' or 'rejected',
-- with its reason (required for a rejection). The application's status
-- follows the decision.
CREATE TABLE application_decisions (
    application_id BIGINT PRIMARY KEY REFERENCES applications (id),
    decision       TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    decided_by     BIGINT REFERENCES users (id),
    decided_at     {{TS}} NOT NULL
);
