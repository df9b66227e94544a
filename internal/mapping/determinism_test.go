package mapping

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// TestComputeIgnoresInputOrder shuffles the cells and the clusters and
// expects byte-identical output.
func TestComputeIgnoresInputOrder(t *testing.T) {
	g := synthetic{areas: 40, industries: 60, years: 3, clusters: 9, seed: 5}
	var cells []Cell
	if err := g.each(func(c Cell) error { cells = append(cells, c); return nil }); err != nil {
		t.Fatal(err)
	}
	opt := DefaultOptions()
	opt.From, opt.To = 2010, 2012
	opt.Reference = Reference{Key: "half", Name: "Half", Areas: []string{"AR0001", "AR0003", "AR0005", "AR0007", "AR0010", "AR0020", "AR0030", "AR0039"}}
	want := output(t, compute(t, cells, g.set(), opt))

	r := rand.New(rand.NewPCG(3, 4))
	for round := 0; round < 3; round++ {
		r.Shuffle(len(cells), func(i, j int) { cells[i], cells[j] = cells[j], cells[i] })
		set := g.set()
		r.Shuffle(len(set.Clusters), func(i, j int) { set.Clusters[i], set.Clusters[j] = set.Clusters[j], set.Clusters[i] })
		for _, c := range set.Clusters {
			r.Shuffle(len(c.Industries), func(i, j int) { c.Industries[i], c.Industries[j] = c.Industries[j], c.Industries[i] })
		}
		if got := output(t, compute(t, cells, set, opt)); !bytes.Equal(got, want) {
			t.Fatalf("round %d: output differs after shuffling the input", round)
		}
	}
}

func output(t *testing.T, res *Result) []byte {
	t.Helper()
	res.Options = Options{} // the options are echoed as given
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestComputeSorted checks the documented order of the result.
func TestComputeSorted(t *testing.T) {
	g := synthetic{areas: 12, industries: 30, years: 3, clusters: 5, seed: 8}
	d, err := g.dataset()
	if err != nil {
		t.Fatal(err)
	}
	res, err := Compute(d, g.set(), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(res.Metrics); i++ {
		a, b := &res.Metrics[i-1], &res.Metrics[i]
		if a.Year > b.Year || (a.Year == b.Year && (a.Area > b.Area || (a.Area == b.Area && a.Cluster >= b.Cluster))) {
			t.Fatalf("metrics out of order at %d: %d %s %s then %d %s %s", i, a.Year, a.Area, a.Cluster, b.Year, b.Area, b.Cluster)
		}
	}
	if want := 3 * 12 * 5; len(res.Metrics) != want {
		t.Errorf("%d metrics, want %d", len(res.Metrics), want)
	}
}
