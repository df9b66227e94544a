package indicator

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// RuleRecordType names validation rules in the audit log.
const RuleRecordType = "validation_rule"

const ruleSelect = `SELECT r.id, r.name, r.description, r.left_expr, r.operator, r.right_expr, r.importance,
	r.left_missing, r.right_missing, r.period_type, r.builtin, r.created_at, r.updated_at, r.archived_at
	FROM validation_rules r `

func scanRule(row scanner) (*Rule, error) {
	var r Rule
	var archived sql.NullTime
	err := row.Scan(&r.ID, &r.Name, &r.Description, &r.Left, &r.Operator, &r.Right, &r.Importance, &r.LeftMissing,
		&r.RightMissing, &r.PeriodType, &r.Builtin, &r.CreatedAt, &r.UpdatedAt, &archived)
	if archived.Valid {
		t := archived.Time
		r.ArchivedAt = &t
	}
	return &r, err
}

// RuleFilter narrows a list of rules.
type RuleFilter struct {
	IncludeArchived bool
	PeriodType      PeriodType // empty: every period type
}

// FindRules lists the validation rules by importance and name. Every
// signed-in person may read them.
func (s *Store) FindRules(ctx context.Context, actor user.Actor, f RuleFilter) ([]*Rule, error) {
	if !actor.SignedIn() {
		return nil, problem.New(problem.Unauthorized, "Sign in to read validation rules.")
	}
	return findRules(ctx, s.db.Read(), f)
}

func findRules(ctx context.Context, q db.Querier, f RuleFilter) ([]*Rule, error) {
	var w where
	if !f.IncludeArchived {
		w.raw("r.archived_at IS NULL")
	}
	if f.PeriodType != "" {
		w.add("r.period_type = $%d", string(f.PeriodType))
	}
	rows, err := q.QueryContext(ctx, ruleSelect+w.String()+` ORDER BY CASE r.importance WHEN 'high' THEN 1
		WHEN 'medium' THEN 2 ELSE 3 END, r.name`, w.args...)
	if err != nil {
		return nil, fmt.Errorf("find rules: %w", err)
	}
	defer rows.Close()
	var out []*Rule
	for rows.Next() {
		r, err := scanRule(rows)
		if err != nil {
			return nil, fmt.Errorf("find rules: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindRuleByID returns one rule, archived or not.
func (s *Store) FindRuleByID(ctx context.Context, actor user.Actor, id int64) (*Rule, error) {
	if !actor.SignedIn() {
		return nil, problem.New(problem.Unauthorized, "Sign in to read validation rules.")
	}
	return loadRule(ctx, s.db.Read(), id)
}

func loadRule(ctx context.Context, q db.Querier, id int64) (*Rule, error) {
	r, err := scanRule(q.QueryRowContext(ctx, ruleSelect+"WHERE r.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("No validation rule #%d.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("rule %d: %w", id, err)
	}
	return r, nil
}

// indicatorsByCode loads the indicators with the given codes, archived or
// not, keyed by code.
func indicatorsByCode(ctx context.Context, q db.Querier, codes []string) (map[string]*Indicator, error) {
	out := map[string]*Indicator{}
	if len(codes) == 0 {
		return out, nil
	}
	args := make([]any, len(codes))
	for n, c := range codes {
		args[n] = c
	}
	list, err := queryIndicators(ctx, q, indicatorSelect+"WHERE i.code IN ("+db.Placeholders(1, len(codes))+")", args...)
	if err != nil {
		return nil, err
	}
	for _, i := range list {
		out[i.Code] = i
	}
	return out, nil
}

// validateRule checks an input in full: the fields, the indicators and
// categories both sides name, and that no other rule (but except) has
// the name.
func validateRule(ctx context.Context, q db.Querier, in *RuleInput, except int64) error {
	left, right, f := in.check()
	var codes []string
	for _, e := range []*RuleExpr{left, right} {
		if e == nil {
			continue
		}
		for _, it := range e.Items {
			if !oneOf(it.Code, codes) {
				codes = append(codes, it.Code)
			}
		}
	}
	inds, err := indicatorsByCode(ctx, q, codes)
	if err != nil {
		return err
	}
	checkRuleRefs("left", left, in.PeriodType, inds, &f)
	checkRuleRefs("right", right, in.PeriodType, inds, &f)
	if in.Name != "" && !f.Has("name") {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM validation_rules WHERE name = $1 AND id <> $2`, in.Name, except).Scan(&n); err != nil {
			return fmt.Errorf("rule name: %w", err)
		}
		if n > 0 {
			f.Add("name", "Another rule is called %q; choose another name.", in.Name)
		}
	}
	return f.Err()
}

// CreateRule stores a new validation rule.
func (s *Store) CreateRule(ctx context.Context, actor user.Actor, in RuleInput) (*Rule, error) {
	if !MayEditIndicators(actor) {
		return nil, problem.Forbiddenf("Only administrators and programme officers may define validation rules.")
	}
	var out *Rule
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		if err := validateRule(ctx, tx, &in, 0); err != nil {
			return err
		}
		var uid any
		if actor.UserID != 0 {
			uid = actor.UserID
		}
		now := db.Now()
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO validation_rules (name, description, left_expr, operator, right_expr,
			importance, left_missing, right_missing, period_type, created_by, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$11) RETURNING id`, in.Name, in.Description, in.Left, string(in.Operator),
			in.Right, string(in.Importance), string(in.LeftMissing), string(in.RightMissing), string(in.PeriodType), uid, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return problem.Fields{{Field: "name", Message: fmt.Sprintf("Another rule is called %q; choose another name.", in.Name)}}.Err()
		}
		if err != nil {
			return fmt.Errorf("insert rule: %w", err)
		}
		if out, err = loadRule(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "create", RuleRecordType, id, nil, out)
	})
	return out, err
}

// UpdateRule edits a validation rule, built-in ones included.
func (s *Store) UpdateRule(ctx context.Context, actor user.Actor, id int64, in RuleInput) (*Rule, error) {
	if !MayEditIndicators(actor) {
		return nil, problem.Forbiddenf("Only administrators and programme officers may edit validation rules.")
	}
	var out *Rule
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := loadRule(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := validateRule(ctx, tx, &in, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE validation_rules SET name = $1, description = $2, left_expr = $3, operator = $4,
			right_expr = $5, importance = $6, left_missing = $7, right_missing = $8, period_type = $9, updated_at = $10
			WHERE id = $11`, in.Name, in.Description, in.Left, string(in.Operator), in.Right, string(in.Importance),
			string(in.LeftMissing), string(in.RightMissing), string(in.PeriodType), db.Now(), id)
		if db.IsUniqueViolation(err) {
			return problem.Fields{{Field: "name", Message: fmt.Sprintf("Another rule is called %q; choose another name.", in.Name)}}.Err()
		}
		if err != nil {
			return fmt.Errorf("update rule %d: %w", id, err)
		}
		if out, err = loadRule(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "update", RuleRecordType, id, before, out)
	})
	return out, err
}

// ArchiveRule stops a rule from being checked; its violations are kept.
func (s *Store) ArchiveRule(ctx context.Context, actor user.Actor, id int64) (*Rule, error) {
	if !MayEditIndicators(actor) {
		return nil, problem.Forbiddenf("Only administrators and programme officers may archive validation rules.")
	}
	var out *Rule
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := loadRule(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Archived() {
			out = before
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE validation_rules SET archived_at = $1 WHERE id = $2`, db.Now(), id); err != nil {
			return fmt.Errorf("archive rule %d: %w", id, err)
		}
		if out, err = loadRule(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "archive", RuleRecordType, id, before, out)
	})
	return out, err
}
