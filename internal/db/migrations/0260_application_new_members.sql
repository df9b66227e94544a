-- Organisations a cluster datasheet names that are not in the registry yet
-- (a firm that never dealt with a BSO, say). They wait here while the
-- application is a draft and join the registry when it is submitted,
-- becoming ordinary datasheet members.
CREATE TABLE application_new_members (
    application_id BIGINT NOT NULL REFERENCES applications (id),
    position       INTEGER NOT NULL,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    country_iso3   TEXT NOT NULL REFERENCES countries (iso3),
    role           TEXT NOT NULL,
    PRIMARY KEY (application_id, position)
);
