package mapping

import (
	"math"
	"slices"
)

// Quantile returns the p-quantile of ascending values by linear
// interpolation between order statistics: with h = (n−1)·p, the value
// x[⌊h⌋] + (h−⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) (Hyndman and Fan 1996, definition 7,
// the default of R and of d3.quantile, which the U.S. Cluster Mapping
// Project uses). Ties need no rule: the result depends only on the values.
// Not defined for an empty slice.
func Quantile(sorted []float64, p float64) Value {
	n := len(sorted)
	if n == 0 {
		return Value{}
	}
	h := float64(n-1) * p
	lo := int(math.Floor(h))
	if lo >= n-1 {
		return Of(sorted[n-1])
	}
	if lo < 0 {
		return Of(sorted[0])
	}
	return Of(sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo]))
}

// TopThreshold returns the smallest value that is still in the top share of
// the values by the nearest-rank method: the k-th largest value, with
// k = ⌈share·n⌉ (at least 1). An area is in the top share when its value is
// at least the threshold, so areas tied with the k-th are all in it, whatever
// the order of the input. values is reordered. Not defined for an empty
// slice.
func TopThreshold(values []float64, share float64) Value {
	n := len(values)
	if n == 0 {
		return Value{}
	}
	// Rounding guard: 0.1·30 is 3.0000000000000004 in floating point.
	k := int(math.Ceil(share*float64(n) - 1e-9))
	k = max(1, min(k, n))
	return Of(selectK(values, n-k))
}

// quantile is Quantile for values in any order; values is reordered. Two
// selections in linear time replace a sort.
func quantile(values []float64, p float64) Value {
	n := len(values)
	if n == 0 {
		return Value{}
	}
	h := float64(n-1) * p
	lo := max(0, min(int(math.Floor(h)), n-1))
	a := selectK(values, lo)
	if lo == n-1 {
		return Of(a)
	}
	// After selection everything past lo is at least values[lo]; the next
	// order statistic is the smallest of them.
	b := slices.Min(values[lo+1:])
	return Of(a + (h-float64(lo))*(b-a))
}

// selectK reorders a so that a[k] is the k-th smallest value (from 0), every
// value before it is no larger and every value after it no smaller, and
// returns it (Hoare's selection with a median-of-three pivot; deterministic,
// linear on average).
func selectK(a []float64, k int) float64 {
	lo, hi := 0, len(a)-1
	for hi > lo {
		mid := lo + (hi-lo)/2
		if a[mid] < a[lo] {
			a[mid], a[lo] = a[lo], a[mid]
		}
		if a[hi] < a[lo] {
			a[hi], a[lo] = a[lo], a[hi]
		}
		if a[hi] < a[mid] {
			a[hi], a[mid] = a[mid], a[hi]
		}
		pivot := a[mid]
		i, j := lo, hi
		for i <= j {
			for a[i] < pivot {
				i++
			}
			for a[j] > pivot {
				j--
			}
			if i <= j {
				a[i], a[j] = a[j], a[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return a[k]
		}
	}
	return a[k]
}
