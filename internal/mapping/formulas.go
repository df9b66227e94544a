package mapping

import "math"

// LocationQuotient is (x/n) / (X/N): the cluster's share of the area's
// employment over its share of the reference's. x is the area's cluster
// employment, n the area's employment (all, or of the cluster's type), X and
// N the same for the reference. Not defined when n, X or N is zero.
func LocationQuotient(x, n, X, N int64) Value {
	if n == 0 || X == 0 || N == 0 {
		return Value{}
	}
	return Of((float64(x) / float64(n)) / (float64(X) / float64(N)))
}

// zScore is the two-sided standard normal quantile for a confidence level:
// 1.6449 for 0.90, 1.9600 for 0.95.
func zScore(level float64) float64 { return math.Sqrt2 * math.Erfinv(level) }

// LQInterval is the delta-method confidence interval of the location
// quotient: ln(LQ) ± z·√Var, transformed back. With IntervalMoineddin the
// variance is 1/x − 1/n + 1/X − 1/N (binomial counts, area and reference
// taken as independent samples: Moineddin, Beyene and Boyle 2003). With
// IntervalNested and an area inside the reference, the covariance of the
// two shares, (1/X)(1 − x/n), is subtracted twice; the variance is then zero
// when the area is the whole reference, whose LQ is 1 by construction. Not
// defined when x is zero (ln 0) or the LQ is not defined.
func LQInterval(x, n, X, N int64, level float64, method IntervalMethod, inReference bool) (low, high Value) {
	return lqInterval(x, n, X, N, zScore(level), method, inReference)
}

// lqInterval is LQInterval with the normal quantile z already computed.
func lqInterval(x, n, X, N int64, z float64, method IntervalMethod, inReference bool) (low, high Value) {
	lq, ok := LocationQuotient(x, n, X, N).Get()
	if !ok || x <= 0 {
		return Value{}, Value{}
	}
	fx, fn, fX, fN := float64(x), float64(n), float64(X), float64(N)
	v := 1/fx - 1/fn + 1/fX - 1/fN
	if method == IntervalNested && inReference {
		v -= 2 * (1 - fx/fn) / fX
	}
	if v < 0 {
		// Rounding, or the degenerate case of an area that is its whole
		// reference: the interval collapses on the LQ.
		v = 0
	}
	e := math.Exp(z * math.Sqrt(v))
	return Of(lq / e), Of(lq * e)
}

// Significance says whether an LQ interval lies wholly above or below 1.
type Significance uint8

// The outcomes of comparing an LQ interval with 1.
const (
	NotTested    Significance = iota // no interval
	Above                            // the lower limit exceeds 1
	Below                            // the upper limit is under 1
	Inconclusive                     // the interval contains 1
)

// String names the outcome.
func (s Significance) String() string {
	return [...]string{"not-tested", "above", "below", "inconclusive"}[s]
}

// MarshalText writes the outcome's name.
func (s Significance) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ExcludesOne compares an interval with 1.
func ExcludesOne(low, high Value) Significance {
	lo, okL := low.Get()
	hi, okH := high.Get()
	switch {
	case !okL || !okH:
		return NotTested
	case lo > 1:
		return Above
	case hi < 1:
		return Below
	}
	return Inconclusive
}

// CAGR is the compound annual growth rate (to/from)^(1/years) − 1. Not
// defined when the first value is zero or years is not positive.
func CAGR(from, to int64, years int) Value {
	if from <= 0 || to < 0 || years <= 0 {
		return Value{}
	}
	return Of(math.Pow(float64(to)/float64(from), 1/float64(years)) - 1)
}

// ShiftShare splits an area's change in cluster employment, to − from, into
// the classic three effects (Dunn 1960): the reference growth effect
// from·g, the industry-mix effect from·(gc − g) and the regional competitive
// effect from·(ga − gc), where g is the growth rate of the reference's total
// employment, gc of the reference's cluster employment and ga of the area's
// cluster employment. The competitive effect is computed as the remainder of
// the change, so the three effects add up to the change. Not defined when
// the reference's employment (total or in the cluster) is zero in the first
// year.
func ShiftShare(from, to, refFrom, refTo, refClusterFrom, refClusterTo int64) (reference, mix, competitive Value) {
	if refFrom == 0 || refClusterFrom == 0 {
		return Value{}, Value{}, Value{}
	}
	g := float64(refTo)/float64(refFrom) - 1
	gc := float64(refClusterTo)/float64(refClusterFrom) - 1
	e := float64(from)
	ns := e * g
	im := e * (gc - g)
	ce := float64(to-from) - ns - im
	return Of(ns), Of(im), Of(ce)
}
