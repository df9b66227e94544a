package event

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/cluster"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Store keeps events and their attendance. Every method applies the
// actor's scope in its SQL; events outside it are reported as not found.
type Store struct {
	db    *db.DB
	plans *plan.Store // for the plans' scope, when events are linked to their projects
}

// NewStore returns a store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d, plans: plan.NewStore(d)} }

const eventSelect = `SELECT e.id, e.title, e.type, e.organiser_id, o.name, e.starts_on, e.ends_on, e.place,
	COALESCE(e.country_iso3, ''), e.description, e.participants, e.women, e.men, e.other_sex, e.youth,
	(SELECT COUNT(*) FROM event_attendees ea WHERE ea.event_id = e.id) AS attendee_count,
	e.created_at, e.updated_at, e.archived_at
	FROM events e
	JOIN organisations o ON o.id = e.organiser_id `

type scanner interface{ Scan(dest ...any) error }

func scanEvent(row scanner) (*Event, error) {
	var e Event
	var archived sql.NullTime
	err := row.Scan(&e.ID, &e.Title, &e.Type, &e.OrganiserID, &e.OrganiserName, &e.StartsOn, &e.EndsOn, &e.Place,
		&e.Country, &e.Description, &e.Participants, &e.Women, &e.Men, &e.Other, &e.Youth, &e.AttendeeCount,
		&e.CreatedAt, &e.UpdatedAt, &archived)
	if err != nil {
		return nil, err
	}
	if archived.Valid {
		t := archived.Time
		e.ArchivedAt = &t
	}
	e.Clusters = []ClusterRef{}
	return &e, nil
}

// Summary is the size of a filtered list of events: how many there are
// and their participants added up.
type Summary struct {
	Total int `json:"total"`
	Counts
}

// filterWhere turns a filter into conditions under the read scope.
func filterWhere(actor user.Actor, f Filter) *where {
	w := &where{}
	w.scope(ReadFilter, actor, "e")
	if q := cluster.NormaliseName(f.Query); q != "" {
		w.add(`e.title_norm LIKE $%d ESCAPE '\'`, likePattern(q))
	}
	if f.ClusterID != 0 {
		w.add("EXISTS (SELECT 1 FROM event_clusters fc WHERE fc.event_id = e.id AND fc.cluster_id = $%d)", f.ClusterID)
	}
	if f.Country != "" {
		w.add("e.country_iso3 = $%d", strings.ToUpper(f.Country))
	}
	if f.Type != "" {
		w.add("e.type = $%d", string(f.Type))
	}
	if f.Year != 0 {
		w.add("e.starts_on >= $%d", fmt.Sprintf("%04d-01-01", f.Year))
		w.add("e.starts_on <= $%d", fmt.Sprintf("%04d-12-31", f.Year))
	}
	if f.OrganiserID != 0 {
		w.add("e.organiser_id = $%d", f.OrganiserID)
	}
	if f.PlanID != 0 {
		w.add("EXISTS (SELECT 1 FROM event_plan_projects fl WHERE fl.event_id = e.id AND fl.plan_id = $%d)", f.PlanID)
		if f.Project > 0 {
			w.add("EXISTS (SELECT 1 FROM event_plan_projects fp WHERE fp.event_id = e.id AND fp.project = $%d)", f.Project)
		}
	}
	if !f.IncludeArchived {
		w.raw("e.archived_at IS NULL")
	}
	return w
}

// sortSQL maps the sort keys to ORDER BY clauses; ties fall back to the
// date and the ID so that pages never repeat or skip a row.
func sortSQL(sort string) string {
	key, desc := strings.TrimPrefix(sort, "-"), strings.HasPrefix(sort, "-")
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	tail := ", e.starts_on DESC, e.id DESC"
	switch key {
	case "title":
		return "e.title_norm " + dir + tail
	case "type":
		return "e.type " + dir + tail
	case "participants":
		return "e.participants " + dir + tail
	}
	return "e.starts_on " + dir + ", e.id " + dir
}

// FindEvents lists the events the actor may read that match the filter,
// with the number of them and their participants before paging.
func (s *Store) FindEvents(ctx context.Context, actor user.Actor, f Filter) ([]*Event, Summary, error) {
	w := filterWhere(actor, f)
	var sum Summary
	err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(e.participants), 0), COALESCE(SUM(e.women), 0),
		COALESCE(SUM(e.men), 0), COALESCE(SUM(e.other_sex), 0), COALESCE(SUM(e.youth), 0) FROM events e `+w.String(), w.args...).
		Scan(&sum.Total, &sum.Participants, &sum.Women, &sum.Men, &sum.Other, &sum.Youth)
	if err != nil {
		return nil, sum, fmt.Errorf("count events: %w", err)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	args := append(slices.Clone(w.args), f.Limit, max(f.Offset, 0))
	q := eventSelect + w.String() + " ORDER BY " + sortSQL(f.Sort) +
		fmt.Sprintf(" LIMIT $%d OFFSET $%d", len(args)-1, len(args))
	rows, err := s.db.Read().QueryContext(ctx, q, args...)
	if err != nil {
		return nil, sum, fmt.Errorf("find events: %w", err)
	}
	defer rows.Close()
	var out []*Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, sum, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, sum, err
	}
	if err := attachClusters(ctx, s.db.Read(), out); err != nil {
		return nil, sum, err
	}
	if err := attachLinks(ctx, s.db.Read(), out); err != nil {
		return nil, sum, err
	}
	return out, sum, s.scopeLinks(ctx, actor, out...)
}

// FindEventByID returns one event the actor may read, archived or not.
func (s *Store) FindEventByID(ctx context.Context, actor user.Actor, id int64) (*Event, error) {
	e, err := loadEvent(ctx, s.db.Read(), actor, ReadFilter, id)
	if err != nil {
		return nil, err
	}
	return e, s.scopeLinks(ctx, actor, e)
}

// CanWrite reports whether the actor may change event id.
func (s *Store) CanWrite(ctx context.Context, actor user.Actor, id int64) (bool, error) {
	var w where
	w.add("e.id = $%d", id)
	w.scope(WriteFilter, actor, "e")
	var n int
	err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM events e `+w.String(), w.args...).Scan(&n)
	return n > 0, err
}

// loadEvent reads one event under a scope rule, through q (the read pool,
// or a transaction that must see its own writes).
func loadEvent(ctx context.Context, q db.Querier, actor user.Actor, rule func(user.Actor, string, int) (string, []any), id int64) (*Event, error) {
	var w where
	w.add("e.id = $%d", id)
	w.scope(rule, actor, "e")
	e, err := scanEvent(q.QueryRowContext(ctx, eventSelect+w.String(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("No event #%d.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("event %d: %w", id, err)
	}
	if err := attachClusters(ctx, q, []*Event{e}); err != nil {
		return nil, err
	}
	if err := attachLinks(ctx, q, []*Event{e}); err != nil {
		return nil, err
	}
	return e, nil
}

// attachClusters fills the clusters of events with one query.
func attachClusters(ctx context.Context, q db.Querier, es []*Event) error {
	if len(es) == 0 {
		return nil
	}
	byID := make(map[int64]*Event, len(es))
	ids := make([]any, len(es))
	for i, e := range es {
		byID[e.ID] = e
		ids[i] = e.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT ec.event_id, c.id, c.name FROM event_clusters ec JOIN clusters c ON c.id = ec.cluster_id
		WHERE ec.event_id IN (`+db.Placeholders(1, len(ids))+`) ORDER BY c.name_norm, c.id`, ids...)
	if err != nil {
		return fmt.Errorf("event clusters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c ClusterRef
		if err := rows.Scan(&id, &c.ID, &c.Name); err != nil {
			return err
		}
		if e := byID[id]; e != nil {
			e.Clusters = append(e.Clusters, c)
		}
	}
	return rows.Err()
}

// FindAttendees lists the organisations that took part in an event the
// actor may read, by name.
func (s *Store) FindAttendees(ctx context.Context, actor user.Actor, eventID int64) ([]*Attendee, error) {
	if _, err := s.FindEventByID(ctx, actor, eventID); err != nil {
		return nil, err
	}
	return loadAttendees(ctx, s.db.Read(), eventID)
}

func loadAttendees(ctx context.Context, q db.Querier, eventID int64) ([]*Attendee, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.organisation_id, o.name, o.kind, o.country_iso3,
		a.participants, a.women, a.men, a.other_sex, a.youth
		FROM event_attendees a JOIN organisations o ON o.id = a.organisation_id
		WHERE a.event_id = $1 ORDER BY o.name_norm, o.id`, eventID)
	if err != nil {
		return nil, fmt.Errorf("event %d attendees: %w", eventID, err)
	}
	defer rows.Close()
	out := []*Attendee{}
	for rows.Next() {
		var a Attendee
		if err := rows.Scan(&a.OrganisationID, &a.OrganisationName, &a.OrganisationKind, &a.OrganisationCountry,
			&a.Participants, &a.Women, &a.Men, &a.Other, &a.Youth); err != nil {
			return nil, err
		}
		out = append(out, &a)
	}
	return out, rows.Err()
}

// CoAttendance lists the pairs of organisations that took part in the
// same event, for the events the actor may read that started from from to
// to (YYYY-MM-DD, both included; archived events left out): one pair per
// event, the organisation with the lower ID first, ordered by date. These
// are the joint-event ties the cooperation network is derived from.
func (s *Store) CoAttendance(ctx context.Context, actor user.Actor, from, to string) ([]Pair, error) {
	var f problem.Fields
	for _, v := range []struct{ field, value string }{{"from", from}, {"to", to}} {
		if !validDate(v.value) {
			f.Add(v.field, "%q is not a date: use YYYY-MM-DD.", v.value)
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var w where
	w.scope(ReadFilter, actor, "e")
	w.raw("e.archived_at IS NULL")
	w.add("e.starts_on >= $%d", from)
	w.add("e.starts_on <= $%d", to)
	rows, err := s.db.Read().QueryContext(ctx, `SELECT a.organisation_id, oa.name, b.organisation_id, ob.name, e.id, e.title, e.starts_on
		FROM events e
		JOIN event_attendees a ON a.event_id = e.id
		JOIN event_attendees b ON b.event_id = e.id AND b.organisation_id > a.organisation_id
		JOIN organisations oa ON oa.id = a.organisation_id
		JOIN organisations ob ON ob.id = b.organisation_id `+w.String()+`
		ORDER BY e.starts_on, e.id, a.organisation_id, b.organisation_id`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("co-attendance: %w", err)
	}
	defer rows.Close()
	out := []Pair{}
	for rows.Next() {
		var p Pair
		if err := rows.Scan(&p.OrgA, &p.OrgAName, &p.OrgB, &p.OrgBName, &p.EventID, &p.EventTitle, &p.Date); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func validDate(s string) bool {
	_, err := timeParse(s)
	return err == nil
}

func eventPath(id int64) string { return "/events/" + strconv.FormatInt(id, 10) }
