package logic

import (
	"github.com/clusterobservatory/observatory/internal/form/expr"
)

// NodeState is what the logic says of one node.
type NodeState struct {
	Name  string
	Scope []int // occurrence index of each repeat around, outermost first
	// Range marks the node that stands for all the occurrences of a
	// repeat; Occurrences counts them.
	Range       bool
	Occurrences int
	Relevant    bool
	Required    bool
	// RequiredOK and ConstraintOK are true when the node does not apply.
	RequiredOK   bool
	ConstraintOK bool
	// Value is the answer as it counts (blank when the node does not
	// apply; a filtered select keeps only the choices still offered).
	Value string
	// Options are the choices a select node offers, by name.
	Options []string
}

// Nodes gives the state of every node in document order; a repeat gives a
// range node and then one node per occurrence.
func (in *Instance) Nodes() []NodeState {
	var out []NodeState
	for _, n := range in.nodes() {
		m := n.m
		s := NodeState{Name: m.field.Name, Scope: n.scope, Range: n.rng}
		if n.rng {
			s.Occurrences = len(in.occurrences(m, n.scope))
			out = append(out, s)
			continue
		}
		s.Relevant = in.relevant(m, n.scope)
		s.Required = m.field.Required
		s.RequiredOK, s.ConstraintOK = true, true
		if m.leaf() {
			s.Value = in.value(m, n.scope)
			if s.Relevant {
				s.RequiredOK = !(s.Required && s.Value == "")
				if m.constraint != nil && s.Value != "" {
					s.ConstraintOK = expr.Bool(m.constraint.Value(in.context(m, n.scope, nil)))
				}
			}
			if m.field.Type.IsSelect() {
				for _, c := range in.options(m, n.scope) {
					s.Options = append(s.Options, c.Name)
				}
			}
		}
		out = append(out, s)
	}
	return out
}
