package implementation

import (
	"sort"
	"time"

	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/programme"
)

// Budget execution: planned against spent per line and source, the lines
// of earlier baselines, and the warnings. Pure logic.

// Amounts are sums by source, in minor units.
type Amounts struct {
	Grant  int64 `json:"grant"`
	Cash   int64 `json:"counterpart_cash"`
	InKind int64 `json:"counterpart_in_kind"`
}

// Total is the sum of every source.
func (a Amounts) Total() int64 { return a.Grant + a.Cash + a.InKind }

// Counterpart is the cluster's part: cash and in kind.
func (a Amounts) Counterpart() int64 { return a.Cash + a.InKind }

// Of is the amount of one source.
func (a Amounts) Of(s Source) int64 {
	switch s {
	case Grant:
		return a.Grant
	case Cash:
		return a.Cash
	case InKind:
		return a.InKind
	}
	return 0
}

// add counts n under source s.
func (a *Amounts) add(s Source, n int64) {
	switch s {
	case Grant:
		a.Grant += n
	case Cash:
		a.Cash += n
	case InKind:
		a.InKind += n
	}
}

// plus is the sum of two amounts.
func (a Amounts) plus(b Amounts) Amounts {
	return Amounts{Grant: a.Grant + b.Grant, Cash: a.Cash + b.Cash, InKind: a.InKind + b.InKind}
}

// PlannedOf is a budget line's amounts by source.
func PlannedOf(b plan.BudgetLine) Amounts {
	return Amounts{Grant: b.Grant, Cash: b.Cash, InKind: b.InKind}
}

// Place says where an entry recorded against line n of an earlier
// baseline's budget counts under the current baseline: the line at the
// same position when its project title and category are unchanged, or
// nowhere (ok false: it is shown under the lines of an earlier baseline).
func Place(current, earlier *plan.Content, n int) (int, bool) {
	if current == nil || earlier == nil || n < 1 || n > len(current.Budget) || n > len(earlier.Budget) {
		return 0, false
	}
	a, b := earlier.Budget[n-1], current.Budget[n-1]
	if a.Category != b.Category || earlier.ProjectTitle(a.Project) != current.ProjectTitle(b.Project) {
		return 0, false
	}
	return n, true
}

// PlaceMilestone is Place for milestones: the same position, when its
// project title and title are unchanged.
func PlaceMilestone(current, earlier *plan.Content, n int) (int, bool) {
	if current == nil || earlier == nil || n < 1 || n > len(current.Milestones) || n > len(earlier.Milestones) {
		return 0, false
	}
	a, b := earlier.Milestones[n-1], current.Milestones[n-1]
	if a.Title != b.Title || earlier.ProjectTitle(a.Project) != current.ProjectTitle(b.Project) {
		return 0, false
	}
	return n, true
}

// LineExecution is one line of the baseline with what was spent on it.
type LineExecution struct {
	N           int           `json:"line"`
	Project     string        `json:"project"`
	Category    plan.Category `json:"category"`
	Description string        `json:"description"`
	Planned     Amounts       `json:"planned"`
	Spent       Amounts       `json:"spent"`
	Over        bool          `json:"overspent"`
}

// EarlierLine is a line of an earlier baseline whose entries no longer
// match a line of the current one.
type EarlierLine struct {
	Version     int           `json:"baseline_version"`
	N           int           `json:"line"`
	Project     string        `json:"project"`
	Category    plan.Category `json:"category"`
	Description string        `json:"description"`
	Spent       Amounts       `json:"spent"`
}

// WarningKind names one kind of warning.
type WarningKind string

// The warnings of the execution page.
const (
	WarnLineOverspent   WarningKind = "line_overspent"   // a line spent beyond its planned total (or a source of it beyond its part)
	WarnSourceOverspent WarningKind = "source_overspent" // a source spent beyond the plan's total for it
	WarnCounterpart     WarningKind = "counterpart_low"  // the counterpart's share of spending below the plan's
	WarnMilestoneLate   WarningKind = "milestone_late"   // a milestone past its due date, not done
)

// Key is the message key of the warning's text.
func (k WarningKind) Key() string { return "implementation.warning." + string(k) }

// Warning is one thing that needs attention, with its figures.
type Warning struct {
	Kind      WarningKind `json:"kind"`
	Line      int         `json:"line,omitempty"`
	Source    Source      `json:"source,omitempty"`
	Milestone int         `json:"milestone,omitempty"`
	Title     string      `json:"title,omitempty"`
	Planned   int64       `json:"planned,omitempty"`
	Spent     int64       `json:"spent,omitempty"`
	Actual    float64     `json:"actual,omitempty"` // shares: 0.2 is 20 %
	Limit     float64     `json:"limit,omitempty"`
	Due       string      `json:"due,omitempty"`
}

// MilestoneState is a milestone of the baseline with its progress and its
// effective status.
type MilestoneState struct {
	N        int       `json:"milestone"`
	Project  string    `json:"project"`
	Title    string    `json:"title"`
	Due      string    `json:"due"`
	Status   Status    `json:"status"`
	Progress *Progress `json:"progress"`
}

// Execution is the budget execution of a plan under its baseline.
type Execution struct {
	Baseline         int              `json:"baseline_version"`
	Lines            []LineExecution  `json:"lines"`
	Earlier          []EarlierLine    `json:"earlier_lines"`
	Planned          Amounts          `json:"planned"`
	Spent            Amounts          `json:"spent"`
	CounterpartShare float64          `json:"counterpart_share"`          // of spending so far
	RequiredShare    float64          `json:"required_counterpart_share"` // the plan's, at least the call's
	Milestones       []MilestoneState `json:"milestones"`
	Warnings         []Warning        `json:"warnings"`
}

// Facts are what the execution is computed from: the baseline (version
// and content), the contents of earlier baselines that entries refer to,
// the entries, the latest progress per milestone of the baseline (see
// ResolveProgress), the call's co-financing rule and the day.
type Facts struct {
	Version  int
	Baseline *plan.Content
	Earlier  map[int]*plan.Content
	Entries  []*Entry
	Progress map[int]*Progress
	Rule     programme.Cofinancing
	Today    time.Time
}

// Compute works out the execution and its warnings.
func Compute(f Facts) *Execution {
	c := f.Baseline
	x := &Execution{Baseline: f.Version, Lines: []LineExecution{}, Earlier: []EarlierLine{}, Warnings: []Warning{}, Milestones: []MilestoneState{}}
	for i, b := range c.Budget {
		x.Lines = append(x.Lines, LineExecution{N: i + 1, Project: c.ProjectTitle(b.Project), Category: b.Category,
			Description: b.Description, Planned: PlannedOf(b)})
		x.Planned = x.Planned.plus(PlannedOf(b))
	}
	earlier := map[[2]int]int{} // (version, line) → index in x.Earlier
	for _, e := range f.Entries {
		x.Spent.add(e.Source, e.Amount)
		n, ok := e.Line, e.BaselineVersion == f.Version && e.Line >= 1 && e.Line <= len(c.Budget)
		if !ok && e.BaselineVersion != f.Version {
			n, ok = Place(c, f.Earlier[e.BaselineVersion], e.Line)
		}
		if ok {
			x.Lines[n-1].Spent.add(e.Source, e.Amount)
			continue
		}
		k := [2]int{e.BaselineVersion, e.Line}
		i, seen := earlier[k]
		if !seen {
			el := EarlierLine{Version: e.BaselineVersion, N: e.Line}
			if old := f.Earlier[e.BaselineVersion]; old != nil && e.Line >= 1 && e.Line <= len(old.Budget) {
				b := old.Budget[e.Line-1]
				el.Project, el.Category, el.Description = old.ProjectTitle(b.Project), b.Category, b.Description
			}
			i = len(x.Earlier)
			earlier[k] = i
			x.Earlier = append(x.Earlier, el)
		}
		x.Earlier[i].Spent.add(e.Source, e.Amount)
	}
	sort.SliceStable(x.Earlier, func(i, j int) bool {
		if x.Earlier[i].Version != x.Earlier[j].Version {
			return x.Earlier[i].Version < x.Earlier[j].Version
		}
		return x.Earlier[i].N < x.Earlier[j].N
	})

	for i := range x.Lines {
		l := &x.Lines[i]
		// The line's total first; only when it holds, each source of it.
		if l.Spent.Total() > l.Planned.Total() {
			l.Over = true
			x.Warnings = append(x.Warnings, Warning{Kind: WarnLineOverspent, Line: l.N, Title: l.Description,
				Planned: l.Planned.Total(), Spent: l.Spent.Total()})
			continue
		}
		for _, s := range Sources {
			if l.Spent.Of(s) > l.Planned.Of(s) {
				l.Over = true
				x.Warnings = append(x.Warnings, Warning{Kind: WarnLineOverspent, Line: l.N, Source: s, Title: l.Description,
					Planned: l.Planned.Of(s), Spent: l.Spent.Of(s)})
			}
		}
	}
	for _, s := range Sources {
		if x.Spent.Of(s) > x.Planned.Of(s) {
			x.Warnings = append(x.Warnings, Warning{Kind: WarnSourceOverspent, Source: s, Planned: x.Planned.Of(s), Spent: x.Spent.Of(s)})
		}
	}
	// The counterpart must keep pace with the spending: at least the
	// plan's own share (the call's minimum when that is higher).
	rule := f.Rule
	planned := programme.SharesOf(x.Planned.Grant, x.Planned.Cash, x.Planned.InKind)
	rule.MinCounterpartShare = max(rule.MinCounterpartShare, planned.CounterpartShare)
	x.RequiredShare = rule.MinCounterpartShare
	spent := programme.SharesOf(x.Spent.Grant, x.Spent.Cash, x.Spent.InKind)
	x.CounterpartShare = spent.CounterpartShare
	if spent.Total > 0 && !rule.CounterpartShareOK(spent) {
		x.Warnings = append(x.Warnings, Warning{Kind: WarnCounterpart, Actual: spent.CounterpartShare, Limit: rule.MinCounterpartShare,
			Planned: x.Planned.Counterpart(), Spent: x.Spent.Counterpart()})
	}

	x.Milestones = Milestones(c, f.Progress, f.Today)
	for _, m := range x.Milestones {
		if m.Status == Late {
			x.Warnings = append(x.Warnings, Warning{Kind: WarnMilestoneLate, Milestone: m.N, Title: m.Title, Due: m.Due})
		}
	}
	return x
}

// Milestones lists the baseline's milestones with their progress and
// effective status on the day.
func Milestones(c *plan.Content, progress map[int]*Progress, today time.Time) []MilestoneState {
	out := []MilestoneState{}
	for i, t := range c.Milestones {
		m := MilestoneState{N: i + 1, Project: c.ProjectTitle(t.Project), Title: t.Title, Due: t.Due, Progress: progress[i+1]}
		stored := NotStarted
		if m.Progress != nil {
			stored = m.Progress.Status
		}
		m.Status = Effective(stored, t.Due, today)
		out = append(out, m)
	}
	return out
}

// ResolveProgress picks, for each milestone of the baseline (version
// current, content c), its latest progress: recorded against this
// baseline, or else against the latest earlier baseline whose milestone
// at the same position PlaceMilestone matches.
func ResolveProgress(current int, c *plan.Content, earlier map[int]*plan.Content, records []*Progress) map[int]*Progress {
	out := map[int]*Progress{}
	for _, p := range records {
		if p.BaselineVersion > current {
			continue
		}
		n, ok := p.Milestone, p.BaselineVersion == current && p.Milestone >= 1 && p.Milestone <= len(c.Milestones)
		if !ok && p.BaselineVersion != current {
			n, ok = PlaceMilestone(c, earlier[p.BaselineVersion], p.Milestone)
		}
		if !ok {
			continue
		}
		if have := out[n]; have == nil || have.BaselineVersion < p.BaselineVersion {
			out[n] = p
		}
	}
	return out
}
