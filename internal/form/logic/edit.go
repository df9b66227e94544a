package logic

import (
	"fmt"
	"slices"
	"strings"

	"github.com/clusterobservatory/observatory/internal/form"
)

// SetValue stores an answer, normalised by type, and evaluates the logic
// again. A select_multiple keeps its choices in the list's order, as ODK
// does.
func (in *Instance) SetValue(name string, scope []int, value string) error {
	m := in.fields[name]
	if m == nil || !m.leaf() {
		return fmt.Errorf("no question %s", name)
	}
	rec := in.record(m, scope)
	if rec == nil {
		return fmt.Errorf("no node %s", key(name, scope))
	}
	v := normalise(m.field.Type, value)
	if m.field.Type == form.TypeSelectMultiple && v != "" {
		v = in.ordered(m, v)
	}
	rec.vals[name] = v
	in.recompute()
	return nil
}

// ordered sorts the chosen names of a select_multiple in the list's order
// (unknown names last) and drops repeats.
func (in *Instance) ordered(m *meta, v string) string {
	list := in.lists[m.field.ChoiceList]
	rank := func(x string) int {
		if i := slices.IndexFunc(list, func(c form.Choice) bool { return c.Name == x }); i >= 0 {
			return i
		}
		return len(list)
	}
	var chosen []string
	for _, x := range strings.Fields(v) {
		if !slices.Contains(chosen, x) {
			chosen = append(chosen, x)
		}
	}
	slices.SortStableFunc(chosen, func(a, b string) int { return rank(a) - rank(b) })
	return strings.Join(chosen, " ")
}

// AddOccurrence adds an occurrence at the end of a repeat (outer names the
// occurrences of the repeats around it) and returns its index.
func (in *Instance) AddOccurrence(repeat string, outer []int) (int, error) {
	m := in.fields[repeat]
	if m == nil || m.field.Type != form.TypeRepeat {
		return 0, fmt.Errorf("no repeat %s", repeat)
	}
	parent := in.parentRecord(m, outer)
	if parent == nil {
		return 0, fmt.Errorf("no occurrence %v around %s", outer, repeat)
	}
	parent.reps[repeat] = append(parent.reps[repeat], in.newRecord(m.children))
	in.recompute()
	return len(parent.reps[repeat]) - 1, nil
}

// RemoveOccurrence removes occurrence i of a repeat.
func (in *Instance) RemoveOccurrence(repeat string, outer []int, i int) error {
	m := in.fields[repeat]
	if m == nil || m.field.Type != form.TypeRepeat {
		return fmt.Errorf("no repeat %s", repeat)
	}
	parent := in.parentRecord(m, outer)
	if parent == nil || i < 0 || i >= len(parent.reps[repeat]) {
		return fmt.Errorf("no occurrence %d of %s", i, repeat)
	}
	parent.reps[repeat] = slices.Delete(parent.reps[repeat], i, i+1)
	in.recompute()
	return nil
}

// parentRecord is the record that holds a repeat's occurrences.
func (in *Instance) parentRecord(m *meta, outer []int) *record {
	rec := in.data
	for i, r := range m.chain[:len(m.chain)-1] {
		list := rec.reps[r]
		if i >= len(outer) || outer[i] < 0 || outer[i] >= len(list) {
			return nil
		}
		rec = list[outer[i]]
	}
	return rec
}
