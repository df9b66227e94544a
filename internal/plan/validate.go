package plan

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// Validation of a plan's content: what every save must respect (formats,
// references, dates within their period), and what a submission needs on
// top (Complete). Pure logic; messages name the row as people count it.

// parseDay reads a day written YYYY-MM-DD.
func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// limits of free text, in characters.
const (
	maxTitle = 300
	maxText  = 10000
)

func tooLong(f *problem.Fields, field, what string, s string, n int) {
	if utf8.RuneCountInString(s) > n {
		f.Add(field, "%s has more than %d characters.", what, n)
	}
}

// day checks an optional day field and returns it when it is valid.
func day(f *problem.Fields, field, what, s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, ok := parseDay(s)
	if !ok {
		f.Add(field, "%s: %q is not a date; write it as YYYY-MM-DD (for example 2026-03-31).", what, s)
	}
	return t, ok
}

// Check trims the content and adds a problem per field that breaks a rule
// every version keeps.
func (c *Content) Check(f *problem.Fields) {
	c.normalize()
	c.Vision = strings.TrimSpace(c.Vision)
	tooLong(f, "vision", "The vision", c.Vision, maxText)
	c.StartsOn, c.EndsOn = strings.TrimSpace(c.StartsOn), strings.TrimSpace(c.EndsOn)
	start, hasStart := day(f, "starts_on", "Plan start", c.StartsOn)
	end, hasEnd := day(f, "ends_on", "Plan end", c.EndsOn)
	if hasStart && hasEnd && end.Before(start) {
		f.Add("ends_on", "The plan ends (%s) before it starts (%s).", c.EndsOn, c.StartsOn)
	}

	for i := range c.Objectives {
		o := &c.Objectives[i]
		o.Title, o.Description = strings.TrimSpace(o.Title), strings.TrimSpace(o.Description)
		field := fmt.Sprintf("objectives[%d].", i)
		if o.Title == "" {
			f.Add(field+"title", "Objective %d: enter a title.", i+1)
		}
		tooLong(f, field+"title", fmt.Sprintf("Objective %d's title", i+1), o.Title, maxTitle)
		tooLong(f, field+"description", fmt.Sprintf("Objective %d's description", i+1), o.Description, maxText)
		c.checkLinks(f, o.Indicators, field, fmt.Sprintf("Objective %d", i+1))
	}
	for i := range c.ActionLines {
		a := &c.ActionLines[i]
		a.Title, a.Description = strings.TrimSpace(a.Title), strings.TrimSpace(a.Description)
		field := fmt.Sprintf("action_lines[%d].", i)
		if a.Title == "" {
			f.Add(field+"title", "Action line %d: enter a title.", i+1)
		}
		tooLong(f, field+"title", fmt.Sprintf("Action line %d's title", i+1), a.Title, maxTitle)
		tooLong(f, field+"description", fmt.Sprintf("Action line %d's description", i+1), a.Description, maxText)
		if a.Objective < 0 || a.Objective > len(c.Objectives) {
			f.Add(field+"objective", "Action line %d: there is no objective %d.", i+1, a.Objective)
		}
	}

	type period struct {
		start, end time.Time
		ok         bool
	}
	periods := make([]period, len(c.Projects))
	titles := map[string]int{}
	for i := range c.Projects {
		p := &c.Projects[i]
		p.Title, p.StartsOn, p.EndsOn = strings.TrimSpace(p.Title), strings.TrimSpace(p.StartsOn), strings.TrimSpace(p.EndsOn)
		field := fmt.Sprintf("projects[%d].", i)
		n := i + 1
		if p.Title == "" {
			f.Add(field+"title", "Project %d: enter a title.", n)
		} else if j, dup := titles[strings.ToLower(p.Title)]; dup {
			f.Add(field+"title", "Project %d has the same title as project %d; give each project its own title.", n, j)
		} else {
			titles[strings.ToLower(p.Title)] = n
		}
		tooLong(f, field+"title", fmt.Sprintf("Project %d's title", n), p.Title, maxTitle)
		if p.LeadOrgID <= 0 {
			f.Add(field+"lead_org_id", "Project %d: enter the lead organisation's registry ID.", n)
		}
		seen := map[int64]bool{}
		for _, id := range p.PartnerIDs {
			switch {
			case id <= 0:
				f.Add(field+"partner_ids", "Project %d: %d is not a registry ID.", n, id)
			case id == p.LeadOrgID:
				f.Add(field+"partner_ids", "Project %d: the lead organisation (#%d) is also listed as a partner.", n, id)
			case seen[id]:
				f.Add(field+"partner_ids", "Project %d: partner #%d is listed twice.", n, id)
			}
			seen[id] = true
		}
		ps, okS := day(f, field+"starts_on", fmt.Sprintf("Project %d start", n), p.StartsOn)
		pe, okE := day(f, field+"ends_on", fmt.Sprintf("Project %d end", n), p.EndsOn)
		if p.StartsOn == "" {
			f.Add(field+"starts_on", "Project %d: enter the start date.", n)
		}
		if p.EndsOn == "" {
			f.Add(field+"ends_on", "Project %d: enter the end date.", n)
		}
		if okS && okE && pe.Before(ps) {
			f.Add(field+"ends_on", "Project %d ends (%s) before it starts (%s).", n, p.EndsOn, p.StartsOn)
		}
		if okS && hasStart && ps.Before(start) {
			f.Add(field+"starts_on", "Project %d starts on %s, before the plan starts (%s).", n, p.StartsOn, c.StartsOn)
		}
		if okE && hasEnd && pe.After(end) {
			f.Add(field+"ends_on", "Project %d ends on %s, after the plan ends (%s).", n, p.EndsOn, c.EndsOn)
		}
		periods[i] = period{ps, pe, okS && okE}
		c.checkLinks(f, p.Indicators, field, fmt.Sprintf("Project %d", n))
	}

	checkTasks := func(list []Task, key, what string) {
		for i := range list {
			t := &list[i]
			t.Title, t.Due = strings.TrimSpace(t.Title), strings.TrimSpace(t.Due)
			field := fmt.Sprintf("%s[%d].", key, i)
			n := i + 1
			if t.Title == "" {
				f.Add(field+"title", "%s %d: enter a title.", what, n)
			}
			tooLong(f, field+"title", fmt.Sprintf("%s %d's title", what, n), t.Title, maxTitle)
			if t.Project < 1 || t.Project > len(c.Projects) {
				f.Add(field+"project", "%s %d: choose one of the plan's projects.", what, n)
			}
			if t.Due == "" {
				f.Add(field+"due", "%s %d: enter the due date.", what, n)
			}
			due, ok := day(f, field+"due", fmt.Sprintf("%s %d due date", what, n), t.Due)
			if ok && t.Project >= 1 && t.Project <= len(c.Projects) {
				if p := periods[t.Project-1]; p.ok && (due.Before(p.start) || due.After(p.end)) {
					pr := c.Projects[t.Project-1]
					f.Add(field+"due", "%s %d is due on %s, outside project %d's dates (%s to %s).", what, n, t.Due, t.Project, pr.StartsOn, pr.EndsOn)
				}
			}
		}
	}
	checkTasks(c.Activities, "activities", "Activity")
	checkTasks(c.Milestones, "milestones", "Milestone")

	for i := range c.Risks {
		r := &c.Risks[i]
		r.Description, r.Mitigation = strings.TrimSpace(r.Description), strings.TrimSpace(r.Mitigation)
		field := fmt.Sprintf("risks[%d].", i)
		if r.Description == "" {
			f.Add(field+"description", "Risk %d: describe the risk.", i+1)
		}
		tooLong(f, field+"description", fmt.Sprintf("Risk %d's description", i+1), r.Description, maxText)
		tooLong(f, field+"mitigation", fmt.Sprintf("Risk %d's mitigation", i+1), r.Mitigation, maxText)
		if !slices.Contains(Levels, r.Likelihood) {
			f.Add(field+"likelihood", "Risk %d: choose a likelihood (low, medium or high).", i+1)
		}
		if !slices.Contains(Levels, r.Impact) {
			f.Add(field+"impact", "Risk %d: choose an impact (low, medium or high).", i+1)
		}
	}

	for i := range c.Budget {
		b := &c.Budget[i]
		b.Description = strings.TrimSpace(b.Description)
		field := fmt.Sprintf("budget[%d].", i)
		n := i + 1
		if !slices.Contains(Categories, b.Category) {
			f.Add(field+"category", "Budget line %d: choose a category (personnel, equipment, training, travel, services or other).", n)
		}
		if b.Description == "" {
			f.Add(field+"description", "Budget line %d: describe what it pays for.", n)
		}
		tooLong(f, field+"description", fmt.Sprintf("Budget line %d's description", n), b.Description, maxTitle)
		if b.Project < 0 || b.Project > len(c.Projects) {
			f.Add(field+"project", "Budget line %d: choose one of the plan's projects, or none for the plan as a whole.", n)
		}
		for _, a := range []struct {
			name string
			v    int64
		}{{"grant", b.Grant}, {"counterpart_cash", b.Cash}, {"counterpart_in_kind", b.InKind}} {
			if a.v < 0 && !f.Has(field+a.name) {
				f.Add(field+a.name, "Budget line %d: an amount cannot be negative.", n)
			}
		}
		if b.Grant >= 0 && b.Cash >= 0 && b.InKind >= 0 && b.Total() == 0 && !f.Has(field+"grant") &&
			!f.Has(field+"counterpart_cash") && !f.Has(field+"counterpart_in_kind") {
			f.Add(field+"grant", "Budget line %d has no amount; enter what at least one source pays.", n)
		}
	}
}

// Complete adds a problem for each part a plan needs before it is
// submitted for approval.
func (c *Content) Complete(f *problem.Fields) {
	if c.Vision == "" {
		f.Add("vision", "Write the cluster's vision.")
	}
	if c.StartsOn == "" || c.EndsOn == "" {
		f.Add("starts_on", "Give the plan's period (start and end dates).")
	}
	if len(c.Objectives) == 0 {
		f.Add("objectives", "Add at least one strategic objective.")
	}
	if len(c.Projects) == 0 {
		f.Add("projects", "Add at least one project.")
	}
	if len(c.Budget) == 0 {
		f.Add("budget", "Add at least one budget line.")
	}
}
