package indicator_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
)

var rawQualityKey = regexp.MustCompile(`indicatorquality\.[a-z_]+`)

func checkQualityPage(t *testing.T, where, body string) {
	t.Helper()
	checkPage(t, where, body)
	if m := rawQualityKey.FindString(body); m != "" {
		t.Errorf("%s: untranslated key %q on the page", where, m)
	}
}

func TestRulePagesAndViolationsOnEntry(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		ctx := context.Background()
		officer := e.Browser(e.CreateUser(user.ProgrammeOfficer, ""))
		bso := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoA)))

		r := e.Get(officer, "/indicators")
		wantBody(t, "indicator list", r, true, `href="/indicators/rules"`, `href="/indicators/quality"`)
		r = e.Get(officer, "/indicators/rules")
		wantStatus(t, "rules", r, 200)
		wantBody(t, "rules", r, true, "Jobs for women within total jobs", "JOBS_CREATED[women]", "≤", "Built-in", `href="/indicators/rules/new"`)
		checkQualityPage(t, "rules", r.Body)
		r = e.Get(bso, "/indicators/rules")
		wantStatus(t, "rules for BSO staff", r, 200)
		wantBody(t, "rules for BSO staff", r, false, `href="/indicators/rules/new"`)
		wantStatus(t, "new rule for BSO staff", e.Get(bso, "/indicators/rules/new"), 403)

		r = e.Get(officer, "/indicators/rules/new")
		wantStatus(t, "new rule", r, 200)
		checkQualityPage(t, "new rule", r.Body)
		form := url.Values{"name": {"Exports need revenue"}, "left": {"EXPORTS[tiny]"}, "operator": {"compulsory_pair"}, "right": {"NOPE"},
			"importance": {"low"}, "left_missing": {"skip_if_any_missing"}, "right_missing": {"never_skip"}, "period_type": {"year"}}
		r = e.PostForm(officer, "/indicators/rules", form)
		wantStatus(t, "bad rule", r, 422)
		wantBody(t, "bad rule", r, true, `EXPORTS has no category &#34;tiny&#34;`, "There is no indicator NOPE", `value="EXPORTS[tiny]"`)
		checkQualityPage(t, "bad rule", r.Body)
		form.Set("left", "EXPORTS")
		form.Set("right", "revenue")
		r = e.PostForm(officer, "/indicators/rules", form)
		wantStatus(t, "good rule", r, 303)
		var id int64
		d.Read().QueryRowContext(ctx, `SELECT id FROM validation_rules WHERE name = 'Exports need revenue'`).Scan(&id)
		editPath := fmt.Sprintf("/indicators/rules/%d/edit", id)
		r = e.Get(officer, editPath)
		wantStatus(t, "edit rule", r, 200)
		wantBody(t, "edit rule", r, true, `value="REVENUE"`)
		checkQualityPage(t, "edit rule", r.Body)
		form.Set("importance", "high")
		wantStatus(t, "update rule", e.PostForm(officer, editPath, form), 303)
		wantStatus(t, "archive rule", e.PostForm(officer, fmt.Sprintf("/indicators/rules/%d/archive", id), nil), 303)
		r = e.Get(officer, "/indicators/rules")
		wantBody(t, "rules after archive", r, false, "Exports need revenue")
		r = e.Get(officer, "/indicators/rules?archived=true")
		wantBody(t, "rules with archived", r, true, "Exports need revenue", "Archived")

		// Entering jobs for women above the total shows the broken rule
		// beside the grid, and stores it.
		jobs, err := f.s.FindIndicatorByCode(ctx, user.System, "JOBS_CREATED")
		if err != nil {
			t.Fatal(err)
		}
		subject := fmt.Sprintf("cluster:%d", f.clusterA)
		cell := func(cat string) string { return fmt.Sprintf("v.%d.%s", jobs.ID, cat) }
		r = e.PostForm(bso, "/indicators/values", url.Values{"subject": {subject}, "period": {"2025"}, cell("total"): {"10"}, cell("sex:women"): {"12"}})
		wantStatus(t, "save with violation", r, 200)
		wantBody(t, "save with violation", r, true, "Validation rules that do not hold", "Jobs for women within total jobs", "JOBS_CREATED[women] ≤ JOBS_CREATED")
		checkQualityPage(t, "save with violation", r.Body)
		r = e.Get(bso, "/indicators/values?subject="+url.QueryEscape(subject)+"&period=2025")
		wantBody(t, "grid", r, true, "Validation rules that do not hold")

		r = e.Get(bso, "/indicators/quality?period=2025")
		wantStatus(t, "quality", r, 200)
		wantBody(t, "quality", r, true, "Jobs for women within total jobs", "Kingston Creative", "1 results", "Quality scores, 2025", "Outliers, 2025")
		checkQualityPage(t, "quality", r.Body)

		// A run from the page.
		r = e.PostForm(bso, "/indicators/quality/runs", url.Values{"country": {""}, "cluster_id": {""}, "from": {"2025"}, "to": {"2024"}})
		wantStatus(t, "bad run", r, 422)
		wantBody(t, "bad run", r, true, "The range ends before it starts")
		checkQualityPage(t, "bad run", r.Body)
		r = e.PostForm(bso, "/indicators/quality/runs", url.Values{"cluster_id": {fmt.Sprint(f.clusterA)}, "from": {"2025"}, "to": {"2025"}})
		wantStatus(t, "run", r, 303)
		loc := r.Header.Get("Location")
		if !strings.HasPrefix(loc, "/indicators/quality?run=") {
			t.Fatalf("run goes to %q", loc)
		}
		r = e.Get(bso, loc)
		wantStatus(t, "run page", r, 200)
		wantBody(t, "run page", r, true, "Jobs for women within total jobs", "Rules checked: ")
		checkQualityPage(t, "run page", r.Body)
		wantStatus(t, "run by a coordinator", e.PostForm(e.Browser(e.CreateUser(user.CountryCoordinator, "country:JAM")), "/indicators/quality/runs",
			url.Values{"from": {"2025"}, "to": {"2025"}}), 403)
	})
}

func TestQualityAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		ctx := context.Background()
		officer := e.Token(e.CreateUser(user.ProgrammeOfficer, ""))
		bso := e.Token(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoB)))

		wantStatus(t, "anonymous", e.API("GET", "/api/v1/validation-rules", "", nil), 401)
		r := e.API("GET", "/api/v1/validation-rules", bso, nil)
		wantStatus(t, "rules", r, 200)
		var rules struct {
			Items []struct {
				Name     string `json:"name"`
				Operator string `json:"operator"`
			} `json:"items"`
			Total int `json:"total"`
		}
		r.JSON(t, &rules)
		if rules.Total != 5 || len(rules.Items) != 5 {
			t.Errorf("rules = %+v", rules)
		}
		wantStatus(t, "rule by BSO", e.API("POST", "/api/v1/validation-rules", bso, map[string]any{"name": "x"}), 403)
		r = e.API("POST", "/api/v1/validation-rules", officer, map[string]any{"name": "Revenue positive", "left": "REVENUE[women]",
			"operator": ">", "right": "0", "period_type": "year"})
		wantStatus(t, "bad rule", r, 422)
		wantBody(t, "bad rule", r, true, `"field":"left"`, `REVENUE has no category \"women\"`)
		r = e.API("POST", "/api/v1/validation-rules", officer, map[string]any{"name": "Revenue positive", "left": "REVENUE",
			"operator": ">", "right": "0", "period_type": "year", "left_missing": "skip_if_any_missing"})
		wantStatus(t, "rule", r, 201)
		wantBody(t, "rule", r, true, `"operator":"greater_than"`, `"importance":"medium"`)

		// Tobago's revenue of 0 breaks the new rule; its exports above revenue the built-in one.
		rev, _ := f.s.FindIndicatorByCode(ctx, user.System, "REVENUE")
		exp, _ := f.s.FindIndicatorByCode(ctx, user.System, "EXPORTS")
		sub := fmt.Sprintf("cluster:%d", f.clusterB)
		r = e.API("POST", "/api/v1/values", bso, []map[string]any{{"indicator_id": rev.ID, "subject": sub, "period": "2025", "value": 0},
			{"indicator_id": exp.ID, "subject": sub, "period": "2025", "value": 10}})
		wantStatus(t, "values", r, 201)
		wantBody(t, "values", r, true, `"rule_name":"Revenue positive"`, `"rule_name":"Exports within revenue"`)

		r = e.API("GET", "/api/v1/validation-violations?country=TTO&importance=medium", officer, nil)
		wantStatus(t, "violations", r, 200)
		var list struct {
			Items []struct {
				RunID int64    `json:"run_id"`
				Rule  string   `json:"rule"`
				Left  *float64 `json:"left_value"`
			} `json:"items"`
			Total int `json:"total"`
		}
		r.JSON(t, &list)
		if list.Total != 2 || len(list.Items) != 2 {
			t.Errorf("violations = %+v", list)
		}
		r = e.API("GET", "/api/v1/validation-violations?period=2025-13&importance=urgent", officer, nil)
		wantStatus(t, "bad filters", r, 422)
		wantBody(t, "bad filters", r, true, `"field":"period"`, `"field":"importance"`)

		r = e.API("POST", "/api/v1/validation-runs", officer, map[string]any{"country": "TTO", "from": "2025", "to": "2025"})
		wantStatus(t, "run", r, 201)
		var run struct {
			ID         int64 `json:"id"`
			Checks     int   `json:"checks"`
			Violations int   `json:"violations"`
		}
		r.JSON(t, &run)
		if run.Violations != 2 || r.Header.Get("Location") != fmt.Sprintf("/api/v1/validation-violations?run=%d", run.ID) {
			t.Errorf("run = %+v, Location %q", run, r.Header.Get("Location"))
		}
		r = e.API("GET", fmt.Sprintf("/api/v1/validation-violations?run=%d", run.ID), bso, nil)
		r.JSON(t, &list)
		if list.Total != 2 {
			t.Errorf("run's violations = %+v", list)
		}
		r = e.API("POST", "/api/v1/validation-runs", officer, map[string]any{"from": "2025"})
		wantStatus(t, "run without end", r, 422)
		wantBody(t, "run without end", r, true, `"field":"to"`)
		r = e.API("POST", "/api/v1/validation-runs", bso, map[string]any{"cluster_id": f.clusterA, "from": "2025", "to": "2025"})
		wantStatus(t, "run out of scope", r, 422)
		wantBody(t, "run out of scope", r, true, `"field":"cluster_id"`)
	})
}
