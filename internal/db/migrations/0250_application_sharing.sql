-- A draft application can be shared with co-applicants: accounts of other
-- organisations (a partner BSO, a university, the cluster's manager) who
-- write the concept note with the lead applicant. They may edit the draft;
-- only the lead applicant submits it.
CREATE TABLE application_sharing (
    application_id BIGINT NOT NULL REFERENCES applications (id),
    user_id        BIGINT NOT NULL REFERENCES users (id),
    added_by       BIGINT REFERENCES users (id),
    added_at       {{TS}} NOT NULL,
    PRIMARY KEY (application_id, user_id)
);
CREATE INDEX application_sharing_user ON application_sharing (user_id);
