package demo

import (
	"context"
	"testing"
	"time"

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
}
