package indicator

// Level places an indicator in the results chain.
type Level string

// The levels of the results chain.
const (
	LevelOutput  Level = "output"
	LevelOutcome Level = "outcome"
	LevelImpact  Level = "impact"
)

// Levels lists the levels from output to impact.
var Levels = []Level{LevelOutput, LevelOutcome, LevelImpact}

// Valid reports whether l is a known level.
func (l Level) Valid() bool { return oneOf(l, Levels) }

// Key is the message key of the level's label.
func (l Level) Key() string { return "indicator.level." + string(l) }

// Calculation says how values are expressed: a count or amount, or a percentage.
type Calculation string

// The calculations.
const (
	CalcNumeric    Calculation = "numeric"
	CalcPercentage Calculation = "percentage"
)

// Calculations lists the calculations.
var Calculations = []Calculation{CalcNumeric, CalcPercentage}

// Valid reports whether c is a known calculation.
func (c Calculation) Valid() bool { return oneOf(c, Calculations) }

// Key is the message key of the calculation's label.
func (c Calculation) Key() string { return "indicator.calculation." + string(c) }

// Direction says which way is good.
type Direction string

// The directions.
const (
	DirIncrease Direction = "increase"
	DirDecrease Direction = "decrease"
)

// Directions lists the directions.
var Directions = []Direction{DirIncrease, DirDecrease}

// Valid reports whether d is a known direction.
func (d Direction) Valid() bool { return oneOf(d, Directions) }

// Key is the message key of the direction's label.
func (d Direction) Key() string { return "indicator.direction." + string(d) }

// Aggregation is how values combine, over subjects (clusters into a
// country) or over time (months into a year): sum for flows, the last value
// for stocks, a plain or a weighted average for rates.
type Aggregation string

// The aggregations.
const (
	AggSum             Aggregation = "sum"
	AggLast            Aggregation = "last"
	AggAverage         Aggregation = "average"
	AggWeightedAverage Aggregation = "weighted_average"
)

// Aggregations lists the aggregations.
var Aggregations = []Aggregation{AggSum, AggLast, AggAverage, AggWeightedAverage}

// Valid reports whether a is a known aggregation.
func (a Aggregation) Valid() bool { return oneOf(a, Aggregations) }

// Key is the message key of the aggregation's label.
func (a Aggregation) Key() string { return "indicator.aggregation." + string(a) }

// Frequency is how often values are collected.
type Frequency string

// The collection frequencies.
const (
	FreqMonthly   Frequency = "monthly"
	FreqQuarterly Frequency = "quarterly"
	FreqYearly    Frequency = "yearly"
)

// Frequencies lists the frequencies from most to least frequent.
var Frequencies = []Frequency{FreqMonthly, FreqQuarterly, FreqYearly}

// Valid reports whether f is a known frequency.
func (f Frequency) Valid() bool { return oneOf(f, Frequencies) }

// Key is the message key of the frequency's label.
func (f Frequency) Key() string { return "indicator.frequency." + string(f) }

func (f Frequency) periodType() PeriodType {
	switch f {
	case FreqMonthly:
		return PeriodMonth
	case FreqQuarterly:
		return PeriodQuarter
	}
	return PeriodYear
}

// Dimension is a way of splitting an indicator's values, with its categories.
type Dimension struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	Categories []string `json:"categories"`
}

// Key is the message key of the dimension's label.
func (d Dimension) Key() string { return "indicator.dim." + d.Code }

// Dimensions are the disaggregation dimensions the programme uses; the
// migration stores the same list so that the database can keep references.
var Dimensions = []Dimension{
	{Code: "sex", Name: "Sex", Categories: []string{"women", "men"}},
	{Code: "youth", Name: "Youth (15–35)", Categories: []string{"youth", "not_youth"}},
	{Code: "firm_size", Name: "Firm size", Categories: []string{"micro", "small", "medium", "large"}},
}

// DimensionByCode returns a dimension; ok is false for an unknown code.
func DimensionByCode(code string) (Dimension, bool) {
	for _, d := range Dimensions {
		if d.Code == code {
			return d, true
		}
	}
	return Dimension{}, false
}

// Category is one category of a dimension, written "dimension:category"
// ("sex:women"); the zero Category is the total.
type Category struct {
	Dimension string `json:"dimension"`
	Code      string `json:"category"`
}

// IsTotal reports whether c is the total over all categories.
func (c Category) IsTotal() bool { return c.Dimension == "" }

// String is "dimension:category", or "" for the total.
func (c Category) String() string {
	if c.IsTotal() {
		return ""
	}
	return c.Dimension + ":" + c.Code
}

// Key is the message key of the category's label ("indicator.total" for the total).
func (c Category) Key() string {
	if c.IsTotal() {
		return "indicator.total"
	}
	return "indicator.cat." + c.Dimension + "." + c.Code
}

func oneOf[T comparable](v T, list []T) bool {
	for _, x := range list {
		if v == x {
			return true
		}
	}
	return false
}

// valuesText lists enum values for validation messages ("a, b or c").
func valuesText[T ~string](list []T) string {
	s := ""
	for i, v := range list {
		switch {
		case i == 0:
		case i == len(list)-1:
			s += " or "
		default:
			s += ", "
		}
		s += string(v)
	}
	return s
}
