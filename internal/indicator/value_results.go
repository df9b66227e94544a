package indicator

import (
	"sort"
	"strconv"
)

// Target against actual. For each period with a baseline, a target or an
// approved value, the row shows the three and how much of the target was
// reached. This file is pure logic: it neither reads the database nor
// knows HTTP.

// ResultRow is one period of a target-versus-actual table. A nil number is
// "no data", never zero.
type ResultRow struct {
	Period   string
	Baseline *float64
	Target   *float64
	Actual   *float64
	// Undefined is a formula whose inputs have values but whose result is
	// not defined (a division by zero).
	Undefined bool
	// Derived is an actual value combined from shorter periods.
	Derived bool
	Percent *float64
}

// ResultTable is the target-versus-actual table of one indicator for one subject.
type ResultTable struct {
	Indicator   *Indicator
	Subject     Subject
	SubjectName string
	Rows        []ResultRow
	Warnings    []SumWarning
}

// TableID is the HTML id of the table, which its chart reads.
func (t *ResultTable) TableID() string {
	return "tva-" + strconv.FormatInt(t.Indicator.ID, 10) + "-" + string(t.Subject.Kind) + "-" +
		strconv.FormatInt(t.Subject.ID, 10) + t.Subject.ISO3
}

// HasTarget reports whether any period has a target, so the chart draws its line.
func (t *ResultTable) HasTarget() bool {
	for _, r := range t.Rows {
		if r.Target != nil {
			return true
		}
	}
	return false
}

// PercentOfTarget is how much of the target the actual value reached, in
// percent. Where lower is better and a baseline is known, it is the share
// of the planned reduction achieved: (baseline − actual) / (baseline − target).
// Otherwise it is actual / target. It is nil when either is missing or the
// ratio is not defined.
func PercentOfTarget(dir Direction, baseline, target, actual *float64) *float64 {
	if target == nil || actual == nil {
		return nil
	}
	var p float64
	switch {
	case dir == DirDecrease && baseline != nil:
		if *baseline == *target {
			return nil
		}
		p = (*baseline - *actual) / (*baseline - *target) * 100
	case dir == DirDecrease:
		return nil
	default:
		if *target == 0 {
			return nil
		}
		p = *actual / *target * 100
	}
	return &p
}

// periodSeries is one indicator's numbers for one subject, by period key.
type periodSeries map[string]float64

// BuildRows makes the rows of a target-versus-actual table from the
// baselines, targets and actual values of one indicator and subject (all
// for the total), ordered by period.
func BuildRows(dir Direction, baselines, targets, actuals periodSeries, undefined map[string]bool) []ResultRow {
	keys := map[string]bool{}
	for _, m := range []periodSeries{baselines, targets, actuals} {
		for k := range m {
			keys[k] = true
		}
	}
	for k := range undefined {
		keys[k] = true
	}
	var periods []Period
	for k := range keys {
		if p, err := ParsePeriod(k); err == nil {
			periods = append(periods, p)
		}
	}
	sort.Slice(periods, func(a, b int) bool {
		if periods[a].Start() != periods[b].Start() {
			return periods[a].Start() < periods[b].Start()
		}
		return periods[a].Type.rank() > periods[b].Type.rank()
	})
	rows := make([]ResultRow, 0, len(periods))
	for _, p := range periods {
		k := p.Key()
		r := ResultRow{Period: k, Baseline: lookup(baselines, k), Target: lookup(targets, k), Actual: lookup(actuals, k),
			Undefined: undefined[k]}
		r.Percent = PercentOfTarget(dir, r.Baseline, r.Target, r.Actual)
		rows = append(rows, r)
	}
	return rows
}

func lookup(m periodSeries, k string) *float64 {
	if v, ok := m[k]; ok {
		return &v
	}
	return nil
}

// FormulaActuals computes a formula indicator's values per period from its
// inputs' values (code → period → value) for the same subject. A period
// where no input has a value gives nothing; one where the formula is not
// defined (an input missing, a division by zero) is reported in undefined.
func FormulaActuals(e *Expr, inputs map[string]periodSeries) (periodSeries, map[string]bool) {
	periods := map[string]bool{}
	for _, code := range e.Codes() {
		for k := range inputs[code] {
			periods[k] = true
		}
	}
	out, undefined := periodSeries{}, map[string]bool{}
	for k := range periods {
		vals := map[string]float64{}
		for _, code := range e.Codes() {
			if v, ok := inputs[code][k]; ok {
				vals[code] = v
			}
		}
		if r := e.Evaluate(vals); r.Defined {
			out[k] = r.Value
		} else {
			undefined[k] = true
		}
	}
	return out, undefined
}

// Text helpers for the results table.

// Decimals is how many decimals show a number: none for whole numbers.
func (r ResultRow) Decimals(v float64) int { return decimals(v) }

// subPeriods lists the periods that make up p, of the given shorter type:
// the quarters or months of a year, the months of a quarter.
func subPeriods(p Period, t PeriodType) []Period {
	var out []Period
	switch {
	case p.Type == PeriodYear && t == PeriodQuarter:
		for q := 1; q <= 4; q++ {
			out = append(out, Period{Type: PeriodQuarter, Year: p.Year, N: q})
		}
	case p.Type == PeriodYear && t == PeriodMonth:
		for m := 1; m <= 12; m++ {
			out = append(out, Period{Type: PeriodMonth, Year: p.Year, N: m})
		}
	case p.Type == PeriodQuarter && t == PeriodMonth:
		for m := 3*(p.N-1) + 1; m <= 3*p.N; m++ {
			out = append(out, Period{Type: PeriodMonth, Year: p.Year, N: m})
		}
	}
	return out
}

// AggregateOverTime gives each wanted period that has no value of its own
// the value of its quarters (or else its months) under the indicator's
// rule over time: the sum, the last or the average. Only a complete set of
// shorter periods is combined, so that a year with two quarters reported
// is "no data" rather than half a year; a weighted average needs the
// weights and is not derived. It returns the added values.
func AggregateOverTime(agg Aggregation, series periodSeries, wanted []string) periodSeries {
	out := periodSeries{}
	if agg == AggWeightedAverage {
		return out
	}
	for _, k := range wanted {
		if _, ok := series[k]; ok {
			continue
		}
		p, err := ParsePeriod(k)
		if err != nil {
			continue
		}
		for _, t := range []PeriodType{PeriodQuarter, PeriodMonth} {
			parts := subPeriods(p, t)
			if len(parts) == 0 {
				continue
			}
			vals := make([]float64, 0, len(parts))
			for _, sp := range parts {
				if v, ok := series[sp.Key()]; ok {
					vals = append(vals, v)
				}
			}
			if len(vals) != len(parts) {
				continue
			}
			var v float64
			switch agg {
			case AggLast:
				v = vals[len(vals)-1]
			default:
				for _, x := range vals {
					v += x
				}
				if agg == AggAverage {
					v /= float64(len(vals))
				}
			}
			out[k] = v
			break
		}
	}
	return out
}
