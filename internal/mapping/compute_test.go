package mapping

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// handCells is the worked example of the package documentation.
//
//	2020        5510  5610  0311  4711  8411 | all  traded local
//	area A        60    40    10    50    40 | 200    110    50
//	area B        20     –    90   100    90 | 300    110   100
//	area C         –    20     –    50    30 | 100     20    50
//	reference     80    60   100   200   160 | 600    240   200
//
//	2022: A 70 50 10 50 40 (220); B 20 – 100 110 90 (320); C has no data.
//
// Clusters: T1 tourism (traded) = 5510 + 5610, T2 fishing (traded) = 0311,
// L1 retail (local) = 4711; 8411 is in no cluster.
func handCells() []Cell {
	c := func(y int, area, ind string, emp, est int64, wages float64) Cell {
		return Cell{Year: y, Area: area, Industry: ind, Employment: emp, Establishments: est, Wages: wages,
			HasEstablishments: true, HasWages: true}
	}
	return []Cell{
		c(2020, "A", "5510", 60, 6, 1_200_000), c(2020, "A", "5610", 40, 4, 600_000),
		c(2020, "A", "0311", 10, 2, 150_000), c(2020, "A", "4711", 50, 10, 500_000), c(2020, "A", "8411", 40, 1, 800_000),
		c(2020, "B", "5510", 20, 2, 300_000), c(2020, "B", "0311", 90, 9, 1_800_000),
		c(2020, "B", "4711", 100, 20, 1_000_000), c(2020, "B", "8411", 90, 3, 1_800_000),
		c(2020, "C", "5610", 20, 5, 200_000), c(2020, "C", "4711", 50, 10, 400_000), c(2020, "C", "8411", 30, 1, 600_000),
		c(2022, "A", "5510", 70, 7, 1_400_000), c(2022, "A", "5610", 50, 5, 750_000),
		c(2022, "A", "0311", 10, 2, 150_000), c(2022, "A", "4711", 50, 10, 500_000), c(2022, "A", "8411", 40, 1, 800_000),
		c(2022, "B", "5510", 20, 2, 300_000), c(2022, "B", "0311", 100, 10, 2_000_000),
		c(2022, "B", "4711", 110, 22, 1_100_000), c(2022, "B", "8411", 90, 3, 1_800_000),
	}
}

func compute(t *testing.T, cells []Cell, set *DefinitionSet, opt Options) *Result {
	t.Helper()
	d, err := NewDataset(cells)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Compute(d, set, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func find(t *testing.T, res *Result, year int, area, cluster string) *Metric {
	t.Helper()
	for i := range res.Metrics {
		m := &res.Metrics[i]
		if m.Year == year && m.Area == area && m.Cluster == cluster {
			return m
		}
	}
	t.Fatalf("no metric for %d %s %s", year, area, cluster)
	return nil
}

func TestComputeHandExample(t *testing.T) {
	opt := DefaultOptions()
	opt.From, opt.To = 2020, 2022
	res := compute(t, handCells(), sampleSet(), opt)

	// Totals (see handCells).
	ref := res.References[0]
	if ref.All != 600 || ref.Traded != 240 || ref.Local != 200 || ref.Areas != 3 {
		t.Errorf("reference 2020 totals %+v", ref)
	}
	if a := res.Areas[0]; a.Area != "A" || a.All != 200 || a.Traded != 110 || a.Local != 50 {
		t.Errorf("area A 2020 totals %+v", a)
	}

	// A × T1, 2020: 100 jobs (60 + 40), 10 establishments, wages 1 800 000.
	m := find(t, res, 2020, "A", "T1")
	if m.Employment != 100 || m.Cells != 2 || m.Suppressed != 0 || !m.Reliable {
		t.Errorf("A×T1 %+v", m)
	}
	near(t, "establishments", m.Establishments, 10)
	near(t, "wages", m.Wages, 1_800_000)
	near(t, "average wage", m.AverageWage, 18_000)          // 1 800 000 / 100
	near(t, "average size", m.AverageSize, 10)              // 100 / 10
	near(t, "share of reference", m.ShareOfReference, 5./7) // 100 / 140
	near(t, "share of area", m.ShareOfArea, 0.5)            // 100 / 200
	near(t, "LQ", m.LQ.Value, 15./7)                        // (100/200)/(140/600)
	near(t, "LQ low", m.LQ.Low, 1.7533554333684458)         // see TestLQInterval
	near(t, "LQ high", m.LQ.High, 2.6188852797931013)
	near(t, "LQ CMP", m.LQClusterMapping.Value, 120./77) // (100/110)/(140/240)
	if m.LQ.Significance != Above || m.LQ.Bound != Exact {
		t.Errorf("LQ %+v", m.LQ)
	}

	// B × T2: (90/300)/(100/600) = 1.8; CMP (90/110)/(100/240) = 108/55.
	m = find(t, res, 2020, "B", "T2")
	near(t, "B×T2 LQ", m.LQ.Value, 1.8)
	near(t, "B×T2 LQ CMP", m.LQClusterMapping.Value, 108./55)

	// C × L1 (local): (50/100)/(200/600) = 1.5; CMP against local
	// employment (50/50)/(200/200) = 1.
	m = find(t, res, 2020, "C", "L1")
	near(t, "C×L1 LQ", m.LQ.Value, 1.5)
	near(t, "C×L1 LQ CMP", m.LQClusterMapping.Value, 1)
	if m.Strength.Status != NotApplicable || m.Stars.Status != NotApplicable {
		t.Errorf("local cluster classified: %+v %+v", m.Strength, m.Stars)
	}

	// C × T2: no fishing in C. LQ 0, no interval, below the minimum-cell
	// rule (0 < 10 employees).
	m = find(t, res, 2020, "C", "T2")
	near(t, "C×T2 LQ", m.LQ.Value, 0)
	undefined(t, "C×T2 LQ low", m.LQ.Low)
	if m.Cells != 0 || m.Reliable || m.Strength.Status != Unreliable {
		t.Errorf("C×T2 %+v", m)
	}

	// 2022 has no row for C: the area has no data that year.
	for _, m := range res.Metrics {
		if m.Year == 2022 && m.Area == "C" {
			t.Fatal("row for an area without data")
		}
	}

	// Growth of A × T1 from 2020 to 2022: 100 → 120 jobs.
	// CAGR √1.2 − 1 = 0.0954451. Reference all 600 → 540 (C has gone):
	// g = −0.1; reference T1 140 → 140: gc = 0. Effects −10, +10, +20.
	// Share of reference 100/140 → 120/140: +20/140 = 1/7.
	// Textbook LQ 15/7 → (120/220)/(140/540) = 162/77: change −3/77, so
	// still specialised (≥ 1.2) but losing: mature.
	g := findGrowth(t, res, "A", "T1")
	if g.Status != GrowthComputed || g.EmploymentFrom != 100 || g.EmploymentTo != 120 {
		t.Fatalf("growth %+v", g)
	}
	near(t, "job creation", g.JobCreation, 20)
	near(t, "CAGR", g.CAGR, 0.09544511501033215)
	near(t, "reference effect", g.ReferenceEffect, -10)
	near(t, "mix effect", g.MixEffect, 10)
	near(t, "competitive effect", g.CompetitiveEffect, 20)
	near(t, "share change", g.ShareChange, 1./7)
	near(t, "LQ change", g.LQChange, -3./77)
	if g.Quadrant != Mature {
		t.Errorf("quadrant %v, want mature", g.Quadrant)
	}
	if g := findGrowth(t, res, "C", "L1"); g.Status != MissingFinalYear || g.CAGR.Defined() || g.JobCreation.Defined() {
		t.Errorf("C has no 2022 data, growth must not be computed: %+v", g)
	}
}

func findGrowth(t *testing.T, res *Result, area, cluster string) *Growth {
	t.Helper()
	for i := range res.Growth {
		if res.Growth[i].Area == area && res.Growth[i].Cluster == cluster {
			return &res.Growth[i]
		}
	}
	t.Fatalf("no growth for %s %s", area, cluster)
	return nil
}

func TestComputeSuppression(t *testing.T) {
	cells := handCells()[:12] // 2020 only
	// B's 5510 cell is withheld: no value, and B × T1 is incomplete.
	cells[5] = Cell{Year: 2020, Area: "B", Industry: "5510", Suppressed: true}
	res := compute(t, cells, sampleSet(), DefaultOptions())
	m := find(t, res, 2020, "B", "T1")
	if m.Employment != 0 || m.Cells != 1 || m.Suppressed != 1 || !m.Incomplete() {
		t.Errorf("B×T1 %+v", m)
	}
	// Known employment 0 with hidden jobs: the LQ of 0 can only rise.
	if m.LQ.Bound != LowerBound {
		t.Errorf("bound %v, want lower-bound", m.LQ.Bound)
	}
	// A × T1: the hidden cell is elsewhere in the reference, in the same
	// cluster; it can only lower A's LQ.
	if m := find(t, res, 2020, "A", "T1"); m.LQ.Bound != UpperBound || m.Incomplete() {
		t.Errorf("A×T1 bound %v", m.LQ.Bound)
	}
	// A × L1: the hidden cell is in another cluster of another area; it
	// raises the reference's total only, so A's textbook LQ can only rise.
	if m := find(t, res, 2020, "A", "L1"); m.LQ.Bound != LowerBound {
		t.Errorf("A×L1 bound %v", m.LQ.Bound)
	}
	// The CMP LQ of a local cluster does not read traded cells at all.
	if m := find(t, res, 2020, "A", "L1"); m.LQClusterMapping.Bound != Exact {
		t.Errorf("A×L1 CMP bound %v", m.LQClusterMapping.Bound)
	}
	if r := res.References[0]; r.Suppressed != 1 || r.SuppressedTraded != 1 || r.All != 580 {
		t.Errorf("reference totals %+v", r)
	}
}

func TestComputeReferenceWithoutEmployment(t *testing.T) {
	// Compared with area C alone, which has no fishing: every fishing LQ
	// divides by zero and must be "not defined", written as null.
	opt := DefaultOptions()
	opt.Reference = Reference{Key: "c", Name: "Area C", Areas: []string{"C", "Z"}}
	res := compute(t, handCells(), sampleSet(), opt)
	if len(res.Reference.Missing) != 1 || res.Reference.Missing[0] != "Z" {
		t.Errorf("missing reference areas %v", res.Reference.Missing)
	}
	m := find(t, res, 2020, "B", "T2")
	if m.LQ.Value.Defined() || m.LQClusterMapping.Value.Defined() || m.ShareOfReference.Defined() {
		t.Errorf("B×T2 against a reference without fishing: %+v", m)
	}
	if m.Strength.Status != OutsideReference {
		t.Errorf("B is not a peer of reference C: %v", m.Strength.Status)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(b); strings.Contains(s, "NaN") || strings.Contains(s, "Inf") {
		t.Error("JSON output holds NaN or Inf")
	}
	if !strings.Contains(string(b), `"lq":{"value":null`) {
		t.Error("an undefined LQ should be written as null")
	}
}

func TestComputeRefusesBadInput(t *testing.T) {
	d, err := NewDataset(handCells())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		set   *DefinitionSet
		opt   func(o *Options)
		field string
	}{
		{"year without data", sampleSet(), func(o *Options) { o.From, o.To = 2021, 2022 }, "from"},
		{"years reversed", sampleSet(), func(o *Options) { o.From, o.To = 2022, 2020 }, "to"},
		{"one year only", sampleSet(), func(o *Options) { o.From = 2020 }, "from"},
		{"confidence", sampleSet(), func(o *Options) { o.Confidence = 95 }, "confidence"},
		{"quantile", sampleSet(), func(o *Options) { o.Strength.StrongLQ = 1.5 }, "strength.strong_lq_quantile"},
		{"unknown reference", sampleSet(), func(o *Options) { o.Reference.Areas = []string{"Q"} }, "reference"},
		{"overlapping set", func() *DefinitionSet {
			s := sampleSet()
			s.Clusters[1].Industries = append(s.Clusters[1].Industries, "4711")
			return s
		}(), func(*Options) {}, "clusters[2].industries[0]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opt := DefaultOptions()
			tc.opt(&opt)
			_, err := Compute(d, tc.set, opt)
			var p *problem.Error
			if !errors.As(err, &p) || p.Kind != problem.Invalid {
				t.Fatalf("error %v, want an Invalid problem", err)
			}
			for _, det := range p.Details {
				if det.Field == tc.field {
					return
				}
			}
			t.Errorf("no detail for %s: %v", tc.field, p.Details)
		})
	}
}

func TestComputeWithoutEstablishments(t *testing.T) {
	// Employment only: establishments and wages are not defined (not 0),
	// the strong-cluster rule, which needs establishments, cannot classify,
	// and the minimum-cell rule tests employment alone.
	cells := handCells()[:12]
	for i := range cells {
		cells[i].HasEstablishments, cells[i].HasWages = false, false
		cells[i].Establishments, cells[i].Wages = 0, 0
	}
	res := compute(t, cells, sampleSet(), DefaultOptions())
	m := find(t, res, 2020, "A", "T1")
	if m.Establishments.Defined() || m.Wages.Defined() || m.AverageWage.Defined() || m.AverageSize.Defined() {
		t.Errorf("figures from absent columns: %+v", m)
	}
	if !m.Reliable || m.Strength.Status != NoData || m.Stars.Status != Classified {
		t.Errorf("A×T1 reliable %v, strength %v, stars %v", m.Reliable, m.Strength.Status, m.Stars.Status)
	}
	// Stars for A × T1 among the peers A (100 jobs, share 0.5) and C (20,
	// 0.2): top 10 % of 2 is k = 1, so A has the size and focus stars, and
	// LQ 15/7 ≥ 2 gives the specialisation star.
	if m.Stars.Count() != 3 {
		t.Errorf("A×T1 stars %+v", m.Stars)
	}
}
