package geo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// Store reads countries and areas. They are reference data, the same for
// every reader, so no scope applies.
type Store struct {
	db *db.DB
}

// NewStore returns a store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

const countrySelect = `SELECT iso3, iso2, numeric_code, name, languages, currency, caricom, cariforum, in_region, notes FROM countries `

type scanner interface{ Scan(dest ...any) error }

func scanCountry(row scanner) (*Country, error) {
	var c Country
	var langs string
	if err := row.Scan(&c.ISO3, &c.ISO2, &c.NumericCode, &c.Name, &langs, &c.Currency,
		&c.CARICOM, &c.CARIFORUM, &c.InRegion, &c.Notes); err != nil {
		return nil, err
	}
	c.Languages = splitLanguages(langs)
	return &c, nil
}

// FindCountries lists countries by English name.
func (s *Store) FindCountries(ctx context.Context, f Filter) ([]*Country, error) {
	q := countrySelect
	if f.InRegionOnly {
		q += `WHERE in_region `
	}
	rows, err := s.db.Read().QueryContext(ctx, q+`ORDER BY name, iso3`)
	if err != nil {
		return nil, fmt.Errorf("find countries: %w", err)
	}
	defer rows.Close()
	var out []*Country
	for rows.Next() {
		c, err := scanCountry(rows)
		if err != nil {
			return nil, fmt.Errorf("find countries: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// FindCountryByISO3 finds a country by its alpha-3 or alpha-2 code, in any
// case; an unknown code is a not-found problem.
func (s *Store) FindCountryByISO3(ctx context.Context, code string) (*Country, error) {
	c, ok := NormaliseCode(code)
	if !ok {
		return nil, problem.NotFoundf("There is no country with the code %q.", code)
	}
	col := "iso3"
	if len(c) == 2 {
		col = "iso2"
	}
	country, err := scanCountry(s.db.Read().QueryRowContext(ctx, countrySelect+`WHERE `+col+` = $1`, c))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("There is no country with the code %q.", c)
	}
	if err != nil {
		return nil, fmt.Errorf("find country %s: %w", c, err)
	}
	return country, nil
}

// CountryName is the English name of the country with an alpha-3 or alpha-2
// code; pages show it in their own language with CountryLabel.
func (s *Store) CountryName(ctx context.Context, code string) (string, error) {
	c, err := s.FindCountryByISO3(ctx, code)
	if err != nil {
		return "", err
	}
	return c.Name, nil
}

// FindAreas lists the areas of a country (alpha-3 or alpha-2 code) in
// hierarchy order (see Arrange), or of every country when country is "". An
// unknown country is invalid input naming the field "country".
func (s *Store) FindAreas(ctx context.Context, country string) ([]*Area, error) {
	q := `SELECT a.id, a.country_iso3, a.code, a.name, a.type, a.parent_code FROM areas a `
	var args []any
	if country != "" {
		c, err := s.FindCountryByISO3(ctx, country)
		if problem.Is(err, problem.NotFound) {
			var f problem.Fields
			f.Add("country", "There is no country with the code %q: use an ISO 3166-1 code such as JAM or JM.", country)
			return nil, f.Err()
		}
		if err != nil {
			return nil, err
		}
		q += `WHERE a.country_iso3 = $1 `
		args = append(args, c.ISO3)
	} else {
		q += `JOIN countries c ON c.iso3 = a.country_iso3 `
	}
	order := `ORDER BY a.code, a.name`
	if country == "" {
		order = `ORDER BY c.name, a.country_iso3, a.code, a.name`
	}
	rows, err := s.db.Read().QueryContext(ctx, q+order, args...)
	if err != nil {
		return nil, fmt.Errorf("find areas: %w", err)
	}
	defer rows.Close()
	var out []*Area
	for rows.Next() {
		var a Area
		if err := rows.Scan(&a.ID, &a.Country, &a.Code, &a.Name, &a.Type, &a.ParentCode); err != nil {
			return nil, fmt.Errorf("find areas: %w", err)
		}
		out = append(out, &a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return Arrange(out), nil
}
