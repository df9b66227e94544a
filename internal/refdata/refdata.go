// Package refdata holds the reference data the platform ships with —
// countries and their ISO 3166-2 areas, the ISIC Rev.4 structure and the
// region's map outlines — and loads it into the database.
//
// Sources are described in data/README.md; the files are copied unchanged
// from the project's reference data set so they can be compared byte for byte.
package refdata

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"encoding/csv"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/db"
)

//go:embed data/*.csv data/*.geojson
var files embed.FS

// GeoJSON returns the region's country outlines (Natural Earth 1:50m).
func GeoJSON() []byte {
	b, _ := files.ReadFile("data/caribbean.geojson")
	return b
}

// CSV returns the rows of an embedded reference file, header first.
func CSV(name string) ([][]string, error) {
	b, err := files.ReadFile("data/" + name)
	if err != nil {
		return nil, err
	}
	return csv.NewReader(bytes.NewReader(b)).ReadAll()
}

// Load inserts or refreshes the reference tables. It is idempotent and runs
// at every start after the migrations: places and ISIC in one transaction,
// then the cluster-mapping classifications and built-in set (naics.go) in
// another.
func Load(ctx context.Context, d *db.DB) error {
	countries, err := CSV("cariforum_countries.csv")
	if err != nil {
		return err
	}
	areas, err := CSV("cariforum_subdivisions.csv")
	if err != nil {
		return err
	}
	isic, err := CSV("isic_rev4.csv")
	if err != nil {
		return err
	}
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM isic_codes`).Scan(&n); err != nil {
			return err
		}
		if n == len(isic)-1 {
			// Already loaded by an earlier start; the data only changes with a release.
			var c int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM areas`).Scan(&c); err == nil && c == len(areas)-1 {
				return nil
			}
		}
		for _, r := range countries[1:] {
			_, err := tx.ExecContext(ctx, `INSERT INTO countries (iso3, iso2, numeric_code, name, languages, currency, caricom, cariforum, in_region, notes)
				VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
				ON CONFLICT (iso3) DO UPDATE SET iso2=excluded.iso2, numeric_code=excluded.numeric_code, name=excluded.name,
				languages=excluded.languages, currency=excluded.currency, caricom=excluded.caricom, cariforum=excluded.cariforum,
				in_region=excluded.in_region, notes=excluded.notes`,
				r[0], r[1], r[2], r[3], r[4], r[5], r[6] == "y", r[7] == "y", r[8] == "y", r[9])
			if err != nil {
				return fmt.Errorf("country %s: %w", r[0], err)
			}
		}
		for _, r := range areas[1:] {
			_, err := tx.ExecContext(ctx, `INSERT INTO areas (country_iso3, code, name, type, parent_code) VALUES ($1,$2,$3,$4,$5)
				ON CONFLICT (country_iso3, name) DO UPDATE SET code=excluded.code, type=excluded.type, parent_code=excluded.parent_code`,
				r[0], r[1], r[2], r[3], r[4])
			if err != nil {
				return fmt.Errorf("area %s %s: %w", r[0], r[2], err)
			}
		}
		for _, r := range isic[1:] {
			_, err := tx.ExecContext(ctx, `INSERT INTO isic_codes (code, level, parent_code, title) VALUES ($1,$2,$3,$4)
				ON CONFLICT (code) DO UPDATE SET level=excluded.level, parent_code=excluded.parent_code, title=excluded.title`,
				r[0], r[1], r[2], r[3])
			if err != nil {
				return fmt.Errorf("isic %s: %w", r[0], err)
			}
		}
		return nil
	})
	forgetNames(d)
	if err != nil {
		return err
	}
	return loadMapping(ctx, d)
}
