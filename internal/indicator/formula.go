package indicator

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// A formula computes an indicator from others: indicator codes, numbers,
// the four operations + - * /, unary minus and parentheses, with the usual
// precedence (* and / before + and -, left to right). This file is pure
// logic: it neither reads the database nor knows HTTP.

// FormulaError is a formula that cannot be used, with the 1-based character
// position of the problem.
type FormulaError struct {
	Pos int
	Msg string
}

func (e *FormulaError) Error() string { return fmt.Sprintf("at character %d: %s", e.Pos, e.Msg) }

// Expr is a parsed formula.
type Expr struct {
	root node
	refs []Ref
}

// Ref is one use of an indicator code in a formula and where it stands.
type Ref struct {
	Code string
	Pos  int
}

// Refs lists the indicator codes the formula uses, in order of first use.
func (e *Expr) Refs() []Ref { return e.refs }

// Codes lists the distinct indicator codes the formula uses.
func (e *Expr) Codes() []string {
	out := make([]string, 0, len(e.refs))
	for _, r := range e.refs {
		out = append(out, r.Code)
	}
	return out
}

// String writes the formula back in its tidy form: codes upper-cased,
// single spaces around binary operators.
func (e *Expr) String() string { return e.root.String() }

type node interface {
	String() string
	eval(values map[string]float64) Result
}

type numNode struct{ v float64 }
type refNode struct{ code string }
type negNode struct{ x node }
type binNode struct {
	op   byte
	l, r node
}

func (n numNode) String() string { return strconv.FormatFloat(n.v, 'f', -1, 64) }
func (n refNode) String() string { return n.code }
func (n negNode) String() string { return "-" + wrap(n.x, true) }
func (n binNode) String() string {
	return wrap2(n.l, n.op, false) + " " + string(n.op) + " " + wrap2(n.r, n.op, true)
}

// wrap puts parentheses around a binary operation under a unary minus.
func wrap(x node, _ bool) string {
	if _, ok := x.(binNode); ok {
		return "(" + x.String() + ")"
	}
	return x.String()
}

// wrap2 puts parentheses around an operand only where precedence or
// left-to-right order needs them.
func wrap2(x node, parent byte, right bool) string {
	b, ok := x.(binNode)
	if !ok {
		return x.String()
	}
	need := precedence(b.op) < precedence(parent) || (right && precedence(b.op) == precedence(parent))
	if need {
		return "(" + b.String() + ")"
	}
	return b.String()
}

func precedence(op byte) int {
	if op == '*' || op == '/' {
		return 2
	}
	return 1
}

// MaxFormula is the longest formula accepted, in characters.
const MaxFormula = 500

// ParseFormula reads a formula. Codes are case-insensitive and returned
// upper-cased.
func ParseFormula(src string) (*Expr, error) {
	if strings.TrimSpace(src) == "" {
		return nil, &FormulaError{Pos: 1, Msg: "the formula is empty"}
	}
	if n := len([]rune(src)); n > MaxFormula {
		return nil, &FormulaError{Pos: MaxFormula + 1, Msg: fmt.Sprintf("the formula is too long (at most %d characters)", MaxFormula)}
	}
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	root, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEnd {
		if t.kind == tokRParen {
			return nil, &FormulaError{Pos: t.pos, Msg: "this closing parenthesis has no opening one"}
		}
		return nil, &FormulaError{Pos: t.pos, Msg: fmt.Sprintf("expected an operator (+ - * /) before %q", t.text)}
	}
	return &Expr{root: root, refs: p.refs}, nil
}

type tokKind int

const (
	tokEnd tokKind = iota
	tokNum
	tokCode
	tokOp
	tokLParen
	tokRParen
)

type token struct {
	kind tokKind
	text string
	pos  int // 1-based, in characters
	num  float64
}

// isCodeStart and isCodePart say which characters make an indicator code:
// a letter, then letters, digits, underscores or dots.
func isCodeStart(r rune) bool { return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' }
func isCodePart(r rune) bool  { return isCodeStart(r) || r >= '0' && r <= '9' || r == '_' || r == '.' }
func isDigit(r rune) bool     { return r >= '0' && r <= '9' }

func lex(src string) ([]token, error) {
	rs := []rune(src)
	var out []token
	for i := 0; i < len(rs); {
		r := rs[i]
		pos := i + 1
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			i++
		case r == '+' || r == '-' || r == '*' || r == '/':
			out = append(out, token{kind: tokOp, text: string(r), pos: pos})
			i++
		case r == '(':
			out = append(out, token{kind: tokLParen, text: "(", pos: pos})
			i++
		case r == ')':
			out = append(out, token{kind: tokRParen, text: ")", pos: pos})
			i++
		case isDigit(r) || (r == '.' && i+1 < len(rs) && isDigit(rs[i+1])):
			j := i
			dot := false
			for j < len(rs) && (isDigit(rs[j]) || (rs[j] == '.' && !dot)) {
				if rs[j] == '.' {
					dot = true
				}
				j++
			}
			if j < len(rs) && rs[j] == '.' {
				return nil, &FormulaError{Pos: j + 1, Msg: "a number has at most one decimal point"}
			}
			if j < len(rs) && isCodePart(rs[j]) {
				return nil, &FormulaError{Pos: j + 1, Msg: "a number cannot run into letters; an indicator code starts with a letter"}
			}
			text := string(rs[i:j])
			v, err := strconv.ParseFloat(text, 64)
			if err != nil || math.IsInf(v, 0) {
				return nil, &FormulaError{Pos: pos, Msg: fmt.Sprintf("%q is not a number", text)}
			}
			out = append(out, token{kind: tokNum, text: text, pos: pos, num: v})
			i = j
		case isCodeStart(r):
			j := i
			for j < len(rs) && isCodePart(rs[j]) {
				j++
			}
			out = append(out, token{kind: tokCode, text: strings.ToUpper(string(rs[i:j])), pos: pos})
			i = j
		default:
			return nil, &FormulaError{Pos: pos, Msg: fmt.Sprintf("%q is not allowed: use indicator codes, numbers, + - * / and parentheses", string(r))}
		}
	}
	return append(out, token{kind: tokEnd, pos: len(rs) + 1}), nil
}

type parser struct {
	toks []token
	i    int
	refs []Ref
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }

// expr := term (("+" | "-") term)*
func (p *parser) expr() (node, error) {
	l, err := p.term()
	if err != nil {
		return nil, err
	}
	for t := p.peek(); t.kind == tokOp && (t.text == "+" || t.text == "-"); t = p.peek() {
		p.next()
		r, err := p.term()
		if err != nil {
			return nil, err
		}
		l = binNode{op: t.text[0], l: l, r: r}
	}
	return l, nil
}

// term := unary (("*" | "/") unary)*
func (p *parser) term() (node, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for t := p.peek(); t.kind == tokOp && (t.text == "*" || t.text == "/"); t = p.peek() {
		p.next()
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		l = binNode{op: t.text[0], l: l, r: r}
	}
	return l, nil
}

// unary := "-" unary | primary
func (p *parser) unary() (node, error) {
	if t := p.peek(); t.kind == tokOp && t.text == "-" {
		p.next()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return negNode{x: x}, nil
	}
	return p.primary()
}

// primary := number | code | "(" expr ")"
func (p *parser) primary() (node, error) {
	t := p.next()
	switch t.kind {
	case tokNum:
		return numNode{v: t.num}, nil
	case tokCode:
		seen := false
		for _, r := range p.refs {
			seen = seen || r.Code == t.text
		}
		if !seen {
			p.refs = append(p.refs, Ref{Code: t.text, Pos: t.pos})
		}
		return refNode{code: t.text}, nil
	case tokLParen:
		x, err := p.expr()
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tokRParen {
			if c.kind == tokEnd {
				return nil, &FormulaError{Pos: t.pos, Msg: "this opening parenthesis is never closed"}
			}
			return nil, &FormulaError{Pos: c.pos, Msg: fmt.Sprintf("expected ) or an operator before %q", c.text)}
		}
		return x, nil
	case tokEnd:
		return nil, &FormulaError{Pos: t.pos, Msg: "the formula ends where a number, an indicator code or ( is expected"}
	}
	return nil, &FormulaError{Pos: t.pos, Msg: fmt.Sprintf("expected a number, an indicator code or ( instead of %q", t.text)}
}

// Result is the value of a formula, or why it has none.
type Result struct {
	Value   float64
	Defined bool
	// Why explains an undefined result: a division by zero or a missing input.
	Why string
}

func defined(v float64) Result { return Result{Value: v, Defined: true} }

// Evaluate computes the formula from the values of its inputs. A division by
// zero or an input without a value makes the result not defined (never NaN
// or an infinity).
func (e *Expr) Evaluate(values map[string]float64) Result { return e.root.eval(values) }

func (n numNode) eval(map[string]float64) Result { return defined(n.v) }

func (n refNode) eval(values map[string]float64) Result {
	v, ok := values[n.code]
	if !ok || math.IsNaN(v) || math.IsInf(v, 0) {
		return Result{Why: "no value for " + n.code}
	}
	return defined(v)
}

func (n negNode) eval(values map[string]float64) Result {
	x := n.x.eval(values)
	if !x.Defined {
		return x
	}
	return defined(-x.Value)
}

func (n binNode) eval(values map[string]float64) Result {
	l := n.l.eval(values)
	if !l.Defined {
		return l
	}
	r := n.r.eval(values)
	if !r.Defined {
		return r
	}
	var v float64
	switch n.op {
	case '+':
		v = l.Value + r.Value
	case '-':
		v = l.Value - r.Value
	case '*':
		v = l.Value * r.Value
	case '/':
		if r.Value == 0 {
			return Result{Why: "division by zero"}
		}
		v = l.Value / r.Value
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Result{Why: "the result is too large to represent"}
	}
	return defined(v)
}

// FindCycle looks for a chain of formulas that leads from code back to
// itself, given each formula indicator's inputs (deps). It returns the chain
// (code, …, code) or nil when there is none.
func FindCycle(code string, deps map[string][]string) []string {
	const (
		unseen = iota
		active
		done
	)
	state := map[string]int{}
	var path []string
	var visit func(c string) []string
	visit = func(c string) []string {
		state[c] = active
		path = append(path, c)
		for _, d := range deps[c] {
			switch state[d] {
			case active:
				if d == code {
					return append(append([]string(nil), path...), d)
				}
			case unseen:
				if found := visit(d); found != nil {
					return found
				}
			}
		}
		path = path[:len(path)-1]
		state[c] = done
		return nil
	}
	return visit(code)
}
