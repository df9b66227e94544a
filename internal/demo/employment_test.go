package demo

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"slices"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/mapping"
)

// datasetID returns the ID of the demonstration employment dataset.
func datasetID(t *testing.T, d *db.DB) int64 {
	t.Helper()
	var id int64
	if err := d.Read().QueryRowContext(context.Background(), `SELECT id FROM employment_datasets WHERE name = $1`, employmentName).Scan(&id); err != nil {
		t.Fatalf("the demonstration employment dataset: %v", err)
	}
	return id
}

func TestEmploymentDataset(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		res := generate(t, d, 1)
		id := datasetID(t, d)
		ctx := context.Background()
		var (
			classification, source string
			demo                   bool
			cells, suppressed      int
			first, last            int
		)
		err := d.Read().QueryRowContext(ctx, `SELECT classification, source, demo, cells, suppressed, first_year, last_year
			FROM employment_datasets WHERE id = $1`, id).Scan(&classification, &source, &demo, &cells, &suppressed, &first, &last)
		if err != nil {
			t.Fatal(err)
		}
		if classification != "isic4" || !demo || first != 2020 || last != 2025 || source != employmentSource {
			t.Errorf("dataset: classification %s, demo %v, years %d–%d, source %q", classification, demo, first, last, source)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM employment_cells WHERE dataset_id = $1`, id); n != cells || n != res.Counts["employment_cells"] {
			t.Errorf("%d cells stored, the dataset says %d, the result %d", n, cells, res.Counts["employment_cells"])
		}
		if cells < 20_000 || cells > 200_000 {
			t.Errorf("%d cells, want a demo-sized dataset of 20,000–200,000", cells)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM employment_cells WHERE dataset_id = $1 AND suppressed`, id); n != suppressed {
			t.Errorf("%d suppressed cells stored, the dataset says %d", n, suppressed)
		}
		if share := float64(suppressed) / float64(cells); share < 0.03 || share > 0.06 {
			t.Errorf("%.1f %% of cells suppressed, want 3–6 %%", 100*share)
		}
		checks := []struct{ what, query string }{
			{"suppressed cells with a value", `SELECT COUNT(*) FROM employment_cells WHERE dataset_id = $1 AND suppressed
				AND (employment IS NOT NULL OR establishments IS NOT NULL OR wages_cents IS NOT NULL)`},
			{"published cells without employment, establishments or wages, or with fewer than 3 establishments or more establishments than employees",
				`SELECT COUNT(*) FROM employment_cells WHERE dataset_id = $1 AND NOT suppressed AND (employment IS NULL OR establishments IS NULL
				OR wages_cents IS NULL OR establishments < 3 OR establishments > employment OR wages_cents <= 0)`},
			{"cells of an area the dataset does not list", `SELECT COUNT(*) FROM employment_cells c WHERE c.dataset_id = $1
				AND NOT EXISTS (SELECT 1 FROM dataset_areas a WHERE a.dataset_id = c.dataset_id AND a.code = c.area_code)`},
			{"cells whose industry is not an ISIC class", `SELECT COUNT(*) FROM employment_cells c WHERE c.dataset_id = $1
				AND NOT EXISTS (SELECT 1 FROM isic_codes i WHERE i.code = c.industry AND i.level = 'class')`},
			{"cells outside 2020–2025", `SELECT COUNT(*) FROM employment_cells WHERE dataset_id = $1 AND year NOT BETWEEN 2020 AND 2025`},
			{"areas not linked to the platform's area of that code and country", `SELECT COUNT(*) FROM dataset_areas d
				LEFT JOIN areas a ON a.id = d.area_id WHERE d.dataset_id = $1
				AND (a.id IS NULL OR a.country_iso3 <> d.country_iso3 OR (a.code <> '' AND a.code <> d.code) OR a.name <> d.name)`},
			{"programme countries without areas in the dataset", `SELECT COUNT(*) FROM countries c WHERE c.in_region
				AND NOT EXISTS (SELECT 1 FROM dataset_areas d WHERE d.dataset_id = $1 AND d.country_iso3 = c.iso3)`},
			{"cluster industries missing from a country of the cluster", `SELECT COUNT(*) FROM cluster_industries ci
				JOIN cluster_countries cc ON cc.cluster_id = ci.cluster_id WHERE NOT EXISTS (SELECT 1 FROM employment_cells e
				JOIN dataset_areas a ON a.dataset_id = e.dataset_id AND a.code = e.area_code
				WHERE e.dataset_id = $1 AND e.industry = ci.isic_code AND a.country_iso3 = cc.country_iso3)`},
		}
		for _, c := range checks {
			if n := count(t, d, c.query, id); n != 0 {
				t.Errorf("%s: %d", c.what, n)
			}
		}
		rows, err := d.Read().QueryContext(ctx, `SELECT a.country_iso3, COUNT(DISTINCT e.industry) FROM employment_cells e
			JOIN dataset_areas a ON a.dataset_id = e.dataset_id AND a.code = e.area_code WHERE e.dataset_id = $1
			GROUP BY a.country_iso3 ORDER BY a.country_iso3`, id)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var iso string
			var n int
			if err := rows.Scan(&iso, &n); err != nil {
				t.Fatal(err)
			}
			// Small islands have fewer industries with establishments.
			lo := 60
			if iso == "DOM" || iso == "JAM" || iso == "TTO" || iso == "HTI" {
				lo = 200
			}
			if n < lo || n > classesMax {
				t.Errorf("%s has %d ISIC classes with employment, want %d–%d", iso, n, lo, classesMax)
			}
		}
		// The explorer has figures from the first start: the demo derives the
		// ISIC Rev.4 version of the built-in definitions, and the dataset
		// shows strong clusters under it.
		s := mapping.NewStore(d)
		set, err := s.FindDefinitionSetByName(ctx, DerivedSetName)
		if err != nil {
			t.Fatalf("the derived definition set: %v", err)
		}
		if set.Classification != "isic4" {
			t.Errorf("derived set in %s, want isic4", set.Classification)
		}
		run, err := s.Run(ctx, mapping.RunInput{DatasetID: id, SetID: set.ID, From: first, To: last})
		if err != nil {
			t.Fatal(err)
		}
		strong, _ := mapping.Candidates(run.Result, mapping.Query{Year: last, MinLevel: "strong"})
		if len(strong) == 0 {
			t.Error("no strong cluster in the demonstration data under the derived set")
		}
	})
}

// employmentDigest hashes the dataset's areas and cells in a stable order.
func employmentDigest(t *testing.T, d *db.DB) string {
	t.Helper()
	h := sha256.New()
	for _, q := range []string{
		`SELECT a.code, a.name, a.area_id, a.country_iso3 FROM dataset_areas a JOIN employment_datasets s ON s.id = a.dataset_id
			WHERE s.name = $1 ORDER BY a.code`,
		`SELECT c.area_code, c.industry, c.year, COALESCE(c.employment, -1), COALESCE(c.establishments, -1), COALESCE(c.wages_cents, -1),
			CASE WHEN c.suppressed THEN 1 ELSE 0 END FROM employment_cells c JOIN employment_datasets s ON s.id = c.dataset_id
			WHERE s.name = $1 ORDER BY c.area_code, c.industry, c.year`,
	} {
		rows, err := d.Read().QueryContext(context.Background(), q, employmentName)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				fmt.Fprintf(h, "%v|", v)
			}
			fmt.Fprintln(h)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestEmploymentIsDeterministic(t *testing.T) {
	a, b := dbtest.SQLite(t), dbtest.SQLite(t)
	generate(t, a, 1)
	generate(t, b, 1)
	da := employmentDigest(t, a)
	if db2 := employmentDigest(t, b); da != db2 {
		t.Errorf("two runs at scale 1 differ: %s vs %s", da, db2)
	}
	if dbtest.PostgresBase() != "" {
		p := dbtest.Postgres(t)
		generate(t, p, 1)
		if dp := employmentDigest(t, p); dp != da {
			t.Errorf("PostgreSQL and SQLite hold different employment data: %s vs %s", dp, da)
		}
	}
}

// loadDataset reads the dataset's cells straight from the table into a
// mapping dataset.
func loadDataset(t *testing.T, d *db.DB, id int64) *mapping.Dataset {
	t.Helper()
	rows, err := d.Read().QueryContext(context.Background(), `SELECT year, area_code, industry, employment, establishments, wages_cents, suppressed
		FROM employment_cells WHERE dataset_id = $1`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	b := mapping.NewBuilder(0)
	for rows.Next() {
		var c mapping.Cell
		var emp, est, wages sql.NullInt64
		if err := rows.Scan(&c.Year, &c.Area, &c.Industry, &emp, &est, &wages, &c.Suppressed); err != nil {
			t.Fatal(err)
		}
		c.Employment = emp.Int64
		c.Establishments, c.HasEstablishments = est.Int64, est.Valid
		c.Wages, c.HasWages = float64(wages.Int64)/100, wages.Valid
		if err := b.Add(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	ds, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// demoCluster is one initiative with the area of its lead BSO.
type demoCluster struct {
	id         int64
	stage      string
	area       string
	industries []string
}

// demoClusters lists the national initiatives of a country in a sector
// ("" for every country or sector).
func demoClusters(t *testing.T, d *db.DB, iso, sector string) []demoCluster {
	t.Helper()
	ctx := context.Background()
	rows, err := d.Read().QueryContext(ctx, `SELECT k.id, k.stage, a.code FROM clusters k
		JOIN organisations b ON b.id = k.lead_bso_id JOIN areas a ON a.id = b.area_id
		WHERE ($1 = '' OR k.sector = $1) AND (SELECT COUNT(*) FROM cluster_countries cc WHERE cc.cluster_id = k.id) = 1
		AND EXISTS (SELECT 1 FROM cluster_countries cc WHERE cc.cluster_id = k.id AND ($2 = '' OR cc.country_iso3 = $2)) ORDER BY k.id`, sector, iso)
	if err != nil {
		t.Fatal(err)
	}
	var out []demoCluster
	for rows.Next() {
		var k demoCluster
		if err := rows.Scan(&k.id, &k.stage, &k.area); err != nil {
			t.Fatal(err)
		}
		out = append(out, k)
	}
	rows.Close()
	for i := range out {
		rows, err := d.Read().QueryContext(ctx, `SELECT isic_code FROM cluster_industries WHERE cluster_id = $1 ORDER BY isic_code`, out[i].id)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var code string
			rows.Scan(&code)
			out[i].industries = append(out[i].industries, code)
		}
		rows.Close()
	}
	return out
}

// lqOf computes the figures of one initiative's industries as a cluster and
// returns its area's row of the final year, the rank of its LQ among the
// areas (0 is the highest) and the number of areas ranked.
func lqOf(t *testing.T, ds *mapping.Dataset, k demoCluster) (c mapping.Candidate, rank, areas int) {
	t.Helper()
	set := &mapping.DefinitionSet{Name: "demo", Classification: "isic4",
		Clusters: []mapping.Cluster{{Code: "K", Name: "Initiative", Type: mapping.Traded, Industries: k.industries}}}
	opt := mapping.DefaultOptions()
	opt.From, opt.To = 2020, 2025
	res, err := mapping.Compute(ds, set, opt)
	if err != nil {
		t.Fatal(err)
	}
	top, _ := mapping.Candidates(res, mapping.Query{Year: 2025, Sort: "-lq"})
	rank = slices.IndexFunc(top, func(c mapping.Candidate) bool { return c.Area == k.area })
	if rank < 0 {
		t.Fatalf("cluster %d (%v): its area %s has no figures", k.id, k.industries, k.area)
	}
	return top[rank], rank, len(top)
}

// TestEmploymentShowsTheClusters computes the mapping figures of the
// initiatives' industries and checks that the lead BSO's area stands out:
// for each Jamaican creative-industries initiative an LQ above 1.5 among the
// highest tenth of the region's areas, and across the region an LQ above 1
// almost everywhere, rising where the initiative is in a growing stage.
func TestEmploymentShowsTheClusters(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		generate(t, d, 1)
		ds := loadDataset(t, d, datasetID(t, d))
		ks := demoClusters(t, d, "JAM", "creative")
		if len(ks) == 0 {
			t.Fatal("the demo has no national creative-industries initiative in Jamaica")
		}
		for _, k := range ks {
			c, rank, n := lqOf(t, ds, k)
			lq, _ := c.LQ.Value.Get()
			t.Logf("cluster %d %s %v in %s: LQ %.2f, rank %d of %d", k.id, k.stage, k.industries, k.area, lq, rank+1, n)
			if lq <= 1.5 || rank >= n/10 {
				t.Errorf("cluster %d (%v) in %s: LQ %.2f, rank %d of %d; want LQ > 1.5 in the top tenth", k.id, k.industries, k.area, lq, rank+1, n)
			}
		}
		var all, above, growing, rising int
		for _, k := range demoClusters(t, d, "", "") {
			c, _, _ := lqOf(t, ds, k)
			all++
			if lq, _ := c.LQ.Value.Get(); lq > 1 {
				above++
			}
			if growingStages[k.stage] {
				growing++
				if ch, ok := c.Growth.LQChange.Get(); ok && ch > 0 {
					rising++
				}
			}
		}
		t.Logf("%d of %d initiatives have LQ > 1 in their lead's area; %d of %d growing ones a rising LQ", above, all, rising, growing)
		if above < all*9/10 || growing == 0 || rising < growing*3/4 {
			t.Errorf("%d of %d initiatives have LQ > 1 in their lead's area (want 90 %%); %d of %d in growing stages a rising LQ (want 75 %%)",
				above, all, rising, growing)
		}
	})
}
