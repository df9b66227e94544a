package mapping

import (
	"slices"
	"testing"
)

// candidateFixture: two areas, two clusters (one traded, one local), two
// years, small enough to check each filter and sort by hand.
func candidateFixture(t *testing.T) *Result {
	t.Helper()
	var cells []Cell
	add := func(y int, a, ind string, emp, est int64) {
		cells = append(cells, Cell{Year: y, Area: a, Industry: ind, Employment: emp, Establishments: est, HasEstablishments: true})
	}
	for _, y := range []int{2020, 2024} {
		grow := int64(1)
		if y == 2024 {
			grow = 2
		}
		add(y, "A", "1", 400*grow, 20)
		add(y, "A", "2", 100, 10)
		add(y, "A", "9", 500, 30)
		add(y, "B", "1", 100, 5)
		add(y, "B", "2", 300, 12)
		add(y, "B", "9", 600, 40)
	}
	d, err := NewDataset(cells)
	if err != nil {
		t.Fatal(err)
	}
	set := &DefinitionSet{Name: "t", Classification: "isic4", Clusters: []Cluster{
		{Code: "T", Name: "Traded one", Type: Traded, Industries: []string{"1"}},
		{Code: "L", Name: "Local one", Type: Local, Industries: []string{"2"}},
	}}
	opt := DefaultOptions()
	opt.From, opt.To = 2020, 2024
	res, err := Compute(d, set, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func keys(rows []Candidate) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Area+"/"+r.Cluster)
	}
	return out
}

func TestCandidatesFilterSortPage(t *testing.T) {
	res := candidateFixture(t)
	rows, total := Candidates(res, Query{Year: 2020, Sort: "-lq"})
	// LQ (textbook) in 2020: A/T = (400/1000)/(500/2000) = 1.6; B/T = 0.4;
	// A/L = (100/1000)/(400/2000) = 0.5; B/L = 1.5.
	if want := []string{"A/T", "B/L", "A/L", "B/T"}; total != 4 || !slices.Equal(keys(rows), want) {
		t.Errorf("by LQ %v (%d), want %v", keys(rows), total, want)
	}
	// The default puts traded clusters by strong-cluster level first, then
	// the local ones (the rule does not rank them), each by LQ.
	if def, _ := Candidates(res, Query{Year: 2020}); !slices.Equal(keys(def), []string{"A/T", "B/T", "B/L", "A/L"}) {
		t.Errorf("default order %v, want [A/T B/T B/L A/L]", keys(def))
	}
	if v, _ := rows[0].LQ.Value.Get(); v != 1.6 {
		t.Errorf("A/T LQ = %v, want 1.6", v)
	}
	rows, _ = Candidates(res, Query{Year: 2020, TradedOnly: true, Sort: "employment"})
	if want := []string{"B/T", "A/T"}; !slices.Equal(keys(rows), want) {
		t.Errorf("traded by employment %v, want %v", keys(rows), want)
	}
	rows, total = Candidates(res, Query{Year: 2020, MinEmployment: 300, Sort: "-employment", Limit: 1, Offset: 1})
	if want := []string{"B/L"}; total != 2 || !slices.Equal(keys(rows), want) {
		t.Errorf("page 2 of size 1 %v (%d), want %v of 2", keys(rows), total, want)
	}
	// Growth joins the year's rows: A/T doubled from 400 to 800.
	rows, _ = Candidates(res, Query{Year: 2024, Area: "A", Cluster: "T"})
	if len(rows) != 1 || rows[0].Growth == nil || rows[0].Growth.JobCreation.Or(0) != 400 {
		t.Fatalf("A/T growth %+v", rows)
	}
	rows, _ = Candidates(res, Query{Year: 2024, Sort: "-job_creation"})
	if rows[0].Area+"/"+rows[0].Cluster != "A/T" {
		t.Errorf("largest job creation first: %v", keys(rows))
	}
	if rows, total = Candidates(res, Query{Year: 1999}); total != 0 || len(rows) != 0 {
		t.Errorf("a year without data gives %v", keys(rows))
	}
}

func TestCandidateRecordMatchesHeader(t *testing.T) {
	res := candidateFixture(t)
	rows, _ := Candidates(res, Query{Year: 2024})
	l := &Labels{AreaNames: map[string]string{"A": "Area A"}, ClusterNames: map[string]string{"T": "Traded one"}}
	for _, g := range []bool{false, true} {
		h := CandidateHeader(g)
		for _, r := range rows {
			rec := CandidateRecord(&r, l, g)
			if len(rec) != len(h) {
				t.Fatalf("growth=%v: %d fields for %d columns", g, len(rec), len(h))
			}
		}
	}
	rows, _ = Candidates(res, Query{Year: 2024, Area: "A", Cluster: "T"})
	rec := CandidateRecord(&rows[0], l, true)
	h := CandidateHeader(true)
	col := func(name string) string { return rec[slices.Index(h, name)] }
	if col("area") != "A" || col("area_name") != "Area A" || col("cluster_name") != "Traded one" || col("growth_from") != "2020" {
		t.Errorf("record %v", rec)
	}
	if !slices.Equal(h[:7], []string{"year", "area", "cluster", "employment", "establishments", "lq", "share_of_reference"}) {
		t.Errorf("core columns %v", h[:7])
	}
}

func TestByCountry(t *testing.T) {
	res := candidateFixture(t)
	l := &Labels{AreaCountry: map[string]string{"A": "JAM", "B": "JAM"}}
	got := ByCountry(res, l, 2020, "T")
	// Both areas in one country that is the whole reference: LQ 1.
	if len(got) != 1 || got[0].Employment != 500 || got[0].Total != 2000 || got[0].LQ.Or(0) != 1 {
		t.Errorf("one country %+v", got)
	}
	l.AreaCountry["B"] = "TTO"
	got = ByCountry(res, l, 2020, "T")
	// JAM: (400/1000)/(500/2000) = 1.6; TTO: (100/1000)/(500/2000) = 0.4.
	if len(got) != 2 || got[0].Country != "JAM" || got[0].LQ.Or(0) != 1.6 || got[1].LQ.Or(0) != 0.4 {
		t.Errorf("two countries %+v", got)
	}
	if got := ByCountry(res, l, 2020, "nope"); len(got) != 0 {
		t.Errorf("unknown cluster %+v", got)
	}
}
