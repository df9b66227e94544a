package plan

import (
	"github.com/clusterobservatory/observatory/internal/programme"
)

// The co-financing checks of a plan's budget against its call: each of the
// call's settings judged on its own, with the figures, and the budget lines
// that break the rule on their own. The arithmetic is the programme
// package's (programme.SharesOf and the Cofinancing tests), so a plan is
// judged exactly as the application's budget request was. Pure logic.

// CheckKind names one co-financing check.
type CheckKind string

// The co-financing checks.
const (
	CheckGrantShare       CheckKind = "grant_share"       // grant / total ≤ call's max_grant_share
	CheckGrantCeiling     CheckKind = "grant_ceiling"     // grant ≤ call's grant_ceiling
	CheckCounterpartShare CheckKind = "counterpart_share" // counterpart / total ≥ min_counterpart_share
	CheckInKind           CheckKind = "in_kind"           // the in-kind rule on the counterpart's mix
)

// Key is the message key prefix of the check's texts.
func (k CheckKind) Key() string { return "plan.check." + string(k) }

// Check is the outcome of one co-financing check. Actual and Limit are
// shares (0.8 is 80 %), or amounts in minor units for the grant ceiling.
type Check struct {
	Kind   CheckKind            `json:"kind"`
	Pass   bool                 `json:"pass"`
	Actual float64              `json:"actual"`
	Limit  float64              `json:"limit"`
	Rule   programme.InKindRule `json:"in_kind_rule,omitempty"` // for in_kind: which rule
	Lines  []int                `json:"lines"`                  // budget lines, from 1, that break the rule alone
}

// Checks is the outcome of every check of a budget.
type Checks struct {
	Grant  int64   `json:"grant"`
	Cash   int64   `json:"counterpart_cash"`
	InKind int64   `json:"counterpart_in_kind"`
	Empty  bool    `json:"empty"` // no amount at all: nothing passes
	Checks []Check `json:"checks"`
	Pass   bool    `json:"pass"`
}

// Terms are a call's co-financing settings as the checks need them.
type Terms struct {
	Cofinancing  programme.Cofinancing
	GrantCeiling int64 // minor units; 0 for no ceiling
}

// TermsOf reads a call's co-financing settings.
func TermsOf(c *programme.Call) Terms {
	return Terms{Cofinancing: c.Cofinancing(), GrantCeiling: c.GrantCeiling}
}

// Evaluate runs the checks of the terms on a budget.
func Evaluate(budget []BudgetLine, t Terms) Checks {
	var out Checks
	for _, b := range budget {
		out.Grant += b.Grant
		out.Cash += b.Cash
		out.InKind += b.InKind
	}
	s := programme.SharesOf(out.Grant, out.Cash, out.InKind)
	out.Empty = s.Total <= 0
	co := t.Cofinancing
	// lines lists the budget lines that fail the test on their own.
	lines := func(ok func(programme.Shares) bool) []int {
		ls := []int{}
		for i, b := range budget {
			if b.Total() > 0 && !ok(programme.SharesOf(b.Grant, b.Cash, b.InKind)) {
				ls = append(ls, i+1)
			}
		}
		return ls
	}
	out.Checks = append(out.Checks, Check{Kind: CheckGrantShare, Pass: co.GrantShareOK(s), Actual: s.GrantShare, Limit: co.MaxGrantShare,
		Lines: lines(co.GrantShareOK)})
	if t.GrantCeiling > 0 {
		out.Checks = append(out.Checks, Check{Kind: CheckGrantCeiling, Pass: programme.GrantCeiling{Amount: t.GrantCeiling}.OK(out.Grant),
			Actual: float64(out.Grant), Limit: float64(t.GrantCeiling), Lines: []int{}})
	}
	out.Checks = append(out.Checks, Check{Kind: CheckCounterpartShare, Pass: co.CounterpartShareOK(s), Actual: s.CounterpartShare,
		Limit: co.MinCounterpartShare, Lines: lines(co.CounterpartShareOK)})
	switch co.InKindRule {
	case programme.InKindMax, programme.InKindCash:
		actual := s.InKindShare
		if co.InKindRule == programme.InKindCash {
			actual = s.CashShare
		}
		out.Checks = append(out.Checks, Check{Kind: CheckInKind, Pass: co.InKindOK(s), Actual: actual, Limit: co.InKindShare, Rule: co.InKindRule,
			Lines: lines(co.InKindOK)})
	}
	out.Pass = !out.Empty
	for i := range out.Checks {
		if out.Empty {
			out.Checks[i].Pass = false
		}
		out.Pass = out.Pass && out.Checks[i].Pass
	}
	return out
}
