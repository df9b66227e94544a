package mapping

import (
	"math/rand/v2"
	"testing"
)

func TestLQBound(t *testing.T) {
	tests := []struct {
		name       string
		x, n, X, N int64
		in         bool
		s          suppression
		want       Bound
	}{
		{"nothing suppressed", 10, 1000, 1000, 10000, true, suppression{}, Exact},
		// LQ = (10/1000)/(1000/10000) = 0.1. A = 1/10 − 1/1000 − 1/1000 +
		// 1/10000 = 0.0981 ≥ 0, B = 1/(10·10000) − 1/(1000·1000) = 9e-6 ≥ 0:
		// hidden cluster jobs in the area can only raise it.
		{"own cells, LQ below 1", 10, 1000, 1000, 10000, true, suppression{own: 1}, LowerBound},
		// LQ = (10/1000)/(100/100000) = 10. B = 1e-6 − 1e-5 < 0 while A > 0:
		// a few hidden jobs raise it, very many pull it towards 1.
		{"own cells, LQ above 1", 10, 1000, 100, 100000, true, suppression{own: 1}, Unknown},
		// The area is all cluster (x = n): x/n stays 1 while X/N grows. A =
		// 0 − 1/100 + 1/1000 < 0, B = 1/(50·1000) − 1/(50·100) < 0.
		{"own cells, area all cluster", 50, 50, 100, 1000, true, suppression{own: 2}, UpperBound},
		{"own cells, none known", 0, 1000, 100, 100000, true, suppression{own: 1}, LowerBound},
		{"own cells, outside the reference", 10, 1000, 100, 100000, false, suppression{own: 1}, LowerBound},
		{"area's other cells", 10, 1000, 100, 100000, true, suppression{areaOther: 3}, UpperBound},
		{"cluster elsewhere in the reference", 10, 1000, 100, 100000, true, suppression{refCluster: 3}, UpperBound},
		{"other cells elsewhere", 10, 1000, 100, 100000, true, suppression{refOther: 3}, LowerBound},
		{"both directions", 10, 1000, 100, 100000, true, suppression{areaOther: 1, refOther: 1}, Unknown},
		{"raising together", 10, 1000, 1000, 10000, true, suppression{own: 1, refOther: 4}, LowerBound},
		{"lowering together", 50, 50, 100, 1000, true, suppression{own: 1, areaOther: 1, refCluster: 1}, UpperBound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := lqBound(tc.x, tc.n, tc.X, tc.N, tc.in, tc.s); got != tc.want {
				t.Errorf("bound %v, want %v", got, tc.want)
			}
		})
	}
}

// TestLQBoundHolds fills suppressed cells with random hidden employment and
// checks that the true LQ lies on the promised side of the computed one.
func TestLQBoundHolds(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	mass := func(on int32) int64 {
		if on == 0 {
			return 0
		}
		return r.Int64N(5000)
	}
	for i := 0; i < 20000; i++ {
		// Known employment: area cluster x, area other o, reference
		// cluster elsewhere c, reference other elsewhere e.
		x, o := r.Int64N(200), 1+r.Int64N(2000)
		c, e := 1+r.Int64N(5000), 1+r.Int64N(50000)
		in := r.IntN(2) == 0
		n, X, N := x+o, x+c, x+o+c+e
		if !in {
			X, N = c, c+e
		}
		s := suppression{int32(r.IntN(2)), int32(r.IntN(2)), int32(r.IntN(2)), int32(r.IntN(2))}
		b := lqBound(x, n, X, N, in, s)
		lq0, ok := LocationQuotient(x, n, X, N).Get()
		if !ok {
			continue
		}
		for k := 0; k < 5; k++ {
			sa, sb, sc, sd := mass(s.own), mass(s.areaOther), mass(s.refCluster), mass(s.refOther)
			tx, tn := x+sa, n+sa+sb
			tX, tN := X+sc, N+sc+sd
			if in {
				tX += sa
				tN += sa + sb
			}
			lq, _ := LocationQuotient(tx, tn, tX, tN).Get()
			const eps = 1e-12
			if (b == Exact && (lq > lq0*(1+eps) || lq < lq0*(1-eps))) ||
				(b == LowerBound && lq < lq0*(1-eps)) ||
				(b == UpperBound && lq > lq0*(1+eps)) {
				t.Fatalf("bound %v broken: x=%d n=%d X=%d N=%d in=%v %+v: computed %v, true %v", b, x, n, X, N, in, s, lq0, lq)
			}
		}
	}
}
