package programme

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

const callSelect = `SELECT c.id, c.programme_id, p.name, p.currency, c.number, c.title, c.description, c.time_zone,
	c.opens_at, c.closes_at, c.full_plan_due_at, c.published, c.grant_ceiling, c.max_grant_share,
	c.min_counterpart_share, c.in_kind_rule, c.in_kind_share, c.disagreement_margin, c.created_by, c.created_at, c.updated_at, c.archived_at
	FROM calls c JOIN programmes p ON p.id = c.programme_id `

func scanCall(row scanner, now time.Time) (*Call, error) {
	var c Call
	var due, archived sql.NullTime
	var by sql.NullInt64
	err := row.Scan(&c.ID, &c.ProgrammeID, &c.ProgrammeName, &c.Currency, &c.Number, &c.Title, &c.Description, &c.TimeZone,
		&c.OpensAt, &c.ClosesAt, &due, &c.Published, &c.GrantCeiling, &c.MaxGrantShare,
		&c.MinCounterpartShare, &c.InKindRule, &c.InKindShare, &c.DisagreementMargin, &by, &c.CreatedAt, &c.UpdatedAt, &archived)
	if err != nil {
		return nil, err
	}
	c.OpensAt, c.ClosesAt, c.CreatedAt, c.UpdatedAt = c.OpensAt.UTC(), c.ClosesAt.UTC(), c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	if due.Valid {
		t := due.Time.UTC()
		c.FullPlanDueAt = &t
	}
	if by.Valid {
		c.CreatedBy = &by.Int64
	}
	if archived.Valid {
		t := archived.Time.UTC()
		c.ArchivedAt = &t
	}
	c.Status = c.StatusAt(now)
	c.Rules, c.Criteria = []Rule{}, []Criterion{}
	return &c, nil
}

// CallFilter narrows a list of calls.
type CallFilter struct {
	ProgrammeID     int64
	Status          Status // "" for any
	IncludeArchived bool
	Limit           int // at most 500; 0 means 50
	Offset          int
}

// statusWhere adds the condition of a status at now.
func (w *where) status(s Status, now time.Time) {
	switch s {
	case StatusDraft:
		w.raw("c.published = FALSE")
	case StatusUpcoming:
		w.raw("c.published = TRUE")
		w.add("c.opens_at > $%d", now)
	case StatusOpen:
		w.raw("c.published = TRUE")
		w.add("c.opens_at <= $%d", now)
		w.add("c.closes_at > $%d", now)
	case StatusClosed:
		w.raw("c.published = TRUE")
		w.add("c.closes_at <= $%d", now)
	}
}

// FindCalls lists the calls the actor may read, newest opening first,
// with the total before paging.
func (s *Store) FindCalls(ctx context.Context, actor user.Actor, f CallFilter) ([]*Call, int, error) {
	if !actor.SignedIn() {
		return nil, 0, problem.New(problem.Unauthorized, "Sign in to list calls.")
	}
	now := db.Now()
	var w where
	w.rule(callReadFilter, actor, "c")
	if f.ProgrammeID != 0 {
		w.add("c.programme_id = $%d", f.ProgrammeID)
	}
	w.status(f.Status, now)
	if !f.IncludeArchived {
		w.raw("c.archived_at IS NULL")
	}
	var total int
	// Not db.Count: the status depends on the time, so no answer is reused.
	if err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM calls c `+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count calls: %w", err)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	args := append(w.args, f.Limit, max(f.Offset, 0))
	rows, err := s.db.Read().QueryContext(ctx, callSelect+w.String()+
		fmt.Sprintf(" ORDER BY c.opens_at DESC, c.id DESC LIMIT $%d OFFSET $%d", len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find calls: %w", err)
	}
	defer rows.Close()
	var out []*Call
	for rows.Next() {
		c, err := scanCall(rows, now)
		if err != nil {
			return nil, 0, fmt.Errorf("find calls: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if err := loadCallDetails(ctx, s.db.Read(), out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// FindCallByID returns one call the actor may read (anyone, signed in or
// not, may read a published call), archived or not.
func (s *Store) FindCallByID(ctx context.Context, actor user.Actor, id int64) (*Call, error) {
	return loadCall(ctx, s.db.Read(), actor, id)
}

func loadCall(ctx context.Context, q db.Querier, actor user.Actor, id int64) (*Call, error) {
	var w where
	w.add("c.id = $%d", id)
	w.rule(callReadFilter, actor, "c")
	c, err := scanCall(q.QueryRowContext(ctx, callSelect+w.String(), w.args...), db.Now())
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("No call #%d.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("call %d: %w", id, err)
	}
	if err := loadCallDetails(ctx, q, []*Call{c}); err != nil {
		return nil, err
	}
	return c, nil
}

// loadCallDetails fills the rules and criteria of calls, three queries in all.
func loadCallDetails(ctx context.Context, q db.Querier, calls []*Call) error {
	if len(calls) == 0 {
		return nil
	}
	byID := map[int64]*Call{}
	ids := make([]any, len(calls))
	for i, c := range calls {
		byID[c.ID], ids[i] = c, c.ID
	}
	in := "(" + db.Placeholders(1, len(ids)) + ")"
	err := db.Each(ctx, q, `SELECT call_id, kind, params FROM call_rules WHERE call_id IN `+in+` ORDER BY call_id, position`, ids,
		func(rows *sql.Rows) error {
			var id int64
			var kind, params string
			if err := rows.Scan(&id, &kind, &params); err != nil {
				return err
			}
			byID[id].Rules = append(byID[id].Rules, Rule{Kind: RuleKind(kind), Params: json.RawMessage(params)})
			return nil
		})
	if err != nil {
		return fmt.Errorf("call rules: %w", err)
	}
	err = db.Each(ctx, q, `SELECT call_id, name, description, weight FROM call_criteria WHERE call_id IN `+in+` ORDER BY call_id, position`, ids,
		func(rows *sql.Rows) error {
			var id int64
			var cr Criterion
			if err := rows.Scan(&id, &cr.Name, &cr.Description, &cr.Weight); err != nil {
				return err
			}
			cr.Levels = []Level{}
			byID[id].Criteria = append(byID[id].Criteria, cr)
			return nil
		})
	if err != nil {
		return fmt.Errorf("call criteria: %w", err)
	}
	err = db.Each(ctx, q, `SELECT call_id, position, score, descriptor FROM call_criterion_levels WHERE call_id IN `+in+`
		ORDER BY call_id, position, score`, ids,
		func(rows *sql.Rows) error {
			var id int64
			var pos int
			var l Level
			if err := rows.Scan(&id, &pos, &l.Score, &l.Descriptor); err != nil {
				return err
			}
			if c := byID[id]; pos >= 0 && pos < len(c.Criteria) {
				c.Criteria[pos].Levels = append(c.Criteria[pos].Levels, l)
			}
			return nil
		})
	if err != nil {
		return fmt.Errorf("criterion levels: %w", err)
	}
	return nil
}
