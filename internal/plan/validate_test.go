package plan

import (
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/problem"
)

func TestCheckNamesFieldAndRow(t *testing.T) {
	c := sampleContent()
	c.EndsOn = "2026-12-31"
	c.Projects = append(c.Projects, Project{Title: "lab", LeadOrgID: 0, StartsOn: "2025-12-01", EndsOn: "2027-03-01", PartnerIDs: []int64{4, 4}})
	c.Milestones = append(c.Milestones, Task{Project: 1, Title: "Late", Due: "2027-01-15"}, Task{Project: 3, Title: "Nowhere", Due: "31/01/2026"})
	c.Risks = []Risk{{Description: "Drought", Likelihood: "often", Impact: High}}
	c.Budget = append(c.Budget, BudgetLine{Category: "food", Description: "Lunch", Grant: -5})
	var f problem.Fields
	c.Check(&f)
	want := map[string]string{
		"projects[1].title":       "Project 2 has the same title as project 1",
		"projects[1].lead_org_id": "Project 2: enter the lead organisation's registry ID.",
		"projects[1].partner_ids": "Project 2: partner #4 is listed twice.",
		"projects[1].starts_on":   "Project 2 starts on 2025-12-01, before the plan starts (2026-01-01).",
		"projects[1].ends_on":     "Project 2 ends on 2027-03-01, after the plan ends (2026-12-31).",
		"milestones[1].due":       "Milestone 2 is due on 2027-01-15, outside project 1's dates (2026-02-01 to 2026-12-31).",
		"milestones[2].project":   "Milestone 3: choose one of the plan's projects.",
		"milestones[2].due":       `Milestone 3 due date: "31/01/2026" is not a date; write it as YYYY-MM-DD`,
		"risks[0].likelihood":     "Risk 1: choose a likelihood",
		"budget[2].category":      "Budget line 3: choose a category",
		"budget[2].grant":         "Budget line 3: an amount cannot be negative.",
	}
	got := map[string]string{}
	for _, d := range f {
		if _, seen := got[d.Field]; !seen {
			got[d.Field] = d.Message
		}
	}
	for field, msg := range want {
		if !strings.Contains(got[field], msg) {
			t.Errorf("%s: %q, want %q", field, got[field], msg)
		}
	}
	if len(f) != len(want) {
		t.Errorf("%d problems, want %d: %v", len(f), len(want), f)
	}

	var none problem.Fields
	sampleContent().Check(&none)
	if len(none) != 0 {
		t.Errorf("a good plan has problems: %v", none)
	}
	var missing problem.Fields
	(&Content{}).Complete(&missing)
	if len(missing) != 5 {
		t.Errorf("an empty plan is incomplete in 5 ways, got %v", missing)
	}
}
