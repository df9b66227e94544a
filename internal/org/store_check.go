package org

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// checkRefs adds field problems for references that do not hold: an
// unknown country, an area of another country, an ISIC code that is not a
// class of the classification.
func checkRefs(ctx context.Context, q db.Querier, in *Input, f *problem.Fields) error {
	if !f.Has("country") {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM countries WHERE iso3 = $1`, in.Country).Scan(&n); err != nil {
			return fmt.Errorf("check country: %w", err)
		}
		if n == 0 {
			f.Add("country", "There is no country with the code %q.", in.Country)
		}
	}
	if in.AreaID != nil {
		var country, name string
		err := q.QueryRowContext(ctx, `SELECT country_iso3, name FROM areas WHERE id = $1`, *in.AreaID).Scan(&country, &name)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			f.Add("area_id", "There is no area #%d.", *in.AreaID)
		case err != nil:
			return fmt.Errorf("check area: %w", err)
		case !f.Has("country") && country != in.Country:
			f.Add("area_id", "%s is in %s, not in %s: choose an area of the organisation's country.", name, country, in.Country)
		}
	}
	if in.ISIC != "" && !f.Has("isic") {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM isic_codes WHERE code = $1 AND level = 'class'`, in.ISIC).Scan(&n); err != nil {
			return fmt.Errorf("check isic: %w", err)
		}
		if n == 0 {
			f.Add("isic", "%s is not an ISIC Rev.4 class.", in.ISIC)
		}
	}
	return nil
}

// MayCreateIn reports whether the actor may register organisations in a
// country (ISO3): administrators anywhere; BSO staff in their BSO's country
// and the countries of the cluster initiatives their BSO leads; cluster
// managers in their cluster's countries; nobody else.
func (s *Store) MayCreateIn(ctx context.Context, actor user.Actor, country string) (bool, error) {
	return mayCreateIn(ctx, s.db.Read(), actor, country)
}

func mayCreateIn(ctx context.Context, q db.Querier, actor user.Actor, country string) (bool, error) {
	all, set, err := creatableCountries(ctx, q, actor)
	return all || set[country], err
}

// creatableCountries returns the countries (ISO3) where the actor may
// register organisations; all is true for administrators, who may do so
// anywhere.
func creatableCountries(ctx context.Context, q db.Querier, actor user.Actor) (all bool, set map[string]bool, err error) {
	var query string
	switch actor.Role {
	case user.Admin:
		return true, nil, nil
	case user.BSOStaff:
		query = `SELECT b.country_iso3 FROM organisations b WHERE b.id = $1
			UNION SELECT cc.country_iso3 FROM cluster_countries cc JOIN clusters c ON c.id = cc.cluster_id
			WHERE c.lead_bso_id = $1 AND c.archived_at IS NULL`
	case user.ClusterManager:
		query = `SELECT cc.country_iso3 FROM cluster_countries cc WHERE cc.cluster_id = $1`
	default:
		return false, nil, nil
	}
	rows, err := q.QueryContext(ctx, query, actor.Scope.IntID())
	if err != nil {
		return false, nil, fmt.Errorf("countries in scope: %w", err)
	}
	defer rows.Close()
	set = map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return false, nil, err
		}
		set[c] = true
	}
	return false, set, rows.Err()
}

// DuplicateError is the conflict of registering an organisation whose
// normalised name is already taken in its country: it names the existing
// one, so that a form can link to it.
type DuplicateError struct {
	Existing *Organisation
	problem  *problem.Error
}

func (e *DuplicateError) Error() string { return e.problem.Error() }

// Unwrap gives the conflict problem, so that the error answers 409.
func (e *DuplicateError) Unwrap() error { return e.problem }

func duplicateError(existing *Organisation) error {
	p := problem.Conflictf("%s (organisation #%d) is already registered in %s. If this is a different organisation, confirm it with allow_duplicate.",
		existing.Name, existing.ID, existing.Country)
	p.Details = []problem.Detail{{Field: "name", Message: fmt.Sprintf("%s (#%d) already has this name in %s.", existing.Name, existing.ID, existing.Country)}}
	return &DuplicateError{Existing: existing, problem: p}
}

// FindDuplicates lists the organisations that are not archived, in the
// country (ISO3), whose normalised name equals that of name, oldest first.
// It sees the whole registry whatever the caller's scope: an organisation
// registered by another BSO is still the same organisation.
func (s *Store) FindDuplicates(ctx context.Context, name, country string) ([]*Organisation, error) {
	return findDuplicates(ctx, s.db.Read(), name, country, 0)
}

// findDuplicates is FindDuplicates through q, leaving out the organisation
// except (0 for none). Stored name_norm values written without the
// legal-form rule ("acme ltd") start with the normalised name followed by
// a space, so they are read as candidates and compared again here.
func findDuplicates(ctx context.Context, q db.Querier, name, country string, except int64) ([]*Organisation, error) {
	n := NormaliseName(name)
	if n == "" {
		return nil, nil
	}
	query := orgSelect + `WHERE o.country_iso3 = $1 AND o.archived_at IS NULL AND o.id <> $2
		AND (o.name_norm = $3 OR o.name_norm LIKE $4 ESCAPE '\') ORDER BY o.id`
	rows, err := q.QueryContext(ctx, query, country, except, n, escapeLike(n)+" %")
	if err != nil {
		return nil, fmt.Errorf("find duplicates: %w", err)
	}
	defer rows.Close()
	var out []*Organisation
	for rows.Next() {
		o, err := scanOrganisation(rows)
		if err != nil {
			return nil, err
		}
		if NormaliseName(o.Name) == n {
			out = append(out, o)
		}
	}
	return out, rows.Err()
}
