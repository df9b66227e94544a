package indicator

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// ViolationFilter narrows the list of violations.
type ViolationFilter struct {
	RunID      int64
	RuleID     int64
	Country    string
	Period     string // canonical key; empty: every period
	Importance Importance
	// All lists violations that later runs have replaced too.
	All    bool
	Limit  int // at most 1000; 0 means 200
	Offset int
}

var violationFrom = ruleFrom("validation_violations") + ` JOIN validation_rules r ON r.id = t.rule_id `

const violationSelect = `SELECT t.id, t.run_id, t.rule_id, r.name, r.left_expr, r.operator, r.right_expr, r.importance,
	t.subject_kind, t.subject_id, t.subject_iso3, COALESCE(c.name, o.name, co.name, ''), t.country_iso3, t.period_key,
	t.left_value, t.right_value, t.superseded_by, t.created_at`

const violationOrder = ` ORDER BY t.created_at DESC, t.id DESC`

func scanViolation(row scanner) (*Violation, error) {
	var v Violation
	var rule Rule
	var l, r sql.NullFloat64
	var by sql.NullInt64
	err := row.Scan(&v.ID, &v.RunID, &v.RuleID, &v.RuleName, &rule.Left, &rule.Operator, &rule.Right, &v.Importance,
		&v.Subject.Kind, &v.Subject.ID, &v.Subject.ISO3, &v.SubjectName, &v.Country, &v.Period, &l, &r, &by, &v.CreatedAt)
	v.RuleText = rule.Text()
	if l.Valid {
		v.Left = &l.Float64
	}
	if r.Valid {
		v.Right = &r.Float64
	}
	v.Current = !by.Valid
	return &v, err
}

// FindViolations lists the stored violations whose subject the actor may
// read, newest first, with the total before paging: by default only those
// still current.
func (s *Store) FindViolations(ctx context.Context, actor user.Actor, f ViolationFilter) ([]*Violation, int, error) {
	if !actor.SignedIn() {
		return nil, 0, problem.New(problem.Unauthorized, "Sign in to read violations.")
	}
	var w where
	targetScope(&w, actor, false)
	if f.RunID != 0 {
		w.add("t.run_id = $%d", f.RunID)
	} else if !f.All {
		w.raw("t.superseded_by IS NULL")
	}
	if f.RuleID != 0 {
		w.add("t.rule_id = $%d", f.RuleID)
	}
	if f.Country != "" {
		w.add("t.country_iso3 = $%d", strings.ToUpper(f.Country))
	}
	if f.Period != "" {
		w.add("t.period_key = $%d", f.Period)
	}
	if f.Importance != "" {
		w.add("r.importance = $%d", string(f.Importance))
	}
	return findPage(ctx, s, "violations", violationFrom, violationSelect+violationFrom, violationOrder, &w, f.Limit, f.Offset, scanViolation)
}

const runSelect = `SELECT id, kind, country_iso3, cluster_id, subject, period_from, period_to, pairs, checks, violations,
	actor, created_at FROM validation_runs `

func scanRun(row scanner) (*Run, error) {
	var r Run
	err := row.Scan(&r.ID, &r.Kind, &r.Country, &r.ClusterID, &r.Subject, &r.From, &r.To, &r.Pairs, &r.Checks,
		&r.Violations, &r.Actor, &r.CreatedAt)
	return &r, err
}

// FindRuns lists the latest on-demand runs (at most limit). A run's
// figures are counts, shown to everyone signed in; its violations are
// filtered by subject.
func (s *Store) FindRuns(ctx context.Context, actor user.Actor, limit int) ([]*Run, error) {
	if !actor.SignedIn() {
		return nil, problem.New(problem.Unauthorized, "Sign in to read validation runs.")
	}
	rows, err := s.db.Read().QueryContext(ctx, runSelect+`WHERE kind = 'on_demand' ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("find runs: %w", err)
	}
	defer rows.Close()
	var out []*Run
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindRunByID returns one run.
func (s *Store) FindRunByID(ctx context.Context, actor user.Actor, id int64) (*Run, error) {
	if !actor.SignedIn() {
		return nil, problem.New(problem.Unauthorized, "Sign in to read validation runs.")
	}
	r, err := scanRun(s.db.Read().QueryRowContext(ctx, runSelect+`WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("No validation run #%d.", id)
	}
	return r, err
}
