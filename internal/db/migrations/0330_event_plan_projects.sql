-- Events that deliver a project of an approved improvement plan: a
-- workshop, training or meeting held for a project (and optionally one of
-- its activities), so that the plan's implementation shows each project's
-- events and attendance.
--
-- An event serves at most one project (event_id is the key): an event is
-- organised for one piece of work, and counting its participants under
-- two projects would count them twice. The project is optional.
--
-- Projects and activities are positional in a version's content, so the
-- link keeps, as the implementation records do, the plan, the baseline
-- version it was made against and the position (from 1) of the project
-- and of the activity (0: the project as a whole). The pair (plan_id,
-- baseline_version) must name a stored version of the plan. Who linked
-- an event, and when, is in the audit log with the event's other changes.

CREATE TABLE event_plan_projects (
    event_id         BIGINT NOT NULL PRIMARY KEY REFERENCES events (id),
    plan_id          BIGINT NOT NULL REFERENCES plans (id),
    baseline_version INTEGER NOT NULL,
    project          INTEGER NOT NULL,
    activity         INTEGER NOT NULL DEFAULT 0,
    linked_at        {{TS}} NOT NULL,
    FOREIGN KEY (plan_id, baseline_version) REFERENCES plan_versions (plan_id, version),
    CHECK (project >= 1),
    CHECK (activity >= 0)
);
CREATE INDEX event_plan_projects_plan ON event_plan_projects (plan_id, project);
