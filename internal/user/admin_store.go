package user

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// Account statuses, as the administration pages and the API filter them.
const (
	StatusActive   = "active"
	StatusInvited  = "invited"
	StatusDisabled = "disabled"
)

// Statuses lists the account statuses in the order filters show them.
var Statuses = []string{StatusActive, StatusInvited, StatusDisabled}

// Status says whether an account is disabled, still waiting for its owner to
// accept the invitation (no password yet), or active.
func (u *User) Status() string {
	switch {
	case !u.DisabledAt.IsZero():
		return StatusDisabled
	case !u.HasPassword:
		return StatusInvited
	}
	return StatusActive
}

// UserFilter narrows the account list.
type UserFilter struct {
	Role   Role
	Status string
	Query  string // part of the name or email
	Limit  int
	Offset int
}

// SearchUsers lists the accounts that match f, by name, with their total.
func (s *Store) SearchUsers(ctx context.Context, f UserFilter) ([]*User, int, error) {
	where, args := "WHERE 1=1", []any{}
	add := func(cond string, v any) {
		args = append(args, v)
		where += " AND " + fmt.Sprintf(cond, len(args))
	}
	if f.Role != "" {
		add("role = $%d", string(f.Role))
	}
	switch f.Status {
	case StatusDisabled:
		where += " AND disabled_at IS NOT NULL"
	case StatusInvited:
		where += " AND disabled_at IS NULL AND password_hash = ''"
	case StatusActive:
		where += " AND disabled_at IS NULL AND password_hash <> ''"
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, "%"+q+"%")
		where += fmt.Sprintf(" AND (lower(name) LIKE lower($%[1]d) OR lower(email) LIKE lower($%[1]d))", len(args))
	}
	var total int
	if err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM users `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	args = append(args, f.Limit, max(f.Offset, 0))
	rows, err := s.db.Read().QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM users %s ORDER BY lower(name), id LIMIT $%d OFFSET $%d`,
		userColumns, where, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []*User
	for rows.Next() {
		u, _, err := scanUser(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, u)
	}
	return out, total, rows.Err()
}

// ScopeNames returns the name of the record each scope points at (the BSO,
// the cluster initiative or the country), keyed by the scope's text. A scope
// whose record is gone has no entry.
func (s *Store) ScopeNames(ctx context.Context, scopes []Scope) (map[string]string, error) {
	ids := map[ScopeKind][]any{}
	seen := map[string]bool{}
	for _, sc := range scopes {
		if sc.Kind == ScopeNone || seen[sc.String()] {
			continue
		}
		seen[sc.String()] = true
		switch sc.Kind {
		case ScopeBSO, ScopeCluster:
			ids[sc.Kind] = append(ids[sc.Kind], sc.IntID())
		case ScopeCountry:
			ids[sc.Kind] = append(ids[sc.Kind], sc.ID)
		}
	}
	tables := map[ScopeKind]string{
		ScopeBSO:     `SELECT CAST(id AS TEXT), name FROM organisations WHERE id IN (%s)`,
		ScopeCluster: `SELECT CAST(id AS TEXT), name FROM clusters WHERE id IN (%s)`,
		ScopeCountry: `SELECT iso3, name FROM countries WHERE iso3 IN (%s)`,
	}
	out := map[string]string{}
	for kind, list := range ids {
		marks := make([]string, len(list))
		for i := range list {
			marks[i] = "$" + strconv.Itoa(i+1)
		}
		rows, err := s.db.Read().QueryContext(ctx, fmt.Sprintf(tables[kind], strings.Join(marks, ",")), list...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return nil, err
			}
			out[Scope{Kind: kind, ID: id}.String()] = name
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ScopeOption is one record a role's scope may point at.
type ScopeOption struct {
	ID     string
	Name   string
	Detail string // the BSO's country, to tell same-named BSOs apart
}

// ScopeOptions are the records the invitation form offers, one list per
// scope kind.
type ScopeOptions struct {
	BSOs      []ScopeOption
	Clusters  []ScopeOption
	Countries []ScopeOption
}

// FindScopeOptions lists the active BSOs, the active cluster initiatives and
// the programme's countries, by name.
func (s *Store) FindScopeOptions(ctx context.Context) (*ScopeOptions, error) {
	var out ScopeOptions
	lists := []struct {
		dst *[]ScopeOption
		q   string
	}{
		{&out.BSOs, `SELECT CAST(o.id AS TEXT), o.name, c.name FROM organisations o JOIN countries c ON c.iso3 = o.country_iso3
			WHERE o.kind = 'bso' AND o.archived_at IS NULL ORDER BY lower(o.name), o.id`},
		{&out.Clusters, `SELECT CAST(id AS TEXT), name, '' FROM clusters WHERE archived_at IS NULL ORDER BY lower(name), id`},
		{&out.Countries, `SELECT iso3, name, '' FROM countries WHERE in_region ORDER BY name`},
	}
	for _, l := range lists {
		rows, err := s.db.Read().QueryContext(ctx, l.q)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var o ScopeOption
			if err := rows.Scan(&o.ID, &o.Name, &o.Detail); err != nil {
				rows.Close()
				return nil, err
			}
			*l.dst = append(*l.dst, o)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return &out, nil
}

// CheckScope verifies that the record a scope points at exists: a BSO for
// bso:ID (an organisation of kind bso), a cluster initiative, a programme,
// or a country.
// field names the input in the problem it returns.
func (s *Store) CheckScope(ctx context.Context, sc Scope, field string) error {
	var q string
	var arg any
	switch sc.Kind {
	case ScopeNone:
		return nil
	case ScopeProgramme:
		q, arg = `SELECT 1 FROM programmes WHERE id = $1`, sc.IntID()
	case ScopeBSO:
		q, arg = `SELECT 1 FROM organisations WHERE id = $1 AND kind = 'bso'`, sc.IntID()
	case ScopeCluster:
		q, arg = `SELECT 1 FROM clusters WHERE id = $1`, sc.IntID()
	case ScopeCountry:
		q, arg = `SELECT 1 FROM countries WHERE iso3 = $1`, sc.ID
	}
	var one int
	err := s.db.Read().QueryRowContext(ctx, q, arg).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		var f problem.Fields
		switch sc.Kind {
		case ScopeBSO:
			f.Add(field, "There is no business support organisation #%s.", sc.ID)
		case ScopeCluster:
			f.Add(field, "There is no cluster initiative #%s.", sc.ID)
		case ScopeProgramme:
			f.Add(field, "There is no programme #%s.", sc.ID)
		default:
			f.Add(field, "There is no country %s.", sc.ID)
		}
		return f.Err()
	}
	return err
}

// CountUsersByStatus counts the accounts of each status.
func (s *Store) CountUsersByStatus(ctx context.Context) (map[string]int, error) {
	out := map[string]int{StatusActive: 0, StatusInvited: 0, StatusDisabled: 0}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT
		CASE WHEN disabled_at IS NOT NULL THEN 'disabled' WHEN password_hash = '' THEN 'invited' ELSE 'active' END AS status,
		COUNT(*) FROM users GROUP BY 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return nil, err
		}
		out[status] = n
	}
	return out, rows.Err()
}
