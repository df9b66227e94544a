package region_test

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
)

// fixture is a small region written with SQL: two BSOs (JAM, TTO), firms in
// JAM, TTO and the Dominican Republic, a Jamaican initiative, a cross-border
// one (JAM and TTO, led from TTO), a Trinidadian one, and archived records
// that must not count.
type fixture struct {
	bsoJAM, bsoTTO              int64
	firmA, firmB, firmC, firmTT int64
	creative, sea, cocoa, old   int64
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{}
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		now := db.Now()
		area := func(country, name string) int64 {
			var id int64
			if err := tx.QueryRowContext(ctx, `SELECT id FROM areas WHERE country_iso3 = $1 AND name = $2`, country, name).Scan(&id); err != nil {
				t.Fatalf("area %s %s: %v", country, name, err)
			}
			return id
		}
		org := func(kind, name, country string, areaID int64, archived bool) int64 {
			var a, arch any
			if areaID != 0 {
				a = areaID
			}
			if archived {
				arch = now
			}
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO organisations (kind, name, name_norm, country_iso3, area_id, website, created_at, updated_at, archived_at)
				VALUES ($1, $2, lower($2), $3, $4, $5, $6, $6, $7) RETURNING id`, kind, name, country, a, "https://example.org/"+kind, now, arch).Scan(&id)
			if err != nil {
				t.Fatalf("organisation %s: %v", name, err)
			}
			return id
		}
		cluster := func(name, sector, stage string, lead int64, archived bool, countries ...string) int64 {
			var arch any
			if archived {
				arch = now
			}
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO clusters (name, name_norm, sector, stage, lead_bso_id, created_at, updated_at, archived_at)
				VALUES ($1, lower($1), $2, $3, $4, $5, $5, $6) RETURNING id`, name, sector, stage, lead, now, arch).Scan(&id)
			if err != nil {
				t.Fatalf("cluster %s: %v", name, err)
			}
			for _, c := range countries {
				if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_countries (cluster_id, country_iso3) VALUES ($1, $2)`, id, c); err != nil {
					t.Fatal(err)
				}
			}
			return id
		}
		member := func(cluster, org int64, left string) {
			var l any
			if left != "" {
				l = left
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO memberships (cluster_id, organisation_id, role, joined_on, left_on, created_at, updated_at)
				VALUES ($1, $2, 'member', '2023-01-15', $3, $4, $4)`, cluster, org, l, now)
			if err != nil {
				t.Fatal(err)
			}
		}
		kingston := area("JAM", "Kingston")
		f.bsoJAM = org("bso", "Jamaica Business Development", "JAM", kingston, false)
		f.bsoTTO = org("bso", "Trinidad Export Agency", "TTO", 0, false)
		org("bso", "Retired Chamber", "JAM", 0, true)
		f.firmA = org("firm", "Blue Mountain Roasters", "JAM", kingston, false)
		f.firmB = org("firm", "Kingston Sound Studio", "JAM", kingston, false)
		f.firmC = org("firm", "Ocho Rios Crafts", "JAM", 0, false)
		org("firm", "Closed Firm", "JAM", kingston, true)
		f.firmTT = org("firm", "Caroni Cocoa", "TTO", 0, false)
		org("firm", "Santiago Cigars", "DOM", area("DOM", "Santiago"), false)
		org("research", "University of the Caribbean", "JAM", 0, false)

		f.creative = cluster("Kingston Creative", "creative", "implementing", f.bsoJAM, false, "JAM")
		f.sea = cluster("Caribbean Sea Tourism", "tourism", "diagnosed", f.bsoTTO, false, "JAM", "TTO")
		f.cocoa = cluster("Tobago Cocoa", "agro_processing", "identified", f.bsoTTO, false, "TTO")
		f.old = cluster("Old Jamaican Initiative", "creative", "closed", f.bsoJAM, true, "JAM")
		member(f.creative, f.firmA, "")
		member(f.creative, f.firmB, "")
		member(f.creative, f.firmC, "2024-06-30")
		member(f.sea, f.firmTT, "")
		member(f.sea, f.firmA, "")
		member(f.old, f.firmA, "")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func join(s []string) string { return strings.Join(s, ",") }
