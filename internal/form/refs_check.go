package form

import (
	"errors"
	"fmt"
	"sort"
	"strings"
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
