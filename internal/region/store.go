package region

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/geo"
	"github.com/clusterobservatory/observatory/internal/web"
)

// CacheFor is how long published figures are kept before they are
// recomputed: a write shows in them within this time (plus one computation),
// not at once, which is what aggregates for the public can afford.
const CacheFor = 30 * time.Second

// Store computes the region's and each country's published figures and
// lists what a signed-in person may read of a country.
type Store struct {
	db        *db.DB
	geo       *geo.Store
	region    *cache[*RegionFigures]
	countries *cache[*CountryPage]
	frags     fragments
	// pages keeps rendered country pages between views; nil when figures
	// are not kept either (tests that write between reads).
	pages *web.Fragments
}

// NewStore returns a store on d that keeps figures for ttl (0: recompute on
// every call, for tests that write between reads).
func NewStore(d *db.DB, ttl time.Duration, logger *slog.Logger) *Store {
	s := &Store{
		db: d, geo: geo.NewStore(d),
		region:    newCache[*RegionFigures](ttl, logger),
		countries: newCache[*CountryPage](ttl, logger),
	}
	if ttl > 0 {
		s.pages = web.NewFragments(d.Generation)
	}
	return s
}

// Geo is the store of countries and areas the figures are built on.
func (s *Store) Geo() *geo.Store { return s.geo }

// Region returns the region's figures, from memory when recent.
func (s *Store) Region(ctx context.Context) (*RegionFigures, error) {
	return s.region.get(ctx, "region", s.computeRegion)
}

// Country returns a country's figures (alpha-3 code, upper case), from
// memory when recent; an unknown country is a not-found problem.
func (s *Store) Country(ctx context.Context, iso3 string) (*CountryPage, error) {
	return s.countries.get(ctx, iso3, func(ctx context.Context) (*CountryPage, error) {
		return s.computeCountry(ctx, iso3)
	})
}

// The aggregates. Each query is one GROUP BY over an index: organisations by
// (country, kind) through organisations_active_country_kind, initiatives per
// country through cluster_countries, and current memberships per initiative
// through the partial index memberships_open.

const (
	orgsByCountrySQL = `SELECT o.country_iso3, o.kind, COUNT(*) FROM organisations o
		WHERE o.archived_at IS NULL AND o.kind IN ('bso', 'firm') GROUP BY o.country_iso3, o.kind`

	// currentMembersSQL counts the current memberships of each initiative.
	currentMembersSQL = `SELECT m.cluster_id, COUNT(*) AS n FROM memberships m WHERE m.left_on IS NULL GROUP BY m.cluster_id`

	clustersByCountrySQL = `SELECT cc.country_iso3, COUNT(*), CAST(COALESCE(SUM(mc.n), 0) AS BIGINT)
		FROM cluster_countries cc
		JOIN clusters c ON c.id = cc.cluster_id
		LEFT JOIN (` + currentMembersSQL + `) mc ON mc.cluster_id = cc.cluster_id
		WHERE c.archived_at IS NULL GROUP BY cc.country_iso3`

	clustersBySectorStageSQL = `SELECT c.sector, c.stage, COUNT(*) FROM clusters c WHERE c.archived_at IS NULL GROUP BY c.sector, c.stage`

	regionMembersSQL = `SELECT COUNT(*) FROM memberships m JOIN clusters c ON c.id = m.cluster_id
		WHERE m.left_on IS NULL AND c.archived_at IS NULL`

	crossBorderSQL = `SELECT COUNT(*) FROM (SELECT cc.cluster_id FROM cluster_countries cc
		JOIN clusters c ON c.id = cc.cluster_id WHERE c.archived_at IS NULL
		GROUP BY cc.cluster_id HAVING COUNT(*) > 1) x`
)

func (s *Store) computeRegion(ctx context.Context) (*RegionFigures, error) {
	countries, err := s.geo.FindCountries(ctx, geo.Filter{InRegionOnly: true})
	if err != nil {
		return nil, err
	}
	f := &RegionFigures{At: time.Now().UTC()}
	byISO := map[string]*CountryFigures{}
	f.Countries = make([]CountryFigures, len(countries))
	for i, c := range countries {
		f.Countries[i] = CountryFigures{ISO3: c.ISO3, Name: c.Name}
		byISO[c.ISO3] = &f.Countries[i]
	}
	f.Totals.Countries = len(countries)

	q := s.db.Read()
	err = db.Each(ctx, q, orgsByCountrySQL, nil, func(rows *sql.Rows) error {
		var iso, kind string
		var n int
		if err := rows.Scan(&iso, &kind, &n); err != nil {
			return err
		}
		c := byISO[iso]
		switch kind {
		case "bso":
			f.Totals.BSOs += n
			if c != nil {
				c.BSOs = n
			}
		case "firm":
			f.Totals.Firms += n
			if c != nil {
				c.Firms = n
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("organisations by country: %w", err)
	}
	err = db.Each(ctx, q, clustersByCountrySQL, nil, func(rows *sql.Rows) error {
		var iso string
		var n, members int
		if err := rows.Scan(&iso, &n, &members); err != nil {
			return err
		}
		if c := byISO[iso]; c != nil {
			c.Clusters, c.Members = n, members
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("initiatives by country: %w", err)
	}
	pairs, err := pairCounts(ctx, q, clustersBySectorStageSQL)
	if err != nil {
		return nil, fmt.Errorf("initiatives by sector: %w", err)
	}
	f.Sectors, f.Stages, f.Totals.Clusters = sectorsAndStages(pairs)
	if err := q.QueryRowContext(ctx, regionMembersSQL).Scan(&f.Totals.Members); err != nil {
		return nil, fmt.Errorf("current memberships: %w", err)
	}
	if err := q.QueryRowContext(ctx, crossBorderSQL).Scan(&f.CrossBorder); err != nil {
		return nil, fmt.Errorf("cross-border initiatives: %w", err)
	}
	return f, nil
}

// pairCounts reads a GROUP BY over two text columns.
func pairCounts(ctx context.Context, q db.Querier, query string, args ...any) ([]pairCount, error) {
	var out []pairCount
	err := db.Each(ctx, q, query, args, func(rows *sql.Rows) error {
		var p pairCount
		if err := rows.Scan(&p.a, &p.b, &p.n); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, err
}
