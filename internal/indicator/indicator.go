package indicator

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Indicator is an indicator with its reference sheet, as pages and the API
// show it.
type Indicator struct {
	ID                  int64       `json:"id"`
	Code                string      `json:"code"`
	Name                string      `json:"name"`
	Definition          string      `json:"definition"`
	Unit                string      `json:"unit"`
	Level               Level       `json:"level"`
	Calculation         Calculation `json:"calculation"`
	Direction           Direction   `json:"direction"`
	SubjectAggregation  Aggregation `json:"subject_aggregation"`
	TimeAggregation     Aggregation `json:"time_aggregation"`
	WeightCode          string      `json:"weight_code"`
	Dimensions          []string    `json:"dimensions"`
	MeansOfVerification string      `json:"means_of_verification"`
	Frequency           Frequency   `json:"frequency"`
	ResponsibleRole     user.Role   `json:"responsible_role"`
	Standard            bool        `json:"standard"`
	Formula             string      `json:"formula"`
	CreatedBy           *int64      `json:"created_by"`
	CreatedAt           time.Time   `json:"created_at"`
	UpdatedAt           time.Time   `json:"updated_at"`
	ArchivedAt          *time.Time  `json:"archived_at"`
}

// Archived reports whether the indicator has been archived.
func (i *Indicator) Archived() bool { return i.ArchivedAt != nil }

// IsFormula reports whether the indicator is computed from others.
func (i *Indicator) IsFormula() bool { return i.Formula != "" }

// Categories lists the categories targets may be set for: the total, then
// each category of each of the indicator's dimensions.
func (i *Indicator) Categories() []Category {
	out := []Category{{}}
	for _, code := range i.Dimensions {
		if d, ok := DimensionByCode(code); ok {
			for _, c := range d.Categories {
				out = append(out, Category{Dimension: d.Code, Code: c})
			}
		}
	}
	return out
}

// Input is what creating or editing an indicator takes.
type Input struct {
	Code                string      `json:"code"`
	Name                string      `json:"name"`
	Definition          string      `json:"definition"`
	Unit                string      `json:"unit"`
	Level               Level       `json:"level"`
	Calculation         Calculation `json:"calculation"`
	Direction           Direction   `json:"direction"`
	SubjectAggregation  Aggregation `json:"subject_aggregation"`
	TimeAggregation     Aggregation `json:"time_aggregation"`
	WeightCode          string      `json:"weight_code"`
	Dimensions          []string    `json:"dimensions"`
	MeansOfVerification string      `json:"means_of_verification"`
	Frequency           Frequency   `json:"frequency"`
	ResponsibleRole     user.Role   `json:"responsible_role"`
	Standard            bool        `json:"standard"`
	Formula             string      `json:"formula"`
}

// Update is an edit of a reference sheet with the reason for it.
type Update struct {
	Input
	Reason string `json:"reason"`
}

// InputOf returns the input that would store i unchanged.
func InputOf(i *Indicator) Input {
	return Input{
		Code: i.Code, Name: i.Name, Definition: i.Definition, Unit: i.Unit, Level: i.Level, Calculation: i.Calculation,
		Direction: i.Direction, SubjectAggregation: i.SubjectAggregation, TimeAggregation: i.TimeAggregation,
		WeightCode: i.WeightCode, Dimensions: slices.Clone(i.Dimensions), MeansOfVerification: i.MeansOfVerification,
		Frequency: i.Frequency, ResponsibleRole: i.ResponsibleRole, Standard: i.Standard, Formula: i.Formula,
	}
}

// Field limits, in characters.
const (
	maxCode       = 40
	maxName       = 200
	maxUnit       = 50
	maxDefinition = 5000
	maxMeans      = 2000
	maxReason     = 1000
)

var codeRe = regexp.MustCompile(`^[A-Z][A-Z0-9_.]*$`)

// Validate tidies the input and checks everything that needs no database.
func (in *Input) Validate() error { return in.check().Err() }

func (in *Input) check() problem.Fields {
	var f problem.Fields
	in.Code = strings.ToUpper(strings.TrimSpace(in.Code))
	in.Name = strings.TrimSpace(in.Name)
	in.Definition = strings.TrimSpace(in.Definition)
	in.Unit = strings.TrimSpace(in.Unit)
	in.MeansOfVerification = strings.TrimSpace(in.MeansOfVerification)
	in.WeightCode = strings.ToUpper(strings.TrimSpace(in.WeightCode))
	in.Formula = strings.TrimSpace(in.Formula)
	switch n := utf8.RuneCountInString(in.Code); {
	case n == 0:
		f.Add("code", "Enter a code, such as JOBS_CREATED.")
	case n > maxCode:
		f.Add("code", "Use at most %d characters (this code has %d).", maxCode, n)
	case !codeRe.MatchString(in.Code):
		f.Add("code", "A code starts with a letter and holds only letters, digits, underscores and dots.")
	}
	required(&f, "name", in.Name, maxName, "Enter the indicator's name.")
	required(&f, "definition", in.Definition, maxDefinition, "Define the indicator: what is counted, and what is not.")
	if in.Unit == "" && in.Calculation == CalcPercentage {
		in.Unit = "%"
	}
	required(&f, "unit", in.Unit, maxUnit, "Enter the unit, such as jobs, USD or firms.")
	required(&f, "means_of_verification", in.MeansOfVerification, maxMeans, "Say what evidence verifies a value (records, surveys, documents).")
	if !in.Level.Valid() {
		f.Add("level", "Choose a level: %s.", valuesText(Levels))
	}
	if !in.Calculation.Valid() {
		f.Add("calculation", "Choose a calculation: %s.", valuesText(Calculations))
	}
	if !in.Direction.Valid() {
		f.Add("direction", "Choose the direction that is good: %s.", valuesText(Directions))
	}
	if !in.SubjectAggregation.Valid() {
		f.Add("subject_aggregation", "Choose how values add up over subjects: %s.", valuesText(Aggregations))
	}
	if !in.TimeAggregation.Valid() {
		f.Add("time_aggregation", "Choose how values add up over time: %s.", valuesText(Aggregations))
	}
	if in.SubjectAggregation == AggWeightedAverage || in.TimeAggregation == AggWeightedAverage {
		switch {
		case in.WeightCode == "":
			f.Add("weight_code", "A weighted average needs the code of the indicator that gives the weights.")
		case in.WeightCode == in.Code:
			f.Add("weight_code", "An indicator cannot be weighted by itself.")
		case !codeRe.MatchString(in.WeightCode):
			f.Add("weight_code", "%q is not an indicator code.", in.WeightCode)
		}
	} else {
		in.WeightCode = ""
	}
	if !in.Frequency.Valid() {
		f.Add("frequency", "Choose a collection frequency: %s.", valuesText(Frequencies))
	}
	if !in.ResponsibleRole.Valid() {
		f.Add("responsible_role", "Choose the role responsible for reporting: %s.", valuesText(user.Roles))
	}
	dims := make([]string, 0, len(in.Dimensions))
	for _, d := range in.Dimensions {
		d = strings.TrimSpace(d)
		if d == "" || slices.Contains(dims, d) {
			continue
		}
		if _, ok := DimensionByCode(d); !ok {
			f.Add("dimensions", "Unknown disaggregation %q: use sex, youth or firm_size.", d)
			continue
		}
		dims = append(dims, d)
	}
	// Keep the programme's order whatever the order given.
	slices.SortFunc(dims, func(a, b string) int { return dimOrder(a) - dimOrder(b) })
	in.Dimensions = dims
	if in.Formula != "" {
		expr, err := ParseFormula(in.Formula)
		var fe *FormulaError
		switch {
		case errors.As(err, &fe):
			f.Add("formula", "The formula does not read at character %d: %s.", fe.Pos, fe.Msg)
		case err != nil:
			f.Add("formula", "The formula does not read: %s.", err)
		default:
			for _, r := range expr.Refs() {
				if r.Code == in.Code {
					f.Add("formula", "At character %d the formula refers to %s itself; a formula must be computed from other indicators.", r.Pos, r.Code)
					break
				}
			}
			in.Formula = expr.String()
		}
	}
	return f
}

func dimOrder(code string) int {
	for i, d := range Dimensions {
		if d.Code == code {
			return i
		}
	}
	return len(Dimensions)
}

func required(f *problem.Fields, field, v string, limit int, msg string) {
	switch n := utf8.RuneCountInString(v); {
	case n == 0:
		f.Add(field, "%s", msg)
	case n > limit:
		f.Add(field, "Use at most %d characters (this has %d).", limit, n)
	}
}

// checkReason tidies and checks the reason for a change.
func checkReason(reason *string, f *problem.Fields) {
	*reason = strings.TrimSpace(*reason)
	switch n := utf8.RuneCountInString(*reason); {
	case n == 0:
		f.Add("reason", "Say why this changes; the reason is kept in the history.")
	case n > maxReason:
		f.Add("reason", "Use at most %d characters (this has %d).", maxReason, n)
	}
}

// Change is one field of a reference sheet that an edit changed.
type Change struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// Diff lists the fields of the reference sheet that differ between a and b,
// in the order of the sheet.
func Diff(a, b Input) []Change {
	pairs := []struct {
		field string
		x, y  string
	}{
		{"code", a.Code, b.Code},
		{"name", a.Name, b.Name},
		{"definition", a.Definition, b.Definition},
		{"unit", a.Unit, b.Unit},
		{"level", string(a.Level), string(b.Level)},
		{"calculation", string(a.Calculation), string(b.Calculation)},
		{"direction", string(a.Direction), string(b.Direction)},
		{"subject_aggregation", string(a.SubjectAggregation), string(b.SubjectAggregation)},
		{"time_aggregation", string(a.TimeAggregation), string(b.TimeAggregation)},
		{"weight_code", a.WeightCode, b.WeightCode},
		{"dimensions", strings.Join(a.Dimensions, ", "), strings.Join(b.Dimensions, ", ")},
		{"means_of_verification", a.MeansOfVerification, b.MeansOfVerification},
		{"frequency", string(a.Frequency), string(b.Frequency)},
		{"responsible_role", string(a.ResponsibleRole), string(b.ResponsibleRole)},
		{"standard", fmt.Sprint(a.Standard), fmt.Sprint(b.Standard)},
		{"formula", a.Formula, b.Formula},
	}
	var out []Change
	for _, p := range pairs {
		if p.x != p.y {
			out = append(out, Change{Field: p.field, Before: p.x, After: p.y})
		}
	}
	return out
}

// Filter narrows a list of indicators.
type Filter struct {
	Query           string // part of the code or name
	Level           Level
	Standard        *bool // nil: both standard and custom
	IncludeArchived bool
	Limit           int // at most 500; 0 means 50
	Offset          int
}
