package mapping_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
)

// exploreFixture stores, with plain SQL, a dataset of two Jamaican parishes
// and a two-cluster ISIC set, small enough to check every figure by hand:
//
//	             2020              2024
//	           A(JM-01) B(JM-02)  A     B
//	0111 (T)     400     100      800   100
//	1010 (L)     100     300      100   300
//	4711 (none)  500     600      500   600
//
// Textbook LQ of T in A in 2020: (400/1000)/(500/2000) = 1.6.
type exploreFixture struct {
	dataset, set, naicsSet, firm int64
}

func newExploreFixture(t *testing.T, d *db.DB) exploreFixture {
	t.Helper()
	ctx := context.Background()
	var f exploreFixture
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		now := db.Now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO employment_datasets (name, classification, cells, first_year, last_year, version, created_at, updated_at, imported_at)
			VALUES ('Parishes', 'isic4', 12, 2020, 2024, 1, $1, $1, $1) RETURNING id`, now).Scan(&f.dataset); err != nil {
			return err
		}
		for _, code := range []string{"JM-01", "JM-02"} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO dataset_areas (dataset_id, code, name, area_id, country_iso3)
				SELECT $1, code, name, id, country_iso3 FROM areas WHERE code = $2`, f.dataset, code); err != nil {
				return err
			}
		}
		emp := map[[3]string]int{}
		for _, y := range []string{"2020", "2024"} {
			a := 400
			if y == "2024" {
				a = 800
			}
			emp[[3]string{y, "JM-01", "0111"}], emp[[3]string{y, "JM-02", "0111"}] = a, 100
			emp[[3]string{y, "JM-01", "1010"}], emp[[3]string{y, "JM-02", "1010"}] = 100, 300
			emp[[3]string{y, "JM-01", "4711"}], emp[[3]string{y, "JM-02", "4711"}] = 500, 600
		}
		for k, v := range emp {
			if _, err := tx.ExecContext(ctx, `INSERT INTO employment_cells (dataset_id, year, area_code, industry, employment, establishments, suppressed)
				VALUES ($1, $2, $3, $4, $5, $6, FALSE)`, f.dataset, k[0], k[1], k[2], v, v/20); err != nil {
				return err
			}
		}
		for _, s := range []struct {
			name, class string
			id          *int64
			codes       [2]string
		}{{"Tiny ISIC", "isic4", &f.set, [2]string{"0111", "1010"}}, {"Tiny NAICS", "naics2012", &f.naicsSet, [2]string{"111110", "311211"}}} {
			if err := tx.QueryRowContext(ctx, `INSERT INTO definition_sets (name, classification, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id`,
				s.name, s.class, now).Scan(s.id); err != nil {
				return err
			}
			for i, c := range []struct{ code, name, typ string }{{"T", "Cocoa and crops", "traded"}, {"L", "Food for home", "local"}} {
				if _, err := tx.ExecContext(ctx, `INSERT INTO definition_clusters (set_id, code, name, type) VALUES ($1, $2, $3, $4)`, *s.id, c.code, c.name, c.typ); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO definition_industries (set_id, industry, cluster_code) VALUES ($1, $2, $3)`, *s.id, s.codes[i], c.code); err != nil {
					return err
				}
			}
		}
		return tx.QueryRowContext(ctx, `INSERT INTO organisations (kind, name, name_norm, country_iso3, area_id, isic_code, created_at, updated_at)
			SELECT 'firm', 'Kingston Cocoa Growers', 'kingston cocoa growers', 'JAM', id, '0111', $1, $1 FROM areas WHERE code = 'JM-01' RETURNING id`, now).Scan(&f.firm)
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f exploreFixture) query(extra string) string {
	return fmt.Sprintf("dataset=%d&set=%d%s", f.dataset, f.set, extra)
}

func TestExplorer(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newExploreFixture(t, d)
		e := apptest.New(t, d)
		c := e.Browser(e.CreateUser(user.CountryCoordinator, "country:TTO"))

		r := e.Get(c, "/mapping?"+f.query("&year=2020&from=2020&to=2024"))
		if r.StatusCode != 200 {
			t.Fatalf("explorer: %d\n%s", r.StatusCode, r.Body)
		}
		for _, want := range []string{"Cocoa and crops · Kingston", `data-value="1.6"`, "1.60", `data-chart="bubble"`, `data-axis="x"`,
			"Candidates in 2020 (4)", "/mapping/explore.csv?"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("explorer lacks %q", want)
			}
		}
		// Filters: traded clusters with at least 300 jobs leave Kingston's cocoa.
		r = e.Get(c, "/mapping?"+f.query("&year=2020&traded=true&min_employment=300"))
		if !strings.Contains(r.Body, "Candidates in 2020 (1)") || strings.Contains(r.Body, "Food for home ·") {
			t.Errorf("filtered explorer:\n%s", r.Body[strings.Index(r.Body, "<main"):])
		}
		// A set of another classification is refused with a clear message.
		r = e.Get(c, fmt.Sprintf("/mapping?dataset=%d&set=%d", f.dataset, f.naicsSet))
		if r.StatusCode != 422 || !strings.Contains(r.Body, "NAICS 2012 codes but the dataset") {
			t.Errorf("mismatched set: %d", r.StatusCode)
		}
		r = e.Get(c, "/mapping?"+f.query("&level=best"))
		if !strings.Contains(r.Body, "Unknown level") {
			t.Errorf("bad level is not reported")
		}

		// CSV: every row of the year, the core columns first.
		r = e.Get(c, "/mapping/explore.csv?"+f.query("&year=2020&sort=-lq"))
		recs, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
		if err != nil || len(recs) != 5 {
			t.Fatalf("CSV %v: %d records\n%s", err, len(recs), r.Body)
		}
		if !slices.Equal(recs[0][:7], []string{"year", "area", "cluster", "employment", "establishments", "lq", "share_of_reference"}) ||
			!slices.Equal(recs[1][:7], []string{"2020", "JM-01", "T", "400", "20", "1.6", "0.8"}) {
			t.Errorf("CSV rows %v / %v", recs[0][:7], recs[1][:7])
		}

		// XLSX: the same rows, figures as numbers and codes as text.
		r = e.Get(c, "/mapping/explore.xlsx?"+f.query("&year=2020&sort=-lq"))
		x, err := excelize.OpenReader(bytes.NewReader([]byte(r.Body)))
		if err != nil {
			t.Fatalf("XLSX: %v", err)
		}
		if v, _ := x.GetCellValue("Sheet1", "F2"); v != "1.6" {
			t.Errorf("XLSX LQ %q", v)
		}
		if typ, _ := x.GetCellType("Sheet1", "D2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
			t.Errorf("XLSX employment cell type %v", typ)
		}

		// Detail: industries, organisations, and a prefilled new-cluster link.
		r = e.Get(c, "/mapping/explore/detail?"+f.query("&year=2024&from=2020&to=2024&area=JM-01&cluster=T"))
		if r.StatusCode != 200 {
			t.Fatalf("detail: %d\n%s", r.StatusCode, r.Body)
		}
		for _, want := range []string{"Cocoa and crops in Kingston", "0111", "Growing of cereals", `data-chart="line"`, "2020", "800"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("detail lacks %q", want)
			}
		}
		// A country coordinator of Trinidad cannot read a Jamaican firm.
		if strings.Contains(r.Body, "Kingston Cocoa Growers") {
			t.Error("the detail page shows an organisation outside the viewer's scope")
		}
		admin := e.Browser(e.CreateUser(user.Admin, ""))
		r = e.Get(admin, "/mapping/explore/detail?"+f.query("&year=2024&area=JM-01&cluster=T"))
		if !strings.Contains(r.Body, fmt.Sprintf(`href="/organisations/%d"`, f.firm)) || !strings.Contains(r.Body, "/clusters/new?country=JAM&amp;isic=0111&amp;name=") {
			t.Errorf("admin detail lacks the firm or the start link")
		}
		if r := e.Get(c, "/mapping/explore/detail?"+f.query("&area=JM-09&cluster=T")); r.StatusCode != 404 {
			t.Errorf("unknown area: %d", r.StatusCode)
		}
	})
}

func TestMetricsAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newExploreFixture(t, d)
		e := apptest.New(t, d)
		tok := e.Token(e.CreateUser(user.Reviewer, ""))
		r := e.API("GET", "/api/v1/mapping/metrics?"+f.query("&year=2024&from=2020&to=2024&sort=-job_creation&per_page=1"), tok, nil)
		var got struct {
			Items []struct {
				Area, Cluster string
				Employment    int64
				LQ            struct{ Value *float64 } `json:"lq"`
				Growth        *struct {
					JobCreation *float64 `json:"job_creation"`
				}
			}
			Total, Page, PerPage int
			Thresholds           []map[string]any
		}
		r.JSON(t, &got)
		if r.StatusCode != 200 || got.Total != 4 || len(got.Items) != 1 || got.Items[0].Area != "JM-01" || got.Items[0].Cluster != "T" ||
			got.Items[0].Growth == nil || *got.Items[0].Growth.JobCreation != 400 {
			t.Fatalf("metrics: %d %+v\n%s", r.StatusCode, got, r.Body)
		}
		if r := e.API("GET", "/api/v1/mapping/metrics?"+f.query("&quadrant=north"), tok, nil); r.StatusCode != 422 || !strings.Contains(r.Body, "quadrant") {
			t.Errorf("bad quadrant: %d %s", r.StatusCode, r.Body)
		}
		if r := e.API("GET", "/api/v1/mapping/metrics?"+f.query("&reference=country:BRB"), tok, nil); r.StatusCode != 422 || !strings.Contains(r.Body, "country:JAM") {
			t.Errorf("unknown reference: %d %s", r.StatusCode, r.Body)
		}
		if r := e.API("GET", "/api/v1/mapping/metrics?dataset=999999", tok, nil); r.StatusCode != 404 {
			t.Errorf("unknown dataset: %d", r.StatusCode)
		}
		if r := e.API("GET", "/api/v1/mapping/metrics", "", nil); r.StatusCode != 401 {
			t.Errorf("anonymous: %d", r.StatusCode)
		}
	})
}
