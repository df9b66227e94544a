package indicator

import (
	"context"
	"fmt"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/problem"
)

func TestReviewManyValues(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		r := newRegion(t, d)
		s := r.s
		jobs, err := s.FindIndicatorByCode(ctx, viewer, "JOBS_CREATED")
		if err != nil {
			t.Fatal(err)
		}
		save := func(subject, period, category string, v float64) *Value {
			t.Helper()
			res, err := s.SaveValues(ctx, admin, []ValueInput{{IndicatorID: jobs.ID, Subject: subject, Period: period,
				Category: category, Value: ptr(v), Source: SourceSurvey}})
			if err != nil || len(res.Saved) != 1 {
				t.Fatalf("save %s %s: %v", subject, category, err)
			}
			return res.Saved[0]
		}
		clusterA, clusterB := fmt.Sprintf("cluster:%d", r.clusterA), fmt.Sprintf("cluster:%d", r.clusterB)
		total := save(clusterA, "2025", "", 50)
		women := save(clusterA, "2025", "sex:women", 20)
		men := save(clusterA, "2025", "sex:men", 30)
		other := save(clusterB, "2025", "", 7)
		earlier := save(clusterA, "2024", "", 40)
		state := func(id int64) (st string) {
			t.Helper()
			if err := d.Read().QueryRowContext(ctx, `SELECT state FROM indicator_values WHERE id = $1`, id).Scan(&st); err != nil {
				t.Fatal(err)
			}
			return st
		}
		reviews := func() (n int) {
			d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE record_type = $1 AND action = 'review'`, ValueRecordType).Scan(&n)
			return n
		}

		// Who may, and what a batch must hold.
		_, err = s.ReviewValues(ctx, bsoActor(r.bsoA), []int64{total.ID}, DecideApprove, "")
		wantKind(t, err, problem.Forbidden)
		_, err = s.ReviewValues(ctx, officer, nil, DecideApprove, "")
		wantField(t, err, "ids", "at least one value")
		many := make([]int64, MaxReviewBatch+1)
		_, err = s.ReviewValues(ctx, officer, many, DecideApprove, "")
		wantField(t, err, "ids", "at most 1000 values at once (this has 1001)")
		_, err = s.ReviewValues(ctx, officer, []int64{total.ID}, "maybe", "")
		wantField(t, err, "decision", "approve, issues or reject")
		_, err = s.ReviewValues(ctx, officer, []int64{total.ID, women.ID}, DecideReject, " ")
		wantField(t, err, "comment", "Say what is wrong")

		// One decision on many values, each with its own audit record.
		got, err := s.ReviewValues(ctx, officer, []int64{women.ID, total.ID}, DecideApprove, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != women.ID || got[1].ID != total.ID || got[1].State != StateApproved || got[1].Reviewer != "Officer" {
			t.Fatalf("reviewed %+v", got)
		}
		if auditCount(t, d, ValueRecordType, women.ID, "review") != 1 || auditCount(t, d, ValueRecordType, total.ID, "review") != 1 {
			t.Error("a review without its audit record")
		}

		// A value already approved, one that cannot be seen, a duplicate and
		// an earlier version: the whole batch is refused, naming each, and
		// nothing changes.
		menV2 := save(clusterA, "2025", "sex:men", 31)
		before := reviews()
		_, err = s.ReviewValues(ctx, officer, []int64{other.ID, total.ID, 999999, other.ID, men.ID}, DecideApprove, "")
		wantField(t, err, "ids[1]", fmt.Sprintf("Value #%d (JOBS_CREATED) is already approved", total.ID))
		wantField(t, err, "ids[2]", "There is no value #999999 that you may see")
		wantField(t, err, "ids[3]", fmt.Sprintf("Value #%d is also item 0", other.ID))
		wantField(t, err, "ids[4]", "version 2 has been entered since")
		if p := problem.As(err); len(p.Details) != 4 {
			t.Errorf("problems %+v", p.Details)
		}
		if state(other.ID) != "received" || reviews() != before {
			t.Fatal("a refused batch changed values")
		}

		// Has issues, then approved in a batch: both wait for a decision.
		if _, err := s.ReviewValues(ctx, officer, []int64{menV2.ID, other.ID}, DecideIssues, "Payroll missing"); err != nil {
			t.Fatal(err)
		}
		if state(menV2.ID) != "has_issues" {
			t.Fatalf("state %s", state(menV2.ID))
		}

		// What "approve all shown" finds: the subject and period filtered,
		// only values waiting for a decision, the latest version.
		ids, err := s.PendingValueIDs(ctx, officer, ValueFilter{Subject: r.subject(r.clusterA), Period: "2025"})
		if err != nil || len(ids) != 1 || ids[0] != menV2.ID {
			t.Fatalf("pending %v %v", ids, err)
		}
		_, err = s.PendingValueIDs(ctx, bsoActor(r.bsoA), ValueFilter{})
		wantKind(t, err, problem.Forbidden)
		if ids, _ = s.PendingValueIDs(ctx, admin, ValueFilter{}); len(ids) != 3 {
			t.Fatalf("every pending value: %v", ids)
		}
		if _, err := s.ReviewValues(ctx, officer, ids, DecideApprove, ""); err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{menV2.ID, other.ID, earlier.ID} {
			if state(id) != "approved" {
				t.Errorf("value %d is %s", id, state(id))
			}
		}
	})
}
