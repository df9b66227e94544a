package expr

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Context answers for what an expression refers to where it is evaluated.
type Context interface {
	// Ref gives the nodes ${name} stands for here; ok is false when the
	// form has no such field.
	Ref(name string) (nodes NodeSet, ok bool)
	// Self is the node the expression is evaluated for (.); Parent its
	// parent (..).
	Self() NodeSet
	Parent() NodeSet
	// Child is the value of a bare name: in a choice filter, the column of
	// the choice being filtered; elsewhere nothing.
	Child(name string) NodeSet
	// ChoiceName is the label of a choice of a select field.
	ChoiceName(value, field string) string
	// Now is the moment today() and now() read.
	Now() time.Time
}

// evalError stops an evaluation that cannot go on; Eval turns it into an
// error.
type evalError struct{ msg string }

// Eval computes the expression's value in a context. An expression that
// cannot be evaluated (a reference to a field the form does not have)
// gives an error; the engines then treat its value as NaN.
func (e *Expr) Eval(ctx Context) (v Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			ee, ok := r.(evalError)
			if !ok {
				panic(r)
			}
			v, err = math.NaN(), fmt.Errorf("%s: %s", e.src, ee.msg)
		}
	}()
	return eval(e.root, ctx), nil
}

// Value is Eval with an error read as NaN, as the engines read it.
func (e *Expr) Value(ctx Context) Value {
	v, err := e.Eval(ctx)
	if err != nil {
		return math.NaN()
	}
	return v
}

func eval(n *node, ctx Context) Value {
	switch n.kind {
	case kNum:
		return n.num
	case kStr:
		return n.text
	case kRef:
		nodes, ok := ctx.Ref(n.text)
		if !ok {
			panic(evalError{"no field " + n.text})
		}
		return nodes
	case kSelf:
		return ctx.Self()
	case kParent:
		return ctx.Parent()
	case kChild:
		return ctx.Child(n.text)
	case kNeg:
		return -Number(eval(n.a, ctx))
	case kBin:
		return binary(n, ctx)
	case kCall:
		return call(n, ctx)
	}
	panic(evalError{"cannot evaluate"})
}

func binary(n *node, ctx Context) Value {
	switch n.text {
	case "or":
		return Bool(eval(n.a, ctx)) || Bool(eval(n.b, ctx))
	case "and":
		return Bool(eval(n.a, ctx)) && Bool(eval(n.b, ctx))
	}
	a, b := eval(n.a, ctx), eval(n.b, ctx)
	switch n.text {
	case "=", "!=", "<", "<=", ">", ">=":
		return compare(n.text, a, b)
	case "+":
		return Number(a) + Number(b)
	case "-":
		return Number(a) - Number(b)
	case "*":
		return Number(a) * Number(b)
	case "div":
		return Number(a) / Number(b)
	case "mod":
		return math.Mod(Number(a), Number(b))
	case "|":
		as, _ := a.(NodeSet)
		bs, _ := b.(NodeSet)
		return append(append(NodeSet{}, as...), bs...)
	}
	panic(evalError{"unknown operator " + n.text})
}

// fieldNameOf reads the field a jr:choice-name() second argument names:
// '${name}' as XLSForm writes it, or a path as an XForm does.
func fieldNameOf(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "${") && strings.HasSuffix(s, "}") {
		return s[2 : len(s)-1]
	}
	return s[strings.LastIndexByte(s, '/')+1:]
}

func call(n *node, ctx Context) Value {
	switch n.text {
	case "position":
		var a Value = ctx.Self()
		if len(n.args) > 0 {
			a = eval(n.args[0], ctx)
		}
		if ns, ok := a.(NodeSet); ok && len(ns) > 0 {
			return float64(max(ns[0].Pos, 1))
		}
		return math.NaN()
	case "jr:choice-name":
		v := String(eval(n.args[0], ctx))
		field := ""
		if n.args[1].kind == kStr {
			field = n.args[1].text
		} else {
			field = String(eval(n.args[1], ctx))
		}
		return ctx.ChoiceName(v, fieldNameOf(field))
	case "if":
		// Only the chosen branch is evaluated.
		if Bool(eval(n.args[0], ctx)) {
			return eval(n.args[1], ctx)
		}
		return eval(n.args[2], ctx)
	case "today":
		return ctx.Now().Format("2006-01-02")
	case "now":
		return ctx.Now().Format("2006-01-02T15:04:05.000-07:00")
	}
	args := make([]Value, len(n.args))
	for i, a := range n.args {
		args[i] = eval(a, ctx)
	}
	return functions[n.text].fn(args)
}
