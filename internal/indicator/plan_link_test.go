package indicator

import (
	"context"
	"fmt"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
)

func TestFindClusterFigures(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		r := newRegion(t, d)
		in := sheet("FAIRS")
		in.Frequency = FreqYearly
		ind, err := r.s.CreateIndicator(ctx, officer, in)
		if err != nil {
			t.Fatal(err)
		}
		a := fmt.Sprint("cluster:", r.clusterA)
		if _, _, err := r.s.SetTarget(ctx, admin, TargetInput{IndicatorID: ind.ID, Subject: a, Kind: KindTarget, Period: "2027", Value: ptr(9)}); err != nil {
			t.Fatal(err)
		}
		for _, y := range []string{"2024", "2025"} {
			res, err := r.s.SaveValues(ctx, admin, []ValueInput{{IndicatorID: ind.ID, Subject: a, Period: y, Value: ptr(3), Source: SourceEntry}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.s.ReviewValue(ctx, officer, res.Saved[0].ID, DecideApprove, ""); err != nil {
				t.Fatal(err)
			}
		}
		got, err := r.s.FindClusterFigures(ctx, bsoActor(r.bsoA), r.clusterA, []string{"fairs", "NOPE"})
		if err != nil {
			t.Fatal(err)
		}
		f := got["FAIRS"]
		if len(got) != 1 || f == nil || f.Actual == nil || *f.Actual != 3 || f.ActualPeriod != "2025" || f.TargetFor(2027) == nil ||
			*f.TargetFor(2027) != 9 || f.TargetFor(2026) != nil {
			t.Fatalf("figures %+v", f)
		}
		other, err := r.s.FindClusterFigures(ctx, bsoActor(r.bsoB), r.clusterA, []string{"FAIRS"})
		if err != nil {
			t.Fatal(err)
		}
		if f := other["FAIRS"]; f == nil || f.Actual != nil || len(f.Targets) != 0 {
			t.Fatalf("another BSO reads figures %+v", f)
		}
		if _, err := r.s.FindClusterFigures(ctx, anonymous, r.clusterA, []string{"FAIRS"}); err == nil {
			t.Fatal("anonymous reads figures")
		}
	})
}
