package indicator

import (
	"context"
	"fmt"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// indicatorID finds a standard indicator by code.
func indicatorID(t *testing.T, s *Store, code string) int64 {
	t.Helper()
	ind, err := s.FindIndicatorByCode(context.Background(), admin, code)
	if err != nil {
		t.Fatal(err)
	}
	return ind.ID
}

func TestBuiltinRulesAndRuleValidation(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		s := NewStore(d)
		ctx := context.Background()
		rules, err := s.FindRules(ctx, viewer, RuleFilter{})
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, r := range rules {
			names[r.Name] = r.Builtin
		}
		for _, n := range []string{"Jobs for women within total jobs", "Youth jobs within total jobs", "Exports within revenue"} {
			if !names[n] {
				t.Errorf("built-in rule %q missing from %v", n, names)
			}
		}
		// Every built-in rule still validates against the standard indicators.
		for _, r := range rules {
			in := RuleInputOf(r)
			if err := validateRule(ctx, d.Read(), &in, r.ID); err != nil {
				t.Errorf("built-in %q: %v", r.Name, err)
			}
		}

		good := RuleInput{Name: "Certifications need firms", Left: "CERTIFICATIONS", Operator: OpCompulsoryPair,
			Right: "NEW_PRODUCTS_MARKETS", Importance: ImportanceLow, PeriodType: PeriodYear}
		_, err = s.CreateRule(ctx, bsoActor(1), good)
		wantKind(t, err, problem.Forbidden)

		bad := good
		bad.Left, bad.Right = "NOPE + 1", "JOBS_CREATED[micro]"
		_, err = s.CreateRule(ctx, officer, bad)
		wantField(t, err, "left", "There is no indicator NOPE")
		wantField(t, err, "right", `JOBS_CREATED has no category "micro": use women, men, youth, not_youth`)
		bad = good
		bad.Left, bad.PeriodType = "JOBS_CREATED", PeriodMonth
		_, err = s.CreateRule(ctx, officer, bad)
		wantField(t, err, "period_type", "JOBS_CREATED is collected yearly")
		bad = good
		bad.Name, bad.Left = "Jobs for women within total jobs", "JOBS_CREATED[women"
		_, err = s.CreateRule(ctx, officer, bad)
		wantField(t, err, "name", "Another rule is called")
		wantField(t, err, "left", "At character 13: this [ is never closed")

		r, err := s.CreateRule(ctx, officer, good)
		if err != nil {
			t.Fatal(err)
		}
		if r.Builtin || r.Operator != OpCompulsoryPair || auditCount(t, d, RuleRecordType, r.ID, "create") != 1 {
			t.Errorf("created %+v", r)
		}
		upd := RuleInputOf(r)
		upd.Importance, upd.Left = ImportanceHigh, "certifications"
		if r, err = s.UpdateRule(ctx, officer, r.ID, upd); err != nil || r.Importance != ImportanceHigh || r.Left != "CERTIFICATIONS" {
			t.Fatalf("update: %+v %v", r, err)
		}
		if r, err = s.ArchiveRule(ctx, officer, r.ID); err != nil || !r.Archived() {
			t.Fatalf("archive: %+v %v", r, err)
		}
		active, _ := s.FindRules(ctx, viewer, RuleFilter{})
		all, _ := s.FindRules(ctx, viewer, RuleFilter{IncludeArchived: true})
		if len(all) != len(active)+1 || auditCount(t, d, RuleRecordType, r.ID, "archive") != 1 {
			t.Errorf("archived rule still active: %d of %d", len(active), len(all))
		}
		_, err = s.FindRuleByID(ctx, viewer, 99999)
		wantKind(t, err, problem.NotFound)
	})
}

func TestViolationsOnEntryAndOnDemand(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		g := newRegion(t, d)
		s := g.s
		ctx := context.Background()
		jobs, rev, exp := indicatorID(t, s, "JOBS_CREATED"), indicatorID(t, s, "REVENUE"), indicatorID(t, s, "EXPORTS")
		a, b := fmt.Sprintf("cluster:%d", g.clusterA), fmt.Sprintf("cluster:%d", g.clusterB)

		// On entry: jobs for women above the total break one built-in rule;
		// the sum over women and men is skipped, men being missing.
		res, err := s.SaveValues(ctx, bsoActor(g.bsoA), []ValueInput{
			{IndicatorID: jobs, Subject: a, Period: "2025", Value: ptr(10)},
			{IndicatorID: jobs, Subject: a, Period: "2025", Category: "sex:women", Value: ptr(12)},
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Violations) != 1 {
			t.Fatalf("violations on entry = %+v", res.Violations)
		}
		v := res.Violations[0]
		if v.RuleName != "Jobs for women within total jobs" || *v.Left != 12 || *v.Right != 10 || v.Country != "JAM" || v.Period != "2025" || v.ID == 0 {
			t.Errorf("violation = %+v", v)
		}
		live, err := s.EntryViolations(ctx, Subject{Kind: SubjectCluster, ID: g.clusterA}, "2025")
		if err != nil || len(live) != 1 {
			t.Errorf("entry grid violations = %+v %v", live, err)
		}
		// A quarter has no rule: nothing is stored, no error.
		if res, err := s.SaveValues(ctx, admin, []ValueInput{{IndicatorID: indicatorID(t, s, "CERTIFICATIONS"), Subject: a, Period: "2025-Q1", Value: ptr(1)}}); err != nil || len(res.Violations) != 0 {
			t.Fatalf("quarter: %+v %v", res, err)
		}
		// Correcting the value makes the earlier violation no longer current.
		res, err = s.SaveValues(ctx, bsoActor(g.bsoA), []ValueInput{
			{IndicatorID: jobs, Subject: a, Period: "2025", Category: "sex:women", Value: ptr(4)},
			{IndicatorID: jobs, Subject: a, Period: "2025", Category: "sex:men", Value: ptr(5)},
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Violations) != 1 || res.Violations[0].RuleName != "Jobs for women and men add up to the total" {
			t.Fatalf("after correction = %+v", res.Violations)
		}
		cur, total, err := s.FindViolations(ctx, admin, ViolationFilter{})
		if err != nil || total != 1 || cur[0].RuleName != "Jobs for women and men add up to the total" || !cur[0].Current {
			t.Fatalf("current = %+v (%d) %v", cur, total, err)
		}
		if _, total, _ := s.FindViolations(ctx, admin, ViolationFilter{All: true}); total != 2 {
			t.Errorf("all violations = %d, want 2", total)
		}

		// On demand: Tobago's exports above revenue.
		if _, err := s.SaveValues(ctx, admin, []ValueInput{
			{IndicatorID: exp, Subject: b, Period: "2025", Value: ptr(500)},
			{IndicatorID: rev, Subject: b, Period: "2025", Value: ptr(400)},
			{IndicatorID: exp, Subject: b, Period: "2024", Value: ptr(300)},
			{IndicatorID: rev, Subject: b, Period: "2024", Value: ptr(400)},
		}); err != nil {
			t.Fatal(err)
		}
		_, err = s.RunRules(ctx, viewer, RunInput{From: "2025", To: "2025"})
		wantKind(t, err, problem.Forbidden)
		_, err = s.RunRules(ctx, admin, RunInput{Country: "Jamaica", From: "2025-13", To: "2024"})
		wantField(t, err, "country", "is not a country")
		wantField(t, err, "from", "the month must be from 01 to 12")
		_, err = s.RunRules(ctx, admin, RunInput{From: "2025", To: "2024"})
		wantField(t, err, "to", "The range ends before it starts")
		_, err = s.RunRules(ctx, bsoActor(g.bsoA), RunInput{ClusterID: g.clusterB, From: "2025", To: "2025"})
		wantField(t, err, "cluster_id", "that you may see")

		run, err := s.RunRules(ctx, admin, RunInput{Country: "tto", From: "2024", To: "2025-Q4"})
		if err != nil {
			t.Fatal(err)
		}
		if run.Kind != RunOnDemand || run.Country != "TTO" || run.Pairs != 2 || run.Checks != 2 || run.Violations != 1 {
			t.Errorf("run = %+v", run)
		}
		list, total, err := s.FindViolations(ctx, admin, ViolationFilter{RunID: run.ID})
		if err != nil || total != 1 || list[0].RuleName != "Exports within revenue" || list[0].Period != "2025" || *list[0].Left != 500 {
			t.Errorf("run's violations = %+v (%d) %v", list, total, err)
		}
		if auditCount(t, d, RunRecordType, run.ID, "create") != 1 {
			t.Error("run not audited")
		}
		// Running again supersedes the first run's violation, and only in scope.
		again, err := s.RunRules(ctx, admin, RunInput{Country: "TTO", From: "2025", To: "2025"})
		if err != nil || again.Violations != 1 {
			t.Fatalf("again = %+v %v", again, err)
		}
		if _, n, _ := s.FindViolations(ctx, admin, ViolationFilter{Country: "TTO"}); n != 1 {
			t.Errorf("current TTO violations = %d, want 1", n)
		}
		if _, n, _ := s.FindViolations(ctx, admin, ViolationFilter{Country: "JAM"}); n != 1 {
			t.Errorf("current JAM violations = %d, want 1 (not superseded by a TTO run)", n)
		}
		if _, n, _ := s.FindViolations(ctx, admin, ViolationFilter{Importance: ImportanceHigh}); n != 0 {
			t.Errorf("high-importance violations = %d", n)
		}
		// Scope: BSO A sees only its own cluster's violations.
		mine, n, err := s.FindViolations(ctx, bsoActor(g.bsoA), ViolationFilter{})
		if err != nil || n != 1 || mine[0].Subject.ID != g.clusterA {
			t.Errorf("BSO A sees %+v (%d) %v", mine, n, err)
		}
		runs, err := s.FindRuns(ctx, viewer, 10)
		if err != nil || len(runs) != 2 || runs[0].ID != again.ID {
			t.Errorf("runs = %+v %v", runs, err)
		}
	})
}

func TestOutliersAndQualityScores(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		g := newRegion(t, d)
		s := g.s
		ctx := context.Background()
		jobs, rev := indicatorID(t, s, "JOBS_CREATED"), indicatorID(t, s, "REVENUE")
		a := fmt.Sprintf("cluster:%d", g.clusterA)
		var ins []ValueInput
		for n, v := range []float64{10, 12, 11, 13, 14} {
			ins = append(ins, ValueInput{IndicatorID: jobs, Subject: a, Period: fmt.Sprint(2020 + n), Value: ptr(v)})
		}
		ins = append(ins, ValueInput{IndicatorID: jobs, Subject: a, Period: "2026", Value: ptr(30)})
		if _, err := s.SaveValues(ctx, admin, ins); err != nil {
			t.Fatal(err)
		}
		out, err := s.FindOutliers(ctx, admin, OutlierFilter{Period: "2026", Country: "JAM"})
		if err != nil {
			t.Fatal(err)
		}
		if len(out) != 1 || out[0].IndicatorCode != "JOBS_CREATED" || len(out[0].Scores) != 2 || out[0].Scores[1].Spread != 1 {
			t.Fatalf("outliers = %+v", out)
		}
		if out, _ := s.FindOutliers(ctx, admin, OutlierFilter{Period: "2024"}); len(out) != 0 {
			t.Errorf("2024 has four earlier periods yet flags %+v", out)
		}
		if out, _ := s.FindOutliers(ctx, admin, OutlierFilter{Period: "2026", Country: "TTO"}); len(out) != 0 {
			t.Errorf("Trinidad flags %+v", out)
		}
		_, err = s.FindOutliers(ctx, admin, OutlierFilter{Period: "soon"})
		wantField(t, err, "period", "is not a period")

		// Targets for jobs and revenue in 2026: jobs received (an outlier),
		// revenue not.
		for _, id := range []int64{jobs, rev} {
			if _, _, err := s.SetTarget(ctx, admin, TargetInput{IndicatorID: id, Subject: a, Kind: KindTarget, Period: "2026", Value: ptr(50)}); err != nil {
				t.Fatal(err)
			}
		}
		rep, err := s.QualityScores(ctx, admin, QualityFilter{Period: "2026"})
		if err != nil {
			t.Fatal(err)
		}
		want := QualityRatios{Completeness: QualityRatio{1, 2}, Timeliness: QualityRatio{1, 2}, Consistency: QualityRatio{0, 1}}
		if rep.Total != want || rep.GraceDays != DefaultGraceDays {
			t.Errorf("total = %+v, want %+v", rep.Total, want)
		}
		if len(rep.ByBSO) != 1 || rep.ByBSO[0].Name != "Jamaica Business Development" || rep.ByBSO[0].QualityRatios != want {
			t.Errorf("by BSO = %+v", rep.ByBSO)
		}
		if len(rep.ByCountry) != 1 || rep.ByCountry[0].Key != "JAM" || rep.ByCountry[0].QualityRatios != want {
			t.Errorf("by country = %+v", rep.ByCountry)
		}
		// BSO B expects nothing it may see.
		if rep, err := s.QualityScores(ctx, bsoActor(g.bsoB), QualityFilter{Period: "2026"}); err != nil || rep.Total.Completeness.Den != 0 {
			t.Errorf("BSO B = %+v %v", rep, err)
		}
		_, err = s.QualityScores(ctx, admin, QualityFilter{Period: "2026", GraceDays: -1})
		wantField(t, err, "grace", "from 0 to 366")
		// Any set of triples scores the same way.
		q, err := s.ScoreExpected(ctx, []Triple{{IndicatorID: jobs, Subject: Subject{Kind: SubjectCluster, ID: g.clusterA}, Period: "2024"}}, "", 30)
		if err != nil || q.Completeness != (QualityRatio{1, 1}) || q.Timeliness != (QualityRatio{0, 1}) || q.Consistency != (QualityRatio{1, 1}) {
			t.Errorf("ScoreExpected = %+v %v", q, err)
		}
	})
}
