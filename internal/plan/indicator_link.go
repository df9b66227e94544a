package plan

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Objectives and projects name the results-framework indicators they
// report on (by code), each with the value the plan aims for and the year
// it is due. The links are part of the version's content; the figures
// shown next to them (the cluster's latest actual and the framework's
// target for the year) are read from the indicator store, never copied.

// IndicatorLink is one indicator an objective or project reports on. Name
// is filled in when the plan is saved.
type IndicatorLink struct {
	Code   string   `json:"code"`
	Name   string   `json:"name"`
	Target *float64 `json:"target"`
	Year   int      `json:"year,omitempty"`
}

// LinkRow is one indicator of an objective or project as typed.
type LinkRow struct {
	Index              int
	Code, Target, Year string
}

func (r LinkRow) blank() bool { return r.Code == "" && r.Target == "" && r.Year == "" }

// maxLinks is the most indicators one objective or project names.
const maxLinks = 20

// linkRowsOf fills the form's rows from stored links.
func linkRowsOf(ls []IndicatorLink) []LinkRow {
	var out []LinkRow
	for _, l := range ls {
		r := LinkRow{Code: l.Code, Year: num(l.Year)}
		if l.Target != nil {
			r.Target = strconv.FormatFloat(*l.Target, 'f', -1, 64)
		}
		out = append(out, r)
	}
	return out
}

// parseLinkRows reads the indicators posted under prefix ("objectives[0].").
func parseLinkRows(r *http.Request, prefix string) []LinkRow {
	n, _ := strconv.Atoi(r.PostForm.Get(prefix + "indicators_rows"))
	var out []LinkRow
	for j := range min(max(n, 0), maxLinks) {
		p := fmt.Sprintf("%sindicators[%d].", prefix, j)
		out = append(out, LinkRow{Code: strings.TrimSpace(r.PostForm.Get(p + "code")),
			Target: strings.TrimSpace(r.PostForm.Get(p + "target")), Year: strings.TrimSpace(r.PostForm.Get(p + "year"))})
	}
	return out
}

// compactLinks drops blank rows.
func compactLinks(rows []LinkRow) []LinkRow {
	var out []LinkRow
	for _, r := range rows {
		if !r.blank() {
			r.Index = len(out)
			out = append(out, r)
		}
	}
	return out
}

// padLinks ends the rows with one blank row, two rows at least.
func padLinks(rows []LinkRow) []LinkRow {
	rows = compactLinks(rows)
	rows = append(rows, LinkRow{})
	if len(rows) < 2 {
		rows = append(rows, LinkRow{})
	}
	rows = rows[:min(len(rows), maxLinks)]
	for i := range rows {
		rows[i].Index = i
	}
	return rows
}

// linksInput turns typed rows into links, with the problems of targets
// and years that are not numbers.
func linksInput(rows []LinkRow, prefix, what string, bad *problem.Fields) []IndicatorLink {
	out := []IndicatorLink{}
	for j, r := range rows {
		l := IndicatorLink{Code: r.Code}
		field := fmt.Sprintf("%sindicators[%d].", prefix, j)
		if r.Target != "" {
			v, err := strconv.ParseFloat(strings.ReplaceAll(r.Target, " ", ""), 64)
			if err != nil {
				bad.Add(field+"target", "%s, indicator %d: %q is not a number (for example 25 or 12.5).", what, j+1, r.Target)
			} else {
				l.Target = &v
			}
		}
		if r.Year != "" {
			y, err := strconv.Atoi(r.Year)
			if err != nil {
				bad.Add(field+"year", "%s, indicator %d: %q is not a year (for example 2027).", what, j+1, r.Year)
			}
			l.Year = y
		}
		out = append(out, l)
	}
	return out
}

// checkLinks applies the rules every version keeps to the links of one
// objective or project: a code each, once, a finite target, a year within
// the plan's period.
func (c *Content) checkLinks(f *problem.Fields, ls []IndicatorLink, prefix, what string) {
	if len(ls) > maxLinks {
		f.Add(prefix+"indicators", "%s names more than %d indicators.", what, maxLinks)
	}
	start, okS := parseDay(c.StartsOn)
	end, okE := parseDay(c.EndsOn)
	seen := map[string]bool{}
	for j := range ls {
		l := &ls[j]
		l.Code = strings.ToUpper(strings.TrimSpace(l.Code))
		field := fmt.Sprintf("%sindicators[%d].", prefix, j)
		switch {
		case l.Code == "":
			f.Add(prefix+"indicators", "%s, indicator %d: choose the indicator.", what, j+1)
		case seen[l.Code]:
			f.Add(prefix+"indicators", "%s names indicator %s twice.", what, l.Code)
		}
		seen[l.Code] = true
		if l.Target != nil && (math.IsNaN(*l.Target) || math.IsInf(*l.Target, 0) || math.Abs(*l.Target) > 1e15) {
			f.Add(field+"target", "%s, indicator %d: enter a target of at most 15 digits.", what, j+1)
		}
		switch {
		case l.Year == 0:
		case l.Year < 1990 || l.Year > 2100:
			f.Add(field+"year", "%s, indicator %d: %d is not a year between 1990 and 2100.", what, j+1, l.Year)
		case okS && okE && (l.Year < start.Year() || l.Year > end.Year()):
			f.Add(field+"year", "%s, indicator %d: %d is outside the plan's period (%d to %d).", what, j+1, l.Year, start.Year(), end.Year())
		}
	}
}

// linkCodes lists the distinct codes the content names, in order.
func (c *Content) linkCodes() []string {
	var out []string
	seen := map[string]bool{}
	add := func(ls []IndicatorLink) {
		for _, l := range ls {
			if l.Code != "" && !seen[l.Code] {
				seen[l.Code] = true
				out = append(out, l.Code)
			}
		}
	}
	for _, o := range c.Objectives {
		add(o.Indicators)
	}
	for _, p := range c.Projects {
		add(p.Indicators)
	}
	return out
}

// lookupIndicators finds the indicators the content names (nil for a code
// that names none).
func (s *Store) lookupIndicators(ctx context.Context, actor user.Actor, c *Content) (map[string]*indicator.Indicator, error) {
	out := map[string]*indicator.Indicator{}
	for _, code := range c.linkCodes() {
		ind, err := s.indicators.FindIndicatorByCode(ctx, actor, code)
		if problem.Is(err, problem.NotFound) {
			out[code] = nil
			continue
		}
		if err != nil {
			return nil, err
		}
		out[code] = ind
	}
	return out, nil
}

// nameIndicators refuses codes that name no indicator, and archived ones
// the previous version did not already name, and writes the names in.
func nameIndicators(c, prev *Content, known map[string]*indicator.Indicator, f *problem.Fields) {
	had := map[string]bool{}
	if prev != nil {
		for _, code := range prev.linkCodes() {
			had[code] = true
		}
	}
	check := func(ls []IndicatorLink, prefix, what string) {
		for j := range ls {
			l := &ls[j]
			if l.Code == "" {
				continue
			}
			ind := known[l.Code]
			switch {
			case ind == nil:
				f.Add(prefix+"indicators", "%s: there is no indicator %s in the results framework.", what, l.Code)
			case ind.Archived() && !had[l.Code]:
				f.Add(prefix+"indicators", "%s: indicator %s is archived; choose an active one.", what, l.Code)
			default:
				l.Name = ind.Name
			}
		}
	}
	for i := range c.Objectives {
		check(c.Objectives[i].Indicators, fmt.Sprintf("objectives[%d].", i), fmt.Sprintf("Objective %d", i+1))
	}
	for i := range c.Projects {
		check(c.Projects[i].Indicators, fmt.Sprintf("projects[%d].", i), fmt.Sprintf("Project %d", i+1))
	}
}

// IndicatorOption is an indicator the form offers.
type IndicatorOption struct {
	Code, Name string
}

// indicatorOptions lists the active indicators, and the codes the form
// already names that are not among them.
func (s *Store) indicatorOptions(ctx context.Context, actor user.Actor, f Form) ([]IndicatorOption, error) {
	list, _, err := s.indicators.FindIndicators(ctx, actor, indicator.Filter{Limit: 500})
	if err != nil {
		return nil, err
	}
	var out []IndicatorOption
	have := map[string]bool{}
	for _, i := range list {
		out = append(out, IndicatorOption{Code: i.Code, Name: i.Name})
		have[i.Code] = true
	}
	extra := func(rows []LinkRow) {
		for _, r := range rows {
			if code := strings.ToUpper(r.Code); code != "" && !have[code] {
				have[code] = true
				out = append(out, IndicatorOption{Code: code, Name: code})
			}
		}
	}
	for _, o := range f.Objectives {
		extra(o.Indicators)
	}
	for _, p := range f.Projects {
		extra(p.Indicators)
	}
	return out, nil
}

// linksText writes links for the version difference: "JOBS: 25 (2027); EXPORTS".
func linksText(ls []IndicatorLink) string {
	parts := make([]string, len(ls))
	for i, l := range ls {
		s := l.Code
		if l.Target != nil {
			s += ": " + strconv.FormatFloat(*l.Target, 'f', -1, 64)
		}
		if l.Year != 0 {
			s += " (" + strconv.Itoa(l.Year) + ")"
		}
		parts[i] = s
	}
	return strings.Join(parts, "; ")
}

// LinkView is one linked indicator as the plan page shows it; "" is no data.
type LinkView struct {
	Code, Name, Unit string
	Year             int
	PlanTarget       string
	Actual           string
	ActualPeriod     string
	FrameworkTarget  string
}

// LinkGroup is an objective or project with its indicators.
type LinkGroup struct {
	Label string
	Links []LinkView
}

// ResultsView is the plan's indicators with the monitoring figures.
type ResultsView struct {
	ClusterID *int64
	Groups    []LinkGroup
}

// resultsView builds the plan page's indicators, reading the cluster's
// figures when the plan has a cluster; nil when nothing is linked.
func (s *Store) resultsView(ctx context.Context, actor user.Actor, loc *i18n.Localizer, p *Plan, c *Content) (*ResultsView, error) {
	codes := c.linkCodes()
	if len(codes) == 0 {
		return nil, nil
	}
	figures := map[string]*indicator.ClusterFigures{}
	if p.ClusterID != nil {
		var err error
		if figures, err = s.indicators.FindClusterFigures(ctx, actor, *p.ClusterID, codes); err != nil {
			return nil, err
		}
	}
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		d := 0
		if *v != math.Trunc(*v) {
			d = 2
		}
		return loc.Float(*v, d)
	}
	v := &ResultsView{ClusterID: p.ClusterID}
	group := func(label string, ls []IndicatorLink) {
		if len(ls) == 0 {
			return
		}
		g := LinkGroup{Label: label}
		for _, l := range ls {
			lv := LinkView{Code: l.Code, Name: l.Name, Year: l.Year, PlanTarget: num(l.Target)}
			if fg := figures[l.Code]; fg != nil {
				lv.Name, lv.Unit = fg.Name, fg.Unit
				lv.Actual, lv.ActualPeriod = num(fg.Actual), fg.ActualPeriod
				if l.Year != 0 {
					lv.FrameworkTarget = num(fg.TargetFor(l.Year))
				}
			}
			g.Links = append(g.Links, lv)
		}
		v.Groups = append(v.Groups, g)
	}
	for i, o := range c.Objectives {
		group(loc.T("planindicator.objective_n", "n", i+1, "title", o.Title), o.Indicators)
	}
	for i, pr := range c.Projects {
		group(loc.T("planindicator.project_n", "n", i+1, "title", pr.Title), pr.Indicators)
	}
	return v, nil
}
