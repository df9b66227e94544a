package region

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/clusterobservatory/observatory/internal/db"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/user"
)

// ListLimit is the most rows a country page lists; beyond it the page links
// to the full, paged list.
const ListLimit = 300

// ClusterItem is a cluster initiative as a country page lists it. It is
// comparable, so that its rendered row can be memoised by its values.
type ClusterItem struct {
	ID          int64
	Name        string
	Sector      string
	Stage       string
	LeadBSOID   int64
	LeadBSOName string
	Members     int // current memberships
}

// BSOItem is a business support organisation as a country page lists it.
type BSOItem struct {
	ID      int64
	Name    string
	Area    string
	Website string
}

// clusterItemsSQL selects the initiatives of a country ($1) that are not
// archived, by name; callers add conditions before the ORDER BY.
const clusterItemsSQL = `SELECT c.id, c.name, c.sector, c.stage, c.lead_bso_id, b.name
	FROM cluster_countries cc
	JOIN clusters c ON c.id = cc.cluster_id
	JOIN organisations b ON b.id = c.lead_bso_id
	WHERE cc.country_iso3 = $1 AND c.archived_at IS NULL `

// clusterItems reads initiatives with clusterItemsSQL and extra conditions.
func (s *Store) clusterItems(ctx context.Context, iso3, cond string, args []any, members map[int64]int) ([]ClusterItem, error) {
	var out []ClusterItem
	err := db.Each(ctx, s.db.Read(), clusterItemsSQL+cond+` ORDER BY c.name_norm, c.id`, append([]any{iso3}, args...), func(rows *sql.Rows) error {
		var c ClusterItem
		if err := rows.Scan(&c.ID, &c.Name, &c.Sector, &c.Stage, &c.LeadBSOID, &c.LeadBSOName); err != nil {
			return err
		}
		c.Members = members[c.ID]
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("initiatives of %s: %w", iso3, err)
	}
	return out, nil
}

// FindCountryClusters lists, by name, the initiatives of a country (alpha-3
// code) that are not archived and that the actor may read, at most
// ListLimit of them, and reports whether there are more.
//
// The rows come from the country's cached figures, which list every
// initiative of the country: the actor's scope is applied in SQL to find
// which of them they may read (a query of IDs only), and an initiative too
// recent for the cache is read directly. Names and member counts may thus
// lag a change by as long as the figures do.
func (s *Store) FindCountryClusters(ctx context.Context, actor user.Actor, iso3 string) ([]ClusterItem, bool, error) {
	f, err := s.Country(ctx, iso3)
	if err != nil {
		return nil, false, err
	}
	iso3 = f.Country.ISO3
	scope, args := user.ClusterReadFilter(actor, "c", 2)
	var items []ClusterItem
	if scope == "1=1" {
		// The scope admits every row: nothing to look up.
		items = f.Clusters
	} else {
		readable, err := s.readableIDs(ctx, `SELECT c.id FROM cluster_countries cc JOIN clusters c ON c.id = cc.cluster_id
			WHERE cc.country_iso3 = $1 AND c.archived_at IS NULL AND (`+scope+`)`, append([]any{iso3}, args...))
		if err != nil {
			return nil, false, fmt.Errorf("initiatives of %s: %w", iso3, err)
		}
		for _, c := range f.Clusters {
			if readable[c.ID] {
				items = append(items, c)
				delete(readable, c.ID)
			}
		}
		if len(readable) > 0 {
			recent, err := s.clusterItems(ctx, iso3, `AND c.id IN (`+idList(readable)+`)`, nil, f.Members)
			if err != nil {
				return nil, false, err
			}
			items = append(items, recent...)
		}
	}
	if len(items) > ListLimit {
		return items[:ListLimit], true, nil
	}
	return items, false, nil
}

// bsoItemsSQL selects the BSOs of a country ($1) that are not archived;
// callers add conditions before the ORDER BY.
const bsoItemsSQL = `SELECT o.id, o.name, COALESCE(a.name, ''), o.website
	FROM organisations o
	LEFT JOIN areas a ON a.id = o.area_id
	WHERE o.country_iso3 = $1 AND o.kind = 'bso' AND o.archived_at IS NULL `

// bsoItems reads BSOs with bsoItemsSQL and extra conditions, by name.
func (s *Store) bsoItems(ctx context.Context, iso3, cond string, args []any) ([]BSOItem, error) {
	var out []BSOItem
	err := db.Each(ctx, s.db.Read(), bsoItemsSQL+cond+` ORDER BY o.name_norm, o.id`, append([]any{iso3}, args...), func(rows *sql.Rows) error {
		var b BSOItem
		if err := rows.Scan(&b.ID, &b.Name, &b.Area, &b.Website); err != nil {
			return err
		}
		out = append(out, b)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("BSOs of %s: %w", iso3, err)
	}
	return out, nil
}

// FindCountryBSOs lists, by name, the business support organisations of a
// country (alpha-3 code) that are not archived and that the actor may read,
// at most ListLimit of them, and reports whether there are more. Like
// FindCountryClusters, it applies the scope in SQL to the cached list.
func (s *Store) FindCountryBSOs(ctx context.Context, actor user.Actor, iso3 string) ([]BSOItem, bool, error) {
	f, err := s.Country(ctx, iso3)
	if err != nil {
		return nil, false, err
	}
	iso3 = f.Country.ISO3
	scope, args := user.OrgReadFilter(actor, "o", 2)
	items := f.BSOs
	if scope != "1=1" {
		readable, err := s.readableIDs(ctx, `SELECT o.id FROM organisations o
			WHERE o.country_iso3 = $1 AND o.kind = 'bso' AND o.archived_at IS NULL AND (`+scope+`)`, append([]any{iso3}, args...))
		if err != nil {
			return nil, false, fmt.Errorf("BSOs of %s: %w", iso3, err)
		}
		items = nil
		for _, b := range f.BSOs {
			if readable[b.ID] {
				items = append(items, b)
				delete(readable, b.ID)
			}
		}
		if len(readable) > 0 {
			recent, err := s.bsoItems(ctx, iso3, `AND o.id IN (`+idList(readable)+`)`, nil)
			if err != nil {
				return nil, false, err
			}
			items = append(items, recent...)
		}
	}
	if len(items) > ListLimit {
		return items[:ListLimit], true, nil
	}
	return items, false, nil
}

// readableIDs runs a query of IDs, the rows a scope admits.
func (s *Store) readableIDs(ctx context.Context, query string, args []any) (map[int64]bool, error) {
	ids := map[int64]bool{}
	err := db.Each(ctx, s.db.Read(), query, args, func(rows *sql.Rows) error {
		var id int64
		err := rows.Scan(&id)
		ids[id] = true
		return err
	})
	return ids, err
}

// idList writes IDs read from the database as an SQL list; they are
// numbers, so they are safe to inline.
func idList(ids map[int64]bool) string {
	parts := make([]string, 0, len(ids))
	for id := range ids {
		parts = append(parts, strconv.FormatInt(id, 10))
	}
	return strings.Join(parts, ",")
}
