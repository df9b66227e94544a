package plan

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/programme"
)

// The difference between two versions of a plan, as people read it: which
// objectives, action lines, projects, activities, milestones, risks and
// budget lines were added or removed, and what changed in the others (old
// → new). Items are matched by what names them (a project by its title, a
// milestone by its project and title, a budget line by its project,
// category and description). Pure logic.

// Op is what happened to an item between two versions.
type Op string

// The operations of a difference.
const (
	Added   Op = "added"
	Removed Op = "removed"
	Changed Op = "changed"
)

// Key is the message key of the operation's label.
func (o Op) Key() string { return "plan.diff.op." + string(o) }

// FieldChange is one field of an item with its old and new values.
type FieldChange struct {
	Field string `json:"field"` // see the plan.diff.field.* messages
	Old   string `json:"old"`
	New   string `json:"new"`
}

// Key is the message key of the field's label.
func (f FieldChange) Key() string {
	if f.Field == "indicators" {
		return "planindicator.diff_field"
	}
	return "plan.diff.field." + f.Field
}

// Change is one difference between two versions.
type Change struct {
	Section  string        `json:"section"` // vision, period, objectives, action_lines, projects, activities, milestones, risks, budget
	Op       Op            `json:"op"`
	Item     string        `json:"item"`
	Category Category      `json:"category,omitempty"` // of a budget line
	Fields   []FieldChange `json:"fields"`
}

// SectionKey is the message key of the section's title.
func (c Change) SectionKey() string { return "plan.section." + c.Section }

// item is one element of a section as the difference sees it.
type item struct {
	key, label string
	category   Category
	fields     []FieldChange // Field and New only
}

func field(name, value string) FieldChange { return FieldChange{Field: name, New: value} }

// Diff lists what changed from version a to version b; amounts are written
// in major units of the currency.
func Diff(a, b *Content, cur string) []Change {
	out := []Change{}
	if a.Vision != b.Vision {
		out = append(out, Change{Section: "vision", Op: Changed, Fields: []FieldChange{{Field: "vision", Old: a.Vision, New: b.Vision}}})
	}
	if fs := changedFields([]FieldChange{field("starts_on", a.StartsOn), field("ends_on", a.EndsOn)},
		[]FieldChange{field("starts_on", b.StartsOn), field("ends_on", b.EndsOn)}); len(fs) > 0 {
		out = append(out, Change{Section: "period", Op: Changed, Fields: fs})
	}
	out = append(out, diffItems("objectives", objectives(a), objectives(b))...)
	out = append(out, diffItems("action_lines", actionLines(a), actionLines(b))...)
	out = append(out, diffItems("projects", projects(a), projects(b))...)
	out = append(out, diffItems("activities", tasks(a, a.Activities), tasks(b, b.Activities))...)
	out = append(out, diffItems("milestones", tasks(a, a.Milestones), tasks(b, b.Milestones))...)
	out = append(out, diffItems("risks", risks(a), risks(b))...)
	out = append(out, diffItems("budget", budget(a, cur), budget(b, cur))...)
	return out
}

// changedFields pairs the fields of two versions of an item by name and
// keeps those whose value changed.
func changedFields(old, new []FieldChange) []FieldChange {
	var out []FieldChange
	for i := range new {
		if i < len(old) && old[i].New != new[i].New {
			out = append(out, FieldChange{Field: new[i].Field, Old: old[i].New, New: new[i].New})
		}
	}
	return out
}

// keyed numbers repeated keys (a second line with the same description is
// "…#2") so that every item has its own.
func keyed(items []item) []item {
	seen := map[string]int{}
	for i := range items {
		k := strings.ToLower(items[i].key)
		seen[k]++
		if n := seen[k]; n > 1 {
			items[i].key = k + "#" + strconv.Itoa(n)
			items[i].label += fmt.Sprintf(" (%d)", n)
		} else {
			items[i].key = k
		}
	}
	return items
}

func diffItems(section string, old, new []item) []Change {
	old, new = keyed(old), keyed(new)
	before := map[string]item{}
	for _, it := range old {
		before[it.key] = it
	}
	after := map[string]bool{}
	var out []Change
	for _, it := range new {
		after[it.key] = true
		was, ok := before[it.key]
		if !ok {
			out = append(out, Change{Section: section, Op: Added, Item: it.label, Category: it.category, Fields: nonEmpty(it.fields)})
			continue
		}
		if fs := changedFields(was.fields, it.fields); len(fs) > 0 {
			out = append(out, Change{Section: section, Op: Changed, Item: it.label, Category: it.category, Fields: fs})
		}
	}
	for _, it := range old {
		if !after[it.key] {
			fs := []FieldChange{}
			for _, f := range nonEmpty(it.fields) {
				fs = append(fs, FieldChange{Field: f.Field, Old: f.New})
			}
			out = append(out, Change{Section: section, Op: Removed, Item: it.label, Category: it.category, Fields: fs})
		}
	}
	return out
}

// nonEmpty keeps the fields with a value, as an added item shows them.
func nonEmpty(fs []FieldChange) []FieldChange {
	out := []FieldChange{}
	for _, f := range fs {
		if f.New != "" {
			out = append(out, f)
		}
	}
	return out
}

func objectives(c *Content) []item {
	out := make([]item, len(c.Objectives))
	for i, o := range c.Objectives {
		out[i] = item{key: o.Title, label: o.Title, fields: []FieldChange{field("description", o.Description),
			field("indicators", linksText(o.Indicators))}}
	}
	return out
}

func actionLines(c *Content) []item {
	out := make([]item, len(c.ActionLines))
	for i, a := range c.ActionLines {
		obj := ""
		if a.Objective >= 1 && a.Objective <= len(c.Objectives) {
			obj = c.Objectives[a.Objective-1].Title
		}
		out[i] = item{key: a.Title, label: a.Title, fields: []FieldChange{field("description", a.Description), field("objective", obj)}}
	}
	return out
}

// orgName writes an organisation as its name, or its ID when unnamed.
func orgName(id int64, name string) string {
	if name != "" {
		return name
	}
	if id == 0 {
		return ""
	}
	return "#" + strconv.FormatInt(id, 10)
}

func projects(c *Content) []item {
	out := make([]item, len(c.Projects))
	for i, p := range c.Projects {
		partners := make([]string, len(p.PartnerIDs))
		for j, id := range p.PartnerIDs {
			name := ""
			if j < len(p.PartnerNames) {
				name = p.PartnerNames[j]
			}
			partners[j] = orgName(id, name)
		}
		out[i] = item{key: p.Title, label: p.Title, fields: []FieldChange{field("lead_org", orgName(p.LeadOrgID, p.LeadOrgName)),
			field("partners", strings.Join(partners, ", ")), field("starts_on", p.StartsOn), field("ends_on", p.EndsOn),
			field("indicators", linksText(p.Indicators))}}
	}
	return out
}

func tasks(c *Content, list []Task) []item {
	out := make([]item, len(list))
	for i, t := range list {
		project := c.ProjectTitle(t.Project)
		out[i] = item{key: project + "\x00" + t.Title, label: project + ": " + t.Title, fields: []FieldChange{field("due", t.Due)}}
	}
	return out
}

func risks(c *Content) []item {
	out := make([]item, len(c.Risks))
	for i, r := range c.Risks {
		out[i] = item{key: r.Description, label: r.Description, fields: []FieldChange{field("likelihood", string(r.Likelihood)),
			field("impact", string(r.Impact)), field("mitigation", r.Mitigation)}}
	}
	return out
}

func budget(c *Content, cur string) []item {
	out := make([]item, len(c.Budget))
	for i, b := range c.Budget {
		project := c.ProjectTitle(b.Project)
		label := b.Description
		if project != "" {
			label = project + " · " + label
		}
		out[i] = item{key: project + "\x00" + string(b.Category) + "\x00" + b.Description, label: label, category: b.Category, fields: []FieldChange{
			field("grant", programme.FormatAmount(b.Grant, cur)), field("counterpart_cash", programme.FormatAmount(b.Cash, cur)),
			field("counterpart_in_kind", programme.FormatAmount(b.InKind, cur))}}
	}
	return out
}
