package indicator

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// ValueSource says how a value reached the system.
type ValueSource string

// The value sources.
const (
	SourceEntry  ValueSource = "entry"
	SourceImport ValueSource = "import"
	SourceSurvey ValueSource = "survey"
)

// ValueSources lists the value sources.
var ValueSources = []ValueSource{SourceEntry, SourceImport, SourceSurvey}

// Valid reports whether s is a known source.
func (s ValueSource) Valid() bool { return oneOf(s, ValueSources) }

// Key is the message key of the source's label.
func (s ValueSource) Key() string { return "indicatorvalue.source." + string(s) }

// ReviewState is where a value stands in review.
type ReviewState string

// The review states. A value starts received; an officer approves it,
// rejects it or says it has issues. Only approved values count in results.
const (
	StateReceived  ReviewState = "received"
	StateHasIssues ReviewState = "has_issues"
	StateApproved  ReviewState = "approved"
	StateRejected  ReviewState = "rejected"
)

// Key is the message key of the state's label.
func (s ReviewState) Key() string { return "indicatorvalue.state." + string(s) }

// Decision is what a reviewer decides about a value.
type Decision string

// The review decisions.
const (
	DecideApprove Decision = "approve"
	DecideIssues  Decision = "issues"
	DecideReject  Decision = "reject"
)

// State is the review state a decision leads to; ok is false for an unknown decision.
func (d Decision) State() (ReviewState, bool) {
	switch d {
	case DecideApprove:
		return StateApproved, true
	case DecideIssues:
		return StateHasIssues, true
	case DecideReject:
		return StateRejected, true
	}
	return "", false
}

// MayReviewValues reports whether the actor approves and rejects values.
func MayReviewValues(a user.Actor) bool {
	return a.Role == user.Admin || a.Role == user.ProgrammeOfficer
}

// Value is one version of the value of an indicator for one subject,
// period and category, with its review.
type Value struct {
	ID            int64       `json:"id"`
	IndicatorID   int64       `json:"indicator_id"`
	IndicatorCode string      `json:"indicator_code"`
	IndicatorName string      `json:"indicator_name"`
	Unit          string      `json:"unit"`
	Subject       Subject     `json:"subject"`
	SubjectName   string      `json:"subject_name"`
	PeriodType    PeriodType  `json:"period_type"`
	Period        string      `json:"period"`
	Category      Category    `json:"category"`
	Version       int         `json:"version"`
	Value         float64     `json:"value"`
	Source        ValueSource `json:"source"`
	Note          string      `json:"note"`
	State         ReviewState `json:"state"`
	ReviewComment string      `json:"review_comment"`
	Reviewer      string      `json:"reviewer"`
	ReviewedAt    *time.Time  `json:"reviewed_at"`
	Actor         string      `json:"entered_by"`
	CreatedAt     time.Time   `json:"created_at"`
}

// Decimals is how many decimals the page shows for the value.
func (v *Value) Decimals() int { return decimals(v.Value) }

// ValueInput enters one value. Entering a value for a key (indicator,
// subject, period, category) that has one adds a new version.
type ValueInput struct {
	IndicatorID int64  `json:"indicator_id"`
	Subject     string `json:"subject"`
	Period      string `json:"period"`
	// Category is "dimension:category" ("sex:women"), or empty for the total.
	Category string      `json:"category"`
	Value    *float64    `json:"value"`
	Source   ValueSource `json:"source"`
	Note     string      `json:"note"`
	// Text is what was typed in a form, reported when it is not a number.
	Text string `json:"-"`
}

// key identifies the value an input is for.
type valueKey struct {
	indicatorID int64
	subject     Subject
	period      string
	category    Category
}

// checkValue checks an input without the database; field names are
// prefixed with at ("values[2].") so that problems name the item.
func (in *ValueInput) check(at string, f *problem.Fields) (valueKey, Period) {
	in.Note = strings.TrimSpace(in.Note)
	if in.Source == "" {
		in.Source = SourceEntry
	}
	var k valueKey
	k.indicatorID = in.IndicatorID
	if in.IndicatorID <= 0 {
		f.Add(at+"indicator_id", "Choose the indicator.")
	}
	sub, err := ParseSubject(in.Subject)
	if err != nil {
		f.Add(at+"subject", "%s.", err)
	}
	k.subject = sub
	p, err := ParsePeriod(in.Period)
	if err != nil {
		f.Add(at+"period", "%s.", upperFirst(err.Error()))
	} else {
		in.Period = p.Key()
	}
	k.period = in.Period
	if cat := strings.TrimSpace(in.Category); cat != "" && cat != "total" {
		dim, code, _ := strings.Cut(cat, ":")
		d, ok := DimensionByCode(dim)
		if !ok || !oneOf(code, d.Categories) {
			f.Add(at+"category", "%q is not a disaggregation category: write dimension:category, such as sex:women.", cat)
		}
		k.category = Category{Dimension: dim, Code: code}
	}
	in.Category = k.category.String()
	if !in.Source.Valid() {
		f.Add(at+"source", "Use source %s.", valuesText(ValueSources))
	}
	if n := utf8.RuneCountInString(in.Note); n > maxNote {
		f.Add(at+"note", "Use at most %d characters (this has %d).", maxNote, n)
	}
	return k, p
}

// CheckNumber checks a value against the indicator's unit and calculation:
// a number of at most 15 digits, a percentage from 0 to 100, and no negative
// number unless the unit allows one. It returns "" for a good value.
func CheckNumber(ind *Indicator, v *float64, text string) string {
	switch {
	case v == nil && strings.TrimSpace(text) != "":
		return fmt.Sprintf("%q is not a number: write it like 1250 or 12.5", strings.TrimSpace(text))
	case v == nil:
		return "Enter the value"
	case math.IsNaN(*v) || math.IsInf(*v, 0) || math.Abs(*v) > 1e15:
		return "Enter a number of at most 15 digits"
	case ind.Calculation == CalcPercentage && (*v < 0 || *v > 100):
		return fmt.Sprintf("A percentage is from 0 to 100, not %s", formatNumber(*v))
	case *v < 0 && !NegativeAllowed(ind):
		return fmt.Sprintf("%s cannot be negative (unit: %s)", ind.Code, ind.Unit)
	}
	return ""
}

// NegativeAllowed reports whether an indicator's unit admits negative
// values: only a net change ("net jobs", "change in USD") or a balance does;
// counts, amounts and percentages do not.
func NegativeAllowed(ind *Indicator) bool {
	if ind.Calculation == CalcPercentage {
		return false
	}
	u := strings.ToLower(ind.Unit)
	for _, w := range []string{"net", "change", "balance"} {
		if strings.Contains(u, w) {
			return true
		}
	}
	return false
}

func formatNumber(v float64) string { return fmt.Sprintf("%g", v) }

// SumWarning says that the categories of one dimension add up to more than
// the total: jobs for women and men together exceed total jobs.
type SumWarning struct {
	IndicatorID   int64   `json:"indicator_id"`
	IndicatorCode string  `json:"indicator_code"`
	Subject       Subject `json:"subject"`
	Period        string  `json:"period"`
	Dimension     string  `json:"dimension"`
	Sum           float64 `json:"sum"`
	Total         float64 `json:"total"`
	// Rule is the rule in words, for people and the API alike.
	Rule string `json:"rule"`
}

// DimensionKey is the message key of the warning's dimension.
func (w SumWarning) DimensionKey() string { return "indicator.dim." + w.Dimension }

// CheckSums applies the built-in rule to one indicator's values for one
// subject and period: for each dimension, the sum of its categories must
// not exceed the total. It needs the total and at least one category; a
// percentage is not a sum of its categories, so it is not checked.
func CheckSums(ind *Indicator, values map[Category]float64) []SumWarning {
	if ind.Calculation == CalcPercentage {
		return nil
	}
	total, ok := values[Category{}]
	if !ok {
		return nil
	}
	var out []SumWarning
	for _, code := range ind.Dimensions {
		d, ok := DimensionByCode(code)
		if !ok {
			continue
		}
		sum, n := 0.0, 0
		var parts []string
		for _, c := range d.Categories {
			parts = append(parts, c)
			if v, ok := values[Category{Dimension: code, Code: c}]; ok {
				sum += v
				n++
			}
		}
		// A small tolerance keeps decimal rounding from raising a warning.
		if n > 0 && sum > total+1e-9*math.Max(1, math.Abs(total)) {
			out = append(out, SumWarning{IndicatorID: ind.ID, IndicatorCode: ind.Code, Dimension: code, Sum: sum, Total: total,
				Rule: fmt.Sprintf("%s: %s ≤ total", ind.Code, strings.Join(parts, " + "))})
		}
	}
	return out
}

// ValueFilter narrows a list of values.
type ValueFilter struct {
	IndicatorID int64
	Subject     Subject // zero: every subject the actor may read
	Period      string  // canonical key; empty: every period
	// AllVersions lists every version, not only the latest of each key.
	AllVersions bool
	Limit       int // at most 1000; 0 means 200
	Offset      int
}

// Decimals is how many decimals the page shows for the sum and the total.
func (w SumWarning) Decimals() int { return max(decimals(w.Sum), decimals(w.Total)) }
