package indicator

import (
	"context"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/problem"
)

func TestStandardIndicatorsShipBuiltIn(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewStore(d)
		std := true
		list, total, err := s.FindIndicators(ctx, viewer, Filter{Standard: &std})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"CERTIFICATIONS", "EXPORTS", "IMPROVED_PRACTICES", "INVESTMENT_LEVERAGED", "JOBS_CREATED",
			"JOINT_ACTIVITIES", "NEW_PRODUCTS_MARKETS", "REVENUE"}
		if total != len(want) {
			t.Fatalf("%d standard indicators, want %d", total, len(want))
		}
		for n, i := range list {
			if i.Code != want[n] {
				t.Errorf("indicator %d is %s, want %s", n, i.Code, want[n])
			}
			if in := InputOf(i); in.Validate() != nil {
				t.Errorf("%s: the built-in sheet does not validate: %v", i.Code, in.Validate())
			}
			if i.CreatedAt.IsZero() || !i.Standard {
				t.Errorf("%s: created %v, standard %v", i.Code, i.CreatedAt, i.Standard)
			}
		}
		jobs, err := s.FindIndicatorByCode(ctx, viewer, "jobs_created")
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs.Dimensions) != 2 || jobs.Dimensions[0] != "sex" || jobs.Dimensions[1] != "youth" {
			t.Errorf("jobs are disaggregated by %v, want sex and youth", jobs.Dimensions)
		}
		if len(jobs.Categories()) != 5 {
			t.Errorf("jobs categories %v", jobs.Categories())
		}
		practices, _ := s.FindIndicatorByCode(ctx, viewer, "IMPROVED_PRACTICES")
		if practices.SubjectAggregation != AggSum || practices.TimeAggregation != AggLast {
			t.Errorf("a stock adds up over subjects and takes the last value over time, got %s/%s",
				practices.SubjectAggregation, practices.TimeAggregation)
		}
		var dims, cats int
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM indicator_dimensions`).Scan(&dims)
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM indicator_categories`).Scan(&cats)
		if dims != len(Dimensions) || cats != 8 {
			t.Errorf("%d dimensions and %d categories stored", dims, cats)
		}
	})
}

func TestIndicatorValidationAndAccess(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		r := newRegion(t, d)
		s := r.s

		_, err := s.CreateIndicator(ctx, bsoActor(r.bsoA), sheet("FAIRS"))
		wantKind(t, err, problem.Forbidden)
		_, err = s.CreateIndicator(ctx, managerActor(r.clusterA), sheet("FAIRS"))
		wantKind(t, err, problem.Forbidden)

		_, err = s.CreateIndicator(ctx, officer, Input{Code: "9X", Level: "middle", Dimensions: []string{"sex", "colour"}})
		for field, text := range map[string]string{
			"code": "starts with a letter", "name": "name", "definition": "Define", "unit": "unit", "level": "output, outcome or impact",
			"calculation": "numeric or percentage", "direction": "increase or decrease", "subject_aggregation": "over subjects",
			"time_aggregation": "over time", "frequency": "monthly, quarterly or yearly", "responsible_role": "role",
			"means_of_verification": "evidence", "dimensions": "colour",
		} {
			wantField(t, err, field, text)
		}

		in := sheet("FAIRS")
		in.Standard = true
		_, err = s.CreateIndicator(ctx, officer, in)
		wantField(t, err, "standard", "administrator")

		fairs, err := s.CreateIndicator(ctx, officer, sheet("fairs"))
		if err != nil {
			t.Fatal(err)
		}
		if fairs.Code != "FAIRS" || fairs.Standard {
			t.Errorf("created %+v", fairs)
		}
		if auditCount(t, d, RecordType, fairs.ID, "create") != 1 {
			t.Error("creation not audited")
		}
		_, err = s.CreateIndicator(ctx, officer, sheet("FAIRS"))
		wantField(t, err, "code", "already")

		w := sheet("AVG_PRICE")
		w.SubjectAggregation = AggWeightedAverage
		_, err = s.CreateIndicator(ctx, officer, w)
		wantField(t, err, "weight_code", "weights")
		w.WeightCode = "NOPE"
		_, err = s.CreateIndicator(ctx, officer, w)
		wantField(t, err, "weight_code", "no indicator")
		w.WeightCode = "FAIRS"
		if _, err := s.CreateIndicator(ctx, officer, w); err != nil {
			t.Fatal(err)
		}
		_, err = s.ArchiveIndicator(ctx, officer, fairs.ID)
		wantKind(t, err, problem.Conflict)

		// Editing needs a reason, keeps the code, and logs what changed.
		up := Update{Input: InputOf(fairs)}
		up.Name = "Trade fairs attended"
		_, err = s.UpdateIndicator(ctx, officer, fairs.ID, up)
		wantField(t, err, "reason", "why")
		up.Code = "FAIRS2"
		up.Reason = "Clearer name"
		_, err = s.UpdateIndicator(ctx, officer, fairs.ID, up)
		wantField(t, err, "code", "cannot change")
		up.Code = "FAIRS"
		up.Dimensions = []string{"firm_size"}
		got, err := s.UpdateIndicator(ctx, officer, fairs.ID, up)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Trade fairs attended" || len(got.Dimensions) != 1 {
			t.Errorf("updated %+v", got)
		}
		_, err = s.UpdateIndicator(ctx, bsoActor(r.bsoA), fairs.ID, up)
		wantKind(t, err, problem.Forbidden)
		// Saving the same sheet again changes nothing and logs nothing.
		if _, err := s.UpdateIndicator(ctx, officer, fairs.ID, up); err != nil {
			t.Fatal(err)
		}
		log, err := s.FindChanges(ctx, viewer, fairs.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 1 || log[0].Reason != "Clearer name" || len(log[0].Changes) != 2 ||
			log[0].Changes[0].Field != "name" || log[0].Changes[0].Before != "Indicator fairs" || log[0].Changes[1].Field != "dimensions" {
			t.Errorf("change log %+v", log[0])
		}
		if auditCount(t, d, RecordType, fairs.ID, "update") != 1 {
			t.Error("update not audited once")
		}

		// Standard indicators: only an administrator archives them.
		jobs, _ := s.FindIndicatorByCode(ctx, viewer, "JOBS_CREATED")
		_, err = s.ArchiveIndicator(ctx, officer, jobs.ID)
		wantKind(t, err, problem.Forbidden)

		// Everyone signed in reads; nobody else.
		if _, _, err := s.FindIndicators(ctx, viewer, Filter{Query: "fair"}); err != nil {
			t.Error(err)
		}
		_, _, err = s.FindIndicators(ctx, anonymous, Filter{})
		wantKind(t, err, problem.Unauthorized)
	})
}

func TestFormulaIndicators(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewStore(d)
		share := sheet("EXPORT_SHARE")
		share.Calculation, share.Unit = CalcPercentage, ""
		share.Formula = "exports / (REVENUE) * 100"
		got, err := s.CreateIndicator(ctx, officer, share)
		if err != nil {
			t.Fatal(err)
		}
		if got.Formula != "EXPORTS / REVENUE * 100" || got.Unit != "%" {
			t.Errorf("formula stored as %q, unit %q", got.Formula, got.Unit)
		}

		bad := sheet("BAD")
		bad.Formula = "REVENUE - REVNUE"
		_, err = s.CreateIndicator(ctx, officer, bad)
		wantField(t, err, "formula", "character 11 the formula refers to REVNUE, but there is no indicator")
		bad.Formula = "REVENUE * (2"
		_, err = s.CreateIndicator(ctx, officer, bad)
		wantField(t, err, "formula", "character 11")
		bad.Formula = "BAD + 1"
		_, err = s.CreateIndicator(ctx, officer, bad)
		wantField(t, err, "formula", "itself")

		// A → B → A through two formulas.
		a := sheet("A_RATIO")
		a.Formula = "EXPORTS / 2"
		ind, err := s.CreateIndicator(ctx, officer, a)
		if err != nil {
			t.Fatal(err)
		}
		b := sheet("B_RATIO")
		b.Formula = "A_RATIO + EXPORT_SHARE"
		if _, err := s.CreateIndicator(ctx, officer, b); err != nil {
			t.Fatal(err)
		}
		up := Update{Input: InputOf(ind), Reason: "Relate the two"}
		up.Formula = "EXPORTS / B_RATIO"
		_, err = s.UpdateIndicator(ctx, officer, ind.ID, up)
		wantField(t, err, "formula", "character 11 the formula leads back to A_RATIO itself: A_RATIO → B_RATIO → A_RATIO")

		// An indicator that a formula uses cannot be archived.
		_, err = s.ArchiveIndicator(ctx, officer, ind.ID)
		wantKind(t, err, problem.Conflict)
	})
}
