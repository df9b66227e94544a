package indicator

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// Validation rules in the manner of DHIS2's: a left side, an operator and a
// right side, each side an expression over indicator totals and categories
// (rule_expr.go), with an importance, a strategy for missing values on each
// side and the period type the rule applies to. This file holds the types
// and the checks that need no database.

// Operator compares the two sides of a rule.
type Operator string

// The operators. A compulsory pair needs both sides to have values or
// neither; an exclusive pair allows values on one side at most.
const (
	OpEqual          Operator = "equal_to"
	OpNotEqual       Operator = "not_equal_to"
	OpLess           Operator = "less_than"
	OpLessOrEqual    Operator = "less_than_or_equal_to"
	OpGreater        Operator = "greater_than"
	OpGreaterOrEqual Operator = "greater_than_or_equal_to"
	OpCompulsoryPair Operator = "compulsory_pair"
	OpExclusivePair  Operator = "exclusive_pair"
)

// Operators lists the operators.
var Operators = []Operator{OpEqual, OpNotEqual, OpLess, OpLessOrEqual, OpGreater, OpGreaterOrEqual, OpCompulsoryPair, OpExclusivePair}

var opSymbols = map[Operator]string{OpEqual: "==", OpNotEqual: "!=", OpLess: "<", OpLessOrEqual: "<=", OpGreater: ">",
	OpGreaterOrEqual: ">="}

// ParseOperator reads an operator by name or by symbol (<=, ==, …).
func ParseOperator(s string) Operator {
	s = strings.ToLower(strings.TrimSpace(s))
	for op, sym := range opSymbols {
		if s == sym {
			return op
		}
	}
	switch s {
	case "≤":
		return OpLessOrEqual
	case "≥":
		return OpGreaterOrEqual
	case "≠":
		return OpNotEqual
	}
	return Operator(s)
}

// Valid reports whether o is a known operator.
func (o Operator) Valid() bool { return oneOf(o, Operators) }

// Symbol is the operator as written between the sides (≤, ==), or "" for a pair.
func (o Operator) Symbol() string {
	switch o {
	case OpLessOrEqual:
		return "≤"
	case OpGreaterOrEqual:
		return "≥"
	case OpNotEqual:
		return "≠"
	}
	return opSymbols[o]
}

// IsPair reports whether the operator looks at which sides have values
// rather than at the values.
func (o Operator) IsPair() bool { return o == OpCompulsoryPair || o == OpExclusivePair }

// Key is the message key of the operator's label.
func (o Operator) Key() string { return "indicatorquality.op." + string(o) }

// Importance says how much a violation matters.
type Importance string

// The importances.
const (
	ImportanceHigh   Importance = "high"
	ImportanceMedium Importance = "medium"
	ImportanceLow    Importance = "low"
)

// Importances lists the importances from high to low.
var Importances = []Importance{ImportanceHigh, ImportanceMedium, ImportanceLow}

// Valid reports whether i is a known importance.
func (i Importance) Valid() bool { return oneOf(i, Importances) }

// Key is the message key of the importance's label.
func (i Importance) Key() string { return "indicatorquality.importance." + string(i) }

// MissingStrategy says what a side does when some of its values are missing.
type MissingStrategy string

// The strategies: skip the rule when any value of the side is missing (the
// default); skip it only when all are missing, counting the others as 0;
// or never skip, counting every missing value as 0.
const (
	SkipIfAnyMissing MissingStrategy = "skip_if_any_missing"
	SkipIfAllMissing MissingStrategy = "skip_if_all_missing"
	NeverSkip        MissingStrategy = "never_skip"
)

// MissingStrategies lists the strategies.
var MissingStrategies = []MissingStrategy{SkipIfAnyMissing, SkipIfAllMissing, NeverSkip}

// Valid reports whether m is a known strategy.
func (m MissingStrategy) Valid() bool { return oneOf(m, MissingStrategies) }

// Key is the message key of the strategy's label.
func (m MissingStrategy) Key() string { return "indicatorquality.missing." + string(m) }

// Rule is a validation rule.
type Rule struct {
	ID           int64           `json:"id"`
	Name         string          `json:"name"`
	Description  string          `json:"description"`
	Left         string          `json:"left"`
	Operator     Operator        `json:"operator"`
	Right        string          `json:"right"`
	Importance   Importance      `json:"importance"`
	LeftMissing  MissingStrategy `json:"left_missing"`
	RightMissing MissingStrategy `json:"right_missing"`
	PeriodType   PeriodType      `json:"period_type"`
	Builtin      bool            `json:"builtin"`
	CreatedAt    time.Time       `json:"created_at"`
	UpdatedAt    time.Time       `json:"updated_at"`
	ArchivedAt   *time.Time      `json:"archived_at"`
}

// Archived reports whether the rule has been archived.
func (r *Rule) Archived() bool { return r.ArchivedAt != nil }

// Text is the rule in one line: "JOBS_CREATED[women] ≤ JOBS_CREATED".
func (r *Rule) Text() string {
	if r.Operator.IsPair() {
		return string(r.Operator) + "(" + r.Left + ", " + r.Right + ")"
	}
	return r.Left + " " + r.Operator.Symbol() + " " + r.Right
}

// RuleInput creates or edits a rule.
type RuleInput struct {
	Name         string          `json:"name"`
	Description  string          `json:"description"`
	Left         string          `json:"left"`
	Operator     Operator        `json:"operator"`
	Right        string          `json:"right"`
	Importance   Importance      `json:"importance"`
	LeftMissing  MissingStrategy `json:"left_missing"`
	RightMissing MissingStrategy `json:"right_missing"`
	PeriodType   PeriodType      `json:"period_type"`
}

// RuleInputOf returns the input that would store r unchanged.
func RuleInputOf(r *Rule) RuleInput {
	return RuleInput{Name: r.Name, Description: r.Description, Left: r.Left, Operator: r.Operator, Right: r.Right,
		Importance: r.Importance, LeftMissing: r.LeftMissing, RightMissing: r.RightMissing, PeriodType: r.PeriodType}
}

// Rule field limits, in characters.
const (
	maxRuleName        = 200
	maxRuleDescription = 2000
)

// check tidies the input and checks what needs no database; it returns the
// parsed sides (nil where a side does not parse).
func (in *RuleInput) check() (left, right *RuleExpr, f problem.Fields) {
	in.Name = strings.TrimSpace(in.Name)
	in.Description = strings.TrimSpace(in.Description)
	in.Operator = ParseOperator(string(in.Operator))
	if in.Importance == "" {
		in.Importance = ImportanceMedium
	}
	if in.LeftMissing == "" {
		in.LeftMissing = SkipIfAnyMissing
	}
	if in.RightMissing == "" {
		in.RightMissing = SkipIfAnyMissing
	}
	required(&f, "name", in.Name, maxRuleName, "Name the rule, such as “Jobs for women within total jobs”.")
	if n := utf8.RuneCountInString(in.Description); n > maxRuleDescription {
		f.Add("description", "Use at most %d characters (this has %d).", maxRuleDescription, n)
	}
	ruleSide := func(field, src string) (*RuleExpr, string) {
		e, err := ParseRuleExpr(src)
		if err != nil {
			f.Add(field, "%s.", upperFirst(err.Error()))
			return nil, strings.TrimSpace(src)
		}
		return e, e.String()
	}
	left, in.Left = ruleSide("left", in.Left)
	right, in.Right = ruleSide("right", in.Right)
	if !in.Operator.Valid() {
		f.Add("operator", "Choose an operator: %s.", valuesText(Operators))
	}
	if !in.Importance.Valid() {
		f.Add("importance", "Choose an importance: %s.", valuesText(Importances))
	}
	if !in.LeftMissing.Valid() {
		f.Add("left_missing", "Choose what to do with missing values: %s.", valuesText(MissingStrategies))
	}
	if !in.RightMissing.Valid() {
		f.Add("right_missing", "Choose what to do with missing values: %s.", valuesText(MissingStrategies))
	}
	if !in.PeriodType.Valid() {
		f.Add("period_type", "Choose the period type the rule applies to: %s.", valuesText(PeriodTypes))
	}
	if left != nil && right != nil && len(left.Items)+len(right.Items) == 0 {
		f.Add("left", "The rule compares numbers only; name at least one indicator.")
	}
	return left, right, f
}

// checkRuleRefs checks a parsed side against the indicators (by code): each
// must exist, not be archived nor computed by a formula, be collected at
// least as often as the rule's period type, and have the category named.
func checkRuleRefs(field string, e *RuleExpr, pt PeriodType, inds map[string]*Indicator, f *problem.Fields) {
	if e == nil {
		return
	}
	for _, it := range e.Items {
		ind := inds[it.Code]
		switch {
		case ind == nil:
			f.Add(field, "There is no indicator %s (character %d).", it.Code, it.Pos)
		case ind.Archived():
			f.Add(field, "%s is archived; a rule cannot use it.", it.Code)
		case ind.IsFormula():
			f.Add(field, "%s is computed by its formula; use the indicators it is computed from.", it.Code)
		default:
			if _, ok := ResolveCategory(ind, it.Category); !ok {
				f.Add(field, "%s has no category %q: use %s.", it.Code, it.Category, categoryList(ind))
			} else if pt.Valid() && !(Period{Type: pt}).FitsFrequency(ind.Frequency) {
				f.Add("period_type", "%s is collected %s; a rule using it applies to periods at least that long.", it.Code, ind.Frequency)
			}
		}
	}
}

// categoryList names an indicator's categories for a message.
func categoryList(ind *Indicator) string {
	var names []string
	for _, c := range ind.Categories() {
		if !c.IsTotal() {
			names = append(names, c.Code)
		}
	}
	if len(names) == 0 {
		return "the total only (it is not disaggregated)"
	}
	return strings.Join(names, ", ")
}
