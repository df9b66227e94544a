package mapping

import (
	"math"
	"math/rand/v2"
	"testing"
)

func near(t *testing.T, what string, got Value, want float64) {
	t.Helper()
	g, ok := got.Get()
	if !ok {
		t.Errorf("%s: not defined, want %.12g", what, want)
		return
	}
	if math.Abs(g-want) > 1e-9*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.12g, want %.12g", what, g, want)
	}
}

func undefined(t *testing.T, what string, got Value) {
	t.Helper()
	if got.Defined() {
		t.Errorf("%s = %v, want not defined", what, got)
	}
}

func TestLocationQuotient(t *testing.T) {
	tests := []struct {
		name       string
		x, n, X, N int64
		want       float64
		notDefined bool
	}{
		// (100/200)/(140/600) = 0.5/0.2333… = 15/7.
		{"textbook", 100, 200, 140, 600, 15.0 / 7, false},
		// (100/110)/(140/240) = (10/11)·(12/7) = 120/77.
		{"cluster-mapping denominators", 100, 110, 140, 240, 120.0 / 77, false},
		// An area with none of the cluster: (0/100)/(100/600) = 0.
		{"zero in area", 0, 100, 100, 600, 0, false},
		// The reference has no employment in the cluster: 0/0 in the
		// denominator, so not defined rather than NaN or +Inf.
		{"zero reference cluster", 5, 100, 0, 600, 0, true},
		{"zero reference", 0, 0, 0, 0, 0, true},
		{"zero area total", 0, 0, 10, 600, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := LocationQuotient(tc.x, tc.n, tc.X, tc.N)
			if tc.notDefined {
				undefined(t, "LQ", got)
				return
			}
			near(t, "LQ", got, tc.want)
		})
	}
}

func TestLQInterval(t *testing.T) {
	tests := []struct {
		name       string
		x, n, X, N int64
		level      float64
		method     IntervalMethod
		inRef      bool
		low, high  float64
		sig        Significance
	}{
		// LQ 15/7 = 2.142857; Var = 1/100 − 1/200 + 1/140 − 1/600
		// = 0.0104762; z(0.95) = 1.959964; half-width on the log scale
		// 1.959964·0.102353 = 0.200609; limits 2.142857·e^∓0.200609.
		{"moineddin 95%", 100, 200, 140, 600, 0.95, IntervalMoineddin, true, 1.7533554333684458, 2.6188852797931013, Above},
		// Nested: Var − 2(1 − 100/200)/140 = 0.0104762 − 0.0071429 = 0.0033333.
		{"nested 95%", 100, 200, 140, 600, 0.95, IntervalNested, true, 1.913590803002364, 2.3995917661651744, Above},
		// Outside the reference there is no shared employment: nested = moineddin.
		{"nested outside reference", 100, 200, 140, 600, 0.95, IntervalNested, false, 1.7533554333684458, 2.6188852797931013, Above},
		// A small island cell: 3 of 10 jobs against 30 of 1000; LQ 10,
		// Var = 1/3 − 1/10 + 1/30 − 1/1000 = 0.265667, z(0.90) = 1.644854:
		// [10·e^−0.847817, 10·e^0.847817] = [4.2835, 23.3452].
		{"small cell 90%", 3, 10, 30, 1000, 0.90, IntervalMoineddin, true, 4.283542914832664, 23.345161234110456, Above},
		// The area is the whole reference: its LQ is 1 by construction and
		// the nested variance 2/x − 2/n − 2(1 − x/n)/x is exactly 0.
		{"area is the reference", 40, 100, 40, 100, 0.95, IntervalNested, true, 1, 1, Inconclusive},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lo, hi := LQInterval(tc.x, tc.n, tc.X, tc.N, tc.level, tc.method, tc.inRef)
			near(t, "low", lo, tc.low)
			near(t, "high", hi, tc.high)
			if got := ExcludesOne(lo, hi); got != tc.sig {
				t.Errorf("significance %v, want %v", got, tc.sig)
			}
		})
	}
	t.Run("no interval for zero employment", func(t *testing.T) {
		lo, hi := LQInterval(0, 100, 100, 600, 0.95, IntervalMoineddin, true)
		undefined(t, "low", lo)
		undefined(t, "high", hi)
		if ExcludesOne(lo, hi) != NotTested {
			t.Error("an undefined interval must not be tested")
		}
	})
	t.Run("below one", func(t *testing.T) {
		// 100 of 10 000 against 3 000 of 30 000: LQ 0.1, far below 1.
		lo, hi := LQInterval(100, 10000, 3000, 30000, 0.95, IntervalMoineddin, false)
		if ExcludesOne(lo, hi) != Below {
			t.Errorf("interval [%v, %v] should lie below 1", lo, hi)
		}
	})
}

func TestZScore(t *testing.T) {
	if z := zScore(0.95); math.Abs(z-1.959963984540054) > 1e-12 {
		t.Errorf("z(0.95) = %v", z)
	}
	if z := zScore(0.90); math.Abs(z-1.6448536269514715) > 1e-12 {
		t.Errorf("z(0.90) = %v", z)
	}
}

func TestCAGR(t *testing.T) {
	near(t, "100→120 over 2 years", CAGR(100, 120, 2), math.Sqrt(1.2)-1) // 0.0954451
	near(t, "100→50 over 1 year", CAGR(100, 50, 1), -0.5)
	near(t, "to zero", CAGR(100, 0, 3), -1)
	undefined(t, "from zero", CAGR(0, 10, 2))
	undefined(t, "no years", CAGR(10, 10, 0))
}

func TestShiftShare(t *testing.T) {
	// Area: 100 → 120 jobs in the cluster. Reference: 600 → 540 jobs in all
	// (g = −0.1), 140 → 140 in the cluster (gc = 0).
	// Reference effect 100·(−0.1) = −10; mix 100·(0 − (−0.1)) = +10;
	// competitive 100·(0.2 − 0) = +20; −10 + 10 + 20 = 20 = 120 − 100.
	ns, im, ce := ShiftShare(100, 120, 600, 540, 140, 140)
	near(t, "reference effect", ns, -10)
	near(t, "mix effect", im, 10)
	near(t, "competitive effect", ce, 20)

	// From zero the first two effects vanish and the change is all
	// competitive.
	ns, im, ce = ShiftShare(0, 7, 600, 660, 140, 150)
	near(t, "reference effect from zero", ns, 0)
	near(t, "mix effect from zero", im, 0)
	near(t, "competitive effect from zero", ce, 7)

	ns, _, _ = ShiftShare(10, 12, 600, 660, 0, 150)
	undefined(t, "reference cluster empty in the first year", ns)

	// The invariant: the effects add up to the change, for any inputs.
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 10000; i++ {
		from, to := r.Int64N(1e6), r.Int64N(1e6)
		rf, rt := from+1+r.Int64N(1e8), r.Int64N(1e8)
		rcf, rct := from+1+r.Int64N(1e7), r.Int64N(1e7)
		ns, im, ce := ShiftShare(from, to, rf, rt, rcf, rct)
		sum := ns.Or(math.NaN()) + im.Or(math.NaN()) + ce.Or(math.NaN())
		if d := math.Abs(sum - float64(to-from)); d > 1e-9*math.Max(1, math.Abs(float64(to-from))) {
			t.Fatalf("effects of %d→%d add up to %v, off by %g", from, to, sum, d)
		}
	}
}

func TestPlaceQuadrant(t *testing.T) {
	r := DefaultQuadrantRule()
	tests := []struct {
		lq, change Value
		want       Quadrant
	}{
		{Of(2.1), Of(0.3), Star},
		{Of(1.2), Of(0.01), Star}, // at the threshold counts as specialised
		{Of(2.1), Of(-0.04), Mature},
		{Of(1.5), Of(0), Mature}, // no change is not a gain
		{Of(0.8), Of(0.2), Emerging},
		{Of(0.8), Of(-0.2), Transforming},
		{Value{}, Of(0.2), NoQuadrant},
		{Of(1.3), Value{}, NoQuadrant},
	}
	for _, tc := range tests {
		if got := PlaceQuadrant(tc.lq, tc.change, &r); got != tc.want {
			t.Errorf("PlaceQuadrant(%v, %v) = %v, want %v", tc.lq, tc.change, got, tc.want)
		}
	}
}
