package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/refdata"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Store keeps organisations. Every method that takes an actor applies the
// actor's scope in its SQL; records outside it are reported as not found.
type Store struct {
	db *db.DB
}

// NewStore returns a store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// DB is the store's database, for callers that write in the same transaction.
func (s *Store) DB() *db.DB { return s.db }

// orgColumns are an organisation's own columns, in scanOrganisation's order.
const orgColumns = `o.id, o.kind, o.name, o.country_iso3, o.area_id, COALESCE(o.isic_code, ''), o.size_band, o.women_led, o.youth_led,
	o.founded_year, o.website, o.email, o.phone, o.contact_name, o.description, o.created_at, o.updated_at, o.archived_at`

// orgSelect reads one organisation with the names of its country, area and
// industry.
const orgSelect = `SELECT ` + orgColumns + `, c.name, COALESCE(a.name, ''), COALESCE(i.title, '')
	FROM organisations o
	JOIN countries c ON c.iso3 = o.country_iso3
	LEFT JOIN areas a ON a.id = o.area_id
	LEFT JOIN isic_codes i ON i.code = o.isic_code `

// orgListSelect reads lists. The names come from memory (refdata.NamesOf):
// joining three reference tables made a page of 50 five times as costly
// for PostgreSQL (1.7 against 0.3 ms), most of the organisations API's load.
const orgListSelect = `SELECT ` + orgColumns + ` FROM organisations o `

type scanner interface{ Scan(dest ...any) error }

func scanOrganisation(row scanner) (*Organisation, error) { return scanOrg(row, true) }

// scanOrg reads orgColumns and, when withNames, the three names after them.
func scanOrg(row scanner, withNames bool) (*Organisation, error) {
	var o Organisation
	var area, year sql.NullInt64
	var archived sql.NullTime
	dest := []any{&o.ID, &o.Kind, &o.Name, &o.Country, &area, &o.ISIC, &o.SizeBand, &o.WomenLed, &o.YouthLed, &year,
		&o.Website, &o.Email, &o.Phone, &o.ContactName, &o.Description, &o.CreatedAt, &o.UpdatedAt, &archived}
	if withNames {
		dest = append(dest, &o.CountryName, &o.AreaName, &o.ISICTitle)
	}
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	if area.Valid {
		o.AreaID = &area.Int64
	}
	if year.Valid {
		y := int(year.Int64)
		o.FoundedYear = &y
	}
	if archived.Valid {
		t := archived.Time
		o.ArchivedAt = &t
	}
	return &o, nil
}

// sortSQL maps a sort key to an ORDER BY clause; unknown keys sort by name.
// Ties fall back to the name and then the ID so that pages never repeat or
// skip a row.
func sortSQL(sort string) string {
	key, desc := strings.TrimPrefix(sort, "-"), strings.HasPrefix(sort, "-")
	dir := "ASC"
	if desc {
		dir = "DESC"
	}
	tail := ", o.name_norm, o.id"
	switch key {
	case "country":
		return "(SELECT c.name FROM countries c WHERE c.iso3 = o.country_iso3) " + dir + tail
	case "kind":
		return "o.kind " + dir + tail
	case "created":
		return "o.created_at " + dir + ", o.id " + dir
	case "size":
		var b strings.Builder
		// Unknown sizes go last in both directions.
		b.WriteString("CASE WHEN o.size_band = '' THEN 1 ELSE 0 END, CASE o.size_band")
		for _, sb := range SizeBands {
			fmt.Fprintf(&b, " WHEN '%s' THEN %d", sb, sb.Order())
		}
		b.WriteString(" ELSE 0 END " + dir + tail)
		return b.String()
	}
	return "o.name_norm " + dir + ", o.id " + dir
}

// filterWhere turns a filter into conditions under the actor's read scope.
func filterWhere(actor user.Actor, f Filter) where {
	var w where
	w.scope(user.OrgReadFilter, actor, "o")
	if q := strings.TrimSpace(f.Query); q != "" {
		email := contains(strings.ToLower(q))
		if n := NormaliseName(q); n != "" {
			w.args = append(w.args, contains(n), email)
			w.raw(fmt.Sprintf(`(o.name_norm LIKE $%d ESCAPE '\' OR lower(o.email) LIKE $%d ESCAPE '\')`, len(w.args)-1, len(w.args)))
		} else {
			w.add(`lower(o.email) LIKE $%d ESCAPE '\'`, email)
		}
	}
	if f.Kind != "" {
		w.add("o.kind = $%d", string(f.Kind))
	}
	if f.Country != "" {
		w.add("o.country_iso3 = $%d", strings.ToUpper(f.Country))
	}
	if f.Area != 0 {
		w.add("o.area_id = $%d", f.Area)
	}
	if code := strings.TrimSpace(f.ISIC); code != "" {
		if isSection(code) {
			// Classes start with their division's two digits; a section is
			// the set of its divisions.
			w.add(`substr(o.isic_code, 1, 2) IN (SELECT d.code FROM isic_codes d WHERE d.level = 'division' AND d.parent_code = $%d)`,
				strings.ToUpper(code))
		} else {
			w.add(`o.isic_code LIKE $%d ESCAPE '\'`, escapeLike(code)+"%")
		}
	}
	switch {
	case f.UnknownSize:
		w.raw("o.size_band = ''")
	case f.SizeBand != "":
		w.add("o.size_band = $%d", string(f.SizeBand))
	}
	if f.WomenLed != nil {
		w.add("o.women_led = $%d", *f.WomenLed)
	}
	if f.YouthLed != nil {
		w.add("o.youth_led = $%d", *f.YouthLed)
	}
	if !f.IncludeArchived {
		w.raw("o.archived_at IS NULL")
	}
	return w
}

// isSection reports whether code is an ISIC section letter (A to U).
func isSection(code string) bool {
	return len(code) == 1 && strings.ToUpper(code)[0] >= 'A' && strings.ToUpper(code)[0] <= 'U'
}

// FindOrganisations lists the organisations the actor may read that match
// the filter, with the total before paging.
func (s *Store) FindOrganisations(ctx context.Context, actor user.Actor, f Filter) ([]*Organisation, int, error) {
	w := filterWhere(actor, f)
	total, err := s.db.Count(ctx, `SELECT COUNT(*) FROM organisations o `+w.String(), w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("count organisations: %w", err)
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	args := append(w.args, f.Limit, max(f.Offset, 0))
	q := orgListSelect + w.String() + " ORDER BY " + sortSQL(f.Sort) + fmt.Sprintf(" LIMIT $%d OFFSET $%d", len(args)-1, len(args))
	var out []*Organisation
	err = s.each(ctx, q, args, func(o *Organisation) error { out = append(out, o); return nil })
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// EachOrganisation calls fn for every organisation the actor may read that
// matches the filter, in the filter's order, without paging: a CSV download
// streams them as they are read. Limit and Offset are ignored.
func (s *Store) EachOrganisation(ctx context.Context, actor user.Actor, f Filter, fn func(*Organisation) error) error {
	w := filterWhere(actor, f)
	return s.each(ctx, orgListSelect+w.String()+" ORDER BY "+sortSQL(f.Sort), w.args, fn)
}

func (s *Store) each(ctx context.Context, query string, args []any, fn func(*Organisation) error) error {
	names, err := refdata.NamesOf(ctx, s.db)
	if err != nil {
		return err
	}
	rows, err := s.db.Read().QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("find organisations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		o, err := scanOrg(rows, false)
		if err != nil {
			return fmt.Errorf("find organisations: %w", err)
		}
		fillNames(names, o)
		if err := fn(o); err != nil {
			return err
		}
	}
	return rows.Err()
}

// FindOrganisationByID returns one organisation the actor may read,
// archived or not.
func (s *Store) FindOrganisationByID(ctx context.Context, actor user.Actor, id int64) (*Organisation, error) {
	return loadOrganisation(ctx, s.db.Read(), actor, user.OrgReadFilter, id)
}

// CanWrite reports whether the actor may change organisation id.
func (s *Store) CanWrite(ctx context.Context, actor user.Actor, id int64) (bool, error) {
	var w where
	w.add("o.id = $%d", id)
	w.scope(user.OrgWriteFilter, actor, "o")
	var n int
	err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations o `+w.String(), w.args...).Scan(&n)
	return n > 0, err
}

// loadOrganisation reads one organisation under a scope rule, through q
// (the read pool, or a transaction that must see its own writes).
func loadOrganisation(ctx context.Context, q db.Querier, actor user.Actor, rule func(user.Actor, string, int) (string, []any), id int64) (*Organisation, error) {
	var w where
	w.add("o.id = $%d", id)
	w.scope(rule, actor, "o")
	o, err := scanOrganisation(q.QueryRowContext(ctx, orgSelect+w.String(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("No organisation #%d.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("organisation %d: %w", id, err)
	}
	return o, nil
}
