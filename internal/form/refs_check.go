package form

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/clusterobservatory/observatory/internal/form/expr"
)

// checkReferences checks every ${name} of the survey: in relevant,
// constraint, calculation and choice_filter, and in labels, hints and
// constraint messages. Each must name a field of the form, and
// calculations may not depend on themselves.
func (p *parser) checkReferences(s *sheet, sc *surveyCols, def *Definition) {
	names := map[string]bool{}
	for _, f := range def.Fields {
		names[f.Name] = true
	}
	calcDeps := map[string][]string{}
	for _, f := range def.Fields {
		check := func(col, lang, expr string) []string {
			if expr == "" {
				return nil
			}
			c := 0
			header := col
			if lang != "" {
				c = sc.text[col][lang] + 1
				header = s.header[c-1]
			} else {
				c = sc.plain[col] + 1
			}
			refs, err := ParseRefs(expr)
			var re *RefError
			if errors.As(err, &re) {
				p.add(s.name, f.Row, c, header, fmt.Sprintf("The %s does not read %s.", col, re.Error()))
				return nil
			}
			var out []string
			for _, r := range refs {
				if !names[r.Name] {
					p.add(s.name, f.Row, c, header, fmt.Sprintf("The %s refers to ${%s}, but no field has that name.", col, r.Name))
					continue
				}
				out = append(out, r.Name)
			}
			return out
		}
		check("relevant", "", f.Relevant)
		check("constraint", "", f.Constraint)
		check("choice_filter", "", f.ChoiceFilter)
		calcDeps[f.Name] = check("calculation", "", f.Calculation)
		for _, c := range []struct{ col, src string }{{"relevant", f.Relevant}, {"constraint", f.Constraint},
			{"calculation", f.Calculation}, {"choice_filter", f.ChoiceFilter}} {
			if msg := expressionProblem(c.col, c.src, names, def.ExtraColumns); msg != "" {
				p.add(s.name, f.Row, sc.plain[c.col]+1, c.col, msg)
			}
		}
		for _, t := range []struct {
			col  string
			text Text
		}{{"label", f.Label}, {"hint", f.Hint}, {"constraint_message", f.ConstraintMessage}} {
			for _, lang := range sortedKeys(t.text) {
				check(t.col, lang, t.text[lang])
			}
		}
	}
	if len(p.issues) > 0 {
		return
	}
	if cycle := findCycle(def.Fields, calcDeps); cycle != nil {
		f, _ := def.Field(cycle[0])
		p.add(s.name, f.Row, sc.plain["calculation"]+1, "calculation",
			fmt.Sprintf("The calculations depend on each other in a circle: %s.", strings.Join(cycle, " → ")))
	}
}

// expressionProblem says why an expression cannot be evaluated by the
// respondent page, ODK Collect and the server alike, or "". A bare name
// is a column of the choices sheet in a choice filter, and a mistake
// anywhere else (a field is named ${name}).
func expressionProblem(col, src string, fields map[string]bool, extra []string) string {
	if src == "" {
		return ""
	}
	if _, err := ParseRefs(src); err != nil {
		return "" // reported with the references
	}
	e, err := expr.Parse(src)
	if err != nil {
		return fmt.Sprintf("The %s does not read %s.", col, err.Error())
	}
	for _, n := range e.Names() {
		switch {
		case col == "choice_filter" && (n == "name" || slices.Contains(extra, n)):
		case col == "choice_filter":
			return fmt.Sprintf("The choice_filter reads the column %s, but the choices sheet has none: add it there, or write ${%s} for a field.", n, n)
		case fields[n]:
			return fmt.Sprintf("The %s names %s without ${ }: write ${%s}.", col, n, n)
		case n == "true" || n == "false":
			return fmt.Sprintf("The %s writes %s without brackets: write %s().", col, n, n)
		default:
			return fmt.Sprintf("The %s has the word %s, which is neither a ${field} nor a function: name a field as ${name}.", col, n)
		}
	}
	return ""
}

// findCycle returns one circle of calculations (its first name repeated at
// the end), or nil.
func findCycle(fields []Field, deps map[string][]string) []string {
	const (
		unseen = iota
		open
		done
	)
	state := map[string]int{}
	var path []string
	var visit func(n string) []string
	visit = func(n string) []string {
		state[n] = open
		path = append(path, n)
		for _, d := range deps[n] {
			switch state[d] {
			case open:
				i := len(path) - 1
				for path[i] != d {
					i--
				}
				return append(append([]string{}, path[i:]...), d)
			case unseen:
				if c := visit(d); c != nil {
					return c
				}
			}
		}
		path = path[:len(path)-1]
		state[n] = done
		return nil
	}
	for _, f := range fields {
		if state[f.Name] == unseen {
			if c := visit(f.Name); c != nil {
				return c
			}
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
