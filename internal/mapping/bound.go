package mapping

// Bound says how a location quotient computed from incomplete data relates
// to the true one. Suppressed cells hide employment of unknown size; where
// the hidden employment sits decides whether it would raise or lower the LQ.
type Bound uint8

// The bounds.
const (
	// Exact: no suppressed cell enters the LQ.
	Exact Bound = iota
	// LowerBound: every suppressed cell that enters the LQ can only raise it,
	// whatever its size; the true LQ is at least the one shown.
	LowerBound
	// UpperBound: every suppressed cell can only lower it.
	UpperBound
	// Unknown: suppressed cells pull in both directions, or in a direction
	// that depends on their size.
	Unknown
)

// String names the bound.
func (b Bound) String() string {
	return [...]string{"exact", "lower-bound", "upper-bound", "unknown"}[b]
}

// MarshalText writes the bound's name.
func (b Bound) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// suppression counts the suppressed cells that enter one LQ, by where their
// hidden employment would go: own (the area's cells of the cluster: x, n,
// and X, N when the area is in the reference), areaOther (the area's other
// cells in the denominator: n, and N), refCluster (the reference's other
// areas' cells of the cluster: X, N) and refOther (the reference's other
// areas' other cells in the denominator: N).
type suppression struct {
	own, areaOther, refCluster, refOther int32
}

// lqBound decides the bound by the sign of each hidden mass's effect, which
// holds for any non-negative size:
//   - hidden employment in n only, or in X and N, lowers the LQ (n ≤ N and
//     X ≤ N make the ratio (1+s/N)/(1+s/n) and (1+s/N)/(1+s/X) at most 1);
//   - hidden employment in N only raises it;
//   - hidden employment in the area's own cells raises x/n; for an area in
//     the reference it also raises X/N, and LQ(s) ≥ LQ(0) for every s ≥ 0
//     exactly when A = 1/x − 1/n − 1/X + 1/N ≥ 0 and B = 1/(xN) − 1/(nX) ≥ 0
//     (expand (1+s/x)(1+s/N) ≥ (1+s/n)(1+s/X)); it lowers the LQ for every s
//     when both are ≤ 0, and is undecided otherwise.
//
// The effects of several masses combine monotonically, so a set of masses
// that all raise (or all lower) the LQ does so together.
func lqBound(x, n, X, N int64, inReference bool, s suppression) Bound {
	raise, lower := false, false
	if s.own > 0 {
		switch {
		case x == 0 || !inReference:
			raise = true
		default:
			fx, fn, fX, fN := float64(x), float64(n), float64(X), float64(N)
			a := 1/fx - 1/fn - 1/fX + 1/fN
			b := 1/(fx*fN) - 1/(fn*fX)
			switch {
			case a >= 0 && b >= 0:
				raise = true
			case a <= 0 && b <= 0:
				lower = true
			default:
				return Unknown
			}
		}
	}
	if s.areaOther > 0 || s.refCluster > 0 {
		lower = true
	}
	if s.refOther > 0 {
		raise = true
	}
	switch {
	case raise && lower:
		return Unknown
	case raise:
		return LowerBound
	case lower:
		return UpperBound
	}
	return Exact
}
