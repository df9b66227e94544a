package plan

import (
	"slices"
	"testing"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/programme"
)

// terms are the usual call: grant at most 80 %, counterpart at least 20 %,
// at most half of the counterpart in kind, a ceiling of 300,000.00.
func terms(rule programme.InKindRule, share float64) Terms {
	return Terms{Cofinancing: programme.Cofinancing{MaxGrantShare: 0.8, MinCounterpartShare: 0.2, InKindRule: rule, InKindShare: share},
		GrantCeiling: 300_000_00}
}

func line(grant, cash, inKind int64) BudgetLine {
	return BudgetLine{Category: "services", Description: "x", Grant: grant, Cash: cash, InKind: inKind}
}

func byKind(c Checks) map[CheckKind]Check {
	out := map[CheckKind]Check{}
	for _, ch := range c.Checks {
		out[ch.Kind] = ch
	}
	return out
}

func TestCofinancingChecks(t *testing.T) {
	cases := []struct {
		name   string
		budget []BudgetLine
		terms  Terms
		fail   []CheckKind
		lines  map[CheckKind][]int
	}{
		{"exactly at every limit passes", []BudgetLine{line(80_000_00, 10_000_00, 10_000_00)}, terms(programme.InKindMax, 0.5), nil, nil},
		{"grant share above the maximum", []BudgetLine{line(85_000_00, 10_000_00, 5_000_00)}, terms(programme.InKindMax, 0.5),
			[]CheckKind{CheckGrantShare, CheckCounterpartShare}, map[CheckKind][]int{CheckGrantShare: {1}}},
		{"grant above the ceiling", []BudgetLine{line(200_000_00, 60_000_00, 0), line(120_000_00, 40_000_00, 0)}, terms(programme.InKindMax, 0.5),
			[]CheckKind{CheckGrantCeiling}, nil},
		{"grant exactly at the ceiling", []BudgetLine{line(300_000_00, 75_000_00, 0)}, terms(programme.InKindMax, 0.5), nil, nil},
		{"too much in kind", []BudgetLine{line(80_000_00, 5_000_00, 15_000_00)}, terms(programme.InKindMax, 0.5),
			[]CheckKind{CheckInKind}, map[CheckKind][]int{CheckInKind: {1}}},
		{"too little cash", []BudgetLine{line(80_000_00, 5_000_00, 15_000_00)}, terms(programme.InKindCash, 0.4),
			[]CheckKind{CheckInKind}, nil},
		{"enough cash", []BudgetLine{line(80_000_00, 8_000_00, 12_000_00)}, terms(programme.InKindCash, 0.4), nil, nil},
		{"no in-kind rule", []BudgetLine{line(80_000_00, 0, 20_000_00)}, terms(programme.InKindNone, 0), nil, nil},
		{"a line alone breaks the share, the budget does not", []BudgetLine{line(50_000_00, 0, 0), line(10_000_00, 40_000_00, 0)},
			terms(programme.InKindMax, 0.5), nil, nil},
		{"lines that break the rule are named", []BudgetLine{line(90_000_00, 0, 0), line(10_000_00, 1_000_00, 0), line(0, 5_000_00, 0)},
			terms(programme.InKindMax, 0.5), []CheckKind{CheckGrantShare, CheckCounterpartShare},
			map[CheckKind][]int{CheckGrantShare: {1, 2}, CheckCounterpartShare: {1, 2}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Evaluate(tc.budget, tc.terms)
			checks := byKind(got)
			for kind, ch := range checks {
				if want := !slices.Contains(tc.fail, kind); ch.Pass != want {
					t.Errorf("%s pass = %v, want %v (actual %v, limit %v)", kind, ch.Pass, want, ch.Actual, ch.Limit)
				}
				if want, ok := tc.lines[kind]; ok && !slices.Equal(ch.Lines, want) {
					t.Errorf("%s lines = %v, want %v", kind, ch.Lines, want)
				}
			}
			if got.Pass != (len(tc.fail) == 0) {
				t.Errorf("pass = %v with failures %v", got.Pass, tc.fail)
			}
		})
	}
	// No in-kind check without a rule; a ceiling of zero is no ceiling.
	got := byKind(Evaluate([]BudgetLine{line(1, 1, 0)}, Terms{Cofinancing: programme.Cofinancing{MaxGrantShare: 1}}))
	if _, ok := got[CheckInKind]; ok {
		t.Error("in-kind check without a rule")
	}
	if _, ok := got[CheckGrantCeiling]; ok {
		t.Error("ceiling check without a ceiling")
	}
	// An empty budget passes nothing.
	if e := Evaluate(nil, terms(programme.InKindMax, 0.5)); e.Pass || !e.Empty || e.Checks[0].Pass {
		t.Errorf("empty budget: %+v", e)
	}
}

func TestCheckLinesSayTheFigures(t *testing.T) {
	loc := i18n.For("en")
	c := Evaluate([]BudgetLine{line(320_000_00, 10_000_00, 30_000_00)}, terms(programme.InKindMax, 0.5))
	var texts []string
	for _, l := range CheckLines(loc, c, "USD") {
		texts = append(texts, l.Name+": "+l.Figures+" "+l.Lines)
	}
	want := []string{
		"Grant share of the budget: The grant is 88.9% of the budget; the call allows at most 80%. Budget lines that break the rule on their own: 1.",
		"Grant ceiling: The grant totals 320,000\u00a0USD; the ceiling is 300,000\u00a0USD. That is 20,000\u00a0USD over the ceiling. ",
		"Counterpart share of the budget: The counterpart is 11.1% of the budget; the call asks for at least 20%. Budget lines that break the rule on their own: 1.",
		"Cash and in kind in the counterpart: In kind is 75.0% of the counterpart; at most 50% may be in kind. Budget lines that break the rule on their own: 1.",
	}
	if !slices.Equal(texts, want) {
		t.Errorf("check lines:\n%q\nwant\n%q", texts, want)
	}
}
