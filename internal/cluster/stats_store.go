package cluster

import (
	"context"
	"fmt"
	"strings"
)

// CountByCountry counts the active (not archived) cluster initiatives of
// each country; a cross-border cluster counts in each of its countries.
// These are published aggregates, so no scope applies.
func (s *Store) CountByCountry(ctx context.Context) (map[string]int, error) {
	return s.countBy(ctx, `SELECT cc.country_iso3, COUNT(*) FROM cluster_countries cc
		JOIN clusters c ON c.id = cc.cluster_id WHERE c.archived_at IS NULL GROUP BY cc.country_iso3`)
}

// CountBySector counts the active cluster initiatives of each sector in a
// country (ISO3), or in the whole region when country is "".
func (s *Store) CountBySector(ctx context.Context, country string) (map[string]int, error) {
	if country == "" {
		return s.countBy(ctx, `SELECT c.sector, COUNT(*) FROM clusters c WHERE c.archived_at IS NULL GROUP BY c.sector`)
	}
	return s.countBy(ctx, `SELECT c.sector, COUNT(*) FROM clusters c WHERE c.archived_at IS NULL
		AND EXISTS (SELECT 1 FROM cluster_countries cc WHERE cc.cluster_id = c.id AND cc.country_iso3 = $1)
		GROUP BY c.sector`, strings.ToUpper(country))
}

func (s *Store) countBy(ctx context.Context, query string, args ...any) (map[string]int, error) {
	rows, err := s.db.Read().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("cluster counts: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var key string
		var n int
		if err := rows.Scan(&key, &n); err != nil {
			return nil, err
		}
		out[key] = n
	}
	return out, rows.Err()
}
