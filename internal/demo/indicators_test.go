package demo

import (
	"context"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/user"
)

// TestResultsData checks the demo region's results data: targets and
// values for every standard indicator over 2021–2025, with gaps, late
// reports, reviews in every state, and a region dashboard that adds up.
func TestResultsData(t *testing.T) {
	d := dbtest.SQLite(t)
	start := time.Now()
	res := generate(t, d, 1)
	took := time.Since(start)
	if res.Counts["indicator_values"] < 5000 || res.Counts["indicator_targets"] < 2000 {
		t.Errorf("values %d, targets %d; want thousands", res.Counts["indicator_values"], res.Counts["indicator_targets"])
	}
	if took > 20*time.Second {
		t.Errorf("generating the region took %v", took)
	}
	checks := []struct {
		what  string
		query string
		min   int
	}{
		{"standard indicators with values", `SELECT COUNT(DISTINCT indicator_id) FROM indicator_values`, 8},
		{"years with values", `SELECT COUNT(DISTINCT substr(period_key, 1, 4)) FROM indicator_values`, 5},
		{"approved values", `SELECT COUNT(*) FROM indicator_values WHERE state = 'approved'`, 4000},
		{"received values", `SELECT COUNT(*) FROM indicator_values WHERE state = 'received'`, 50},
		{"values with issues", `SELECT COUNT(*) FROM indicator_values WHERE state = 'has_issues'`, 30},
		{"values for women", `SELECT COUNT(*) FROM indicator_values WHERE dimension_code = 'sex' AND category_code = 'women'`, 100},
		{"values for youth", `SELECT COUNT(*) FROM indicator_values WHERE dimension_code = 'youth'`, 100},
		{"quarterly values", `SELECT COUNT(*) FROM indicator_values WHERE period_type = 'quarter'`, 1000},
		{"sources", `SELECT COUNT(DISTINCT source) FROM indicator_values`, 3},
		{"revised targets", `SELECT COUNT(*) FROM indicator_targets WHERE revision = 2`, 10},
		{"baselines", `SELECT COUNT(*) FROM indicator_targets WHERE kind = 'baseline'`, 100},
	}
	for _, c := range checks {
		if n := count(t, d, c.query); n < c.min {
			t.Errorf("%s: %d, want at least %d", c.what, n, c.min)
		}
	}
	if n := count(t, d, `SELECT COUNT(*) FROM indicator_target_revisions`); n < count(t, d, `SELECT COUNT(*) FROM indicator_targets`) {
		t.Errorf("targets without their first revision")
	}
	// Some clusters with targets skip a year.
	if n := count(t, d, `SELECT COUNT(*) FROM indicator_targets t WHERE t.kind = 'target' AND t.dimension_code = ''
		AND NOT EXISTS (SELECT 1 FROM indicator_values v WHERE v.indicator_id = t.indicator_id AND v.subject_id = t.subject_id
		AND substr(v.period_key, 1, 4) = t.period_key)`); n == 0 {
		t.Error("no cluster misses a year")
	}
	dash, err := indicator.NewStore(d).Dashboard(context.Background(), user.Actor{Name: "Admin", Role: user.Admin},
		indicator.DashboardQuery{Scope: indicator.ResultsScope{Kind: indicator.ScopeRegion}, Now: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if len(dash.Series) != 8 || dash.From != 2021 || dash.To != 2025 {
		t.Fatalf("region dashboard: %d series, %d–%d", len(dash.Series), dash.From, dash.To)
	}
	late := 0
	for _, s := range dash.Series {
		for _, r := range s.Rows {
			late += r.Late
			if r.Actual == nil || r.Target == nil || r.Expected == 0 || r.Reporting > r.Expected {
				t.Errorf("%s %s: actual %v target %v reporting %d/%d", s.Indicator.Code, r.Period, r.Actual, r.Target, r.Reporting, r.Expected)
			}
		}
	}
	if late == 0 {
		t.Error("no value was reported late")
	}
	checkOneDoubleCount(t, d)
}

// checkOneDoubleCount checks that the initiatives whose firms answer the
// survey have no figures of their own for the survey's indicators but one
// year's total jobs, which the check of values counted twice finds as a
// likely double count, and that it finds nothing else.
func checkOneDoubleCount(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	s, err := loadStored(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	c := &collector{d: d, s: s}
	if err := c.chooseSurveyed(ctx, 1); err != nil {
		t.Fatal(err)
	}
	var doubled int64
	surveyed := 0
	for _, ks := range c.surveyed {
		for _, k := range ks {
			surveyed++
			n := count(t, d, `SELECT COUNT(*) FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id
				WHERE v.subject_kind = 'cluster' AND v.subject_id = $1 AND i.code IN ('JOBS_CREATED', 'REVENUE', 'EXPORTS')`, k.id)
			kept := count(t, d, `SELECT COUNT(*) FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id
				WHERE v.subject_kind = 'cluster' AND v.subject_id = $1 AND i.code = 'JOBS_CREATED' AND v.dimension_code = ''
				AND v.state = 'approved' AND v.note = $2`, k.id, doubledNote)
			switch {
			case n == 1 && kept == 1 && doubled == 0:
				doubled = k.id
			case n != 0:
				t.Errorf("surveyed initiative %d (%s) has %d values of the survey's indicators", k.id, k.name, n)
			}
		}
	}
	if surveyed == 0 || doubled == 0 {
		t.Fatalf("%d initiatives surveyed, none with its total jobs entered", surveyed)
	}
	admin := user.Actor{Name: "Admin", Role: user.Admin}
	list, err := indicator.NewStore(d).FindOverlaps(ctx, admin, indicator.OverlapFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		for _, o := range list {
			t.Logf("%s %s %s %s: %v beside %d members' %v", o.IndicatorCode, o.ClusterName, o.Period, o.Category, o.ClusterValue, o.Members, o.MembersSum)
		}
		t.Fatalf("%d values counted twice, want 1", len(list))
	}
	if o := list[0]; o.Cluster.ID != doubled || o.IndicatorCode != "JOBS_CREATED" || !o.Likely() || o.Members < 2 || o.MembersSum <= 0 {
		t.Errorf("the value counted twice: %+v", o)
	}
}
