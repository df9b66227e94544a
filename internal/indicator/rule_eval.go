package indicator

import "math"

// Evaluating a rule for one subject and period. Pure logic: the caller
// gives the values present, keyed as the sides name them
// ("JOBS_CREATED", "JOBS_CREATED[women]").

// Outcome is what a rule found for one subject and period.
type Outcome struct {
	// Skipped: the missing-value strategy (or a division by zero, or a
	// pair with no values on either side) left nothing to compare.
	Skipped  bool
	Violated bool
	// Left and Right are the sides' values, nil where a side has none.
	Left, Right *float64
}

// ruleSide is one evaluated side of a rule.
type ruleSide struct {
	value   float64
	defined bool
	present int // items with a value
	items   int
}

func evalRuleSide(e *RuleExpr, m MissingStrategy, values map[string]float64) ruleSide {
	s := ruleSide{items: len(e.Items)}
	filled := make(map[string]float64, len(e.Items))
	for _, it := range e.Items {
		if v, ok := values[it.Key]; ok {
			filled[it.Key] = v
			s.present++
		} else {
			filled[it.Key] = 0
		}
	}
	switch m {
	case SkipIfAnyMissing:
		if s.present < s.items {
			return s
		}
	case SkipIfAllMissing:
		if s.items > 0 && s.present == 0 {
			return s
		}
	}
	if res := e.Evaluate(filled); res.Defined {
		s.value, s.defined = res.Value, true
	}
	return s
}

// EvaluateRule applies a rule whose sides are parsed as left and right to
// the values of one subject and period.
func EvaluateRule(r *Rule, left, right *RuleExpr, values map[string]float64) Outcome {
	l := evalRuleSide(left, r.LeftMissing, values)
	rt := evalRuleSide(right, r.RightMissing, values)
	var o Outcome
	if l.defined {
		o.Left = &l.value
	}
	if rt.defined {
		o.Right = &rt.value
	}
	if r.Operator.IsPair() {
		hasL, hasR := l.present > 0, rt.present > 0
		switch {
		case !hasL && !hasR:
			o.Skipped = true
		case r.Operator == OpCompulsoryPair:
			o.Violated = hasL != hasR
		default:
			o.Violated = hasL && hasR
		}
		return o
	}
	if !l.defined || !rt.defined {
		o.Skipped = true
		return o
	}
	o.Violated = !CompareValues(l.value, r.Operator, rt.value)
	return o
}

// CompareValues reports whether a op b holds, with a tolerance of one part in a
// billion so that decimal rounding never makes a violation.
func CompareValues(a float64, op Operator, b float64) bool {
	tol := 1e-9 * math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
	eq := math.Abs(a-b) <= tol
	switch op {
	case OpEqual:
		return eq
	case OpNotEqual:
		return !eq
	case OpLess:
		return a < b && !eq
	case OpLessOrEqual:
		return a < b || eq
	case OpGreater:
		return a > b && !eq
	case OpGreaterOrEqual:
		return a > b || eq
	}
	return true
}
