package indicator_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

var rawOverlapKey = regexp.MustCompile(`indicator(overlap|quality)\.[a-z_]+`)

// overlapFixture adds to the results fixture: firm B joins cluster B in
// 2024 (cluster B's 20 jobs beside the firm's 4: a likely double count); a
// third firm left cluster A in 2023 and reports 2024 jobs (not counted
// for cluster A); and an average indicator both cluster A and firm A
// report (never an overlap). Cluster A's 5 jobs beside firm A's 10 and
// cluster A2's 7 beside the same 10 are possible overlaps.
func overlapFixture(t *testing.T, d *db.DB) (*resultsFixture, int64) {
	t.Helper()
	f := newResultsFixture(t, d)
	ctx := context.Background()
	var firmC int64
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		now := db.Now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (cluster_id, organisation_id, role, joined_on, created_at, updated_at)
			VALUES ($1, $2, 'member', '2024-01-01', $3, $3)`, f.clusterB, f.firmB, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE indicators SET subject_aggregation = 'average', time_aggregation = 'average'
			WHERE code = 'CERTIFICATIONS'`); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO organisations (kind, name, name_norm, country_iso3, created_at, updated_at)
			VALUES ('firm', 'Ocho Rios Crafts', 'ocho rios crafts', 'JAM', $1, $1) RETURNING id`, now).Scan(&firmC); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO memberships (cluster_id, organisation_id, role, joined_on, left_on, created_at, updated_at)
			VALUES ($1, $2, 'member', '2022-01-01', '2023-06-30', $3, $3)`, f.clusterA, firmC, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 2, 1, 10, 0, 0, 0, time.UTC)
	putValue(t, d, "JOBS_CREATED", org(firmC), "2024", "", 50, "approved", at)
	putValue(t, d, "CERTIFICATIONS", cl(f.clusterA), "2024", "", 2, "approved", at)
	putValue(t, d, "CERTIFICATIONS", org(f.firmA), "2024", "", 2, "approved", at)
	return f, firmC
}

func TestOverlapsStore(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f, _ := overlapFixture(t, d)
		ctx := context.Background()
		list, err := f.s.FindOverlaps(ctx, admin(), indicator.OverlapFilter{})
		if err != nil {
			t.Fatal(err)
		}
		got := overlapLines(list)
		want := []string{
			fmt.Sprintf("JOBS_CREATED cluster:%d 2024 total 5 1 10 possible", f.clusterA),
			fmt.Sprintf("JOBS_CREATED cluster:%d 2024 total 7 1 10 possible", f.clusterA2),
			fmt.Sprintf("JOBS_CREATED cluster:%d 2024 total 20 1 4 likely", f.clusterB),
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("overlaps\n%q\nwant\n%q", got, want)
		}
		// Cluster B's 2023 value is only received: it counts with all values,
		// but firm B was not yet a member.
		all, err := f.s.FindOverlaps(ctx, admin(), indicator.OverlapFilter{All: true, Period: "2023"})
		if err != nil || len(all) != 0 {
			t.Errorf("2023 with all values: %v %v", overlapLines(all), err)
		}
		// A received member value counts only with all values.
		putValue(t, d, "EXPORTS", org(f.firmB), "2024", "", 100, "received", time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC))
		putValue(t, d, "EXPORTS", cl(f.clusterB), "2024", "", 95, "approved", time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC))
		for _, c := range []struct {
			f    indicator.OverlapFilter
			want int
		}{
			{indicator.OverlapFilter{Indicator: "EXPORTS"}, 0},
			{indicator.OverlapFilter{Indicator: "exports", All: true}, 1},
			{indicator.OverlapFilter{Country: "TTO", All: true}, 2},
			{indicator.OverlapFilter{Country: "jam"}, 2},
			{indicator.OverlapFilter{Verdict: indicator.OverlapLikely, All: true}, 2},
			{indicator.OverlapFilter{Period: "2024-Q1"}, 0},
			{indicator.OverlapFilter{Period: "2024"}, 3},
			{indicator.OverlapFilter{Period: "2025"}, 0},
		} {
			list, err := f.s.FindOverlaps(ctx, admin(), c.f)
			if err != nil || len(list) != c.want {
				t.Errorf("%+v: %q %v, want %d", c.f, overlapLines(list), err, c.want)
			}
		}
		// A BSO staff member of the Jamaican BSO sees only its clusters.
		bso := user.Actor{Name: "BSO", Role: user.BSOStaff, Scope: user.Scope{Kind: user.ScopeBSO, ID: fmt.Sprint(f.bsoA)}}
		list, err = f.s.FindOverlaps(ctx, bso, indicator.OverlapFilter{All: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range list {
			if o.Cluster.ID != f.clusterA && o.Cluster.ID != f.clusterA2 {
				t.Errorf("BSO staff of Jamaica sees %s", overlapLines([]*indicator.Overlap{o}))
			}
		}
		if len(list) != 2 {
			t.Errorf("BSO staff sees %q, want clusters A and A2", overlapLines(list))
		}
		// Bad filters name their field.
		for field, f2 := range map[string]indicator.OverlapFilter{
			"country":   {Country: "Jamaica"},
			"period":    {Period: "2024-Q5"},
			"indicator": {Indicator: "CERTIFICATIONS"},
			"verdict":   {Verdict: "certain"},
		} {
			_, err := f.s.FindOverlaps(ctx, admin(), f2)
			if p := problem.As(err); p == nil || len(p.Details) != 1 || p.Details[0].Field != field {
				t.Errorf("%+v: %v, want a problem with the field %s", f2, err, field)
			}
		}
		if _, err := f.s.FindOverlaps(ctx, user.Actor{}, indicator.OverlapFilter{}); err == nil {
			t.Error("anonymous reader allowed")
		}
	})
}

func TestOverlapsPageAndAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f, _ := overlapFixture(t, d)
		e := f.e
		officerUser := e.CreateUser(user.ProgrammeOfficer, "")
		officer := e.Browser(officerUser)
		bso := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoA)))

		r := e.Get(officer, "/indicators/quality?period=2024")
		wantStatus(t, "quality page", r, 200)
		wantBody(t, "quality page", r, true, `href="/indicators/quality/overlaps?period=2024"`, "Values counted twice, 2024",
			"Initiative values beside their members&#39; values: 3; likely double counts among them: 1.")
		checkOverlapPage(t, "quality page", r.Body)

		r = e.Get(officer, "/indicators/quality/overlaps")
		wantStatus(t, "overlaps", r, 200)
		checkOverlapPage(t, "overlaps", r.Body)
		wantBody(t, "overlaps", r, true, "Kingston Creative", "Montego Bay Tourism", "Tobago Heritage Tourism", "Likely double count",
			"Check: may overlap", "The reporting convention",
			fmt.Sprintf(`href="/indicators/values?period=2024&amp;subject=cluster%%3A%d"`, f.clusterB),
			fmt.Sprintf(`href="/results/clusters/%d"`, f.clusterB), "500%")
		wantBody(t, "overlaps", r, false, "Ocho Rios Crafts", "CERTIFICATIONS</code>")

		r = e.Get(officer, "/indicators/quality/overlaps?country=TTO&indicator=JOBS_CREATED&period=2024&verdict=likely&values=all")
		wantStatus(t, "filtered overlaps", r, 200)
		checkOverlapPage(t, "filtered overlaps", r.Body)
		wantBody(t, "filtered overlaps", r, true, "Tobago Heritage Tourism", `<option value="TTO" selected>`, `value="all" selected`)
		wantBody(t, "filtered overlaps", r, false, "Kingston Creative")

		r = e.Get(officer, "/indicators/quality/overlaps?period=2024-Q9&values=some")
		wantStatus(t, "bad filter", r, 422)
		checkOverlapPage(t, "bad filter", r.Body)
		wantBody(t, "bad filter", r, true, "Use values=approved")

		r = e.Get(officer, "/indicators/quality/overlaps?period=2030")
		wantStatus(t, "no overlaps", r, 200)
		wantBody(t, "no overlaps", r, true, "No initiative value is counted beside its members")

		r = e.Get(bso, "/indicators/quality/overlaps")
		wantStatus(t, "overlaps for BSO staff", r, 200)
		checkOverlapPage(t, "overlaps for BSO staff", r.Body)
		wantBody(t, "overlaps for BSO staff", r, true, "Kingston Creative", "Montego Bay Tourism")
		wantBody(t, "overlaps for BSO staff", r, false, "Tobago Heritage Tourism")

		// The API, with the same filters and paging.
		token := e.Token(officerUser)
		var list struct {
			Items []struct {
				IndicatorCode string            `json:"indicator_code"`
				Cluster       indicator.Subject `json:"cluster"`
				ClusterValue  float64           `json:"cluster_value"`
				Members       int               `json:"members_reporting"`
				MembersSum    float64           `json:"members_sum"`
				Added         *float64          `json:"added_share"`
				Verdict       string            `json:"verdict"`
			} `json:"items"`
			Total int `json:"total"`
		}
		r = e.API("GET", "/api/v1/cluster-overlaps?per_page=2", token, nil)
		wantStatus(t, "API", r, 200)
		if err := json.Unmarshal([]byte(r.Body), &list); err != nil {
			t.Fatal(err)
		}
		if list.Total != 3 || len(list.Items) != 2 || list.Items[1].Cluster.ID != f.clusterA2 || list.Items[1].Verdict != "possible" {
			t.Errorf("API: %s", r.Body)
		}
		list.Items = nil
		r = e.API("GET", "/api/v1/cluster-overlaps?page=2&per_page=2", token, nil)
		if err := json.Unmarshal([]byte(r.Body), &list); err != nil || len(list.Items) != 1 || list.Items[0].Cluster.ID != f.clusterB ||
			list.Items[0].Verdict != "likely" || list.Items[0].ClusterValue != 20 || list.Items[0].MembersSum != 4 ||
			list.Items[0].Added == nil || *list.Items[0].Added != 5 {
			t.Errorf("API page 2: %s", r.Body)
		}
		list.Items = nil
		r = e.API("GET", "/api/v1/cluster-overlaps?"+url.Values{"country": {"TTO"}, "verdict": {"likely"}}.Encode(), token, nil)
		if err := json.Unmarshal([]byte(r.Body), &list); err != nil || list.Total != 1 || list.Items[0].Members != 1 {
			t.Errorf("API filtered: %s", r.Body)
		}
		r = e.API("GET", "/api/v1/cluster-overlaps?indicator=NOPE&period=x", token, nil)
		wantStatus(t, "API bad filters", r, 422)
		wantBody(t, "API bad filters", r, true, `"indicator"`, `"period"`)
		wantStatus(t, "API anonymous", e.API("GET", "/api/v1/cluster-overlaps", "", nil), 401)
	})
}

func admin() user.Actor { return user.Actor{Name: "Admin", Role: user.Admin} }

func checkOverlapPage(t *testing.T, where, body string) {
	t.Helper()
	checkPage(t, where, body)
	if m := rawOverlapKey.FindString(body); m != "" {
		t.Errorf("%s: untranslated key %q on the page", where, m)
	}
}

func overlapLines(list []*indicator.Overlap) []string {
	var out []string
	for _, o := range list {
		cat := "total"
		if !o.Category.IsTotal() {
			cat = o.Category.String()
		}
		out = append(out, fmt.Sprintf("%s %s %s %s %v %d %v %s", o.IndicatorCode, o.Cluster, o.Period, cat, o.ClusterValue, o.Members, o.MembersSum, o.Verdict))
	}
	return out
}
