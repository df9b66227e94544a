package implementation

import (
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/programme"
)

func content() *plan.Content {
	return &plan.Content{StartsOn: "2026-01-01", EndsOn: "2027-12-31",
		Projects:   []plan.Project{{Title: "Shared lab", StartsOn: "2026-02-01", EndsOn: "2026-12-31"}, {Title: "Export desk"}},
		Milestones: []plan.Task{{Project: 1, Title: "Lab opens", Due: "2026-06-30"}, {Title: "Mid-term review", Due: "2026-12-31"}},
		Budget: []plan.BudgetLine{
			{Project: 1, Category: "equipment", Description: "Ovens", Grant: 80_000_00, Cash: 15_000_00, InKind: 5_000_00},
			{Category: "training", Description: "Courses", Grant: 20_000_00, Cash: 5_000_00},
		}}
}

func TestEffective(t *testing.T) {
	today := time.Date(2026, 7, 1, 15, 0, 0, 0, time.UTC)
	cases := []struct {
		stored Status
		due    string
		want   Status
	}{
		{NotStarted, "2026-06-30", Late},
		{InProgress, "2026-06-30", Late},
		{Done, "2026-06-30", Done},
		{InProgress, "2026-07-01", InProgress}, // due today is not late yet
		{"", "2026-08-01", NotStarted},
		{NotStarted, "", NotStarted},
	}
	for _, c := range cases {
		if got := Effective(c.stored, c.due, today); got != c.want {
			t.Errorf("Effective(%q, %s) = %s, want %s", c.stored, c.due, got, c.want)
		}
	}
}

func TestPlace(t *testing.T) {
	old := content()
	same := content()
	same.Budget[0].Description, same.Budget[0].Grant = "Ovens and mixers", 90_000_00 // description and amounts may change
	if n, ok := Place(same, old, 1); !ok || n != 1 {
		t.Errorf("unchanged project and category: got %d %v", n, ok)
	}
	moved := content()
	moved.Budget[0].Category = "services"
	if _, ok := Place(moved, old, 1); ok {
		t.Error("a changed category must not place the entry")
	}
	renamed := content()
	renamed.Projects[0].Title = "Shared kitchen"
	if _, ok := Place(renamed, old, 1); ok {
		t.Error("a changed project title must not place the entry")
	}
	reordered := content()
	reordered.Budget[0], reordered.Budget[1] = reordered.Budget[1], reordered.Budget[0]
	if _, ok := Place(reordered, old, 1); ok {
		t.Error("a line moved away from its position must not keep its entries")
	}
	shorter := content()
	shorter.Budget = shorter.Budget[:1]
	if _, ok := Place(shorter, old, 2); ok {
		t.Error("a removed line must not place the entry")
	}
}

func TestCompute(t *testing.T) {
	today := time.Date(2026, 7, 15, 0, 0, 0, 0, time.UTC)
	rule := programme.Cofinancing{MaxGrantShare: 0.8, MinCounterpartShare: 0.2}
	entries := []*Entry{
		{BaselineVersion: 3, Line: 1, Source: Grant, Amount: 60_000_00, SpentOn: "2026-03-01"},
		{BaselineVersion: 3, Line: 1, Source: Cash, Amount: 10_000_00, SpentOn: "2026-03-02"},
		{BaselineVersion: 3, Line: 2, Source: Grant, Amount: 22_000_00, SpentOn: "2026-04-01"}, // line 2 overspent, grant overspent
		{BaselineVersion: 1, Line: 1, Source: InKind, Amount: 1_000_00, SpentOn: "2026-02-10"}, // placed on line 1
		{BaselineVersion: 1, Line: 2, Source: Cash, Amount: 500_00, SpentOn: "2026-02-11"},     // earlier line (category changed)
	}
	v1 := content()
	v1.Budget[1].Category = "travel"
	x := Compute(Facts{Version: 3, Baseline: content(), Earlier: map[int]*plan.Content{1: v1}, Entries: entries,
		Progress: map[int]*Progress{2: {Status: InProgress}}, Rule: rule, Today: today})

	if got := x.Lines[0].Spent; got != (Amounts{Grant: 60_000_00, Cash: 10_000_00, InKind: 1_000_00}) {
		t.Errorf("line 1 spent %+v", got)
	}
	if got := x.Lines[1].Spent; got != (Amounts{Grant: 22_000_00}) || !x.Lines[1].Over || x.Lines[0].Over {
		t.Errorf("line 2 spent %+v over %v; line 1 over %v", got, x.Lines[1].Over, x.Lines[0].Over)
	}
	if len(x.Earlier) != 1 || x.Earlier[0].Version != 1 || x.Earlier[0].N != 2 || x.Earlier[0].Spent.Cash != 500_00 ||
		x.Earlier[0].Category != "travel" {
		t.Errorf("earlier lines %+v", x.Earlier)
	}
	if x.Planned != (Amounts{Grant: 100_000_00, Cash: 20_000_00, InKind: 5_000_00}) {
		t.Errorf("planned %+v", x.Planned)
	}
	if x.Spent != (Amounts{Grant: 82_000_00, Cash: 10_500_00, InKind: 1_000_00}) {
		t.Errorf("spent %+v", x.Spent)
	}
	// Planned counterpart share: 25,000 of 125,000 = 20 %; spent: 11,500 of 93,500 ≈ 12.3 %.
	if x.RequiredShare != 0.2 || x.CounterpartShare > 0.124 || x.CounterpartShare < 0.122 {
		t.Errorf("shares: required %v actual %v", x.RequiredShare, x.CounterpartShare)
	}
	kinds := map[WarningKind]int{}
	for _, w := range x.Warnings {
		kinds[w.Kind]++
	}
	want := map[WarningKind]int{WarnLineOverspent: 1, WarnCounterpart: 1, WarnMilestoneLate: 1}
	for k, n := range want {
		if kinds[k] != n {
			t.Errorf("%d warnings %s, want %d: %+v", kinds[k], k, n, x.Warnings)
		}
	}
	if kinds[WarnSourceOverspent] != 0 {
		t.Errorf("no source is overspent: %+v", x.Warnings)
	}
	if x.Milestones[0].Status != Late || x.Milestones[1].Status != InProgress {
		t.Errorf("milestones %+v", x.Milestones)
	}

	for _, w := range x.Warnings {
		if w.Kind == WarnLineOverspent && (w.Line != 2 || w.Source != Grant || w.Spent != 22_000_00 || w.Planned != 20_000_00) {
			t.Errorf("line warning %+v", w)
		}
	}

	// A line spent beyond its total, the grant beyond the plan's.
	over := []*Entry{{BaselineVersion: 3, Line: 1, Source: Grant, Amount: 101_000_00}, {BaselineVersion: 3, Line: 1, Source: Cash, Amount: 15_000_00}}
	x = Compute(Facts{Version: 3, Baseline: content(), Entries: over, Rule: rule, Today: today,
		Progress: map[int]*Progress{1: {Status: Done, CompletedOn: "2026-06-20"}}})
	var line, source bool
	for _, w := range x.Warnings {
		switch w.Kind {
		case WarnLineOverspent:
			line = w.Line == 1 && w.Source == "" && w.Spent == 116_000_00 && w.Planned == 100_000_00
		case WarnSourceOverspent:
			source = w.Source == Grant && w.Spent == 101_000_00 && w.Planned == 100_000_00
		case WarnMilestoneLate:
			t.Errorf("a done milestone is not late: %+v", w)
		}
	}
	if !line || !source {
		t.Errorf("warnings %+v", x.Warnings)
	}

	// Spending in step with the plan: no warning.
	inStep := []*Entry{{BaselineVersion: 3, Line: 1, Source: Grant, Amount: 40_000_00}, {BaselineVersion: 3, Line: 1, Source: Cash, Amount: 8_000_00},
		{BaselineVersion: 3, Line: 1, Source: InKind, Amount: 2_000_00}}
	x = Compute(Facts{Version: 3, Baseline: content(), Entries: inStep, Rule: rule, Today: today,
		Progress: map[int]*Progress{1: {Status: Done, CompletedOn: "2026-06-20"}}})
	if len(x.Warnings) != 0 || x.CounterpartShare != 0.2 {
		t.Errorf("warnings %+v, counterpart share %v", x.Warnings, x.CounterpartShare)
	}
	// Without baseline v1's content, its entries are shown apart.
	x = Compute(Facts{Version: 3, Baseline: content(), Entries: entries, Rule: rule, Today: today})
	if len(x.Earlier) != 2 {
		t.Errorf("earlier %+v", x.Earlier)
	}
}

func TestResolveProgress(t *testing.T) {
	v1 := content()
	v2 := content()
	v2.Milestones[1].Title = "Mid-term evaluation"
	records := []*Progress{
		{BaselineVersion: 1, Milestone: 1, Status: Done, CompletedOn: "2026-06-01"},
		{BaselineVersion: 1, Milestone: 2, Status: InProgress},
	}
	got := ResolveProgress(2, v2, map[int]*plan.Content{1: v1}, records)
	if got[1] == nil || got[1].Status != Done || got[2] != nil {
		t.Errorf("resolved %+v", got)
	}
	records = append(records, &Progress{BaselineVersion: 2, Milestone: 1, Status: InProgress})
	if got := ResolveProgress(2, v2, map[int]*plan.Content{1: v1}, records); got[1].Status != InProgress {
		t.Errorf("the current baseline's record wins: %+v", got[1])
	}
}

func TestPeriodsAndSummary(t *testing.T) {
	if p, ok := ParsePeriod("2026-Q3"); !ok || p.Start() != time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC) ||
		p.End() != time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC) {
		t.Errorf("2026-Q3: %+v %v", p, ok)
	}
	for _, bad := range []string{"2026-Q5", "2026Q1", "26-Q1", "2026-q1", "2026-Q1x"} {
		if _, ok := ParsePeriod(bad); ok {
			t.Errorf("%q read as a period", bad)
		}
	}
	c := content()
	ps := ReportPeriods(c, time.Date(2026, 7, 15, 0, 0, 0, 0, time.UTC))
	if len(ps) != 3 || ps[0].String() != "2026-Q1" || ps[2].String() != "2026-Q3" {
		t.Errorf("periods %v", ps)
	}
	entries := []*Entry{
		{Source: Grant, Amount: 100, SpentOn: "2026-03-31"},
		{Source: Cash, Amount: 50, SpentOn: "2026-04-01"},
		{Source: InKind, Amount: 20, SpentOn: "2026-06-30"},
		{Source: Grant, Amount: 7, SpentOn: "2026-07-01"},
	}
	progress := map[int]*Progress{1: {Status: Done, CompletedOn: "2026-05-01"}}
	s := Summarise(Period{2026, 2}, c, entries, progress, time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC))
	if s.Spent != (Amounts{Cash: 50, InKind: 20}) || s.SpentToDate != (Amounts{Grant: 100, Cash: 50, InKind: 20}) || s.Entries != 2 {
		t.Errorf("summary spending %+v", s)
	}
	if len(s.Done) != 1 || s.Done[0] != "Lab opens" || len(s.Late) != 0 {
		t.Errorf("summary milestones done %v late %v", s.Done, s.Late)
	}
	s = Summarise(Period{2026, 2}, c, entries, nil, time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC))
	if len(s.Late) != 0 {
		t.Errorf("due on the quarter's last day is not late within it: %v", s.Late)
	}
	s = Summarise(Period{2026, 3}, c, entries, nil, time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC))
	if len(s.Late) != 1 || s.Late[0] != "Lab opens" {
		t.Errorf("late in Q3: %v", s.Late)
	}
}
