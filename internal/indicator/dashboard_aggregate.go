package indicator

import (
	"sort"
	"strconv"
	"sync"
	"time"
)

// ResultFact is one value (or baseline or target) that may count on a
// dashboard, with the country it counts in.
type ResultFact struct {
	IndicatorCode string      `json:"indicator_code"`
	Subject       Subject     `json:"subject"`
	SubjectName   string      `json:"subject_name"`
	Country       string      `json:"country"`
	Period        string      `json:"period"`
	Category      Category    `json:"category"`
	Value         float64     `json:"value"`
	Version       int         `json:"version,omitempty"`
	State         ReviewState `json:"state,omitempty"`
	Source        ValueSource `json:"source,omitempty"`
	ReceivedAt    time.Time   `json:"received_at"`
}

// Late reports whether a value arrived after the end of its period.
func (f ResultFact) Late() bool {
	p, err := dashPeriod(f.Period)
	return err == nil && !f.ReceivedAt.IsZero() && !f.ReceivedAt.Before(DueBy(p))
}

// periods remembers parsed period keys: a dashboard reads the same few
// hundred keys tens of thousands of times.
var periods sync.Map

// dashPeriod is ParsePeriod with the answer remembered.
func dashPeriod(key string) (Period, error) {
	if p, ok := periods.Load(key); ok {
		return p.(Period), nil
	}
	p, err := ParsePeriod(key)
	if err == nil {
		periods.Store(key, p)
	}
	return p, err
}

// dashFactKey identifies the value a version belongs to.
type dashFactKey struct {
	code     string
	subject  Subject
	period   string
	category Category
}

// CountedVersions keeps, for each value, the version a dashboard counts:
// the latest approved version, or with all set the latest version that was
// not rejected (approved, received or with issues).
func CountedVersions(versions []ResultFact, all bool) []ResultFact {
	best := map[dashFactKey]int{}
	var out []ResultFact
	for _, v := range versions {
		switch {
		case v.State == StateRejected:
			continue
		case !all && v.State != StateApproved:
			continue
		}
		k := dashFactKey{v.IndicatorCode, v.Subject, v.Period, v.Category}
		if i, ok := best[k]; ok {
			if out[i].Version < v.Version {
				out[i] = v
			}
			continue
		}
		best[k] = len(out)
		out = append(out, v)
	}
	return out
}

// FocusCategories are the categories whose share a dashboard shows:
// jobs for women and for young people.
var FocusCategories = []Category{{Dimension: "sex", Code: "women"}, {Dimension: "youth", Code: "youth"}}

// ResultSeriesInput is what one indicator's series for one scope is built from.
type ResultSeriesInput struct {
	Indicator *Indicator
	Scope     ResultsScope
	Att       *ResultsAttribution
	Values    []ResultFact // the counted values of the indicator (see CountedVersions)
	Weights   []ResultFact // the counted values of its weight indicator, for a weighted average
	WeightAgg Aggregation
	Targets   []ResultFact
	Baselines []ResultFact
	From, To  int // years
	Now       time.Time
}

// ResultRowOfYear is one year of a dashboard series. A nil number is "no data".
type ResultRowOfYear struct {
	Period  string   `json:"period"`
	Target  *float64 `json:"target"`
	Actual  *float64 `json:"actual"`
	Percent *float64 `json:"percent_of_target"`
	// Subjects is how many subjects' values make up Actual.
	Subjects int `json:"subjects_counted"`
	// Expected is how many subjects have a target for the year; Reporting
	// how many of them have a value (a cluster initiative also through the
	// values of its member organisations).
	Expected  int `json:"subjects_expected"`
	Reporting int `json:"subjects_reporting"`
	// Late is how many of the values arrived after the period ended.
	Late int `json:"late_values"`
	// Due is true once the year has ended, so that values are expected.
	Due    bool         `json:"due"`
	Shares []FocusShare `json:"shares,omitempty"`
}

// FocusShare is one focus category's part of a year's total.
type FocusShare struct {
	Category Category `json:"category"`
	// Value is the category's sum over the subjects that reported it.
	Value *float64 `json:"value"`
	// Share is the category over the total, among subjects that reported both.
	Share       *float64 `json:"share"`
	TargetShare *float64 `json:"target_share"`
	Subjects    int      `json:"subjects"`
}

// LifeOfProgramme is progress over the programme's years: for a flow the
// sum of the yearly targets and of the yearly values; for a stock the
// target of the last year that has one and the latest value; for an
// average the average of each.
type LifeOfProgramme struct {
	Rule    Aggregation `json:"rule"`
	From    int         `json:"from"`
	To      int         `json:"to"`
	Target  *float64    `json:"target"`
	Actual  *float64    `json:"actual"`
	Percent *float64    `json:"percent_of_target"`
}

// RuleKey is the message key of the rule's wording.
func (l LifeOfProgramme) RuleKey() string {
	switch l.Rule {
	case AggLast:
		return "indicatorresults.lop_rule.last"
	case AggAverage, AggWeightedAverage:
		return "indicatorresults.lop_rule.average"
	}
	return "indicatorresults.lop_rule.sum"
}

// ResultSeries is one indicator's results for one scope, year by year.
type ResultSeries struct {
	Indicator         *Indicator        `json:"-"`
	Rows              []ResultRowOfYear `json:"series"`
	Baseline          *float64          `json:"baseline"`
	LoP               LifeOfProgramme   `json:"life_of_programme"`
	PeriodsWithValues int               `json:"periods_with_values"`
	PeriodsExpected   int               `json:"periods_expected"`
	Focus             []Category        `json:"focus_categories,omitempty"`
}

// dashYearValues is each subject's value by category and year.
type dashYearValues map[Subject]map[Category]map[int]float64

func (y dashYearValues) get(s Subject, c Category, year int) (float64, bool) {
	v, ok := y[s][c][year]
	return v, ok
}

// dashByYear gives each subject in scope its value for every year from..to:
// the year's own value, or else one combined from a complete set of its
// quarters or months under the rule over time (AggregateOverTime).
func dashByYear(facts []ResultFact, agg Aggregation, sc ResultsScope, att *ResultsAttribution, from, to int) dashYearValues {
	raw := map[Subject]map[Category]periodSeries{}
	for _, f := range facts {
		p, err := dashPeriod(f.Period)
		if err != nil || p.Year < from || p.Year > to || !att.InScope(sc, f.Subject, Period{Type: PeriodYear, Year: p.Year}) {
			continue
		}
		if raw[f.Subject] == nil {
			raw[f.Subject] = map[Category]periodSeries{}
		}
		if raw[f.Subject][f.Category] == nil {
			raw[f.Subject][f.Category] = periodSeries{}
		}
		raw[f.Subject][f.Category][f.Period] = f.Value
	}
	out := dashYearValues{}
	for s, cats := range raw {
		out[s] = map[Category]map[int]float64{}
		for c, series := range cats {
			years := map[int]float64{}
			for y := from; y <= to; y++ {
				k := strconv.Itoa(y)
				if v, ok := series[k]; ok {
					years[y] = v
				} else if d, ok := AggregateOverTime(agg, series, []string{k})[k]; ok {
					years[y] = d
				}
			}
			if len(years) > 0 {
				out[s][c] = years
			}
		}
	}
	return out
}

// dashCombine adds up one year's values over subjects under the rule over
// subjects: a sum (also for stocks, which add up over subjects), a plain
// average, or an average weighted by each subject's weight. Nil when no
// subject has a value (or, weighted, a weight).
func dashCombine(agg Aggregation, vals map[Subject]float64, weights map[Subject]float64) *float64 {
	if len(vals) == 0 {
		return nil
	}
	var sum, wsum float64
	switch agg {
	case AggAverage:
		for _, v := range vals {
			sum += v
		}
		sum /= float64(len(vals))
	case AggWeightedAverage:
		for s, v := range vals {
			if w, ok := weights[s]; ok {
				sum += v * w
				wsum += w
			}
		}
		if wsum == 0 {
			return nil
		}
		sum /= wsum
	default:
		for _, v := range vals {
			sum += v
		}
	}
	return &sum
}

// subjectsOf lists the values of category c in a year, by subject.
func (y dashYearValues) subjectsOf(c Category, year int) map[Subject]float64 {
	out := map[Subject]float64{}
	for s := range y {
		if v, ok := y.get(s, c, year); ok {
			out[s] = v
		}
	}
	return out
}

// BuildResultSeries computes one indicator's series for one scope: per year the
// target and actual over the subjects in scope, how complete the data is,
// the shares of the focus categories, and progress over the life of the
// programme.
func BuildResultSeries(in ResultSeriesInput) *ResultSeries {
	ind := in.Indicator
	vals := dashByYear(in.Values, ind.TimeAggregation, in.Scope, in.Att, in.From, in.To)
	weights := dashByYear(in.Weights, in.WeightAgg, in.Scope, in.Att, in.From, in.To)
	goals := dashByYear(in.Targets, ind.TimeAggregation, in.Scope, in.Att, in.From, in.To)
	targetAgg := ind.SubjectAggregation
	if targetAgg == AggWeightedAverage {
		targetAgg = AggAverage // targets carry no weights of their own
	}
	out := &ResultSeries{Indicator: ind, Baseline: dashBaseline(in)}
	if ind.Calculation == CalcNumeric && (ind.SubjectAggregation == AggSum || ind.SubjectAggregation == AggLast) {
		for _, c := range FocusCategories {
			if oneOf(c.Dimension, ind.Dimensions) {
				out.Focus = append(out.Focus, c)
			}
		}
	}
	late := map[int]int{}
	for _, f := range in.Values {
		p, err := dashPeriod(f.Period)
		if err == nil && f.Category.IsTotal() && f.Late() && in.Att.InScope(in.Scope, f.Subject, Period{Type: PeriodYear, Year: p.Year}) {
			late[p.Year]++
		}
	}
	anyTarget := false
	for y := in.From; y <= in.To; y++ {
		yp := Period{Type: PeriodYear, Year: y}
		row := ResultRowOfYear{Period: yp.Key(), Due: !in.Now.Before(DueBy(yp)), Late: late[y]}
		totals := vals.subjectsOf(Category{}, y)
		row.Subjects = len(totals)
		row.Actual = dashCombine(ind.SubjectAggregation, totals, weights.subjectsOf(Category{}, y))
		tg := goals.subjectsOf(Category{}, y)
		row.Target = dashCombine(targetAgg, tg, nil)
		row.Percent = PercentOfTarget(ind.Direction, out.Baseline, row.Target, row.Actual)
		row.Expected = len(tg)
		anyTarget = anyTarget || len(tg) > 0
		covered := dashClustersCovered(in.Att, totals, yp)
		for s := range tg {
			if _, ok := totals[s]; ok || (s.Kind == SubjectCluster && covered[s.ID]) {
				row.Reporting++
			}
		}
		for _, c := range out.Focus {
			row.Shares = append(row.Shares, dashShareOf(vals, goals, c, y))
		}
		out.Rows = append(out.Rows, row)
	}
	for _, r := range out.Rows {
		if r.Due && (r.Expected > 0 || !anyTarget) {
			out.PeriodsExpected++
			if r.Actual != nil {
				out.PeriodsWithValues++
			}
		}
	}
	out.LoP = dashLifeOfProgramme(ind, out.Rows, out.Baseline, in.From, in.To)
	return out
}

// dashClustersCovered lists the cluster initiatives for which at least one
// member organisation has a value in the period.
func dashClustersCovered(att *ResultsAttribution, totals map[Subject]float64, p Period) map[int64]bool {
	out := map[int64]bool{}
	for s := range totals {
		if s.Kind != SubjectOrganisation {
			continue
		}
		for _, m := range att.Memberships[s.ID] {
			if att.MemberDuring(s.ID, m.Cluster, p) {
				out[m.Cluster] = true
			}
		}
	}
	return out
}

// dashShareOf computes a focus category's share of the total in a year, over
// the subjects that reported both, and the same share of the targets.
func dashShareOf(vals, goals dashYearValues, c Category, year int) FocusShare {
	sh := FocusShare{Category: c}
	ratio := func(y dashYearValues, count bool) *float64 {
		var part, whole float64
		n := 0
		for s := range y {
			v, ok := y.get(s, c, year)
			t, okT := y.get(s, Category{}, year)
			if ok && okT {
				part += v
				whole += t
				n++
			}
		}
		if count {
			sh.Subjects = n
		}
		if n == 0 || whole == 0 {
			return nil
		}
		r := part / whole
		return &r
	}
	sh.Value = dashCombine(AggSum, vals.subjectsOf(c, year), nil)
	sh.Share = ratio(vals, true)
	sh.TargetShare = ratio(goals, false)
	return sh
}

// dashBaseline is each subject's earliest baseline (the total), combined
// over the subjects in scope; nil when none has one.
func dashBaseline(in ResultSeriesInput) *float64 {
	first := map[Subject]ResultFact{}
	starts := map[Subject]string{}
	for _, f := range in.Baselines {
		p, err := dashPeriod(f.Period)
		if err != nil || !f.Category.IsTotal() || !in.Att.InScope(in.Scope, f.Subject, p) {
			continue
		}
		if s, ok := starts[f.Subject]; !ok || p.Start() < s {
			starts[f.Subject] = p.Start()
			first[f.Subject] = f
		}
	}
	vals := map[Subject]float64{}
	for s, f := range first {
		vals[s] = f.Value
	}
	agg := in.Indicator.SubjectAggregation
	if agg == AggWeightedAverage {
		agg = AggAverage
	}
	return dashCombine(agg, vals, nil)
}

// dashLifeOfProgramme applies the indicator's rule over time to the years of
// the programme (see LifeOfProgramme).
func dashLifeOfProgramme(ind *Indicator, rows []ResultRowOfYear, baseline *float64, from, to int) LifeOfProgramme {
	l := LifeOfProgramme{Rule: ind.TimeAggregation, From: from, To: to}
	pick := func(get func(ResultRowOfYear) *float64) *float64 {
		var vs []float64
		for _, r := range rows {
			if v := get(r); v != nil {
				vs = append(vs, *v)
			}
		}
		if len(vs) == 0 {
			return nil
		}
		var x float64
		switch ind.TimeAggregation {
		case AggLast:
			x = vs[len(vs)-1]
		case AggAverage, AggWeightedAverage:
			for _, v := range vs {
				x += v
			}
			x /= float64(len(vs))
		default:
			for _, v := range vs {
				x += v
			}
		}
		return &x
	}
	l.Target = pick(func(r ResultRowOfYear) *float64 { return r.Target })
	l.Actual = pick(func(r ResultRowOfYear) *float64 { return r.Actual })
	l.Percent = PercentOfTarget(ind.Direction, baseline, l.Target, l.Actual)
	return l
}

// YearsInScope is the first and last year of the facts that count in the
// scope; ok is false when there are none.
func YearsInScope(sc ResultsScope, att *ResultsAttribution, lists ...[]ResultFact) (from, to int, ok bool) {
	for _, list := range lists {
		for _, f := range list {
			p, err := dashPeriod(f.Period)
			if err != nil || !att.InScope(sc, f.Subject, Period{Type: PeriodYear, Year: p.Year}) {
				continue
			}
			if !ok || p.Year < from {
				from = p.Year
			}
			if !ok || p.Year > to {
				to = p.Year
			}
			ok = true
		}
	}
	return from, to, ok
}

// FactsInScope keeps the facts whose subject counts in the scope for their
// period, ordered by indicator, period, subject and category, for downloads.
func FactsInScope(facts []ResultFact, sc ResultsScope, att *ResultsAttribution, from, to int) []ResultFact {
	var out []ResultFact
	for _, f := range facts {
		p, err := dashPeriod(f.Period)
		if err != nil || p.Year < from || p.Year > to || !att.InScope(sc, f.Subject, Period{Type: PeriodYear, Year: p.Year}) {
			continue
		}
		out = append(out, f)
	}
	sort.SliceStable(out, func(a, b int) bool {
		x, y := out[a], out[b]
		if x.IndicatorCode != y.IndicatorCode {
			return x.IndicatorCode < y.IndicatorCode
		}
		if x.Period != y.Period {
			return x.Period < y.Period
		}
		if x.SubjectName != y.SubjectName {
			return x.SubjectName < y.SubjectName
		}
		if x.Subject != y.Subject {
			if x.Subject.Kind != y.Subject.Kind {
				return x.Subject.Kind < y.Subject.Kind
			}
			if x.Subject.ID != y.Subject.ID {
				return x.Subject.ID < y.Subject.ID
			}
			return x.Subject.ISO3 < y.Subject.ISO3
		}
		if x.Category.Dimension != y.Category.Dimension {
			return x.Category.Dimension < y.Category.Dimension
		}
		return x.Category.Code < y.Category.Code
	})
	return out
}
