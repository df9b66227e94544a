package indicator

import (
	"fmt"
	"time"
)

// Data-quality scores. Pure logic: given the values expected (indicator ×
// subject × period triples) and what was received, three ratios, each kept
// as numerator and denominator:
//
//   - completeness: expected triples with a value ÷ expected triples;
//   - timeliness: expected triples whose first value arrived by the end of
//     the period plus the grace days ÷ expected triples;
//   - consistency: received triples with no rule violation and no outlier
//     flag ÷ received triples.
//
// The expected set comes from the targets set for the period today; a
// campaign will give its own set later.

// DefaultGraceDays is how long after a period's end a value still counts as
// on time.
const DefaultGraceDays = 30

// QualityRatio is a share with its numerator and denominator.
type QualityRatio struct {
	Num int `json:"numerator"`
	Den int `json:"denominator"`
}

// Defined reports whether the ratio has a denominator.
func (r QualityRatio) Defined() bool { return r.Den > 0 }

// Share is Num ÷ Den (0 when not defined).
func (r QualityRatio) Share() float64 {
	if r.Den == 0 {
		return 0
	}
	return float64(r.Num) / float64(r.Den)
}

// Triple is one value expected: an indicator for a subject and period.
type Triple struct {
	IndicatorID int64   `json:"indicator_id"`
	Subject     Subject `json:"subject"`
	Period      string  `json:"period"`
}

// Receipt is what arrived for a triple: when its first value was entered,
// and whether it is clean (no rule violation, no outlier flag).
type Receipt struct {
	At    time.Time
	Clean bool
}

// QualityRatios are the three ratios of one group of triples.
type QualityRatios struct {
	Completeness QualityRatio `json:"completeness"`
	Timeliness   QualityRatio `json:"timeliness"`
	Consistency  QualityRatio `json:"consistency"`
}

// ScoreTriples computes the ratios of the expected triples from what was
// received; a triple counts once however often it is listed.
func ScoreTriples(expected []Triple, got map[Triple]Receipt, graceDays int) QualityRatios {
	var q QualityRatios
	seen := map[Triple]bool{}
	for _, t := range expected {
		if seen[t] {
			continue
		}
		seen[t] = true
		q.Completeness.Den++
		q.Timeliness.Den++
		r, ok := got[t]
		if !ok {
			continue
		}
		q.Completeness.Num++
		q.Consistency.Den++
		if r.Clean {
			q.Consistency.Num++
		}
		if p, err := ParsePeriod(t.Period); err == nil && !r.At.After(QualityDeadline(p, graceDays)) {
			q.Timeliness.Num++
		}
	}
	return q
}

// QualityDeadline is the last moment a value for p is on time: the end of its
// last day, plus grace days, in UTC.
func QualityDeadline(p Period, graceDays int) time.Time {
	end, _ := time.Parse("2006-01-02", qualityPeriodEnd(p))
	return end.AddDate(0, 0, graceDays).Add(-time.Nanosecond)
}

// qualityPeriodEnd is the first day after p (YYYY-MM-DD), so that p holds the
// days from p.Start() up to, not including, qualityPeriodEnd(p).
func qualityPeriodEnd(p Period) string {
	y, m := p.Year, 1
	switch p.Type {
	case PeriodMonth:
		m = p.N + 1
	case PeriodQuarter:
		m = 3*p.N + 1
	default:
		y++
	}
	if m > 12 {
		y, m = y+1, m-12
	}
	return fmt.Sprintf("%04d-%02d-01", y, m)
}
