package plan

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/programme"
)

// The edit form works without JavaScript: each list has its rows plus a
// few blank ones, and "add rows" re-renders the form with more blanks.
// Blank rows are dropped when the form is read; references to projects and
// objectives follow their rows.

// blankRows is how many empty rows each list offers; moreRows how many
// "add rows" adds.
const (
	blankRows = 2
	moreRows  = 5
	maxRows   = 300
)

// The rows of the form as typed, so that whatever was entered is shown
// again with its problem.
type (
	// ObjectiveRow is one objective as typed.
	ObjectiveRow struct {
		Index              int
		Title, Description string
		Indicators         []LinkRow
	}
	// ActionLineRow is one action line as typed.
	ActionLineRow struct {
		Index                         int
		Title, Description, Objective string
	}
	// ProjectRow is one project as typed.
	ProjectRow struct {
		Index                                          int
		Title, LeadOrgID, PartnerIDs, StartsOn, EndsOn string
		Indicators                                     []LinkRow
	}
	// TaskRow is one activity or milestone as typed.
	TaskRow struct {
		Index               int
		Project, Title, Due string
	}
	// RiskRow is one risk as typed.
	RiskRow struct {
		Index                                       int
		Description, Likelihood, Impact, Mitigation string
	}
	// BudgetRow is one budget line as typed (amounts in major units).
	BudgetRow struct {
		Index                                               int
		Project, Category, Description, Grant, Cash, InKind string
	}
)

// Form is the plan's edit form as typed.
type Form struct {
	BaseVersion              string
	Facilitator              string
	Vision, StartsOn, EndsOn string
	Objectives               []ObjectiveRow
	ActionLines              []ActionLineRow
	Projects                 []ProjectRow
	Activities, Milestones   []TaskRow
	Risks                    []RiskRow
	Budget                   []BudgetRow
	Add                      string // the list the person asked more rows for
}

func num(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// formOf fills the form from a version's content.
func formOf(c *Content, base int, facilitator *int64, cur string) Form {
	f := Form{BaseVersion: strconv.Itoa(base), Vision: c.Vision, StartsOn: c.StartsOn, EndsOn: c.EndsOn}
	if facilitator != nil {
		f.Facilitator = strconv.FormatInt(*facilitator, 10)
	}
	for _, o := range c.Objectives {
		f.Objectives = append(f.Objectives, ObjectiveRow{Title: o.Title, Description: o.Description, Indicators: linkRowsOf(o.Indicators)})
	}
	for _, a := range c.ActionLines {
		f.ActionLines = append(f.ActionLines, ActionLineRow{Title: a.Title, Description: a.Description, Objective: num(a.Objective)})
	}
	for _, p := range c.Projects {
		ids := make([]string, len(p.PartnerIDs))
		for i, id := range p.PartnerIDs {
			ids[i] = strconv.FormatInt(id, 10)
		}
		f.Projects = append(f.Projects, ProjectRow{Title: p.Title, LeadOrgID: strconv.FormatInt(p.LeadOrgID, 10),
			PartnerIDs: strings.Join(ids, ", "), StartsOn: p.StartsOn, EndsOn: p.EndsOn, Indicators: linkRowsOf(p.Indicators)})
	}
	task := func(ts []Task) []TaskRow {
		var out []TaskRow
		for _, t := range ts {
			out = append(out, TaskRow{Project: num(t.Project), Title: t.Title, Due: t.Due})
		}
		return out
	}
	f.Activities, f.Milestones = task(c.Activities), task(c.Milestones)
	for _, r := range c.Risks {
		f.Risks = append(f.Risks, RiskRow{Description: r.Description, Likelihood: string(r.Likelihood), Impact: string(r.Impact), Mitigation: r.Mitigation})
	}
	for _, b := range c.Budget {
		f.Budget = append(f.Budget, BudgetRow{Project: num(b.Project), Category: string(b.Category), Description: b.Description,
			Grant: programme.FormatAmount(b.Grant, cur), Cash: programme.FormatAmount(b.Cash, cur), InKind: programme.FormatAmount(b.InKind, cur)})
	}
	return f
}

// rowCount reads how many rows of a list the form posted.
func rowCount(r *http.Request, list string) int {
	n, _ := strconv.Atoi(r.PostForm.Get(list + "_rows"))
	return min(max(n, 0), maxRows)
}

// parseForm reads the posted form.
func parseForm(r *http.Request) Form {
	_ = r.ParseForm()
	v := r.PostForm
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	f := Form{BaseVersion: get("base_version"), Facilitator: get("facilitator_id"), Vision: v.Get("vision"),
		StartsOn: get("starts_on"), EndsOn: get("ends_on"), Add: get("add")}
	for i := range rowCount(r, "objectives") {
		p := fmt.Sprintf("objectives[%d].", i)
		f.Objectives = append(f.Objectives, ObjectiveRow{Title: get(p + "title"), Description: v.Get(p + "description"),
			Indicators: parseLinkRows(r, p)})
	}
	for i := range rowCount(r, "action_lines") {
		p := fmt.Sprintf("action_lines[%d].", i)
		f.ActionLines = append(f.ActionLines, ActionLineRow{Title: get(p + "title"), Description: v.Get(p + "description"), Objective: get(p + "objective")})
	}
	for i := range rowCount(r, "projects") {
		p := fmt.Sprintf("projects[%d].", i)
		f.Projects = append(f.Projects, ProjectRow{Title: get(p + "title"), LeadOrgID: get(p + "lead_org_id"), PartnerIDs: get(p + "partner_ids"),
			StartsOn: get(p + "starts_on"), EndsOn: get(p + "ends_on"), Indicators: parseLinkRows(r, p)})
	}
	tasks := func(list string) []TaskRow {
		var out []TaskRow
		for i := range rowCount(r, list) {
			p := fmt.Sprintf("%s[%d].", list, i)
			out = append(out, TaskRow{Project: get(p + "project"), Title: get(p + "title"), Due: get(p + "due")})
		}
		return out
	}
	f.Activities, f.Milestones = tasks("activities"), tasks("milestones")
	for i := range rowCount(r, "risks") {
		p := fmt.Sprintf("risks[%d].", i)
		f.Risks = append(f.Risks, RiskRow{Description: v.Get(p + "description"), Likelihood: get(p + "likelihood"), Impact: get(p + "impact"),
			Mitigation: v.Get(p + "mitigation")})
	}
	for i := range rowCount(r, "budget") {
		p := fmt.Sprintf("budget[%d].", i)
		f.Budget = append(f.Budget, BudgetRow{Project: get(p + "project"), Category: get(p + "category"), Description: get(p + "description"),
			Grant: get(p + "grant"), Cash: get(p + "counterpart_cash"), InKind: get(p + "counterpart_in_kind")})
	}
	return f
}

// renumber maps a reference typed as a row number to the number of that
// row once blank rows are dropped ("" stays "", a blank row's is "-1").
func renumber(ref string, kept map[int]int) string {
	n, err := strconv.Atoi(ref)
	if ref == "" || err != nil || n <= 0 {
		return ref
	}
	if m, ok := kept[n]; ok {
		return strconv.Itoa(m)
	}
	return "-1"
}

// compact drops blank rows and numbers the others as the content numbers
// them, so that problems name the rows shown.
func (f *Form) compact() {
	objectives, projects := map[int]int{}, map[int]int{}
	var os []ObjectiveRow
	for i, o := range f.Objectives {
		o.Indicators = compactLinks(o.Indicators)
		if o.Title != "" || strings.TrimSpace(o.Description) != "" || len(o.Indicators) > 0 {
			o.Index = len(os)
			os = append(os, o)
			objectives[i+1] = len(os)
		}
	}
	f.Objectives = os
	var as []ActionLineRow
	for _, a := range f.ActionLines {
		if a.Title != "" || strings.TrimSpace(a.Description) != "" || a.Objective != "" {
			a.Index, a.Objective = len(as), renumber(a.Objective, objectives)
			as = append(as, a)
		}
	}
	f.ActionLines = as
	var ps []ProjectRow
	for i, p := range f.Projects {
		p.Indicators = compactLinks(p.Indicators)
		if p.Title != "" || p.LeadOrgID != "" || p.PartnerIDs != "" || p.StartsOn != "" || p.EndsOn != "" || len(p.Indicators) > 0 {
			p.Index = len(ps)
			ps = append(ps, p)
			projects[i+1] = len(ps)
		}
	}
	f.Projects = ps
	tasks := func(in []TaskRow) []TaskRow {
		var out []TaskRow
		for _, t := range in {
			if t.Project != "" || t.Title != "" || t.Due != "" {
				t.Index, t.Project = len(out), renumber(t.Project, projects)
				out = append(out, t)
			}
		}
		return out
	}
	f.Activities, f.Milestones = tasks(f.Activities), tasks(f.Milestones)
	var rs []RiskRow
	for _, r := range f.Risks {
		if strings.TrimSpace(r.Description) != "" || r.Likelihood != "" || r.Impact != "" || strings.TrimSpace(r.Mitigation) != "" {
			r.Index = len(rs)
			rs = append(rs, r)
		}
	}
	f.Risks = rs
	var bs []BudgetRow
	for _, b := range f.Budget {
		if b.Category != "" || b.Description != "" || b.Grant != "" || b.Cash != "" || b.InKind != "" {
			b.Index, b.Project = len(bs), renumber(b.Project, projects)
			bs = append(bs, b)
		}
	}
	f.Budget = bs
}

// blank reports whether a row holds nothing.
func (r ObjectiveRow) blank() bool {
	return r.Title == "" && r.Description == "" && len(compactLinks(r.Indicators)) == 0
}
func (r ActionLineRow) blank() bool { r.Index = 0; return r == ActionLineRow{} }
func (r ProjectRow) blank() bool {
	return r.Title == "" && r.LeadOrgID == "" && r.PartnerIDs == "" && r.StartsOn == "" && r.EndsOn == "" &&
		len(compactLinks(r.Indicators)) == 0
}
func (r TaskRow) blank() bool   { r.Index = 0; return r == TaskRow{} }
func (r RiskRow) blank() bool   { r.Index = 0; return r == RiskRow{} }
func (r BudgetRow) blank() bool { r.Index = 0; return r == BudgetRow{} }

// padRows ends a list with at least blankRows blank rows, and moreRows
// more when the person asked for them; rows are numbered from 0.
func padRows[T interface{ blank() bool }](rows []T, more bool, number func(*T, int)) []T {
	trailing := 0
	for i := len(rows) - 1; i >= 0 && rows[i].blank(); i-- {
		trailing++
	}
	var zero T
	for ; trailing < blankRows; trailing++ {
		rows = append(rows, zero)
	}
	if more {
		for range moreRows {
			rows = append(rows, zero)
		}
	}
	rows = rows[:min(len(rows), maxRows)]
	for i := range rows {
		number(&rows[i], i)
	}
	return rows
}

// pad adds the blank rows, and more to the list the person asked for.
func (f *Form) pad() {
	f.Objectives = padRows(f.Objectives, f.Add == "objectives", func(r *ObjectiveRow, i int) { r.Index, r.Indicators = i, padLinks(r.Indicators) })
	f.ActionLines = padRows(f.ActionLines, f.Add == "action_lines", func(r *ActionLineRow, i int) { r.Index = i })
	f.Projects = padRows(f.Projects, f.Add == "projects", func(r *ProjectRow, i int) { r.Index, r.Indicators = i, padLinks(r.Indicators) })
	f.Activities = padRows(f.Activities, f.Add == "activities", func(r *TaskRow, i int) { r.Index = i })
	f.Milestones = padRows(f.Milestones, f.Add == "milestones", func(r *TaskRow, i int) { r.Index = i })
	f.Risks = padRows(f.Risks, f.Add == "risks", func(r *RiskRow, i int) { r.Index = i })
	f.Budget = padRows(f.Budget, f.Add == "budget", func(r *BudgetRow, i int) { r.Index = i })
}

// input turns a compacted form into a save, with the problems of the
// fields that are not numbers or amounts.
func (f *Form) input(cur string) (SaveInput, problem.Fields) {
	var bad problem.Fields
	c := &Content{Vision: f.Vision, StartsOn: f.StartsOn, EndsOn: f.EndsOn}
	in := SaveInput{Content: c}
	in.BaseVersion, _ = strconv.Atoi(f.BaseVersion)
	if f.Facilitator != "" {
		id, err := strconv.ParseInt(f.Facilitator, 10, 64)
		if err != nil || id <= 0 {
			bad.Add("facilitator_id", "Choose the facilitator from the list.")
		}
		in.FacilitatorID = &id
	}
	ref := func(field, what, s string) int {
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			bad.Add(field, "%s: %q is not a number from the list.", what, s)
		}
		return n
	}
	for i, o := range f.Objectives {
		c.Objectives = append(c.Objectives, Objective{Title: o.Title, Description: o.Description,
			Indicators: linksInput(o.Indicators, fmt.Sprintf("objectives[%d].", i), fmt.Sprintf("Objective %d", i+1), &bad)})
	}
	for i, a := range f.ActionLines {
		c.ActionLines = append(c.ActionLines, ActionLine{Title: a.Title, Description: a.Description,
			Objective: ref(fmt.Sprintf("action_lines[%d].objective", i), fmt.Sprintf("Action line %d", i+1), a.Objective)})
	}
	for i, p := range f.Projects {
		field := fmt.Sprintf("projects[%d].", i)
		pr := Project{Title: p.Title, StartsOn: p.StartsOn, EndsOn: p.EndsOn, PartnerIDs: []int64{},
			Indicators: linksInput(p.Indicators, field, fmt.Sprintf("Project %d", i+1), &bad)}
		if p.LeadOrgID != "" {
			n, err := strconv.ParseInt(p.LeadOrgID, 10, 64)
			if err != nil || n <= 0 {
				bad.Add(field+"lead_org_id", "Project %d: %q is not a registry ID (a whole number).", i+1, p.LeadOrgID)
				n = 0
			}
			pr.LeadOrgID = n
		}
		for _, tok := range strings.FieldsFunc(p.PartnerIDs, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
			n, err := strconv.ParseInt(tok, 10, 64)
			if err != nil || n <= 0 {
				bad.Add(field+"partner_ids", "Project %d: %q is not a registry ID (a whole number).", i+1, tok)
				continue
			}
			pr.PartnerIDs = append(pr.PartnerIDs, n)
		}
		c.Projects = append(c.Projects, pr)
	}
	tasks := func(rows []TaskRow, list, what string) []Task {
		var out []Task
		for i, t := range rows {
			out = append(out, Task{Project: ref(fmt.Sprintf("%s[%d].project", list, i), fmt.Sprintf("%s %d", what, i+1), t.Project),
				Title: t.Title, Due: t.Due})
		}
		return out
	}
	c.Activities, c.Milestones = tasks(f.Activities, "activities", "Activity"), tasks(f.Milestones, "milestones", "Milestone")
	for _, r := range f.Risks {
		c.Risks = append(c.Risks, Risk{Description: r.Description, Likelihood: Level(r.Likelihood), Impact: Level(r.Impact), Mitigation: r.Mitigation})
	}
	for i, b := range f.Budget {
		field := fmt.Sprintf("budget[%d].", i)
		amount := func(name, s string) int64 {
			if s == "" {
				return 0
			}
			if strings.HasPrefix(s, "-") {
				bad.Add(field+name, "Budget line %d: an amount cannot be negative.", i+1)
				return 0
			}
			n, err := programme.ParseAmount(s, cur)
			if err != nil {
				bad.Add(field+name, "Budget line %d: %q is not an amount in %s (for example 15,000.00).", i+1, s, cur)
			}
			return n
		}
		c.Budget = append(c.Budget, BudgetLine{Project: ref(field+"project", fmt.Sprintf("Budget line %d", i+1), b.Project),
			Category: Category(b.Category), Description: b.Description,
			Grant: amount("grant", b.Grant), Cash: amount("counterpart_cash", b.Cash), InKind: amount("counterpart_in_kind", b.InKind)})
	}
	return in, bad
}
