package indicator

import (
	"math"
	"sort"
)

// Outlier detection for indicator values. Pure logic.
//
// Against the subject's own history, a value is compared with the values
// of the same indicator, category and subject for the earlier periods of
// the same type: its z-score (x − mean) ÷ standard deviation (the sample
// standard deviation, n − 1), and its modified z-score
// 0.6745 × (x − median) ÷ MAD, where MAD is the median of the absolute
// deviations from the median (Iglewicz and Hoaglin, 1993). Against its
// peers — the same indicator, category and period in the same country —
// a value takes the modified z-score over all the peers' values, its own
// included, as Iglewicz and Hoaglin compute it for a sample.
//
// When the MAD is 0 (more than half the values are equal) the modified
// z-score divides by 1.253314 × the mean absolute deviation from the
// median instead, as IBM SPSS Modeler does; when that is 0 too, or the
// standard deviation is 0, the score is not defined and nothing is
// flagged. Nothing is flagged either with fewer than MinHistory earlier
// periods or MinPeers peers.

// Defaults for outlier detection.
const (
	DefaultZThreshold    = 3.0
	DefaultModZThreshold = 3.5
	// MinHistory is the fewest earlier periods a value is compared with.
	MinHistory = 5
	// MinPeers is the fewest values (the value's own included) a peer
	// comparison needs.
	MinPeers = 5
)

// OutlierMethod names how a value was found to stand out.
type OutlierMethod string

// The methods.
const (
	MethodHistoryZ    OutlierMethod = "history_z"
	MethodHistoryModZ OutlierMethod = "history_modified_z"
	MethodPeerModZ    OutlierMethod = "peer_modified_z"
)

// Key is the message key of the method's label.
func (m OutlierMethod) Key() string { return "indicatorquality.method." + string(m) }

// Robust reports whether the method uses the median (and so shows a
// median and a MAD rather than a mean and a standard deviation).
func (m OutlierMethod) Robust() bool { return m != MethodHistoryZ }

// OutlierScore is a z-score or modified z-score with the figures behind it.
type OutlierScore struct {
	Method OutlierMethod `json:"method"`
	Score  float64       `json:"score"`
	// Centre is the mean (z-score) or median (modified z-score) of the
	// reference values; Spread their standard deviation or MAD (or the
	// scaled mean absolute deviation when the MAD is 0).
	Centre    float64 `json:"centre"`
	Spread    float64 `json:"spread"`
	N         int     `json:"n"`
	Threshold float64 `json:"threshold"`
	// MeanAD is set when the MAD was 0 and the mean absolute deviation
	// stood in for it.
	MeanAD bool `json:"mean_ad"`
}

// Flagged reports whether the score passes its threshold.
func (s OutlierScore) Flagged() bool { return math.Abs(s.Score) > s.Threshold }

// ZScore is (x − mean) ÷ sample standard deviation of ref; ok is false
// with fewer than two reference values or no spread.
func ZScore(x float64, ref []float64) (OutlierScore, bool) {
	n := len(ref)
	s := OutlierScore{Method: MethodHistoryZ, N: n, Threshold: DefaultZThreshold}
	if n < 2 {
		return s, false
	}
	sum := 0.0
	for _, v := range ref {
		sum += v
	}
	mean := sum / float64(n)
	ss := 0.0
	for _, v := range ref {
		ss += (v - mean) * (v - mean)
	}
	sd := math.Sqrt(ss / float64(n-1))
	s.Centre, s.Spread = mean, sd
	if sd == 0 {
		return s, false
	}
	s.Score = (x - mean) / sd
	return s, true
}

// Median is the middle value of vs (the mean of the two middle ones for an
// even count); vs is not changed.
func Median(vs []float64) float64 {
	if len(vs) == 0 {
		return math.NaN()
	}
	c := append([]float64(nil), vs...)
	sort.Float64s(c)
	m := len(c) / 2
	if len(c)%2 == 1 {
		return c[m]
	}
	return (c[m-1] + c[m]) / 2
}

// ModifiedZScore is 0.6745 × (x − median) ÷ MAD over ref (Iglewicz and
// Hoaglin), or (x − median) ÷ (1.253314 × mean absolute deviation) when the
// MAD is 0; ok is false with no reference values or no spread at all.
func ModifiedZScore(x float64, ref []float64) (OutlierScore, bool) {
	s := OutlierScore{Method: MethodHistoryModZ, N: len(ref), Threshold: DefaultModZThreshold}
	if len(ref) == 0 {
		return s, false
	}
	med := Median(ref)
	dev := make([]float64, len(ref))
	meanAD := 0.0
	for n, v := range ref {
		dev[n] = math.Abs(v - med)
		meanAD += dev[n]
	}
	meanAD /= float64(len(ref))
	mad := Median(dev)
	s.Centre, s.Spread = med, mad
	switch {
	case mad > 0:
		s.Score = 0.6745 * (x - med) / mad
	case meanAD > 0:
		s.MeanAD, s.Spread = true, 1.253314*meanAD
		s.Score = (x - med) / s.Spread
	default:
		return s, false
	}
	return s, true
}

// HistoryScores compares x with the subject's earlier values: the z-score
// and the modified z-score, or nothing with fewer than MinHistory of them.
func HistoryScores(x float64, earlier []float64, zThreshold, modZThreshold float64) []OutlierScore {
	if len(earlier) < MinHistory {
		return nil
	}
	var out []OutlierScore
	if s, ok := ZScore(x, earlier); ok {
		s.Threshold = zThreshold
		out = append(out, s)
	}
	if s, ok := ModifiedZScore(x, earlier); ok {
		s.Threshold = modZThreshold
		out = append(out, s)
	}
	return out
}

// PeerScore compares x with its peers' values (x included), or gives
// nothing with fewer than MinPeers of them.
func PeerScore(x float64, peers []float64, modZThreshold float64) (OutlierScore, bool) {
	if len(peers) < MinPeers {
		return OutlierScore{}, false
	}
	s, ok := ModifiedZScore(x, peers)
	s.Method, s.Threshold = MethodPeerModZ, modZThreshold
	return s, ok
}
