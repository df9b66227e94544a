package logic

import (
	"slices"
	"time"

	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/form/expr"
)

// nodeContext is where an expression is evaluated: a field in a scope;
// child, when set, reads the columns of the choice a filter is checking.
type nodeContext struct {
	in    *Instance
	m     *meta
	scope []int
	child func(col string) expr.NodeSet
}

func (in *Instance) context(m *meta, scope []int, child func(col string) expr.NodeSet) *nodeContext {
	return &nodeContext{in: in, m: m, scope: scope, child: child}
}

func (c *nodeContext) Ref(name string) (expr.NodeSet, bool) {
	target := c.in.fields[name]
	if target == nil {
		return nil, false
	}
	return c.in.resolve(target, c.m, c.scope), true
}

func (c *nodeContext) Self() expr.NodeSet { return c.in.nodeSet(c.m, c.scope) }

func (c *nodeContext) Parent() expr.NodeSet {
	p := c.m.parent
	if p == nil {
		return expr.NodeSet{{Value: "", Pos: 1}}
	}
	return c.in.nodeSet(p, c.scope[:len(p.chain)])
}

func (c *nodeContext) Child(col string) expr.NodeSet {
	if c.child == nil {
		return nil
	}
	return c.child(col)
}

func (c *nodeContext) ChoiceName(value, field string) string {
	m := c.in.fields[field]
	if m == nil {
		return ""
	}
	for _, ch := range c.in.lists[m.field.ChoiceList] {
		if ch.Name == value {
			return ch.Label.In(c.in.def.DefaultLanguage, c.in.def.DefaultLanguage, c.in.def.Languages)
		}
	}
	return ""
}

func (c *nodeContext) Now() time.Time { return c.in.now() }

// nodeSet makes the node-set of one node; an occurrence's position is its
// number in its repeat.
func (in *Instance) nodeSet(m *meta, scope []int) expr.NodeSet {
	pos := 1
	if m.field.Type == form.TypeRepeat && len(scope) == len(m.chain) && len(scope) > 0 {
		pos = scope[len(scope)-1] + 1
	}
	return expr.NodeSet{{Value: in.stringValue(m, scope), Pos: pos}}
}

// stringValue is a node's XPath string value: a leaf's value, or the
// values of a group's or occurrence's leaves run together.
func (in *Instance) stringValue(m *meta, scope []int) string {
	if m.leaf() {
		return in.value(m, scope)
	}
	if !in.relevant(m, scope) {
		return ""
	}
	var b []byte
	var walk func(list []*meta, sc []int)
	walk = func(list []*meta, sc []int) {
		for _, c := range list {
			switch c.field.Type {
			case form.TypeGroup:
				walk(c.children, sc)
			case form.TypeRepeat:
				for i := range in.occurrences(c, sc) {
					s := append(slices.Clip(sc), i)
					if in.relevant(c, s) {
						walk(c.children, s)
					}
				}
			default:
				b = append(b, in.value(c, sc)...)
			}
		}
	}
	walk(m.children, scope)
	return string(b)
}

// resolve gives the nodes ${name} means for the node (ctx, ctxScope):
// inside the repeats the two share, the same occurrence; beyond, every
// occurrence. A repeat named from inside itself (count(${hh}) within hh)
// is every occurrence of it in the form, as the XForm's absolute path
// means to ODK.
func (in *Instance) resolve(target, ctx *meta, ctxScope []int) expr.NodeSet {
	chain := target.chain
	selfRepeat := target.field.Type == form.TypeRepeat && slices.Contains(ctx.chain, target.field.Name)
	var out expr.NodeSet
	var walk func(level int, rec *record, scope []int, shared bool)
	walk = func(level int, rec *record, scope []int, shared bool) {
		if level == len(chain) {
			pos := 1
			if target.field.Type == form.TypeRepeat {
				pos = scope[len(scope)-1] + 1
			}
			out = append(out, expr.Node{Value: in.stringValue(target, scope), Pos: pos})
			return
		}
		list := rec.reps[chain[level]]
		if shared && level < len(ctx.chain) && ctx.chain[level] == chain[level] && level < len(ctxScope) {
			if i := ctxScope[level]; i < len(list) {
				walk(level+1, list[i], append(slices.Clip(scope), i), true)
			}
			return
		}
		for i, occ := range list {
			walk(level+1, occ, append(slices.Clip(scope), i), false)
		}
	}
	walk(0, in.data, nil, !selfRepeat)
	return out
}

// options lists the choices of a select node that its choice_filter
// offers.
func (in *Instance) options(m *meta, scope []int) []form.Choice {
	choices := in.lists[m.field.ChoiceList]
	if m.filter == nil {
		return choices
	}
	var out []form.Choice
	for _, c := range choices {
		child := func(col string) expr.NodeSet {
			if col == "name" {
				return expr.NodeSet{{Value: c.Name, Pos: 1}}
			}
			v, ok := c.Extra[col]
			if !ok && !in.extraCols[col] {
				return nil
			}
			return expr.NodeSet{{Value: v, Pos: 1}}
		}
		if expr.Bool(m.filter.Value(in.context(m, scope, child))) {
			out = append(out, c)
		}
	}
	return out
}
