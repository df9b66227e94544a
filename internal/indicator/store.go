package indicator

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Store keeps indicators, their change logs, and baselines and targets.
// Indicators are readable by everyone signed in; targets are filtered by
// their subject under the actor's scope in the SQL itself.
type Store struct {
	db *db.DB
}

// NewStore returns a store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

const indicatorSelect = `SELECT i.id, i.code, i.name, i.definition, i.unit, i.level, i.calculation, i.direction,
	i.subject_aggregation, i.time_aggregation, i.weight_code, i.means_of_verification, i.frequency, i.responsible_role,
	i.standard, i.formula, i.created_by, i.created_at, i.updated_at, i.archived_at
	FROM indicators i `

type scanner interface{ Scan(dest ...any) error }

func scanIndicator(row scanner) (*Indicator, error) {
	var i Indicator
	var by sql.NullInt64
	var archived sql.NullTime
	err := row.Scan(&i.ID, &i.Code, &i.Name, &i.Definition, &i.Unit, &i.Level, &i.Calculation, &i.Direction,
		&i.SubjectAggregation, &i.TimeAggregation, &i.WeightCode, &i.MeansOfVerification, &i.Frequency, &i.ResponsibleRole,
		&i.Standard, &i.Formula, &by, &i.CreatedAt, &i.UpdatedAt, &archived)
	if err != nil {
		return nil, err
	}
	if by.Valid {
		i.CreatedBy = &by.Int64
	}
	if archived.Valid {
		t := archived.Time
		i.ArchivedAt = &t
	}
	i.Dimensions = []string{}
	return &i, nil
}

// FindIndicators lists the indicators that match the filter, by code, with
// the total before paging. Every signed-in person may read them.
func (s *Store) FindIndicators(ctx context.Context, actor user.Actor, f Filter) ([]*Indicator, int, error) {
	if !actor.SignedIn() {
		return nil, 0, problem.New(problem.Unauthorized, "Sign in to read indicators.")
	}
	var w where
	if q := strings.TrimSpace(f.Query); q != "" {
		p := likePattern(strings.ToLower(q))
		w.args = append(w.args, p)
		n := len(w.args)
		w.raw(fmt.Sprintf(`(lower(i.code) LIKE $%d ESCAPE '\' OR lower(i.name) LIKE $%d ESCAPE '\')`, n, n))
	}
	if f.Level != "" {
		w.add("i.level = $%d", string(f.Level))
	}
	if f.Standard != nil {
		w.add("i.standard = $%d", *f.Standard)
	}
	if !f.IncludeArchived {
		w.raw("i.archived_at IS NULL")
	}
	total, err := s.db.Count(ctx, `SELECT COUNT(*) FROM indicators i `+w.String(), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("count indicators: %w", err)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	args := append(append([]any(nil), w.args...), f.Limit, max(f.Offset, 0))
	q := indicatorSelect + w.String() + fmt.Sprintf(" ORDER BY i.code LIMIT $%d OFFSET $%d", len(args)-1, len(args))
	out, err := queryIndicators(ctx, s.db.Read(), q, args...)
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

func queryIndicators(ctx context.Context, q db.Querier, query string, args ...any) ([]*Indicator, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find indicators: %w", err)
	}
	var out []*Indicator
	for rows.Next() {
		i, err := scanIndicator(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("find indicators: %w", err)
		}
		out = append(out, i)
	}
	err = rows.Err()
	rows.Close()
	if err != nil {
		return nil, err
	}
	return out, attachDimensions(ctx, q, out)
}

// attachDimensions fills the disaggregation dimensions of indicators with
// one query, in the programme's order of dimensions.
func attachDimensions(ctx context.Context, q db.Querier, list []*Indicator) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[int64]*Indicator, len(list))
	ids := make([]any, len(list))
	marks := make([]string, len(list))
	for n, i := range list {
		byID[i.ID] = i
		ids[n] = i.ID
		marks[n] = fmt.Sprintf("$%d", n+1)
	}
	rows, err := q.QueryContext(ctx, `SELECT a.indicator_id, a.dimension_code FROM indicator_disaggregations a
		JOIN indicator_dimensions d ON d.code = a.dimension_code
		WHERE a.indicator_id IN (`+strings.Join(marks, ", ")+`) ORDER BY a.indicator_id, d.position`, ids...)
	if err != nil {
		return fmt.Errorf("indicator dimensions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return err
		}
		if i := byID[id]; i != nil {
			i.Dimensions = append(i.Dimensions, code)
		}
	}
	return rows.Err()
}

// FindIndicatorByID returns one indicator, archived or not.
func (s *Store) FindIndicatorByID(ctx context.Context, actor user.Actor, id int64) (*Indicator, error) {
	if !actor.SignedIn() {
		return nil, problem.New(problem.Unauthorized, "Sign in to read indicators.")
	}
	return loadIndicator(ctx, s.db.Read(), "i.id = $1", id)
}

// FindIndicatorByCode returns one indicator by its code, archived or not.
func (s *Store) FindIndicatorByCode(ctx context.Context, actor user.Actor, code string) (*Indicator, error) {
	if !actor.SignedIn() {
		return nil, problem.New(problem.Unauthorized, "Sign in to read indicators.")
	}
	return loadIndicator(ctx, s.db.Read(), "i.code = $1", strings.ToUpper(strings.TrimSpace(code)))
}

func loadIndicator(ctx context.Context, q db.Querier, cond string, key any) (*Indicator, error) {
	list, err := queryIndicators(ctx, q, indicatorSelect+"WHERE "+cond, key)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, problem.NotFoundf("No indicator %v.", key)
	}
	return list[0], nil
}
