package indicator

import (
	"context"
	"fmt"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/problem"
)

func TestValuesVersionsReviewAndScope(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		r := newRegion(t, d)
		s := r.s
		jobs, err := s.FindIndicatorByCode(ctx, viewer, "JOBS_CREATED")
		if err != nil {
			t.Fatal(err)
		}
		share := sheet("EXPORT_SHARE")
		share.Calculation, share.Unit, share.Frequency, share.Formula = CalcPercentage, "%", FreqYearly, "EXPORTS / REVENUE * 100"
		shareInd, err := s.CreateIndicator(ctx, officer, share)
		if err != nil {
			t.Fatal(err)
		}
		bso := bsoActor(r.bsoA)
		clusterA := fmt.Sprintf("cluster:%d", r.clusterA)
		in := func(category string, v float64) ValueInput {
			return ValueInput{IndicatorID: jobs.ID, Subject: clusterA, Period: "2025", Category: category, Value: ptr(v)}
		}
		count := func() int {
			var n int
			if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM indicator_values`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		// Every problem of every item, and nothing written.
		bad := []ValueInput{
			{IndicatorID: jobs.ID, Subject: clusterA, Period: "2025", Text: "abc"},
			in("", -3),
			in("firm_size:micro", 4),
			{IndicatorID: jobs.ID, Subject: clusterA, Period: "2025-07", Value: ptr(1)},
			{IndicatorID: shareInd.ID, Subject: clusterA, Period: "2025", Value: ptr(10)},
			in("sex:women", 5),
			in("sex:women", 6),
		}
		_, err = s.SaveValues(ctx, bso, bad)
		wantField(t, err, "values[0].value", `"abc" is not a number`)
		wantField(t, err, "values[1].value", "JOBS_CREATED: JOBS_CREATED cannot be negative")
		wantField(t, err, "values[2].category", "not disaggregated by firm_size")
		wantField(t, err, "values[3].period", "collected yearly")
		wantField(t, err, "values[4].indicator_id", "computed by its formula")
		wantField(t, err, "values[6].category", "also item 5")
		if n := count(); n != 0 {
			t.Fatalf("%d values written by a refused save", n)
		}

		// Scope: another BSO's cluster is not found; a coordinator may not enter.
		_, err = s.SaveValues(ctx, bsoActor(r.bsoB), []ValueInput{in("", 1)})
		wantField(t, err, "values[0].subject", "that you may see")
		_, err = s.SaveValues(ctx, viewer, []ValueInput{in("", 1)})
		wantKind(t, err, problem.Forbidden)

		// A good save, with the sum rule as a warning: women 30 + men 25 > 50.
		res, err := s.SaveValues(ctx, bso, []ValueInput{in("", 50), in("sex:women", 30), in("sex:men", 25), in("youth:youth", 20)})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Saved) != 4 || len(res.Warnings) != 1 || res.Warnings[0].Dimension != "sex" || res.Warnings[0].Sum != 55 {
			t.Fatalf("save %+v", res)
		}
		v1 := res.Saved[0]
		if v1.Version != 1 || v1.State != StateReceived || v1.Source != SourceEntry || auditCount(t, d, ValueRecordType, v1.ID, "create") != 1 {
			t.Errorf("first version %+v", v1)
		}

		// Entering it again adds a version; the same value again adds none.
		res, err = s.SaveValues(ctx, bso, []ValueInput{in("", 52), in("sex:women", 30)})
		if err != nil || len(res.Saved) != 1 || res.Unchanged != 1 || res.Saved[0].Version != 2 || len(res.Warnings) != 1 {
			t.Fatalf("second save %+v, %v", res, err)
		}
		v2 := res.Saved[0]
		latest, total, err := s.FindValues(ctx, bso, ValueFilter{Subject: r.subject(r.clusterA), Period: "2025"})
		if err != nil || total != 4 || latest[0].Value != 52 {
			t.Fatalf("latest: %d values, first %+v, %v", total, latest[0], err)
		}
		_, total, _ = s.FindValues(ctx, bso, ValueFilter{Subject: r.subject(r.clusterA), AllVersions: true})
		if total != 5 {
			t.Errorf("every version: %d, want 5", total)
		}
		if _, total, _ := s.FindValues(ctx, bsoActor(r.bsoB), ValueFilter{}); total != 0 {
			t.Errorf("another BSO reads %d values", total)
		}

		// Review: officers only, the latest version only, a comment to reject.
		_, err = s.ReviewValue(ctx, bso, v2.ID, DecideApprove, "")
		wantKind(t, err, problem.Forbidden)
		_, err = s.ReviewValue(ctx, officer, v1.ID, DecideApprove, "")
		wantKind(t, err, problem.Conflict)
		_, err = s.ReviewValue(ctx, officer, v2.ID, DecideReject, " ")
		wantField(t, err, "comment", "Say what is wrong")
		_, err = s.ReviewValue(ctx, officer, v2.ID, "maybe", "")
		wantField(t, err, "decision", "approve, issues or reject")
		v, err := s.ReviewValue(ctx, officer, v2.ID, DecideIssues, "Payroll missing")
		if err != nil || v.State != StateHasIssues || v.ReviewComment != "Payroll missing" || v.ReviewedAt == nil {
			t.Fatalf("issues %+v, %v", v, err)
		}
		v, err = s.ReviewValue(ctx, officer, v2.ID, DecideApprove, "")
		if err != nil || v.State != StateApproved || v.Reviewer != "Officer" || auditCount(t, d, ValueRecordType, v2.ID, "review") != 2 {
			t.Fatalf("approve %+v, %v", v, err)
		}
		_, err = s.ReviewValue(ctx, officer, v2.ID+1000, DecideApprove, "")
		wantKind(t, err, problem.NotFound)
	})
}

func TestTargetAgainstActual(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		r := newRegion(t, d)
		s := r.s
		code := func(c string) *Indicator {
			ind, err := s.FindIndicatorByCode(ctx, admin, c)
			if err != nil {
				t.Fatal(err)
			}
			return ind
		}
		jobs, exports, revenue, certs := code("JOBS_CREATED"), code("EXPORTS"), code("REVENUE"), code("CERTIFICATIONS")
		share := sheet("EXPORT_SHARE")
		share.Calculation, share.Unit, share.Frequency, share.Formula = CalcPercentage, "%", FreqYearly, "EXPORTS / REVENUE * 100"
		shareInd, err := s.CreateIndicator(ctx, officer, share)
		if err != nil {
			t.Fatal(err)
		}
		sub := r.subject(r.clusterA)
		for _, tg := range []struct {
			ind    *Indicator
			kind   TargetKind
			period string
			v      float64
		}{{jobs, KindBaseline, "2024", 40}, {jobs, KindTarget, "2025", 80}, {jobs, KindTarget, "2026", 100}, {shareInd, KindTarget, "2025", 20}, {certs, KindTarget, "2025", 8}} {
			if _, _, err := s.SetTarget(ctx, officer, TargetInput{IndicatorID: tg.ind.ID, Subject: sub.String(), Kind: tg.kind,
				Period: tg.period, Value: ptr(tg.v)}); err != nil {
				t.Fatal(err)
			}
		}
		save := func(ind *Indicator, period, category string, v float64, approve bool) {
			t.Helper()
			res, err := s.SaveValues(ctx, bsoActor(r.bsoA), []ValueInput{{IndicatorID: ind.ID, Subject: sub.String(), Period: period,
				Category: category, Value: ptr(v), Source: SourceSurvey}})
			if err != nil {
				t.Fatal(err)
			}
			if approve {
				if _, err := s.ReviewValue(ctx, officer, res.Saved[0].ID, DecideApprove, ""); err != nil {
					t.Fatal(err)
				}
			}
		}
		save(jobs, "2025", "", 52, true)
		save(jobs, "2025", "", 60, false) // received, not yet counted: 52 stands
		save(jobs, "2025", "sex:women", 30, true)
		save(jobs, "2025", "sex:men", 25, true)
		save(jobs, "2026", "", 70, false) // not approved: no data
		save(exports, "2025", "", 30, true)
		save(revenue, "2025", "", 120, true)
		save(exports, "2026", "", 5, true)
		save(revenue, "2026", "", 0, true)
		for q, v := range []float64{1, 2, 3, 4} {
			save(certs, fmt.Sprintf("2025-Q%d", q+1), "", v, true)
		}

		tables, err := s.ResultsForSubject(ctx, bsoActor(r.bsoA), sub, "Kingston Creative")
		if err != nil {
			t.Fatal(err)
		}
		by := map[string]*ResultTable{}
		for _, tb := range tables {
			by[tb.Indicator.Code] = tb
		}
		jt := by["JOBS_CREATED"]
		if jt == nil || len(jt.Rows) != 3 {
			t.Fatalf("jobs table %+v", jt)
		}
		// 2024: baseline only; 2025: 52 of 80 = 65 %; 2026: target without data.
		if r0 := jt.Rows[0]; r0.Period != "2024" || *r0.Baseline != 40 || r0.Actual != nil || r0.Percent != nil {
			t.Errorf("2024 %+v", r0)
		}
		if r1 := jt.Rows[1]; r1.Period != "2025" || *r1.Target != 80 || *r1.Actual != 52 || *r1.Percent != 65 {
			t.Errorf("2025 %+v", r1)
		}
		if r2 := jt.Rows[2]; r2.Period != "2026" || *r2.Target != 100 || r2.Actual != nil || r2.Percent != nil {
			t.Errorf("2026 %+v", r2)
		}
		if len(jt.Warnings) != 1 || jt.Warnings[0].Period != "2025" || jt.Warnings[0].Sum != 55 || jt.Warnings[0].Total != 52 {
			t.Errorf("jobs warnings %+v", jt.Warnings)
		}
		// The formula: 30 / 120 × 100 = 25, 125 % of the 20 % target; 2026 divides by zero.
		st := by["EXPORT_SHARE"]
		if st == nil || len(st.Rows) != 2 {
			t.Fatalf("share table %+v", st)
		}
		if r1 := st.Rows[0]; *r1.Actual != 25 || *r1.Percent != 125 {
			t.Errorf("share 2025 %+v", r1)
		}
		if r2 := st.Rows[1]; r2.Actual != nil || !r2.Undefined {
			t.Errorf("share 2026 %+v", r2)
		}

		// Quarters add up to the year's actual (1 + 2 + 3 + 4 = 10 of 8 = 125 %).
		ct := by["CERTIFICATIONS"]
		if ct == nil || len(ct.Rows) != 5 || ct.Rows[0].Period != "2025" || !ct.Rows[0].Derived || *ct.Rows[0].Actual != 10 || *ct.Rows[0].Percent != 125 {
			t.Errorf("certifications %+v", ct)
		}

		// The indicator's view across subjects, under the reader's scope.
		tables, err = s.ResultsForIndicator(ctx, officer, shareInd)
		if err != nil || len(tables) != 1 || tables[0].SubjectName != "Kingston Creative" || *tables[0].Rows[0].Actual != 25 {
			t.Fatalf("by indicator %+v, %v", tables, err)
		}
		if tables, _ := s.ResultsForIndicator(ctx, bsoActor(r.bsoB), jobs); len(tables) != 0 {
			t.Errorf("another BSO sees %d tables", len(tables))
		}
	})
}

func (r *region) subject(cluster int64) Subject { return Subject{Kind: SubjectCluster, ID: cluster} }
