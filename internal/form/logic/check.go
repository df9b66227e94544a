package logic

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/form/expr"
)

// ProblemKind says what is wrong with an answer.
type ProblemKind string

// The kinds of problem Check finds.
const (
	// Missing: a required question that applies is blank.
	Missing ProblemKind = "required"
	// Broken: the answer does not meet the field's constraint.
	Broken ProblemKind = "constraint"
	// NotApplicable: a question that does not apply has an answer.
	NotApplicable ProblemKind = "not_relevant"
	// NotOffered: a choice the choice_filter does not offer with these
	// answers.
	NotOffered ProblemKind = "not_offered"
)

// Problem is one thing wrong with a submission's answers.
type Problem struct {
	Kind ProblemKind
	// Field is the field's name; Path says where, with 1-based
	// occurrences: "revenue", "partners.2.partner_type".
	Field   string
	Path    string
	Message string
}

// CheckOptions say how a channel's answers are checked.
type CheckOptions struct {
	// Asked says which questions the channel asks: only those can be
	// missing. Nil asks every question but notes and calculations.
	Asked func(form.Field) bool
	// Earlier says the answers were given at another moment than now (on
	// a device, maybe offline, or before an edit): rules that read today()
	// or now() were checked then and are not checked again.
	Earlier bool
}

// Check lists the problems of the instance's answers in document order:
// required questions left blank, answers that break a constraint, answers
// to questions that do not apply, and choices a filter does not offer.
// An expression that does not parse (a form stored before imports
// checked them) checks nothing.
func (in *Instance) Check(o CheckOptions) []Problem {
	var out []Problem
	for _, n := range in.nodes() {
		m := n.m
		if n.rng || !m.leaf() || m.field.Type == form.TypeNote || m.field.Type == form.TypeCalculate {
			continue
		}
		add := func(k ProblemKind, format string, args ...any) {
			out = append(out, Problem{Kind: k, Field: m.field.Name, Path: in.path(m, n.scope), Message: fmt.Sprintf(format, args...)})
		}
		raw := in.raw(m, n.scope)
		momentary := o.Earlier && in.relevanceReadsMoment(m)
		if !in.relevant(m, n.scope) {
			if raw != "" && !momentary {
				add(NotApplicable, "This question does not apply to these answers (it is asked only when %s): leave it blank.",
					in.failingCondition(m, n.scope))
			}
			continue
		}
		value := in.effective(m, n.scope)
		switch {
		case raw != "" && value != raw:
			var gone []string
			for _, x := range strings.Fields(raw) {
				if !strings.Contains(" "+value+" ", " "+x+" ") {
					gone = append(gone, strconv.Quote(x))
				}
			}
			add(NotOffered, "%s is not offered with these answers (the choices depend on %s).", strings.Join(gone, ", "), m.field.ChoiceFilter)
		case value == "":
			asked := o.Asked == nil || o.Asked(m.field)
			if m.field.Required && asked && !momentary {
				add(Missing, "Answer this question.")
			}
		case m.constraint != nil && !(o.Earlier && m.constraint.Calls("today", "now")):
			if !expr.Bool(m.constraint.Value(in.context(m, n.scope, nil))) {
				add(Broken, "%s", in.constraintMessage(m, n.scope, value))
			}
		}
	}
	return out
}

// path names a node for a message: the field, after each repeat around it
// and its 1-based occurrence.
func (in *Instance) path(m *meta, scope []int) string {
	var b strings.Builder
	for i, r := range m.chain {
		if i < len(scope) {
			fmt.Fprintf(&b, "%s.%d.", r, scope[i]+1)
		}
	}
	b.WriteString(m.field.Name)
	return b.String()
}

// relevanceReadsMoment reports whether the field's relevance, or a group's
// around it, reads today() or now().
func (in *Instance) relevanceReadsMoment(m *meta) bool {
	for ; m != nil; m = m.parent {
		if m.relevant != nil && m.relevant.Calls("today", "now") {
			return true
		}
	}
	return false
}

// failingCondition is the relevant expression that hides a node: its own
// or the outermost group's around it that is false.
func (in *Instance) failingCondition(m *meta, scope []int) string {
	cond := m.field.Relevant
	for p := m.parent; p != nil; p = p.parent {
		if !in.relevant(p, scope[:len(p.chain)]) && p.field.Relevant != "" {
			cond = p.field.Relevant
		}
	}
	return cond
}

// constraintMessage is the field's constraint message in the form's
// default language, or a sentence that quotes the rule.
func (in *Instance) constraintMessage(m *meta, scope []int, value string) string {
	if s := m.field.ConstraintMessage.In(in.def.DefaultLanguage, in.def.DefaultLanguage, in.def.Languages); s != "" {
		// A message may show other answers: "At most ${total}".
		ctx := in.context(m, scope, nil)
		if shown, err := form.RewriteRefs(s, func(name string) string {
			nodes, _ := ctx.Ref(name)
			return expr.String(nodes)
		}); err == nil {
			return shown
		}
		return s
	}
	return fmt.Sprintf("%q does not meet the form's rule %s.", value, m.field.Constraint)
}
