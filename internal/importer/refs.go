package importer

import (
	"context"
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/db"
)

// refs are the reference tables a file is checked against, loaded once per
// file rather than once per row.
type refs struct {
	// country maps ISO3, ISO2 and the English name (normalised) to ISO3.
	country map[string]string
	// countryName maps ISO3 to the English name.
	countryName map[string]string
	// area maps ISO3, then an area's code or name (normalised), to its ID.
	area map[string]map[string]int64
	// isic holds the ISIC Rev.4 class codes.
	isic map[string]bool
}

// loadRefs reads the countries, areas and ISIC classes.
func loadRefs(ctx context.Context, q db.Querier) (*refs, error) {
	r := &refs{country: map[string]string{}, countryName: map[string]string{}, area: map[string]map[string]int64{}, isic: map[string]bool{}}
	rows, err := q.QueryContext(ctx, `SELECT iso3, iso2, name FROM countries`)
	if err != nil {
		return nil, fmt.Errorf("load countries: %w", err)
	}
	for rows.Next() {
		var iso3, iso2, name string
		if err := rows.Scan(&iso3, &iso2, &name); err != nil {
			rows.Close()
			return nil, err
		}
		r.country[placeKey(iso3)], r.country[placeKey(iso2)], r.country[placeKey(name)] = iso3, iso3, iso3
		r.countryName[iso3] = name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT id, country_iso3, code, name FROM areas`)
	if err != nil {
		return nil, fmt.Errorf("load areas: %w", err)
	}
	for rows.Next() {
		var id int64
		var iso3, code, name string
		if err := rows.Scan(&id, &iso3, &code, &name); err != nil {
			rows.Close()
			return nil, err
		}
		if r.area[iso3] == nil {
			r.area[iso3] = map[string]int64{}
		}
		r.area[iso3][placeKey(name)] = id
		if code != "" {
			r.area[iso3][placeKey(code)] = id
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT code FROM isic_codes WHERE level = 'class'`)
	if err != nil {
		return nil, fmt.Errorf("load ISIC classes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		if err := rows.Scan(&code); err != nil {
			return nil, err
		}
		r.isic[code] = true
	}
	return r, rows.Err()
}

// findCountry returns the ISO3 code of a country written as ISO3, ISO2 or
// its English name.
func (r *refs) findCountry(s string) (string, bool) {
	iso3, ok := r.country[placeKey(s)]
	return iso3, ok
}

// findArea returns the ID of an area of a country written as its ISO
// 3166-2 code or its name.
func (r *refs) findArea(iso3, s string) (int64, bool) {
	id, ok := r.area[iso3][placeKey(s)]
	return id, ok
}

// placeKey is how place names and codes are compared: case, accents,
// punctuation and a leading "the" ignored, "St" read as Saint and "&" as
// and, so that "St. Lucia", "saint lucia" and "LC" all find Saint Lucia.
func placeKey(s string) string {
	s = strings.NewReplacer("&", " and ", ".", " ", ",", " ", "'", "", "’", "").Replace(s)
	s = normaliseName(s)
	words := strings.Fields(s)
	if len(words) > 1 && words[0] == "the" {
		words = words[1:]
	}
	for i, w := range words {
		if w == "st" {
			words[i] = "saint"
		}
	}
	return strings.Join(words, " ")
}
