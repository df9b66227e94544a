package mapping

import (
	"github.com/clusterobservatory/observatory/internal/problem"
)

// Reference is the economy an area is compared with: the dataset's total
// (no areas listed) or a chosen group of areas such as a country or the
// region. The reference's areas are also the peers across which percentile
// rules rank an area.
type Reference struct {
	Key   string   `json:"key"`
	Name  string   `json:"name"`
	Areas []string `json:"areas,omitempty"`
}

// IntervalMethod chooses the variance of ln(LQ) behind the LQ confidence
// interval.
type IntervalMethod uint8

// The interval methods.
const (
	// IntervalMoineddin is the delta-method interval of Moineddin, Beyene and
	// Boyle (2003), treating the area's and the reference's counts as
	// independent binomial samples.
	IntervalMoineddin IntervalMethod = iota + 1
	// IntervalNested adds the covariance term that arises because the area's
	// employment is part of the reference's; it matters when an area is a
	// large part of its reference, as in a small country with few areas.
	IntervalNested
)

// String names the method.
func (m IntervalMethod) String() string {
	switch m {
	case IntervalMoineddin:
		return "moineddin"
	case IntervalNested:
		return "nested"
	}
	return ""
}

// MarshalText writes the method's name.
func (m IntervalMethod) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// Options are the choices of one computation.
type Options struct {
	Reference Reference `json:"reference"`
	// From and To are the years of the growth comparison; both zero means
	// no growth is computed.
	From int `json:"from,omitempty"`
	To   int `json:"to,omitempty"`
	// Confidence is the level of the LQ intervals, such as 0.90 or 0.95.
	Confidence float64        `json:"confidence"`
	Interval   IntervalMethod `json:"interval"`
	MinCell    MinCellRule    `json:"min_cell"`
	Strength   StrengthRule   `json:"strength"`
	Stars      StarRule       `json:"stars"`
	Quadrant   QuadrantRule   `json:"quadrant"`
}

// DefaultOptions compares with the dataset total, uses 95 % intervals by the
// Moineddin method, the default minimum-cell rule and the anchors' rules.
func DefaultOptions() Options {
	return Options{
		Confidence: 0.95,
		Interval:   IntervalMoineddin,
		MinCell:    DefaultMinCellRule(),
		Strength:   DefaultStrengthRule(),
		Stars:      DefaultStarRule(),
		Quadrant:   DefaultQuadrantRule(),
	}
}

// check validates the options against the dataset.
func (o *Options) check(d *Dataset) error {
	var f problem.Fields
	o.checkRules(&f)
	switch {
	case o.From == 0 && o.To == 0:
	case o.From == 0 || o.To == 0:
		f.Add("from", "Choose both years of the growth comparison, or neither.")
	case o.To <= o.From:
		f.Add("to", "The final year (%d) must come after the first year (%d).", o.To, o.From)
	default:
		if !d.HasYear(o.From) {
			f.Add("from", "The dataset has no data for %d.", o.From)
		}
		if !d.HasYear(o.To) {
			f.Add("to", "The dataset has no data for %d.", o.To)
		}
	}
	return f.Err()
}
