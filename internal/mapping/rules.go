package mapping

import (
	"fmt"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// LQVariant chooses which location quotient a rule reads.
type LQVariant uint8

// The location quotient variants.
const (
	// LQTextbook divides by all employment of the area and of the reference.
	LQTextbook LQVariant = iota + 1
	// LQClusterMapping divides by the traded (or local) employment of the
	// area and of the reference, by the cluster's type, as the U.S. Cluster
	// Mapping Project does.
	LQClusterMapping
)

// String names the variant as files and the API spell it.
func (v LQVariant) String() string {
	switch v {
	case LQTextbook:
		return "textbook"
	case LQClusterMapping:
		return "cluster-mapping"
	}
	return ""
}

// MarshalText writes the variant's name.
func (v LQVariant) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// StrengthRule is the U.S. Cluster Mapping strong-cluster rule. Thresholds
// are quantiles (probabilities) of the distribution across the peer areas
// with employment in the cluster, computed by linear interpolation between
// order statistics (see Quantile).
type StrengthRule struct {
	Name   string `json:"name"`
	Source string `json:"source"`
	// Quantile of the LQ an area must exceed to be qualifying / significant.
	QualifyingLQ  float64 `json:"qualifying_lq_quantile"`
	SignificantLQ float64 `json:"significant_lq_quantile"`
	// Quantile of the LQ an area must reach to be strong / strong-10.
	StrongLQ   float64 `json:"strong_lq_quantile"`
	Strong10LQ float64 `json:"strong10_lq_quantile"`
	// Quantile of employment and of establishments an area must exceed in
	// every category.
	Size float64 `json:"size_quantile"`
	// Strong and strong-10 areas must also reach this LQ.
	MinLQ      float64   `json:"min_lq"`
	LQ         LQVariant `json:"lq"`
	TradedOnly bool      `json:"traded_only"`
}

// DefaultStrengthRule returns the rule as the U.S. Cluster Mapping Project
// computes it.
func DefaultStrengthRule() StrengthRule {
	return StrengthRule{
		Name:          "U.S. Cluster Mapping strong clusters",
		Source:        "Delgado, Porter and Stern; U.S. Cluster Mapping Project, clustermapping.us (data/processing/cluster_calcs_reducer.js)",
		QualifyingLQ:  0.25,
		SignificantLQ: 0.50,
		StrongLQ:      0.75,
		Strong10LQ:    0.90,
		Size:          0.25,
		MinLQ:         1,
		LQ:            LQClusterMapping,
		TradedOnly:    true,
	}
}

// StarRule is the European Cluster Observatory star rating: one star each
// for size, specialisation and focus.
type StarRule struct {
	Name   string `json:"name"`
	Source string `json:"source"`
	// Share of peer areas, ranked by the cluster's employment, that get the
	// size star (0.10 = top 10 %).
	SizeTop float64 `json:"size_top"`
	// LQ an area must reach for the specialisation star.
	SpecialisationLQ float64 `json:"specialisation_lq"`
	// Share of peer areas, ranked by the cluster's share of the area's
	// employment, that get the focus star.
	FocusTop   float64   `json:"focus_top"`
	LQ         LQVariant `json:"lq"`
	TradedOnly bool      `json:"traded_only"`
}

// DefaultStarRule returns the European Cluster Observatory thresholds.
func DefaultStarRule() StarRule {
	return StarRule{
		Name:             "European Cluster Observatory stars",
		Source:           "European Cluster Observatory, Center for Strategy and Competitiveness, Stockholm School of Economics: evaluation of regional cluster strength (clusterobservatory.eu)",
		SizeTop:          0.10,
		SpecialisationLQ: 2,
		FocusTop:         0.10,
		LQ:               LQTextbook,
		TradedOnly:       true,
	}
}

// QuadrantRule places an area × cluster in the portfolio quadrants by its
// LQ in the final year and the change of LQ between the two years.
type QuadrantRule struct {
	Name   string `json:"name"`
	Source string `json:"source"`
	// LQ at or above which a cluster counts as specialised.
	LQThreshold float64 `json:"lq_threshold"`
	// Change of LQ above which a cluster counts as gaining.
	ChangeThreshold float64   `json:"change_threshold"`
	LQ              LQVariant `json:"lq"`
}

// DefaultQuadrantRule returns the usual thresholds: LQ 1.2 and no change.
func DefaultQuadrantRule() QuadrantRule {
	return QuadrantRule{
		Name:            "Cluster portfolio quadrants",
		Source:          "Cluster portfolio chart of U.S. regional cluster practice, e.g. Purdue Center for Regional Development, Regional Clusters (pcrd.purdue.edu/regionalclusters): star, mature, emerging, transforming",
		LQThreshold:     1.2,
		ChangeThreshold: 0,
		LQ:              LQTextbook,
	}
}

// MinCellRule marks a cluster value as unreliable when it rests on too few
// establishments or employees: a single firm can then swing the LQ. A zero
// threshold switches that test off.
type MinCellRule struct {
	MinEstablishments int64 `json:"min_establishments"`
	MinEmployment     int64 `json:"min_employment"`
}

// DefaultMinCellRule flags values with fewer than 3 establishments or fewer
// than 10 employees, the usual disclosure thresholds of statistical offices.
func DefaultMinCellRule() MinCellRule { return MinCellRule{MinEstablishments: 3, MinEmployment: 10} }

// Enabled reports whether the rule tests anything.
func (r MinCellRule) Enabled() bool { return r.MinEstablishments > 0 || r.MinEmployment > 0 }

// reliable applies the rule; establishments that are not known are not
// tested.
func (r MinCellRule) reliable(emp int64, est Value) bool {
	if emp < r.MinEmployment {
		return false
	}
	if e, ok := est.Get(); ok && e < float64(r.MinEstablishments) {
		return false
	}
	return true
}

func probability(f *problem.Fields, field string, p float64) {
	if !(p > 0 && p < 1) {
		f.Add(field, "Use a share strictly between 0 and 1 (got %g).", p)
	}
}

func variant(f *problem.Fields, field string, v LQVariant) {
	if v != LQTextbook && v != LQClusterMapping {
		f.Add(field, "Choose the textbook or the cluster-mapping LQ.")
	}
}

// checkRules validates every rule's thresholds and the interval settings.
func (o *Options) checkRules(f *problem.Fields) {
	s := o.Strength
	probability(f, "strength.qualifying_lq_quantile", s.QualifyingLQ)
	probability(f, "strength.significant_lq_quantile", s.SignificantLQ)
	probability(f, "strength.strong_lq_quantile", s.StrongLQ)
	probability(f, "strength.strong10_lq_quantile", s.Strong10LQ)
	probability(f, "strength.size_quantile", s.Size)
	variant(f, "strength.lq", s.LQ)
	if s.MinLQ < 0 {
		f.Add("strength.min_lq", "The minimum LQ may not be negative.")
	}
	probability(f, "stars.size_top", o.Stars.SizeTop)
	probability(f, "stars.focus_top", o.Stars.FocusTop)
	variant(f, "stars.lq", o.Stars.LQ)
	if o.Stars.SpecialisationLQ <= 0 {
		f.Add("stars.specialisation_lq", "The specialisation LQ must be above 0.")
	}
	if o.Quadrant.LQThreshold <= 0 {
		f.Add("quadrant.lq_threshold", "The LQ threshold must be above 0.")
	}
	variant(f, "quadrant.lq", o.Quadrant.LQ)
	if o.MinCell.MinEstablishments < 0 || o.MinCell.MinEmployment < 0 {
		f.Add("min_cell", "The minimum-cell thresholds may not be negative.")
	}
	if !(o.Confidence >= 0.5 && o.Confidence < 1) {
		f.Add("confidence", "Use a confidence level such as 0.90 or 0.95 (got %s).", fmt.Sprint(o.Confidence))
	}
	if o.Interval != IntervalMoineddin && o.Interval != IntervalNested {
		f.Add("interval", "Choose the LQ interval method.")
	}
}
