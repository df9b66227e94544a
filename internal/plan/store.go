package plan

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Store keeps plans and their versions. Scope rules are applied in its SQL.
type Store struct {
	db         *db.DB
	programmes *programme.Store
	indicators *indicator.Store
	printer    *Printer // makes PDFs of the printable page; nil: none
}

// NewStore returns a store on d.
func NewStore(d *db.DB) *Store {
	return &Store{db: d, programmes: programme.NewStore(d), indicators: indicator.NewStore(d)}
}

// where builds a WHERE clause with numbered placeholders.
type where struct {
	conds []string
	args  []any
}

// add appends a condition whose %d verbs become one new placeholder bound to v.
func (w *where) add(cond string, v any) {
	w.args = append(w.args, v)
	w.conds = append(w.conds, strings.ReplaceAll(cond, "%d", strconv.Itoa(len(w.args))))
}

// rule appends a scope condition over the plans alias p.
func (w *where) rule(rule func(user.Actor, string, int) (string, []any), actor user.Actor, alias string) {
	cond, args := rule(actor, alias, len(w.args)+1)
	w.conds = append(w.conds, "("+cond+")")
	w.args = append(w.args, args...)
}

// String is the clause, "WHERE 1=1" without conditions.
func (w *where) String() string {
	if len(w.conds) == 0 {
		return "WHERE 1=1"
	}
	return "WHERE " + strings.Join(w.conds, " AND ")
}

type scanner interface{ Scan(dest ...any) error }

const planSelect = `SELECT p.id, p.application_id, a.title, p.call_id, c.number, p.programme_id, pr.currency, p.bso_id, p.cluster_id,
	COALESCE(cl.name, ''), p.facilitator_id, COALESCE(u.name, ''), p.title, p.status, p.version, p.baseline_version, p.review_comment,
	p.submitted_at, p.approved_at, p.created_at, p.updated_at
	FROM plans p JOIN applications a ON a.id = p.application_id JOIN calls c ON c.id = p.call_id
	JOIN programmes pr ON pr.id = p.programme_id LEFT JOIN clusters cl ON cl.id = p.cluster_id
	LEFT JOIN users u ON u.id = p.facilitator_id `

func scanPlan(row scanner) (*Plan, error) {
	var p Plan
	var bso, cluster, facilitator, baseline sql.NullInt64
	var submitted, approved sql.NullTime
	err := row.Scan(&p.ID, &p.ApplicationID, &p.ApplicationName, &p.CallID, &p.CallNumber, &p.ProgrammeID, &p.Currency, &bso, &cluster,
		&p.ClusterName, &facilitator, &p.FacilitatorName, &p.Title, &p.Status, &p.Version, &baseline, &p.ReviewComment,
		&submitted, &approved, &p.CreatedAt, &p.UpdatedAt)
	if err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	if bso.Valid {
		p.BSOID = &bso.Int64
	}
	if cluster.Valid {
		p.ClusterID = &cluster.Int64
	}
	if facilitator.Valid {
		p.FacilitatorID = &facilitator.Int64
	}
	if baseline.Valid {
		n := int(baseline.Int64)
		p.BaselineVersion = &n
	}
	if submitted.Valid {
		t := submitted.Time.UTC()
		p.SubmittedAt = &t
	}
	if approved.Valid {
		t := approved.Time.UTC()
		p.ApprovedAt = &t
	}
	return &p, nil
}

// Filter narrows a list of plans.
type Filter struct {
	CallID int64
	Status Status // "" for any
	Limit  int    // at most 500; 0 means 50
	Offset int
}

// FindPlans lists the plans the actor may read, last changed first, with
// the total before paging.
func (s *Store) FindPlans(ctx context.Context, actor user.Actor, f Filter) ([]*Plan, int, error) {
	if !actor.SignedIn() {
		return nil, 0, problem.New(problem.Unauthorized, "Sign in to see plans.")
	}
	var w where
	w.rule(readFilter, actor, "p")
	if f.CallID != 0 {
		w.add("p.call_id = $%d", f.CallID)
	}
	if f.Status != "" {
		w.add("p.status = $%d", string(f.Status))
	}
	var total int
	if err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM plans p `+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count plans: %w", err)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	args := append(w.args, f.Limit, max(f.Offset, 0))
	rows, err := s.db.Read().QueryContext(ctx, planSelect+w.String()+
		fmt.Sprintf(" ORDER BY p.updated_at DESC, p.id DESC LIMIT $%d OFFSET $%d", len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find plans: %w", err)
	}
	defer rows.Close()
	out := []*Plan{}
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("find plans: %w", err)
		}
		out = append(out, p)
	}
	return out, total, rows.Err()
}

// FindPlanByID returns a plan the actor may read, with its latest content.
func (s *Store) FindPlanByID(ctx context.Context, actor user.Actor, id int64) (*Plan, error) {
	return loadPlan(ctx, s.db.Read(), actor, id, readFilter)
}

// FindPlanForApplication returns the plan of an application, if the actor
// may read it.
func (s *Store) FindPlanForApplication(ctx context.Context, actor user.Actor, applicationID int64) (*Plan, error) {
	var id int64
	err := s.db.Read().QueryRowContext(ctx, `SELECT id FROM plans WHERE application_id = $1`, applicationID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("Application #%d has no plan yet.", applicationID)
	}
	if err != nil {
		return nil, fmt.Errorf("plan of application %d: %w", applicationID, err)
	}
	return s.FindPlanByID(ctx, actor, id)
}

// MayEdit reports whether the actor's scope covers changing the plan.
func (s *Store) MayEdit(ctx context.Context, actor user.Actor, id int64) bool {
	var w where
	w.add("p.id = $%d", id)
	w.rule(writeFilter, actor, "p")
	n, err := s.db.Count(ctx, `SELECT COUNT(*) FROM plans p `+w.String(), w.args...)
	return err == nil && n == 1
}

func loadPlan(ctx context.Context, q db.Querier, actor user.Actor, id int64,
	rule func(user.Actor, string, int) (string, []any)) (*Plan, error) {
	if !actor.SignedIn() {
		return nil, problem.New(problem.Unauthorized, "Sign in to see plans.")
	}
	var w where
	w.add("p.id = $%d", id)
	w.rule(rule, actor, "p")
	p, err := scanPlan(q.QueryRowContext(ctx, planSelect+w.String(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("No plan #%d.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("plan %d: %w", id, err)
	}
	if p.Content, err = loadContent(ctx, q, p.ID, p.Version); err != nil {
		return nil, err
	}
	return p, nil
}

func loadContent(ctx context.Context, q db.Querier, planID int64, version int) (*Content, error) {
	var raw string
	err := q.QueryRowContext(ctx, `SELECT content FROM plan_versions WHERE plan_id = $1 AND version = $2`, planID, version).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("Plan #%d has no version %d.", planID, version)
	}
	if err != nil {
		return nil, fmt.Errorf("plan %d version %d: %w", planID, version, err)
	}
	var c Content
	if err := json.Unmarshal([]byte(raw), &c); err != nil {
		return nil, fmt.Errorf("plan %d version %d: %w", planID, version, err)
	}
	c.normalize()
	return &c, nil
}

// FindVersions lists a plan's versions, newest first, without content.
func (s *Store) FindVersions(ctx context.Context, actor user.Actor, id int64) (*Plan, []Version, error) {
	p, err := s.FindPlanByID(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT v.version, COALESCE(u.name, ''), v.saved_at FROM plan_versions v
		LEFT JOIN users u ON u.id = v.saved_by WHERE v.plan_id = $1 ORDER BY v.version DESC`, id)
	if err != nil {
		return nil, nil, fmt.Errorf("plan versions: %w", err)
	}
	defer rows.Close()
	var out []Version
	for rows.Next() {
		var v Version
		if err := rows.Scan(&v.Version, &v.SavedBy, &v.SavedAt); err != nil {
			return nil, nil, err
		}
		v.SavedAt = v.SavedAt.UTC()
		v.Baseline = p.BaselineVersion != nil && *p.BaselineVersion == v.Version
		out = append(out, v)
	}
	return p, out, rows.Err()
}

// FindVersion returns the content of version n of a plan the actor may read.
func (s *Store) FindVersion(ctx context.Context, actor user.Actor, id int64, n int) (*Plan, *Content, error) {
	p, err := s.FindPlanByID(ctx, actor, id)
	if err != nil {
		return nil, nil, err
	}
	if n == p.Version {
		return p, p.Content, nil
	}
	c, err := loadContent(ctx, s.db.Read(), id, n)
	return p, c, err
}

// Call returns the call of a plan, for its co-financing terms.
func (s *Store) Call(ctx context.Context, p *Plan) (*programme.Call, error) {
	return s.programmes.FindCallByID(ctx, user.System, p.CallID)
}

// Option is a person or organisation offered in a form.
type Option struct {
	ID   int64
	Name string
}

// FindFacilitators lists the active accounts that may facilitate the plan:
// the staff of its BSO or of its cluster's lead BSO, its cluster's managers
// and the programme's officers.
func (s *Store) FindFacilitators(ctx context.Context, p *Plan) ([]Option, error) {
	return facilitators(ctx, s.db.Read(), p, 0)
}

func facilitators(ctx context.Context, q db.Querier, p *Plan, only int64) ([]Option, error) {
	var bso, lead, cluster string
	if p.BSOID != nil {
		bso = strconv.FormatInt(*p.BSOID, 10)
	}
	if p.ClusterID != nil {
		cluster = strconv.FormatInt(*p.ClusterID, 10)
		var id int64
		if err := q.QueryRowContext(ctx, `SELECT lead_bso_id FROM clusters WHERE id = $1`, *p.ClusterID).Scan(&id); err == nil {
			lead = strconv.FormatInt(id, 10)
		}
	}
	query := `SELECT id, name FROM users WHERE disabled_at IS NULL AND (
		(role = 'bso_staff' AND scope_kind = 'bso' AND scope_id <> '' AND scope_id IN ($1, $2))
		OR (role = 'cluster_manager' AND scope_kind = 'cluster' AND scope_id <> '' AND scope_id = $3)
		OR (role = 'programme_officer' AND (scope_kind = '' OR (scope_kind = 'programme' AND scope_id = $4))))`
	args := []any{bso, lead, cluster, strconv.FormatInt(p.ProgrammeID, 10)}
	if only != 0 {
		query += ` AND id = $5`
		args = append(args, only)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY name, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("facilitators: %w", err)
	}
	defer rows.Close()
	var out []Option
	for rows.Next() {
		var o Option
		if err := rows.Scan(&o.ID, &o.Name); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// FindPlanCalls lists the calls of the plans the actor may read, for the
// list's filter.
func (s *Store) FindPlanCalls(ctx context.Context, actor user.Actor) ([]Option, error) {
	var w where
	w.rule(readFilter, actor, "p")
	rows, err := s.db.Read().QueryContext(ctx, `SELECT c.id, c.number, c.title FROM calls c WHERE c.id IN (SELECT p.call_id FROM plans p `+
		w.String()+`) ORDER BY c.number, c.id`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("plan calls: %w", err)
	}
	defer rows.Close()
	var out []Option
	for rows.Next() {
		var o Option
		var number, title string
		if err := rows.Scan(&o.ID, &number, &title); err != nil {
			return nil, err
		}
		o.Name = number + " · " + title
		out = append(out, o)
	}
	return out, rows.Err()
}
