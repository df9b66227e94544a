package mapping

import (
	"math/rand/v2"
	"slices"
	"testing"
)

func TestQuantile(t *testing.T) {
	x := []float64{1, 2, 3, 4}
	tests := []struct {
		p    float64
		want float64
	}{
		{0.25, 1.75}, // h = 3·0.25 = 0.75: 1 + 0.75·(2−1)
		{0.50, 2.5},  // h = 1.5: 2 + 0.5·(3−2)
		{0.75, 3.25}, // h = 2.25: 3 + 0.25·(4−3)
		{0.90, 3.7},  // h = 2.7: 3 + 0.7·(4−3)
		{1, 4},
		{0, 1},
	}
	for _, tc := range tests {
		near(t, "quantile", Quantile(x, tc.p), tc.want)
	}
	near(t, "one value", Quantile([]float64{7}, 0.9), 7)
	// Ties: [5, 5, 5, 9] at 0.5: h = 1.5, 5 + 0.5·(5−5) = 5.
	near(t, "ties", Quantile([]float64{5, 5, 5, 9}, 0.5), 5)
	undefined(t, "empty", Quantile(nil, 0.5))
}

func TestTopThreshold(t *testing.T) {
	tests := []struct {
		name   string
		values []float64
		share  float64
		want   float64
	}{
		// 10 values, top 10 %: k = ⌈1⌉ = 1, the largest.
		{"ten", []float64{10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, 0.10, 100},
		// 11 values, top 10 %: k = ⌈1.1⌉ = 2; the two 100s tie for the
		// top, both are in.
		{"ties", []float64{100, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100}, 0.10, 100},
		// 30 values: 0.1·30 is 3.0000000000000004 in floating point; k must
		// be 3, not 4.
		{"rounding", seq(30), 0.10, 28},
		// Fewer than ten areas: the single largest still gets the star.
		{"few", []float64{3, 1, 2}, 0.10, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := slices.Clone(tc.values)
			near(t, "threshold", TopThreshold(in, tc.share), tc.want)
		})
	}
	undefined(t, "empty", TopThreshold(nil, 0.1))
}

func seq(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = float64(i + 1)
	}
	return s
}

// TestSelectionMatchesSort checks the linear-time selections against a sort
// on random data with many ties.
func TestSelectionMatchesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for n := 1; n < 200; n++ {
		v := make([]float64, n)
		for i := range v {
			v[i] = float64(r.IntN(n/3 + 1))
		}
		sorted := slices.Clone(v)
		slices.Sort(sorted)
		for _, p := range []float64{0, 0.1, 0.25, 0.5, 0.75, 0.9, 1} {
			want, _ := Quantile(sorted, p).Get()
			got, _ := quantile(slices.Clone(v), p).Get()
			if got != want {
				t.Fatalf("n=%d p=%v: selection %v, sort %v", n, p, got, want)
			}
		}
		k := r.IntN(n)
		if got := selectK(slices.Clone(v), k); got != sorted[k] {
			t.Fatalf("n=%d k=%d: %v, want %v", n, k, got, sorted[k])
		}
	}
}
