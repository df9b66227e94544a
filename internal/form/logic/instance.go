package logic

import (
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/form/expr"
)

// meta is a field with its compiled expressions and its place in the tree.
type meta struct {
	field    form.Field
	children []*meta
	parent   *meta
	// chain names the repeats around the field, outermost first; a
	// repeat's own chain ends with itself (its nodes are its occurrences).
	chain                                     []string
	relevant, constraint, calculation, filter *expr.Expr
}

func (m *meta) leaf() bool { return !m.field.Type.IsContainer() }

// record holds the values of the top of the form or of one repeat
// occurrence; group fields sit in the record of their repeat, since field
// names are unique in a form.
type record struct {
	vals map[string]string
	reps map[string][]*record
}

// Instance is a form's answers with their logic evaluated.
type Instance struct {
	def       *form.Definition
	now       func() time.Time
	fields    map[string]*meta
	top       []*meta
	lists     map[string][]form.Choice
	extraCols map[string]bool
	data      *record
	relevance map[string]bool
	// given marks the calculation nodes whose value came with the answers:
	// they keep it (a device's now() or uuid()), the others are computed.
	given map[string]bool
}

// Options tune an instance.
type Options struct {
	// Now is the moment today() and now() read; time.Now when nil.
	Now func() time.Time
}

// New makes a blank instance, as a new form starts: defaults filled in
// and one occurrence of every repeat.
func New(def *form.Definition, o Options) *Instance {
	in := build(def, o)
	in.data = in.newRecord(in.top)
	in.recompute()
	return in
}

func build(def *form.Definition, o Options) *Instance {
	in := &Instance{def: def, now: o.Now, fields: map[string]*meta{}, lists: map[string][]form.Choice{},
		extraCols: map[string]bool{}, given: map[string]bool{}}
	if in.now == nil {
		in.now = time.Now
	}
	for _, l := range def.ChoiceLists {
		in.lists[l.Name] = l.Choices
	}
	for _, c := range def.ExtraColumns {
		in.extraCols[c] = true
	}
	byPath := map[string]*meta{}
	for _, f := range def.Fields {
		m := &meta{field: f}
		m.relevant = compile(f.Relevant)
		m.constraint = compile(f.Constraint)
		m.calculation = compile(f.Calculation)
		m.filter = compile(f.ChoiceFilter)
		if p := byPath[f.Parent]; f.Parent != "" && p != nil {
			m.parent = p
			p.children = append(p.children, m)
			m.chain = p.chain
		} else {
			in.top = append(in.top, m)
		}
		if f.Type == form.TypeRepeat {
			m.chain = append(slices.Clip(m.chain), f.Name)
		}
		byPath[f.Path] = m
		in.fields[f.Name] = m
	}
	return in
}

// compile parses an expression; nil when there is none.
func compile(src string) *expr.Expr {
	if src == "" {
		return nil
	}
	// An expression that does not parse (a form stored before imports
	// checked them) checks nothing.
	e, err := expr.Parse(src)
	if err != nil {
		return nil
	}
	return e
}

// newRecord makes the record of a new occurrence (or the top), with the
// defaults and one first occurrence of each repeat inside, as the XForm's
// instance has.
func (in *Instance) newRecord(children []*meta) *record {
	rec := &record{vals: map[string]string{}, reps: map[string][]*record{}}
	var fill func(list []*meta)
	fill = func(list []*meta) {
		for _, m := range list {
			switch m.field.Type {
			case form.TypeGroup:
				fill(m.children)
			case form.TypeRepeat:
				rec.reps[m.field.Name] = []*record{in.newRecord(m.children)}
			default:
				rec.vals[m.field.Name] = m.field.Default
			}
		}
	}
	fill(children)
	return rec
}

// record returns the record that holds a field's value in a scope (for a
// repeat, the record of the occurrence scope names), or nil.
func (in *Instance) record(m *meta, scope []int) *record {
	rec := in.data
	for i, r := range m.chain {
		list := rec.reps[r]
		if i >= len(scope) || scope[i] < 0 || scope[i] >= len(list) {
			return nil
		}
		rec = list[scope[i]]
	}
	return rec
}

// occurrences returns the occurrences of a repeat in the scope of the
// repeats around it.
func (in *Instance) occurrences(m *meta, outer []int) []*record {
	if p := in.parentRecord(m, outer); p != nil {
		return p.reps[m.field.Name]
	}
	return nil
}

func key(name string, scope []int) string {
	if len(scope) == 0 {
		return name
	}
	parts := make([]string, len(scope))
	for i, s := range scope {
		parts[i] = strconv.Itoa(s)
	}
	return name + "#" + strings.Join(parts, ".")
}

// raw is a node's stored value.
func (in *Instance) raw(m *meta, scope []int) string {
	if rec := in.record(m, scope); rec != nil {
		return rec.vals[m.field.Name]
	}
	return ""
}

// value is a node's value as expressions read it: blank when the node
// does not apply.
func (in *Instance) value(m *meta, scope []int) string {
	if !in.relevant(m, scope) {
		return ""
	}
	return in.effective(m, scope)
}

// effective is a node's answer as it counts: for a select whose choices
// are filtered, only the stored choices the filter still offers, as ODK
// does.
func (in *Instance) effective(m *meta, scope []int) string {
	v := in.raw(m, scope)
	if m.filter == nil || v == "" {
		return v
	}
	offered := map[string]bool{}
	for _, c := range in.options(m, scope) {
		offered[c.Name] = true
	}
	var kept []string
	for _, x := range strings.Split(v, " ") {
		if offered[x] {
			kept = append(kept, x)
		}
	}
	return strings.Join(kept, " ")
}

func (in *Instance) relevant(m *meta, scope []int) bool {
	r, ok := in.relevance[key(m.field.Name, scope)]
	return !ok || r
}

// node is one node of the instance: a field in a scope (the occurrence
// index of each repeat around it, outermost first). A repeat has one node
// per occurrence, after a range node (scope of the repeats around it).
type node struct {
	m     *meta
	scope []int
	rng   bool
}

// nodes lists every node in document order.
func (in *Instance) nodes() []node {
	var out []node
	var walk func(list []*meta, rec *record, scope []int)
	walk = func(list []*meta, rec *record, scope []int) {
		for _, m := range list {
			switch m.field.Type {
			case form.TypeGroup:
				out = append(out, node{m: m, scope: scope})
				walk(m.children, rec, scope)
			case form.TypeRepeat:
				out = append(out, node{m: m, scope: scope, rng: true})
				for i, occ := range rec.reps[m.field.Name] {
					s := append(slices.Clip(scope), i)
					out = append(out, node{m: m, scope: s})
					walk(m.children, occ, s)
				}
			default:
				out = append(out, node{m: m, scope: scope})
			}
		}
	}
	walk(in.top, in.data, nil)
	return out
}

// recompute brings relevance and calculated values up to date: they
// depend on each other (a blank value that no longer applies changes a
// calculation, a calculation changes a relevance), so both are evaluated
// in document order until nothing changes; without cycles this ends.
func (in *Instance) recompute() {
	in.relevance = map[string]bool{}
	nodes := in.nodes()
	for pass := 0; pass < 50; pass++ {
		changed := false
		for _, n := range nodes {
			if n.rng {
				continue
			}
			m := n.m
			k := key(m.field.Name, n.scope)
			rel := true
			if m.parent != nil {
				rel = in.relevant(m.parent, n.scope[:len(m.parent.chain)])
			}
			if rel && m.relevant != nil {
				rel = expr.Bool(m.relevant.Value(in.context(m, n.scope, nil)))
			}
			if old, ok := in.relevance[k]; !ok || old != rel {
				in.relevance[k] = rel
				changed = true
			}
			if m.calculation != nil && !in.given[k] {
				v := ""
				if rel {
					v = expr.Stored(m.calculation.Value(in.context(m, n.scope, nil)))
				}
				if rec := in.record(m, n.scope); rec != nil && rec.vals[m.field.Name] != v {
					rec.vals[m.field.Name] = v
					changed = true
				}
			}
		}
		if !changed {
			break
		}
	}
}

var (
	integerText = regexp.MustCompile(`^[+-]?[0-9]+$`)
	decimalText = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)
)

// normalise turns an answer into the stored value of its type, as the
// respondent page and ODK store it.
func normalise(t form.FieldType, s string) string {
	switch t {
	case form.TypeInteger:
		s = strings.TrimSpace(s)
		if integerText.MatchString(s) {
			n, _ := new(big.Int).SetString(strings.TrimPrefix(s, "+"), 10)
			return n.String()
		}
	case form.TypeDecimal:
		s = strings.TrimSpace(s)
		if decimalText.MatchString(s) {
			// ODK writes a whole decimal with one decimal place (2000.0).
			n := expr.NumberString(expr.StringNumber(strings.TrimPrefix(s, "+")))
			if integerText.MatchString(n) {
				return n + ".0"
			}
			return n
		}
	case form.TypeSelectMultiple:
		return strings.Join(strings.Fields(s), " ")
	case form.TypeGeopoint:
		return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '\t' || r == '\n' }), " ")
	}
	return s
}
