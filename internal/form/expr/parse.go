package expr

import (
	"slices"
	"strings"
)

// kind is the kind of a node of a parsed expression.
type kind int

const (
	kNum kind = iota
	kStr
	kRef
	kSelf
	kParent
	kChild
	kNeg
	kBin
	kCall
)

// node is one node of a parsed expression.
type node struct {
	kind kind
	num  float64
	text string // string literal, reference, child or function name, operator
	a, b *node
	args []*node
	pos  int
}

// Expr is a parsed expression, ready to be evaluated many times.
type Expr struct {
	src  string
	root *node
}

// String returns the expression as it was written.
func (e *Expr) String() string { return e.src }

// levels are the binary operators, loosest binding first.
var levels = [][]string{{"or"}, {"and"}, {"=", "!="}, {"<", "<=", ">", ">="}, {"+", "-"}, {"*", "div", "mod"}}

// Parse reads an expression. It refuses what does not read, a function it
// does not know or calls with the wrong number of arguments, and paths
// written with "/" (XLSForm names fields with ${name}).
func Parse(src string) (*Expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		return nil, errAt(src, 0, "the expression is empty")
	}
	p := &parser{src: src, toks: toks}
	root, err := p.binary(0)
	if err != nil {
		return nil, err
	}
	if p.i < len(toks) {
		return nil, p.unexpected(toks[p.i])
	}
	return &Expr{src: src, root: root}, nil
}

type parser struct {
	src  string
	toks []token
	i    int
}

func (p *parser) peek() *token {
	if p.i < len(p.toks) {
		return &p.toks[p.i]
	}
	return nil
}

func (p *parser) unexpected(t token) error {
	switch t.kind {
	case tSlash, tLBracket:
		return errAt(p.src, t.pos, "paths and predicates are not supported: name a field as ${name}")
	case tOp:
		return errAt(p.src, t.pos, "the operator %s is out of place", t.text)
	case tName:
		return errAt(p.src, t.pos, "%s is out of place (an operator may be missing)", t.text)
	}
	return errAt(p.src, t.pos, "%s is out of place", tokNames[t.kind])
}

func (p *parser) binary(level int) (*node, error) {
	if level == len(levels) {
		return p.unary()
	}
	a, err := p.binary(level + 1)
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t == nil || t.kind != tOp || !slices.Contains(levels[level], t.text) {
			return a, nil
		}
		p.i++
		b, err := p.binary(level + 1)
		if err != nil {
			return nil, err
		}
		a = &node{kind: kBin, text: t.text, a: a, b: b, pos: t.pos}
	}
}

func (p *parser) unary() (*node, error) {
	if t := p.peek(); t != nil && t.kind == tOp && t.text == "-" {
		p.i++
		a, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &node{kind: kNeg, a: a, pos: t.pos}, nil
	}
	a, err := p.primary()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t == nil || t.kind != tOp || t.text != "|" {
			return a, nil
		}
		p.i++
		b, err := p.primary()
		if err != nil {
			return nil, err
		}
		a = &node{kind: kBin, text: "|", a: a, b: b, pos: t.pos}
	}
}

func (p *parser) primary() (*node, error) {
	t := p.peek()
	if t == nil {
		return nil, errAt(p.src, len(p.src), "the expression ends too early")
	}
	p.i++
	switch t.kind {
	case tNum:
		return &node{kind: kNum, num: t.num, pos: t.pos}, nil
	case tStr:
		return &node{kind: kStr, text: t.text, pos: t.pos}, nil
	case tRef:
		return &node{kind: kRef, text: t.text, pos: t.pos}, nil
	case tDot:
		return &node{kind: kSelf, pos: t.pos}, nil
	case tDotDot:
		return &node{kind: kParent, pos: t.pos}, nil
	case tLParen:
		e, err := p.binary(0)
		if err != nil {
			return nil, err
		}
		if n := p.peek(); n == nil || n.kind != tRParen {
			return nil, errAt(p.src, t.pos, "a ( is not closed with )")
		}
		p.i++
		return e, nil
	case tName:
		if n := p.peek(); n != nil && n.kind == tLParen {
			p.i++
			return p.call(t)
		}
		if t.text == "*" {
			return nil, errAt(p.src, t.pos, "* needs a number on each side")
		}
		return &node{kind: kChild, text: t.text, pos: t.pos}, nil
	}
	return nil, p.unexpected(*t)
}

// call reads a function's arguments, after its "(".
func (p *parser) call(name *token) (*node, error) {
	n := &node{kind: kCall, text: name.text, pos: name.pos}
	if t := p.peek(); t != nil && t.kind == tRParen {
		p.i++
	} else {
		for {
			a, err := p.binary(0)
			if err != nil {
				return nil, err
			}
			n.args = append(n.args, a)
			t := p.peek()
			if t != nil && t.kind == tComma {
				p.i++
				continue
			}
			if t == nil || t.kind != tRParen {
				return nil, errAt(p.src, name.pos, "the arguments of %s( are not closed with )", name.text)
			}
			p.i++
			break
		}
	}
	f, ok := functions[n.text]
	if !ok {
		return nil, errAt(p.src, name.pos, "%s() is not a supported function (supported: %s)", n.text, strings.Join(FunctionNames(), ", "))
	}
	switch {
	case len(n.args) < f.min:
		return nil, errAt(p.src, name.pos, "%s() needs %s", n.text, arity(f))
	case f.max >= 0 && len(n.args) > f.max:
		return nil, errAt(p.src, name.pos, "%s() takes %s", n.text, arity(f))
	}
	return n, nil
}

// visit calls f for every node of the expression, parents first.
func (e *Expr) visit(f func(n *node)) {
	var walk func(n *node)
	walk = func(n *node) {
		if n == nil {
			return
		}
		f(n)
		walk(n.a)
		walk(n.b)
		for _, a := range n.args {
			walk(a)
		}
	}
	walk(e.root)
}

// collect lists, each once and in order, the text of the nodes of a kind.
func (e *Expr) collect(k kind) []string {
	var out []string
	e.visit(func(n *node) {
		if n.kind == k && !slices.Contains(out, n.text) {
			out = append(out, n.text)
		}
	})
	return out
}

// Refs lists the ${name} references of an expression, each once, in order.
func (e *Expr) Refs() []string { return e.collect(kRef) }

// Names lists the bare names of an expression (in a choice filter, the
// columns of the choices sheet it reads), each once, in order.
func (e *Expr) Names() []string { return e.collect(kChild) }

// Calls reports whether the expression calls one of the named functions.
func (e *Expr) Calls(names ...string) bool {
	found := false
	e.visit(func(n *node) { found = found || n.kind == kCall && slices.Contains(names, n.text) })
	return found
}
