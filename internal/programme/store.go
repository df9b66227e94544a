package programme

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Store keeps programmes and calls. Scope rules are applied in its SQL.
type Store struct {
	db *db.DB
}

// NewStore returns a store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// where builds a WHERE clause with numbered placeholders.
type where struct {
	conds []string
	args  []any
}

// add appends a condition whose %d verbs become the number of one new
// placeholder bound to v.
func (w *where) add(cond string, v any) {
	w.args = append(w.args, v)
	w.conds = append(w.conds, strings.ReplaceAll(cond, "%d", fmt.Sprint(len(w.args))))
}

// raw appends a condition without arguments.
func (w *where) raw(cond string) { w.conds = append(w.conds, cond) }

// rule appends a scope condition such as writeFilter over col.
func (w *where) rule(rule func(user.Actor, string, int) (string, []any), actor user.Actor, col string) {
	cond, args := rule(actor, col, len(w.args)+1)
	w.conds = append(w.conds, "("+cond+")")
	w.args = append(w.args, args...)
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return "WHERE 1=1"
	}
	return "WHERE " + strings.Join(w.conds, " AND ")
}

type scanner interface{ Scan(dest ...any) error }

// RecordType names programmes in the audit log.
const RecordType = "programme"

// CallRecordType names calls in the audit log.
const CallRecordType = "call"

const programmeSelect = `SELECT p.id, p.name, p.funder_id, o.name, p.currency, p.description,
	COALESCE(p.starts_on, ''), COALESCE(p.ends_on, ''), p.created_by, p.created_at, p.updated_at, p.archived_at,
	(SELECT COUNT(*) FROM calls c WHERE c.programme_id = p.id AND c.archived_at IS NULL)
	FROM programmes p JOIN organisations o ON o.id = p.funder_id `

func scanProgramme(row scanner) (*Programme, error) {
	var p Programme
	var by sql.NullInt64
	var archived sql.NullTime
	err := row.Scan(&p.ID, &p.Name, &p.FunderID, &p.FunderName, &p.Currency, &p.Description, &p.StartsOn, &p.EndsOn,
		&by, &p.CreatedAt, &p.UpdatedAt, &archived, &p.CallCount)
	if err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	if by.Valid {
		p.CreatedBy = &by.Int64
	}
	if archived.Valid {
		t := archived.Time.UTC()
		p.ArchivedAt = &t
	}
	p.Countries = []string{}
	return &p, nil
}

// ProgrammeFilter narrows a list of programmes.
type ProgrammeFilter struct {
	Query           string // part of the name
	IncludeArchived bool
	Limit           int // at most 500; 0 means 50
	Offset          int
}

// FindProgrammes lists programmes by name, with the total before paging.
// Every signed-in person may read every programme.
func (s *Store) FindProgrammes(ctx context.Context, actor user.Actor, f ProgrammeFilter) ([]*Programme, int, error) {
	if !actor.SignedIn() {
		return nil, 0, problem.New(problem.Unauthorized, "Sign in to see programmes.")
	}
	var w where
	if q := strings.TrimSpace(f.Query); q != "" {
		w.add(`lower(p.name) LIKE $%d ESCAPE '\'`, "%"+escapeLike(strings.ToLower(q))+"%")
	}
	if !f.IncludeArchived {
		w.raw("p.archived_at IS NULL")
	}
	total, err := s.db.Count(ctx, `SELECT COUNT(*) FROM programmes p `+w.String(), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("count programmes: %w", err)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	args := append(w.args, f.Limit, max(f.Offset, 0))
	rows, err := s.db.Read().QueryContext(ctx, programmeSelect+w.String()+
		fmt.Sprintf(" ORDER BY lower(p.name), p.id LIMIT $%d OFFSET $%d", len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find programmes: %w", err)
	}
	defer rows.Close()
	var out []*Programme
	for rows.Next() {
		p, err := scanProgramme(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("find programmes: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if err := loadCountries(ctx, s.db.Read(), out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// loadCountries fills the eligible countries of programmes in one query.
func loadCountries(ctx context.Context, q db.Querier, ps []*Programme) error {
	if len(ps) == 0 {
		return nil
	}
	byID := map[int64]*Programme{}
	ids := make([]any, len(ps))
	for i, p := range ps {
		byID[p.ID], ids[i] = p, p.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT programme_id, country_iso3 FROM programme_countries
		WHERE programme_id IN (`+db.Placeholders(1, len(ids))+`) ORDER BY programme_id, country_iso3`, ids...)
	if err != nil {
		return fmt.Errorf("programme countries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c string
		if err := rows.Scan(&id, &c); err != nil {
			return err
		}
		byID[id].Countries = append(byID[id].Countries, c)
	}
	return rows.Err()
}

// FindProgrammeByID returns one programme, archived or not.
func (s *Store) FindProgrammeByID(ctx context.Context, actor user.Actor, id int64) (*Programme, error) {
	if !actor.SignedIn() {
		return nil, problem.New(problem.Unauthorized, "Sign in to see programmes.")
	}
	return loadProgramme(ctx, s.db.Read(), id)
}

func loadProgramme(ctx context.Context, q db.Querier, id int64) (*Programme, error) {
	p, err := scanProgramme(q.QueryRowContext(ctx, programmeSelect+`WHERE p.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("No programme #%d.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("programme %d: %w", id, err)
	}
	if err := loadCountries(ctx, q, []*Programme{p}); err != nil {
		return nil, err
	}
	return p, nil
}

// FunderOption is an organisation that may fund a programme.
type FunderOption struct {
	ID   int64
	Name string
}

// FindFunders lists the active organisations of kind funder, by name.
func (s *Store) FindFunders(ctx context.Context) ([]FunderOption, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT id, name FROM organisations
		WHERE kind = 'funder' AND archived_at IS NULL ORDER BY name_norm, id`)
	if err != nil {
		return nil, fmt.Errorf("funders: %w", err)
	}
	defer rows.Close()
	var out []FunderOption
	for rows.Next() {
		var o FunderOption
		if err := rows.Scan(&o.ID, &o.Name); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// escapeLike escapes LIKE's wildcards (the query adds ESCAPE '\').
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
