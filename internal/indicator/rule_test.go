package indicator

import (
	"errors"
	"strings"
	"testing"
)

func TestParseRuleExpr(t *testing.T) {
	e, err := ParseRuleExpr("jobs_created[Women] + JOBS_CREATED[sex:men]*2 - 1")
	if err != nil {
		t.Fatal(err)
	}
	if got := e.String(); got != "JOBS_CREATED[women] + JOBS_CREATED[sex:men] * 2 - 1" {
		t.Errorf("String = %q", got)
	}
	want := []RuleItem{{Key: "JOBS_CREATED[women]", Code: "JOBS_CREATED", Category: "women", Pos: 1},
		{Key: "JOBS_CREATED[sex:men]", Code: "JOBS_CREATED", Category: "sex:men", Pos: 23}}
	if len(e.Items) != 2 || e.Items[0] != want[0] || e.Items[1] != want[1] {
		t.Errorf("Items = %+v", e.Items)
	}
	if e, err := ParseRuleExpr("REVENUE[total] / 2"); err != nil || e.Items[0].Key != "REVENUE" {
		t.Errorf("[total] is the total: %+v %v", e, err)
	}
	for _, c := range []struct{ src, msg string }{
		{"", "the expression is empty"},
		{"JOBS[women", "this [ is never closed"},
		{"JOBS]", "this ] has no ["},
		{"[women]", "comes right after an indicator code"},
		{"5[women]", "comes right after an indicator code"},
		{"JOBS[wo men]", "is not a category"},
		{"JOBS[]", "is not a category"},
		{"JOBS +", "the expression ends where"},
		{"(JOBS", "never closed"},
		{"JOBS # 2", "is not allowed"},
	} {
		_, err := ParseRuleExpr(c.src)
		var fe *FormulaError
		if !errors.As(err, &fe) || !strings.Contains(fe.Msg, c.msg) {
			t.Errorf("%q: got %v, want %q", c.src, err, c.msg)
		}
	}
}

func TestResolveCategory(t *testing.T) {
	ind := &Indicator{Code: "JOBS_CREATED", Dimensions: []string{"sex", "youth"}}
	for name, want := range map[string]Category{"": {}, "total": {}, "women": {"sex", "women"}, "sex:men": {"sex", "men"},
		"youth": {"youth", "youth"}} {
		if got, ok := ResolveCategory(ind, name); !ok || got != want {
			t.Errorf("%q = %v %v", name, got, ok)
		}
	}
	for _, name := range []string{"micro", "youth:women", "nobody"} {
		if _, ok := ResolveCategory(ind, name); ok {
			t.Errorf("%q resolved", name)
		}
	}
}

func TestRuleInputCheck(t *testing.T) {
	in := RuleInput{Name: " ", Left: "A[", Operator: "≈", Right: "B", Importance: "urgent", LeftMissing: "maybe", PeriodType: "week"}
	_, _, f := in.check()
	for _, field := range []string{"name", "left", "operator", "importance", "left_missing", "period_type"} {
		if !f.Has(field) {
			t.Errorf("no problem on %s: %v", field, f)
		}
	}
	in = RuleInput{Name: "N", Left: "jobs_created[women]", Operator: "<=", Right: "jobs_created", PeriodType: PeriodYear}
	if _, _, f := in.check(); f.Err() != nil {
		t.Fatal(f.Err())
	}
	if in.Operator != OpLessOrEqual || in.Importance != ImportanceMedium || in.LeftMissing != SkipIfAnyMissing || in.Left != "JOBS_CREATED[women]" {
		t.Errorf("tidied input = %+v", in)
	}
	in = RuleInput{Name: "N", Left: "1", Operator: "==", Right: "2", PeriodType: PeriodYear}
	if _, _, f := in.check(); !f.Has("left") {
		t.Error("a rule over numbers only is accepted")
	}
}

func rule(t *testing.T, left string, op Operator, right string, lm, rm MissingStrategy) (*Rule, *RuleExpr, *RuleExpr) {
	t.Helper()
	l, err := ParseRuleExpr(left)
	if err != nil {
		t.Fatal(err)
	}
	r, err := ParseRuleExpr(right)
	if err != nil {
		t.Fatal(err)
	}
	return &Rule{Left: left, Operator: op, Right: right, LeftMissing: lm, RightMissing: rm}, l, r
}

func TestEvaluateRuleOperators(t *testing.T) {
	vals := func(a, b float64) map[string]float64 { return map[string]float64{"A": a, "B": b} }
	cases := []struct {
		op       Operator
		a, b     float64
		violated bool
	}{
		{OpEqual, 5, 5, false}, {OpEqual, 5, 6, true}, {OpEqual, 0.1 + 0.2, 0.3, false},
		{OpNotEqual, 5, 6, false}, {OpNotEqual, 5, 5, true},
		{OpLess, 4, 5, false}, {OpLess, 5, 5, true}, {OpLess, 6, 5, true},
		{OpLessOrEqual, 5, 5, false}, {OpLessOrEqual, 4, 5, false}, {OpLessOrEqual, 6, 5, true},
		{OpGreater, 6, 5, false}, {OpGreater, 5, 5, true}, {OpGreater, 4, 5, true},
		{OpGreaterOrEqual, 5, 5, false}, {OpGreaterOrEqual, 6, 5, false}, {OpGreaterOrEqual, 4, 5, true},
	}
	for _, c := range cases {
		r, l, rt := rule(t, "A", c.op, "B", SkipIfAnyMissing, SkipIfAnyMissing)
		o := EvaluateRule(r, l, rt, vals(c.a, c.b))
		if o.Skipped || o.Violated != c.violated || *o.Left != c.a || *o.Right != c.b {
			t.Errorf("%v %s %v: %+v, want violated=%v", c.a, c.op, c.b, o, c.violated)
		}
	}
}

func TestEvaluateRulePairs(t *testing.T) {
	cases := []struct {
		op       Operator
		values   map[string]float64
		skipped  bool
		violated bool
	}{
		{OpCompulsoryPair, map[string]float64{"A": 1, "B": 2}, false, false},
		{OpCompulsoryPair, map[string]float64{"A": 1}, false, true},
		{OpCompulsoryPair, map[string]float64{"B": 0}, false, true},
		{OpCompulsoryPair, map[string]float64{}, true, false},
		{OpExclusivePair, map[string]float64{"A": 1, "B": 2}, false, true},
		{OpExclusivePair, map[string]float64{"A": 1}, false, false},
		{OpExclusivePair, map[string]float64{}, true, false},
	}
	for _, c := range cases {
		r, l, rt := rule(t, "A", c.op, "B", SkipIfAnyMissing, SkipIfAnyMissing)
		o := EvaluateRule(r, l, rt, c.values)
		if o.Skipped != c.skipped || o.Violated != c.violated {
			t.Errorf("%s %v: %+v", c.op, c.values, o)
		}
	}
}

func TestEvaluateRuleMissingStrategies(t *testing.T) {
	// Left A + B ≤ right C, with B missing.
	partial := map[string]float64{"A": 7, "C": 5}
	empty := map[string]float64{"C": 5}
	cases := []struct {
		m        MissingStrategy
		values   map[string]float64
		skipped  bool
		violated bool
		left     float64
	}{
		{SkipIfAnyMissing, partial, true, false, 0},
		{SkipIfAllMissing, partial, false, true, 7},
		{NeverSkip, partial, false, true, 7},
		{SkipIfAnyMissing, empty, true, false, 0},
		{SkipIfAllMissing, empty, true, false, 0},
		{NeverSkip, empty, false, false, 0},
	}
	for _, c := range cases {
		r, l, rt := rule(t, "A + B", OpLessOrEqual, "C", c.m, SkipIfAnyMissing)
		o := EvaluateRule(r, l, rt, c.values)
		if o.Skipped != c.skipped || o.Violated != c.violated || (!c.skipped && *o.Left != c.left) {
			t.Errorf("%s %v: %+v", c.m, c.values, o)
		}
	}
	// The right side's own strategy applies to it.
	r, l, rt := rule(t, "A", OpLessOrEqual, "C", SkipIfAnyMissing, NeverSkip)
	if o := EvaluateRule(r, l, rt, map[string]float64{"A": 1}); o.Skipped || !o.Violated || *o.Right != 0 {
		t.Errorf("never skip on the right: %+v", o)
	}
	// A division by zero leaves nothing to compare.
	r, l, rt = rule(t, "A / B", OpLessOrEqual, "C", SkipIfAnyMissing, SkipIfAnyMissing)
	if o := EvaluateRule(r, l, rt, map[string]float64{"A": 1, "B": 0, "C": 1}); !o.Skipped || o.Left != nil {
		t.Errorf("division by zero: %+v", o)
	}
}

func TestRuleText(t *testing.T) {
	r := &Rule{Left: "JOBS_CREATED[women]", Operator: OpLessOrEqual, Right: "JOBS_CREATED"}
	if got := r.Text(); got != "JOBS_CREATED[women] ≤ JOBS_CREATED" {
		t.Errorf("Text = %q", got)
	}
	r.Operator = OpExclusivePair
	if got := r.Text(); got != "exclusive_pair(JOBS_CREATED[women], JOBS_CREATED)" {
		t.Errorf("Text = %q", got)
	}
	for sym, op := range map[string]Operator{"==": OpEqual, "!=": OpNotEqual, "<": OpLess, "<=": OpLessOrEqual, ">": OpGreater,
		">=": OpGreaterOrEqual, "≤": OpLessOrEqual, "Compulsory_Pair": OpCompulsoryPair} {
		if got := ParseOperator(sym); got != op {
			t.Errorf("ParseOperator(%q) = %q", sym, got)
		}
	}
}
