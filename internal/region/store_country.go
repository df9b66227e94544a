package region

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/clusterobservatory/observatory/internal/db"
	"time"
)

const (
	countryOrgsSQL = `SELECT o.kind, o.area_id, COUNT(*) FROM organisations o
		WHERE o.country_iso3 = $1 AND o.archived_at IS NULL AND o.kind IN ('bso', 'firm')
		GROUP BY o.kind, o.area_id`

	countrySectorStageSQL = `SELECT c.sector, c.stage, COUNT(*) FROM cluster_countries cc
		JOIN clusters c ON c.id = cc.cluster_id
		WHERE cc.country_iso3 = $1 AND c.archived_at IS NULL GROUP BY c.sector, c.stage`

	countryMembersSQL = `SELECT m.cluster_id, COUNT(*) FROM cluster_countries cc
		JOIN clusters c ON c.id = cc.cluster_id
		JOIN memberships m ON m.cluster_id = cc.cluster_id AND m.left_on IS NULL
		WHERE cc.country_iso3 = $1 AND c.archived_at IS NULL GROUP BY m.cluster_id`
)

func (s *Store) computeCountry(ctx context.Context, code string) (*CountryPage, error) {
	country, err := s.geo.FindCountryByISO3(ctx, code)
	if err != nil {
		return nil, err
	}
	areas, err := s.geo.FindAreas(ctx, country.ISO3)
	if err != nil {
		return nil, err
	}
	iso := country.ISO3
	p := &CountryPage{Country: country, Figures: CountryFigures{ISO3: iso, Name: country.Name}, At: time.Now().UTC(), Members: map[int64]int{}}
	q := s.db.Read()

	known := make(map[int64]bool, len(areas))
	for _, a := range areas {
		known[a.ID] = true
	}
	firms := map[int64]int{}
	err = db.Each(ctx, q, countryOrgsSQL, []any{iso}, func(rows *sql.Rows) error {
		var kind string
		var area sql.NullInt64
		var n int
		if err := rows.Scan(&kind, &area, &n); err != nil {
			return err
		}
		switch kind {
		case "bso":
			p.Figures.BSOs += n
		case "firm":
			p.Figures.Firms += n
			// An area of another country would be a data error; such
			// firms count with those whose area is not recorded.
			if area.Valid && known[area.Int64] {
				firms[area.Int64] += n
			} else {
				p.NoArea += n
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("organisations of %s: %w", iso, err)
	}
	p.Areas, p.Nested = areaFigures(areas, firms)

	pairs, err := pairCounts(ctx, q, countrySectorStageSQL, iso)
	if err != nil {
		return nil, fmt.Errorf("initiatives of %s: %w", iso, err)
	}
	p.Sectors, p.Stages, p.Figures.Clusters = sectorsAndStages(pairs)

	err = db.Each(ctx, q, countryMembersSQL, []any{iso}, func(rows *sql.Rows) error {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return err
		}
		p.Members[id] = n
		p.Figures.Members += n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("memberships of %s: %w", iso, err)
	}
	if p.Clusters, err = s.clusterItems(ctx, iso, "", nil, p.Members); err != nil {
		return nil, err
	}
	if p.BSOs, err = s.bsoItems(ctx, iso, "", nil); err != nil {
		return nil, err
	}
	return p, nil
}
