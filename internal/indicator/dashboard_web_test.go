package indicator_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/user"
)

// resultsFixture adds to the fixture a second Jamaican cluster initiative,
// a Jamaican firm that is a member of both Jamaican initiatives, a
// Trinidadian firm in no initiative, and jobs values and targets:
//
//	2024 approved: firm 10, cluster A 5, cluster A2 7, cluster B 20, TTO firm 4, country JAM 1
//	2023 received: cluster B 3 (counts only when all values count)
//	targets: A 2024 20, A2 2024 10, B 2024 30, B 2023 25
type resultsFixture struct {
	*fixture
	clusterA2, firmA, firmB int64
}

func newResultsFixture(t *testing.T, d *db.DB) *resultsFixture {
	t.Helper()
	f := &resultsFixture{fixture: newFixture(t, d)}
	ctx := context.Background()
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		now := db.Now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO clusters (name, name_norm, sector, stage, lead_bso_id, created_at, updated_at)
			VALUES ('Montego Bay Tourism', 'montego bay tourism', 'tourism', 'implementing', $1, $2, $2) RETURNING id`, f.bsoA, now).Scan(&f.clusterA2); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_countries (cluster_id, country_iso3) VALUES ($1, 'JAM')`, f.clusterA2); err != nil {
			return err
		}
		for _, o := range []struct {
			id            *int64
			name, country string
		}{{&f.firmA, "Blue Mountain Coffee Roasters", "JAM"}, {&f.firmB, "Port of Spain Studios", "TTO"}} {
			if err := tx.QueryRowContext(ctx, `INSERT INTO organisations (kind, name, name_norm, country_iso3, created_at, updated_at)
				VALUES ('firm', $1, $2, $3, $4, $4) RETURNING id`, o.name, strings.ToLower(o.name), o.country, now).Scan(o.id); err != nil {
				return err
			}
		}
		for _, c := range []int64{f.clusterA, f.clusterA2} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (cluster_id, organisation_id, role, joined_on, created_at, updated_at)
				VALUES ($1, $2, 'member', '2022-01-01', $3, $3)`, c, f.firmA, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	onTime := time.Date(2025, 2, 1, 10, 0, 0, 0, time.UTC)
	late := time.Date(2025, 9, 1, 10, 0, 0, 0, time.UTC)
	jam := "country:JAM"
	for _, v := range []struct {
		subject, period, category string
		value                     float64
		state                     string
		at                        time.Time
	}{
		{org(f.firmA), "2024", "", 10, "approved", onTime},
		{org(f.firmA), "2024", "sex:women", 4, "approved", onTime},
		{cl(f.clusterA), "2024", "", 5, "approved", onTime},
		{cl(f.clusterA2), "2024", "", 7, "approved", onTime},
		{cl(f.clusterB), "2024", "", 20, "approved", late},
		{cl(f.clusterB), "2024", "sex:women", 8, "approved", late},
		{org(f.firmB), "2024", "", 4, "approved", onTime},
		{jam, "2024", "", 1, "approved", onTime},
		{cl(f.clusterB), "2023", "", 3, "received", onTime.AddDate(-1, 0, 0)},
	} {
		putValue(t, d, "JOBS_CREATED", v.subject, v.period, v.category, v.value, v.state, v.at)
	}
	for _, tg := range []struct {
		subject, period string
		value           float64
	}{{cl(f.clusterA), "2024", 20}, {cl(f.clusterA2), "2024", 10}, {cl(f.clusterB), "2024", 30}, {cl(f.clusterB), "2023", 25}} {
		setTarget(t, f.s, "JOBS_CREATED", tg.subject, tg.period, tg.value)
	}
	return f
}

func org(id int64) string { return fmt.Sprintf("organisation:%d", id) }
func cl(id int64) string  { return fmt.Sprintf("cluster:%d", id) }

// putValue writes one value version directly, with its state and the
// moment it was received.
func putValue(t *testing.T, d *db.DB, code, subject, period, category string, value float64, state string, at time.Time) {
	t.Helper()
	sub, err := indicator.ParseSubject(subject)
	if err != nil {
		t.Fatal(err)
	}
	p, err := indicator.ParsePeriod(period)
	if err != nil {
		t.Fatal(err)
	}
	dim, cat, _ := strings.Cut(category, ":")
	ctx := context.Background()
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO indicator_values (indicator_id, subject_kind, subject_id, subject_iso3, period_type,
			period_key, period_start, dimension_code, category_code, version, value, source, state, actor, created_at)
			SELECT id, $2, $3, $4, $5, $6, $7, $8, $9,
				1 + (SELECT COUNT(*) FROM indicator_values x WHERE x.indicator_id = i.id AND x.subject_kind = $2 AND x.subject_id = $3
					AND x.subject_iso3 = $4 AND x.period_key = $6 AND x.dimension_code = $8 AND x.category_code = $9),
				$10, 'survey', $11, 'Test', $12 FROM indicators i WHERE i.code = $1`,
			code, string(sub.Kind), sub.ID, sub.ISO3, string(p.Type), p.Key(), p.Start(), dim, cat, value, state, at)
		return err
	})
	if err != nil {
		t.Fatalf("put value: %v", err)
	}
}

func setTarget(t *testing.T, s *indicator.Store, code, subject, period string, value float64) {
	t.Helper()
	ctx := context.Background()
	ind, err := s.FindIndicatorByCode(ctx, user.System, code)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SetTarget(ctx, user.System, indicator.TargetInput{IndicatorID: ind.ID, Subject: subject,
		Kind: indicator.KindTarget, Period: period, Value: ptrF(value)}); err != nil {
		t.Fatal(err)
	}
}

var now2026 = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func jobsSeries(t *testing.T, s *indicator.Store, actor user.Actor, sc indicator.ResultsScope, all bool) *indicator.ResultSeries {
	t.Helper()
	d, err := s.Dashboard(context.Background(), actor, indicator.DashboardQuery{Scope: sc, Codes: []string{"JOBS_CREATED"}, All: all,
		From: 2023, To: 2024, Now: now2026})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Series) != 1 || d.From != 2023 || d.To != 2024 {
		t.Fatalf("series %d, years %d–%d", len(d.Series), d.From, d.To)
	}
	return d.Series[0]
}

func num(p *float64) string {
	if p == nil {
		return "no data"
	}
	return fmt.Sprintf("%g", *p)
}

func TestDashboardCountsAFirmInTwoClustersOnce(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newResultsFixture(t, d)
		admin := user.Actor{Name: "Admin", Role: user.Admin}
		for _, c := range []struct {
			scope                 indicator.ResultsScope
			actual2024, target    string
			expected, reporting   int
			actual2023All, lopAll string
		}{
			// 10 (the firm, once) + 5 + 7 (the two clusters) + 1 (the country) = 23.
			{indicator.ResultsScope{Kind: indicator.ScopeCountry, ISO3: "JAM"}, "23", "30", 2, 2, "no data", "23"},
			{indicator.ResultsScope{Kind: indicator.ScopeCountry, ISO3: "TTO"}, "24", "30", 1, 1, "3", "27"},
			// The region is the sum over its countries: 23 + 24.
			{indicator.ResultsScope{Kind: indicator.ScopeRegion}, "47", "60", 3, 3, "3", "50"},
			// Each cluster counts its member firm: 5 + 10 and 7 + 10.
			{indicator.ResultsScope{Kind: indicator.ScopeCluster, ClusterID: f.clusterA}, "15", "20", 1, 1, "no data", "15"},
			{indicator.ResultsScope{Kind: indicator.ScopeCluster, ClusterID: f.clusterA2}, "17", "10", 1, 1, "no data", "17"},
		} {
			s := jobsSeries(t, f.s, admin, c.scope, false)
			r23, r24 := s.Rows[0], s.Rows[1]
			if num(r24.Actual) != c.actual2024 || num(r24.Target) != c.target || r24.Expected != c.expected || r24.Reporting != c.reporting {
				t.Errorf("%s 2024: actual %s target %s reporting %d/%d, want %s %s %d/%d", c.scope, num(r24.Actual), num(r24.Target),
					r24.Reporting, r24.Expected, c.actual2024, c.target, c.reporting, c.expected)
			}
			if r23.Actual != nil {
				t.Errorf("%s 2023 approved only: %s, want no data (the value is only received)", c.scope, num(r23.Actual))
			}
			all := jobsSeries(t, f.s, admin, c.scope, true)
			if num(all.Rows[0].Actual) != c.actual2023All || num(all.LoP.Actual) != c.lopAll {
				t.Errorf("%s all values: 2023 %s, life of programme %s; want %s, %s", c.scope, num(all.Rows[0].Actual), num(all.LoP.Actual),
					c.actual2023All, c.lopAll)
			}
		}
		// Completeness of the region: 2023 expects cluster B and has no approved value.
		s := jobsSeries(t, f.s, admin, indicator.ResultsScope{Kind: indicator.ScopeRegion}, false)
		if r := s.Rows[0]; r.Expected != 1 || r.Reporting != 0 || !r.Due {
			t.Errorf("region 2023: %d/%d due %v, want 0/1 due", r.Reporting, r.Expected, r.Due)
		}
		if s.PeriodsExpected != 2 || s.PeriodsWithValues != 1 {
			t.Errorf("region periods %d/%d, want 1/2", s.PeriodsWithValues, s.PeriodsExpected)
		}
		if s.LoP.Rule != indicator.AggSum || num(s.LoP.Target) != "85" || num(s.LoP.Actual) != "47" {
			t.Errorf("life of programme %s: target %s actual %s, want sum 85 and 47", s.LoP.Rule, num(s.LoP.Target), num(s.LoP.Actual))
		}
		if s.Rows[1].Late != 1 {
			t.Errorf("late values in 2024: %d, want 1 (cluster B reported in September)", s.Rows[1].Late)
		}
		// Women: 4 of the firm's 10 and 8 of cluster B's 20 → 12 / 30.
		if sh := s.Rows[1].Shares[0]; sh.Category.Code != "women" || num(sh.Share) != "0.4" || sh.Subjects != 2 {
			t.Errorf("share of women %s over %d subjects, want 0.4 over 2", num(sh.Share), sh.Subjects)
		}
		if all := jobsSeries(t, f.s, admin, indicator.ResultsScope{Kind: indicator.ScopeRegion}, true); all.PeriodsWithValues != 2 {
			t.Errorf("all values: %d years with values, want 2", all.PeriodsWithValues)
		}
		// A country coordinator's region holds only what they may read: Jamaica.
		coord := user.Actor{Name: "Coordinator", Role: user.CountryCoordinator, Scope: user.Scope{Kind: user.ScopeCountry, ID: "JAM"}}
		d2, err := f.s.Dashboard(context.Background(), coord, indicator.DashboardQuery{Scope: indicator.ResultsScope{Kind: indicator.ScopeRegion},
			Codes: []string{"JOBS_CREATED"}, From: 2024, To: 2024, Now: now2026})
		if err != nil {
			t.Fatal(err)
		}
		if !d2.Partial || num(d2.Series[0].Rows[0].Actual) != "23" {
			t.Errorf("coordinator: partial %v, 2024 %s; want partial and 23", d2.Partial, num(d2.Series[0].Rows[0].Actual))
		}
		// A cluster initiative of another BSO is not found for BSO staff.
		if _, err := f.s.Dashboard(context.Background(), bso(f.bsoA), indicator.DashboardQuery{
			Scope: indicator.ResultsScope{Kind: indicator.ScopeCluster, ClusterID: f.clusterB}}); err == nil {
			t.Error("BSO staff read another BSO's cluster dashboard")
		}
	})
}

func bso(id int64) user.Actor {
	return user.Actor{Name: "BSO staff", Role: user.BSOStaff, Scope: user.Scope{Kind: user.ScopeBSO, ID: fmt.Sprint(id)}}
}

var rawResultsKey = regexp.MustCompile(`indicatorresults\.[a-z_]+`)

func TestDashboardPagesDownloadsAndAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newResultsFixture(t, d)
		e := f.e
		officer := e.CreateUser(user.ProgrammeOfficer, "")
		b := e.Browser(officer)
		for _, lang := range []string{"en", "es", "fr", "nl"} {
			c := e.Browser(officer)
			u, _ := url.Parse(e.Server.URL)
			c.Jar.SetCookies(u, []*http.Cookie{{Name: "lang", Value: lang, Path: "/"}})
			for _, path := range []string{"/results", "/results/countries/JAM", fmt.Sprintf("/results/clusters/%d", f.clusterA)} {
				r := e.Get(c, path+"?indicator=JOBS_CREATED")
				wantStatus(t, path, r, 200)
				checkPage(t, lang+" "+path, r.Body)
				if m := rawResultsKey.FindString(r.Body); m != "" {
					t.Errorf("%s %s: untranslated key %q", lang, path, m)
				}
			}
		}
		r := e.Get(b, "/results/countries/JAM?indicator=JOBS_CREATED")
		// The chart reads the table: actual values in data-value, the target column named.
		wantBody(t, "country", r, true, `data-chart="line" data-table="res-jobs_created" data-target-col="2"`,
			`<td class="num" data-value="23">`, `<td class="num" data-value="30">`, "no data", `data-table="share-jobs_created-sex"`,
			"/results/clusters/"+fmt.Sprint(f.clusterA), "Montego Bay Tourism")
		r = e.Get(b, "/results?indicator=JOBS_CREATED&values=all")
		wantBody(t, "region, all values", r, true, `<td class="num" data-value="3">`)
		r = e.Get(b, "/results?from=abc")
		wantStatus(t, "bad year", r, 422)
		wantBody(t, "bad year", r, true, "is not a year")
		wantStatus(t, "unknown country", e.Get(b, "/results/countries/XXX"), 404)
		wantStatus(t, "unknown cluster", e.Get(b, "/results/clusters/99999"), 404)
		wantStatus(t, "anonymous", e.Get(e.Anonymous(), "/results"), 303)

		// Downloads parse as CSV and as spreadsheets.
		q := "?scope=country:JAM&indicator=JOBS_CREATED&from=2023&to=2024"
		r = e.Get(b, "/results/values.csv"+q)
		wantStatus(t, "values csv", r, 200)
		recs, err := csv.NewReader(strings.NewReader(r.Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		// JAM 2024: firm total and women, clusters A and A2, the country.
		if len(recs) != 6 || strings.Join(recs[0], ",") != strings.Join(indicator.ValuesHeader, ",") {
			t.Errorf("values csv: %d rows, header %v", len(recs), recs[0])
		}
		if !strings.Contains(r.Body, fmt.Sprintf("organisation:%d,Blue Mountain Coffee Roasters,organisation,JAM,JOBS_CREATED,2024,total,10,approved,survey", f.firmA)) {
			t.Errorf("values csv lacks the firm's row:\n%s", r.Body)
		}
		r = e.Get(b, "/results/table.csv"+q)
		recs, err = csv.NewReader(strings.NewReader(r.Body)).ReadAll()
		if err != nil || len(recs) != 4 || recs[2][4] != "2024" || recs[2][6] != "23" || recs[1][6] != "" || recs[3][3] != "life_of_programme:sum" {
			t.Errorf("table csv (%v):\n%s", err, r.Body)
		}
		for _, what := range []string{"values", "table"} {
			r = e.Get(b, "/results/"+what+".xlsx"+q)
			wantStatus(t, what+" xlsx", r, 200)
			x, err := excelize.OpenReader(bytes.NewReader([]byte(r.Body)))
			if err != nil {
				t.Fatalf("%s xlsx: %v", what, err)
			}
			rows, err := x.GetRows(x.GetSheetName(0))
			if err != nil || len(rows) < 2 {
				t.Errorf("%s xlsx: %d rows (%v)", what, len(rows), err)
			}
			x.Close()
		}
		wantStatus(t, "bad scope", e.Get(b, "/results/values.csv?scope=planet:X"), 422)

		// The API.
		tok := e.Token(officer)
		r = e.API("GET", "/api/v1/results?scope=country:JAM&indicator=JOBS_CREATED&from=2023&to=2024", tok, nil)
		wantStatus(t, "api", r, 200)
		var res struct {
			Scope      indicator.ResultsScope `json:"scope"`
			Values     string                 `json:"values"`
			Indicators []struct {
				Code   string `json:"code"`
				Series []struct {
					Period    string   `json:"period"`
					Target    *float64 `json:"target"`
					Actual    *float64 `json:"actual"`
					Expected  int      `json:"subjects_expected"`
					Reporting int      `json:"subjects_reporting"`
				} `json:"series"`
				LoP struct {
					Rule   string   `json:"rule"`
					Target *float64 `json:"target"`
				} `json:"life_of_programme"`
				PeriodsExpected int `json:"periods_expected"`
			} `json:"indicators"`
		}
		r.JSON(t, &res)
		if res.Scope.ISO3 != "JAM" || res.Values != "approved" || len(res.Indicators) != 1 || len(res.Indicators[0].Series) != 2 {
			t.Fatalf("api: %s", r.Body)
		}
		s24 := res.Indicators[0].Series[1]
		if s24.Period != "2024" || num(s24.Actual) != "23" || num(s24.Target) != "30" || s24.Reporting != 2 || s24.Expected != 2 ||
			res.Indicators[0].Series[0].Actual != nil || res.Indicators[0].LoP.Rule != "sum" {
			t.Errorf("api series: %s", r.Body)
		}
		r = e.API("GET", "/api/v1/results?scope=nowhere&indicator=NOPE", tok, nil)
		wantStatus(t, "api bad scope", r, 422)
		wantBody(t, "api bad scope", r, true, `"scope"`)
		r = e.API("GET", "/api/v1/results?indicator=NOPE", tok, nil)
		wantStatus(t, "api unknown indicator", r, 422)
		wantStatus(t, "api anonymous", e.API("GET", "/api/v1/results", "", nil), 401)
	})
}
