package event

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// versionKey names a version of a plan.
type versionKey struct {
	plan    int64
	version int
}

// contents reads plan versions' content once per request or transaction.
type contents struct {
	q db.Querier
	m map[versionKey]*plan.Content
}

func newContents(q db.Querier) *contents {
	return &contents{q: q, m: map[versionKey]*plan.Content{}}
}

// get returns the content of version v of plan id.
func (c *contents) get(ctx context.Context, id int64, v int) (*plan.Content, error) {
	k := versionKey{id, v}
	if x, ok := c.m[k]; ok {
		return x, nil
	}
	var raw string
	err := c.q.QueryRowContext(ctx, `SELECT content FROM plan_versions WHERE plan_id = $1 AND version = $2`, id, v).Scan(&raw)
	if err != nil {
		return nil, fmt.Errorf("plan %d version %d: %w", id, v, err)
	}
	var x plan.Content
	if err := json.Unmarshal([]byte(raw), &x); err != nil {
		return nil, fmt.Errorf("plan %d version %d: %w", id, v, err)
	}
	c.m[k] = &x
	return &x, nil
}

// attachLinks fills the project link of the events that have one, with
// the titles of the linked baseline and whether it counts under the
// plan's current one. Scope is applied afterwards (scopeLinks).
func attachLinks(ctx context.Context, q db.Querier, es []*Event) error {
	if len(es) == 0 {
		return nil
	}
	byID := make(map[int64]*Event, len(es))
	ids := make([]any, len(es))
	for i, e := range es {
		byID[e.ID] = e
		ids[i] = e.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT l.event_id, l.plan_id, l.baseline_version, l.project, l.activity, p.title,
		COALESCE(p.baseline_version, 0) FROM event_plan_projects l JOIN plans p ON p.id = l.plan_id
		WHERE l.event_id IN (`+db.Placeholders(1, len(ids))+`)`, ids...)
	if err != nil {
		return fmt.Errorf("event projects: %w", err)
	}
	var links []*ProjectLink
	var owners []*Event
	for rows.Next() {
		var id int64
		var l ProjectLink
		if err := rows.Scan(&id, &l.PlanID, &l.BaselineVersion, &l.Project, &l.Activity, &l.PlanTitle, &l.CurrentVersion); err != nil {
			rows.Close()
			return err
		}
		links, owners = append(links, &l), append(owners, byID[id])
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	cs := newContents(q)
	for i, l := range links {
		linked, err := cs.get(ctx, l.PlanID, l.BaselineVersion)
		if err != nil {
			return err
		}
		l.ProjectTitle, l.ActivityTitle = linked.ProjectTitle(l.Project), ActivityTitle(linked, l.Project, l.Activity)
		l.Current = l.BaselineVersion == l.CurrentVersion
		if !l.Current && l.CurrentVersion > 0 {
			cur, err := cs.get(ctx, l.PlanID, l.CurrentVersion)
			if err != nil {
				return err
			}
			l.Current = PlaceActivity(cur, linked, l.Project, l.Activity)
		}
		l.Readable = true
		owners[i].PlanProject = l
	}
	return nil
}

// mayReadPlan reports whether the actor may read plan id, by the plan's
// own scope rules.
func (s *Store) mayReadPlan(ctx context.Context, actor user.Actor, id int64) (bool, error) {
	_, err := s.plans.FindPlanByID(ctx, actor, id)
	switch {
	case err == nil:
		return true, nil
	case problem.Is(err, problem.NotFound), problem.Is(err, problem.Unauthorized):
		return false, nil
	}
	return false, err
}

// scopeLinks leaves only the plan's ID and positions in the links to
// plans the actor may not read: the event is theirs to see, the plan not.
func (s *Store) scopeLinks(ctx context.Context, actor user.Actor, es ...*Event) error {
	seen := map[int64]bool{}
	for _, e := range es {
		l := e.PlanProject
		if l == nil {
			continue
		}
		ok, known := seen[l.PlanID]
		if !known {
			var err error
			if ok, err = s.mayReadPlan(ctx, actor, l.PlanID); err != nil {
				return err
			}
			seen[l.PlanID] = ok
		}
		if !ok {
			l.PlanTitle, l.ProjectTitle, l.ActivityTitle, l.Readable = "", "", "", false
		}
	}
	return nil
}

// checkLink adds a problem on the field plan_project when the input's
// project cannot be linked: it must be a project (and activity) of the
// current approved baseline of a plan the actor may read, whose cluster
// is one of those the input's event serves. The event's stored link (cur)
// is kept even when the actor may not read its plan or it belongs to an
// earlier baseline. It fills in the baseline version when it is 0.
func (s *Store) checkLink(ctx context.Context, q db.Querier, actor user.Actor, in *Input, cur *Event, f *problem.Fields) error {
	ref := in.PlanProject
	if ref == nil || f.Has("plan_project") {
		return nil
	}
	if ref.PlanID <= 0 || ref.Project < 1 || ref.Activity < 0 || ref.BaselineVersion < 0 {
		f.Add("plan_project", "Choose a project of an approved plan, or no project.")
		return nil
	}
	var title string
	var cluster sql.NullInt64
	var baseline sql.NullInt64
	var clusterName sql.NullString
	err := q.QueryRowContext(ctx, `SELECT p.title, p.cluster_id, p.baseline_version, cl.name FROM plans p
		LEFT JOIN clusters cl ON cl.id = p.cluster_id WHERE p.id = $1`, ref.PlanID).Scan(&title, &cluster, &baseline, &clusterName)
	if errors.Is(err, sql.ErrNoRows) {
		f.Add("plan_project", "There is no approved plan #%d whose projects you may choose.", ref.PlanID)
		return nil
	}
	if err != nil {
		return fmt.Errorf("check plan %d: %w", ref.PlanID, err)
	}
	if ref.BaselineVersion == 0 && baseline.Valid {
		ref.BaselineVersion = int(baseline.Int64)
	}
	kept := cur != nil && cur.PlanProject.keeps(*ref)
	if !kept {
		ok, err := s.mayReadPlan(ctx, actor, ref.PlanID)
		if err != nil {
			return err
		}
		if !ok {
			f.Add("plan_project", "There is no approved plan #%d whose projects you may choose.", ref.PlanID)
			return nil
		}
	}
	if !baseline.Valid {
		f.Add("plan_project", "%s has no approved baseline yet: only projects of approved plans can be linked.", title)
		return nil
	}
	if !cluster.Valid || !slices.Contains(in.ClusterIDs, cluster.Int64) {
		name := clusterName.String
		if name == "" {
			name = "no cluster initiative"
		}
		f.Add("plan_project", "%s is the plan of %s, which this event does not serve; choose a project of a plan of the event's cluster initiatives, or add that initiative to the event.",
			title, name)
		return nil
	}
	if !kept && ref.BaselineVersion != int(baseline.Int64) {
		f.Add("plan_project", "Choose a project of the current baseline of %s (version %d), not of version %d.", title, baseline.Int64, ref.BaselineVersion)
		return nil
	}
	c, err := newContents(q).get(ctx, ref.PlanID, ref.BaselineVersion)
	if err != nil {
		return err
	}
	if ref.Project > len(c.Projects) {
		f.Add("plan_project", "%s has no project %d: its baseline has %d projects.", title, ref.Project, len(c.Projects))
		return nil
	}
	if ref.Activity > 0 && ActivityTitle(c, ref.Project, ref.Activity) == "" {
		f.Add("plan_project", "Activity %d of %s is not an activity of the project %s.", ref.Activity, title, c.Projects[ref.Project-1].Title)
	}
	return nil
}

// saveLink stores exactly the input's project link for event id (none
// when ref is nil).
func saveLink(ctx context.Context, tx *sql.Tx, id int64, ref *ProjectRef) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM event_plan_projects WHERE event_id = $1`, id); err != nil {
		return fmt.Errorf("event %d project: %w", id, err)
	}
	if ref == nil {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO event_plan_projects (event_id, plan_id, baseline_version, project, activity, linked_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, id, ref.PlanID, ref.BaselineVersion, ref.Project, ref.Activity, db.Now())
	if err != nil {
		return fmt.Errorf("event %d project: %w", id, err)
	}
	return nil
}

// LinkProject links an event to a project of an approved plan of one of
// its clusters (nil removes the link), with the same checks and audit as
// an edit of the event.
func (s *Store) LinkProject(ctx context.Context, actor user.Actor, id int64, ref *ProjectRef) (*Event, error) {
	var out *Event
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := loadEvent(ctx, tx, actor, WriteFilter, id)
		if err != nil {
			return err
		}
		if cur.Archived() {
			return problem.Conflictf("%s is archived; restore it before editing.", cur.Title)
		}
		in := InputOf(cur)
		in.PlanProject = ref
		var f problem.Fields
		if err := s.checkLink(ctx, tx, actor, &in, cur, &f); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		_, before, err := takeSnapshot(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := saveLink(ctx, tx, id, in.PlanProject); err != nil {
			return err
		}
		var after *snapshot
		if out, after, err = takeSnapshot(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "link_project", recordType, id, before, after)
	})
	if err != nil {
		return nil, err
	}
	return out, s.scopeLinks(ctx, actor, out)
}

// ProjectChoices lists, for the picker, the projects of the current
// baselines of the approved plans the actor may read whose cluster is
// among clusterIDs, by plan title.
func (s *Store) ProjectChoices(ctx context.Context, actor user.Actor, clusterIDs []int64) ([]PlanChoices, error) {
	if len(clusterIDs) == 0 {
		return nil, nil
	}
	// Approved plans are few (one per funded cluster), so they are read
	// all at once and matched to the clusters here.
	rows, err := s.db.Read().QueryContext(ctx, `SELECT p.id, p.title, p.cluster_id, COALESCE(cl.name, ''), p.baseline_version
		FROM plans p JOIN clusters cl ON cl.id = p.cluster_id WHERE p.baseline_version IS NOT NULL ORDER BY p.title, p.id`)
	if err != nil {
		return nil, fmt.Errorf("project choices: %w", err)
	}
	type row struct {
		PlanChoices
		cluster int64
		version int
	}
	var found []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.PlanID, &r.Title, &r.cluster, &r.ClusterName, &r.version); err != nil {
			rows.Close()
			return nil, err
		}
		if slices.Contains(clusterIDs, r.cluster) {
			found = append(found, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	cs := newContents(s.db.Read())
	var out []PlanChoices
	for _, r := range found {
		ok, err := s.mayReadPlan(ctx, actor, r.PlanID)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		c, err := cs.get(ctx, r.PlanID, r.version)
		if err != nil {
			return nil, err
		}
		r.Choices = choicesOf(r.PlanID, r.version, c)
		if len(r.Choices) > 0 {
			out = append(out, r.PlanChoices)
		}
	}
	return out, nil
}

// FindPlanEvents lists the events linked to projects of plan planID that
// the actor may read, archived ones left out, by date. Each has its link
// (positions and baseline version; titles are the caller's to resolve).
func (s *Store) FindPlanEvents(ctx context.Context, actor user.Actor, planID int64) ([]*Event, error) {
	var w where
	w.scope(ReadFilter, actor, "e")
	w.raw("e.archived_at IS NULL")
	w.add("l.plan_id = $%d", planID)
	q := strings.Replace(eventSelect, "FROM events e", "FROM events e JOIN event_plan_projects l ON l.event_id = e.id", 1)
	rows, err := s.db.Read().QueryContext(ctx, q+w.String()+" ORDER BY e.starts_on, e.id", w.args...)
	if err != nil {
		return nil, fmt.Errorf("plan %d events: %w", planID, err)
	}
	defer rows.Close()
	out := []*Event{}
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := attachLinks(ctx, s.db.Read(), out); err != nil {
		return nil, err
	}
	return out, nil
}
