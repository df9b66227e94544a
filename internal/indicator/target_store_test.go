package indicator

import (
	"context"
	"fmt"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

func TestTargetsScopeAndRevisions(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		r := newRegion(t, d)
		s := r.s
		jobs, err := s.FindIndicatorByCode(ctx, viewer, "JOBS_CREATED")
		if err != nil {
			t.Fatal(err)
		}
		clusterA := fmt.Sprintf("cluster:%d", r.clusterA)
		clusterB := fmt.Sprintf("cluster:%d", r.clusterB)
		set := func(a user.Actor, subject, period, category string, v float64, reason string) (*Target, bool, error) {
			return s.SetTarget(ctx, a, TargetInput{IndicatorID: jobs.ID, Subject: subject, Kind: KindTarget, Period: period,
				Category: category, Value: ptr(v), Reason: reason})
		}

		// Validation, field by field.
		_, _, err = s.SetTarget(ctx, bsoActor(r.bsoA), TargetInput{Subject: "firm:1", Kind: "goal", Period: "2025-13", Category: "sex:other"})
		for field, text := range map[string]string{"indicator_id": "indicator", "subject": "cluster, an organisation or a country",
			"kind": "baseline or target", "period": "month", "category": "sex:women", "value": "value"} {
			wantField(t, err, field, text)
		}
		_, _, err = set(bsoActor(r.bsoA), clusterA, "2025-07", "", 10, "")
		wantField(t, err, "period", "collected yearly")
		_, _, err = set(bsoActor(r.bsoA), clusterA, "2025", "firm_size:micro", 10, "")
		wantField(t, err, "category", "not disaggregated by firm_size")

		// BSO A sets a target for its own cluster, not for BSO B's.
		tg, created, err := set(bsoActor(r.bsoA), clusterA, "2026", "", 40, "")
		if err != nil || !created {
			t.Fatalf("BSO A target: %v %v", created, err)
		}
		if tg.SubjectName != "Kingston Creative" || tg.Period != "2026" || tg.Revision != 1 || tg.IndicatorCode != "JOBS_CREATED" {
			t.Errorf("target %+v", tg)
		}
		_, _, err = set(bsoActor(r.bsoA), clusterB, "2026", "", 40, "")
		wantField(t, err, "subject", "no cluster:")
		_, _, err = set(bsoActor(r.bsoA), "country:JAM", "2026", "", 40, "")
		wantKind(t, err, problem.Forbidden)
		_, _, err = set(viewer, clusterA, "2026", "", 40, "")
		wantKind(t, err, problem.Forbidden)
		// The cluster manager of A sets women's jobs; the officer sets B's.
		if _, _, err := set(managerActor(r.clusterA), clusterA, "2026", "sex:women", 20, ""); err != nil {
			t.Fatal(err)
		}
		_, _, err = set(managerActor(r.clusterA), clusterB, "2026", "", 5, "")
		wantField(t, err, "subject", "no cluster:")
		if _, _, err := set(officer, clusterB, "2026", "", 12, ""); err != nil {
			t.Fatal(err)
		}
		if _, _, err := set(officer, "country:JAM", "2026", "", 500, ""); err != nil {
			t.Fatal(err)
		}

		// A revision needs a reason and keeps the earlier value.
		_, _, err = set(bsoActor(r.bsoA), clusterA, "2026", "", 45, "")
		wantField(t, err, "reason", "why")
		tg2, created, err := set(bsoActor(r.bsoA), clusterA, "2026", "total", 45, "Two new members joined")
		if err != nil || created || tg2.ID != tg.ID || tg2.Value != 45 || tg2.Revision != 2 {
			t.Fatalf("revision: %+v %v %v", tg2, created, err)
		}
		// The same value again changes nothing.
		if same, _, err := set(bsoActor(r.bsoA), clusterA, "2026", "", 45, ""); err != nil || same.Revision != 2 {
			t.Errorf("setting the same value: %+v %v", same, err)
		}
		revs, err := s.FindRevisions(ctx, bsoActor(r.bsoA), tg.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 2 || revs[0].Value != 45 || revs[0].PreviousValue == nil || *revs[0].PreviousValue != 40 ||
			revs[0].Reason != "Two new members joined" || revs[1].PreviousValue != nil {
			t.Errorf("revisions %+v", revs)
		}
		if auditCount(t, d, TargetRecordType, tg.ID, "create") != 1 || auditCount(t, d, TargetRecordType, tg.ID, "update") != 1 {
			t.Error("target writes not audited")
		}

		// Reading is scoped by subject.
		_, n, err := s.FindTargets(ctx, bsoActor(r.bsoA), TargetFilter{IndicatorID: jobs.ID})
		if err != nil || n != 3 { // A's two and the country's
			t.Errorf("BSO A reads %d targets, %v", n, err)
		}
		_, n, _ = s.FindTargets(ctx, officer, TargetFilter{})
		if n != 4 {
			t.Errorf("officer reads %d targets", n)
		}
		sub, _ := ParseSubject(clusterA)
		list, n, _ := s.FindTargets(ctx, managerActor(r.clusterA), TargetFilter{Subject: sub})
		if n != 2 || list[0].Category.String() != "" || list[1].Category.String() != "sex:women" {
			t.Errorf("manager reads %d targets of A: %+v", n, list)
		}
		_, err = s.FindRevisions(ctx, bsoActor(r.bsoB), tg.ID)
		wantKind(t, err, problem.NotFound)
		if _, w, err := s.SubjectAccess(ctx, viewer, sub); err != nil || w {
			t.Errorf("the coordinator reads but does not write A: %v %v", w, err)
		}
		_, _, err = s.SubjectAccess(ctx, bsoActor(r.bsoB), sub)
		wantKind(t, err, problem.NotFound)

		// A disaggregation with targets cannot be dropped.
		up := Update{Input: InputOf(jobs), Reason: "Simplify"}
		up.Dimensions = []string{"youth"}
		_, err = s.UpdateIndicator(ctx, admin, jobs.ID, up)
		wantField(t, err, "dimensions", "cannot be dropped")
	})
}
