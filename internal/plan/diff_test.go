package plan

import (
	"fmt"
	"strings"
	"testing"
)

func sampleContent() *Content {
	c := &Content{Vision: "A competitive spice cluster", StartsOn: "2026-01-01", EndsOn: "2027-12-31",
		Objectives: []Objective{{Title: "Exports", Description: "Double exports"}, {Title: "Skills"}},
		Projects:   []Project{{Title: "Lab", LeadOrgID: 1, LeadOrgName: "BSO", StartsOn: "2026-02-01", EndsOn: "2026-12-31"}},
		Milestones: []Task{{Project: 1, Title: "Lab opens", Due: "2026-06-30"}},
		Budget: []BudgetLine{{Project: 1, Category: "equipment", Description: "Ovens", Grant: 10_000_00, Cash: 2_000_00},
			{Category: "training", Description: "Courses", Grant: 5_000_00}}}
	c.normalize()
	return c
}

func diffText(cs []Change) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%s %s %s", c.Section, c.Op, c.Item)
		for _, f := range c.Fields {
			fmt.Fprintf(&b, " [%s: %s → %s]", f.Field, f.Old, f.New)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func TestDiff(t *testing.T) {
	a := sampleContent()
	if d := Diff(a, sampleContent(), "USD"); len(d) != 0 {
		t.Fatalf("same content differs: %s", diffText(d))
	}
	b := sampleContent()
	b.Vision = "The Caribbean's spice cluster"
	b.Objectives = []Objective{{Title: "Exports", Description: "Triple exports"}, {Title: "Jobs"}}
	b.Projects = append(b.Projects, Project{Title: "Brand", LeadOrgID: 2, LeadOrgName: "Firm", StartsOn: "2026-03-01", EndsOn: "2026-09-30"})
	b.Milestones[0].Due = "2026-07-31"
	b.Budget[0].Grant = 12_500_50
	b.Budget = b.Budget[:1]
	got := diffText(Diff(a, b, "USD"))
	want := `vision changed  [vision: A competitive spice cluster → The Caribbean's spice cluster]
objectives changed Exports [description: Double exports → Triple exports]
objectives added Jobs
objectives removed Skills
projects added Brand [lead_org:  → Firm] [starts_on:  → 2026-03-01] [ends_on:  → 2026-09-30]
milestones changed Lab: Lab opens [due: 2026-06-30 → 2026-07-31]
budget changed Lab · Ovens [grant: 10000 → 12500.50]
budget removed Courses [grant: 5000 → ] [counterpart_cash: 0 → ] [counterpart_in_kind: 0 → ]
`
	if got != want {
		t.Errorf("diff:\n%s\nwant\n%s", got, want)
	}
}
