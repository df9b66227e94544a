package plan

import (
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/programme"
)

// CheckLine is one co-financing check as a page shows it.
type CheckLine struct {
	Kind    CheckKind
	Name    string
	Pass    bool
	Figures string // what was compared, and what breaks the rule
	Lines   string // budget lines that break it alone ("" for none)
}

// CheckLines writes the checks in loc's language.
func CheckLines(loc *i18n.Localizer, c Checks, cur string) []CheckLine {
	out := make([]CheckLine, 0, len(c.Checks))
	for _, ch := range c.Checks {
		l := CheckLine{Kind: ch.Kind, Name: loc.T(ch.Kind.Key() + ".name"), Pass: ch.Pass}
		share := func(f float64, d int) string { return loc.Percent(f, d) }
		switch ch.Kind {
		case CheckGrantCeiling:
			l.Figures = loc.T("plan.check.grant_ceiling.figures", "actual", programme.Money(loc, int64(ch.Actual), cur),
				"limit", programme.Money(loc, int64(ch.Limit), cur))
			if ch.Actual > ch.Limit {
				l.Figures += " " + loc.T("plan.check.grant_ceiling.over", "over", programme.Money(loc, int64(ch.Actual-ch.Limit), cur))
			}
		case CheckInKind:
			key := "plan.check.in_kind.figures_max_in_kind"
			if ch.Rule == programme.InKindCash {
				key = "plan.check.in_kind.figures_min_cash"
			}
			l.Figures = loc.T(key, "actual", share(ch.Actual, 1), "limit", share(ch.Limit, 0))
		default:
			l.Figures = loc.T(ch.Kind.Key()+".figures", "actual", share(ch.Actual, 1), "limit", share(ch.Limit, 0))
		}
		if c.Empty {
			l.Figures = loc.T("plan.check.empty")
		}
		if !ch.Pass && len(ch.Lines) > 0 {
			ns := make([]string, len(ch.Lines))
			for i, n := range ch.Lines {
				ns[i] = strconv.Itoa(n)
			}
			l.Lines = loc.T("plan.check.lines", "lines", strings.Join(ns, ", "))
		}
		out = append(out, l)
	}
	return out
}

// Amounts are a budget line's or total's amounts written for reading.
type Amounts struct {
	Grant, Cash, InKind, Total string
}

func amountsOf(loc *i18n.Localizer, b BudgetLine, cur string) Amounts {
	return Amounts{Grant: programme.Money(loc, b.Grant, cur), Cash: programme.Money(loc, b.Cash, cur),
		InKind: programme.Money(loc, b.InKind, cur), Total: programme.Money(loc, b.Total(), cur)}
}

// ContentView is a version's content prepared for reading.
type ContentView struct {
	C        *Content
	Currency string
	Budget   []BudgetLineView
	Totals   Amounts
	Tasks    []ProjectTasks
	loc      *i18n.Localizer
}

// Day writes a stored day (YYYY-MM-DD) in the page's language.
func (v *ContentView) Day(s string) string {
	if t, ok := parseDay(s); ok {
		return v.loc.Date(t)
	}
	return s
}

// BudgetLineView is a budget line with its project's title and amounts.
type BudgetLineView struct {
	N       int
	Line    BudgetLine
	Project string
	Amounts Amounts
	Flagged bool // breaks a co-financing rule on its own
}

// ProjectTasks is a project with its activities and milestones.
type ProjectTasks struct {
	N          int
	Project    Project
	Activities []Task
	Milestones []Task
}

// ObjectiveTitle names objective n (from 1), or "".
func (v *ContentView) ObjectiveTitle(n int) string {
	if n < 1 || n > len(v.C.Objectives) {
		return ""
	}
	return v.C.Objectives[n-1].Title
}

func newContentView(loc *i18n.Localizer, c *Content, cur string, checks *Checks) *ContentView {
	v := &ContentView{C: c, Currency: cur, Totals: amountsOf(loc, c.Totals(), cur), loc: loc}
	flagged := map[int]bool{}
	if checks != nil {
		for _, ch := range checks.Checks {
			if !ch.Pass {
				for _, n := range ch.Lines {
					flagged[n] = true
				}
			}
		}
	}
	for i, b := range c.Budget {
		v.Budget = append(v.Budget, BudgetLineView{N: i + 1, Line: b, Project: c.ProjectTitle(b.Project), Amounts: amountsOf(loc, b, cur),
			Flagged: flagged[i+1]})
	}
	for i, p := range c.Projects {
		pt := ProjectTasks{N: i + 1, Project: p}
		for _, t := range c.Activities {
			if t.Project == i+1 {
				pt.Activities = append(pt.Activities, t)
			}
		}
		for _, t := range c.Milestones {
			if t.Project == i+1 {
				pt.Milestones = append(pt.Milestones, t)
			}
		}
		v.Tasks = append(v.Tasks, pt)
	}
	return v
}
