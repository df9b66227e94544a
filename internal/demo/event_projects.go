package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/event"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/user"
)

// linkEventProjects links the events that delivered the approved plans'
// projects: of each funded cluster's events held while one of its plan's
// projects ran (up to implementedUntil), most workshops, trainings, trade
// missions and matchmaking sessions serve a project, and members'
// meetings serve the project's steering committee review (its activity);
// open days and one event in five serve none. Links go through the event
// store, so its checks and audit entries are the real ones. It adds the
// number of links to counts.
func linkEventProjects(ctx context.Context, d *db.DB, counts map[string]int) error {
	type approvedPlan struct {
		id, cluster int64
		version     int
	}
	rows, err := d.Read().QueryContext(ctx, `SELECT id, cluster_id, baseline_version FROM plans
		WHERE baseline_version IS NOT NULL AND cluster_id IS NOT NULL ORDER BY id`)
	if err != nil {
		return fmt.Errorf("approved plans: %w", err)
	}
	var plans []approvedPlan
	for rows.Next() {
		var p approvedPlan
		if err := rows.Scan(&p.id, &p.cluster, &p.version); err != nil {
			rows.Close()
			return err
		}
		plans = append(plans, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	ps, es := plan.NewStore(d), event.NewStore(d)
	until := implementedUntil.Format(time.DateOnly)
	n := 0
	for _, p := range plans {
		_, c, err := ps.FindVersion(ctx, user.System, p.id, p.version)
		if err != nil {
			return fmt.Errorf("plan %d: %w", p.id, err)
		}
		evs, err := clusterEventsBetween(ctx, d, p.cluster, c.StartsOn, min(c.EndsOn, until))
		if err != nil {
			return err
		}
		for _, e := range evs {
			ref := projectFor(c, e)
			if ref == nil {
				continue
			}
			ref.PlanID = p.id
			if _, err := es.LinkProject(ctx, user.System, e.id, ref); err != nil {
				return fmt.Errorf("link event %d to plan %d: %w", e.id, p.id, err)
			}
			n++
		}
	}
	counts["event_project_links"] = n
	return nil
}

// clusterEvent is what the linking needs of an event.
type clusterEvent struct {
	id   int64
	typ  event.Type
	date string
}

// clusterEventsBetween lists the unlinked events of a cluster that started
// from from to to (YYYY-MM-DD), by date.
func clusterEventsBetween(ctx context.Context, d *db.DB, cluster int64, from, to string) ([]clusterEvent, error) {
	rows, err := d.Read().QueryContext(ctx, `SELECT e.id, e.type, e.starts_on FROM events e
		JOIN event_clusters ec ON ec.event_id = e.id
		WHERE ec.cluster_id = $1 AND e.archived_at IS NULL AND e.starts_on >= $2 AND e.starts_on <= $3
		AND NOT EXISTS (SELECT 1 FROM event_plan_projects l WHERE l.event_id = e.id)
		ORDER BY e.starts_on, e.id`, cluster, from, to)
	if err != nil {
		return nil, fmt.Errorf("events of cluster %d: %w", cluster, err)
	}
	defer rows.Close()
	var out []clusterEvent
	for rows.Next() {
		var e clusterEvent
		if err := rows.Scan(&e.id, &e.typ, &e.date); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// projectFor chooses the project (and activity) of c an event served, or
// nil: among the projects running on its day, by the event's ID so that
// the choice is the same on every run.
func projectFor(c *plan.Content, e clusterEvent) *event.ProjectRef {
	if e.typ == event.TypeOther || e.id%5 == 0 {
		return nil
	}
	var running []int
	for i, p := range c.Projects {
		if p.StartsOn <= e.date && e.date <= p.EndsOn {
			running = append(running, i+1)
		}
	}
	if len(running) == 0 {
		return nil
	}
	ref := &event.ProjectRef{Project: running[int(e.id)%len(running)]}
	if e.typ == event.TypeMeeting {
		for j, a := range c.Activities {
			if a.Project == ref.Project {
				ref.Activity = j + 1
				break
			}
		}
	}
	return ref
}
