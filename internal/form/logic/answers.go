package logic

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/form/expr"
)

// Answers are a submission's answers as the campaign channels keep them:
// fields by name (groups flattened, since names are unique), a repeat as a
// list of objects of its fields, numbers as JSON numbers, a
// select_multiple as its choice names separated by spaces.

// FromAnswers makes the instance of a submission's answers: exactly the
// occurrences the answers have, a missing answer blank. Calculations the
// answers bring keep their value; the others are computed.
func FromAnswers(def *form.Definition, answers map[string]any, o Options) *Instance {
	in := build(def, o)
	in.data = in.fromAnswers(in.top, answers, nil)
	in.recompute()
	return in
}

func (in *Instance) fromAnswers(children []*meta, answers map[string]any, scope []int) *record {
	rec := &record{vals: map[string]string{}, reps: map[string][]*record{}}
	var fill func(list []*meta)
	fill = func(list []*meta) {
		for _, m := range list {
			name := m.field.Name
			switch m.field.Type {
			case form.TypeGroup:
				fill(m.children)
			case form.TypeRepeat:
				occ := []*record{}
				for i, row := range rows(answers[name]) {
					occ = append(occ, in.fromAnswers(m.children, row, append(slices.Clip(scope), i)))
				}
				rec.reps[name] = occ
			default:
				v := AnswerText(answers[name])
				rec.vals[name] = normalise(m.field.Type, v)
				if m.calculation != nil && v != "" {
					in.given[key(name, scope)] = true
				}
			}
		}
	}
	fill(children)
	return rec
}

// rows reads a repeat's answer: a list of objects.
func rows(v any) []map[string]any {
	switch x := v.(type) {
	case []map[string]any:
		return x
	case []any:
		out := make([]map[string]any, 0, len(x))
		for _, r := range x {
			m, _ := r.(map[string]any)
			if m == nil {
				m = map[string]any{}
			}
			out = append(out, m)
		}
		return out
	}
	return nil
}

// AnswerText reads one answer as the text an XForm stores: numbers as
// XPath writes them, a list as its items separated by spaces.
func AnswerText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case float64:
		return expr.NumberString(x)
	case int:
		return expr.NumberString(float64(x))
	case int64:
		return expr.NumberString(float64(x))
	case bool:
		if x {
			return "true"
		}
		return "false"
	case []any:
		parts := make([]string, 0, len(x))
		for _, p := range x {
			parts = append(parts, AnswerText(p))
		}
		return strings.Join(parts, " ")
	case []string:
		return strings.Join(x, " ")
	}
	return ""
}

// FillCalculations writes into answers the calculations they did not
// bring, as computed, where the value does not depend on the moment or on
// chance (today(), now(), uuid()): filling those would make the same
// answers differ each time they are read.
func (in *Instance) FillCalculations(answers map[string]any) {
	var fill func(list []*meta, rec *record, out map[string]any, scope []int)
	fill = func(list []*meta, rec *record, out map[string]any, scope []int) {
		for _, m := range list {
			name := m.field.Name
			switch {
			case m.field.Type == form.TypeGroup:
				fill(m.children, rec, out, scope)
			case m.field.Type == form.TypeRepeat:
				rs := rows(out[name])
				for i, occ := range rec.reps[name] {
					if i < len(rs) {
						fill(m.children, occ, rs[i], append(slices.Clip(scope), i))
					}
				}
			case m.calculation != nil && !in.given[key(name, scope)] && !m.calculation.Calls("today", "now", "uuid"):
				if v := rec.vals[name]; v != "" {
					out[name] = v
				}
			}
		}
	}
	fill(in.top, in.data, answers, nil)
}
