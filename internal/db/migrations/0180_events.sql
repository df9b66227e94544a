-- Events of cluster initiatives: meetings, workshops, trainings, trade
-- missions and matchmaking sessions, with their organiser, the clusters
-- they served and who took part. Attendance is the evidence from which
-- cooperation ties are derived, so it is kept row by row: event_clusters
-- says which clusters an event served, event_attendees which organisations
-- took part and how many of their people, and the events' dates place both
-- in time. Dates are YYYY-MM-DD text, as memberships keep theirs.
--
-- Participant counts are broken down by sex (women + men + other or
-- unspecified = participants); youth (15-35) is a subset of the total.

CREATE TABLE events (
    id           {{ID}},
    title        TEXT NOT NULL,
    title_norm   TEXT NOT NULL,
    type         TEXT NOT NULL,
    organiser_id BIGINT NOT NULL REFERENCES organisations (id),
    starts_on    TEXT NOT NULL,
    ends_on      TEXT NOT NULL,
    place        TEXT NOT NULL DEFAULT '',
    country_iso3 TEXT REFERENCES countries (iso3),
    description  TEXT NOT NULL DEFAULT '',
    participants INTEGER NOT NULL DEFAULT 0,
    women        INTEGER NOT NULL DEFAULT 0,
    men          INTEGER NOT NULL DEFAULT 0,
    other_sex    INTEGER NOT NULL DEFAULT 0,
    youth        INTEGER NOT NULL DEFAULT 0,
    created_at   {{TS}} NOT NULL,
    updated_at   {{TS}} NOT NULL,
    archived_at  {{TS}},
    CHECK (ends_on >= starts_on),
    CHECK (women >= 0 AND men >= 0 AND other_sex >= 0 AND youth >= 0),
    CHECK (participants = women + men + other_sex),
    CHECK (youth <= participants)
);
CREATE INDEX events_starts ON events (starts_on);
CREATE INDEX events_organiser ON events (organiser_id);
CREATE INDEX events_country ON events (country_iso3);

CREATE TABLE event_clusters (
    event_id   BIGINT NOT NULL REFERENCES events (id),
    cluster_id BIGINT NOT NULL REFERENCES clusters (id),
    PRIMARY KEY (event_id, cluster_id)
);
CREATE INDEX event_clusters_cluster ON event_clusters (cluster_id);

CREATE TABLE event_attendees (
    event_id        BIGINT NOT NULL REFERENCES events (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    participants    INTEGER NOT NULL DEFAULT 0,
    women           INTEGER NOT NULL DEFAULT 0,
    men             INTEGER NOT NULL DEFAULT 0,
    other_sex       INTEGER NOT NULL DEFAULT 0,
    youth           INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, organisation_id),
    CHECK (women >= 0 AND men >= 0 AND other_sex >= 0 AND youth >= 0),
    CHECK (participants = women + men + other_sex),
    CHECK (youth <= participants)
);
CREATE INDEX event_attendees_org ON event_attendees (organisation_id, event_id);
