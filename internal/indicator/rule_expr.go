package indicator

import (
	"fmt"
	"strings"
)

// A validation rule compares two expressions. Each is a formula (formula.go)
// whose indicator codes may name one disaggregation category in brackets:
// JOBS_CREATED[women] or JOBS_CREATED[sex:women]; a code without brackets is
// the total. This file is pure logic: it reuses the formula parser by
// reading the brackets first and handing it tokens whose code carries the
// category ("JOBS_CREATED[women]").

// RuleExpr is a parsed side of a validation rule.
type RuleExpr struct {
	*Expr
	// Items are the indicator and category pairs the side uses, in order of
	// first use.
	Items []RuleItem
}

// RuleItem is one use of an indicator's total or category in a rule.
type RuleItem struct {
	// Key is how the expression names it: the code, with "[category]"
	// when it is a category.
	Key  string
	Code string
	// Category is written as in the rule ("women" or "sex:women"); empty
	// for the total. Resolving it needs the indicator's dimensions.
	Category string
	Pos      int
}

// ParseRuleExpr reads one side of a validation rule. Codes are upper-cased
// and categories lower-cased.
func ParseRuleExpr(src string) (*RuleExpr, error) {
	if strings.TrimSpace(src) == "" {
		return nil, &FormulaError{Pos: 1, Msg: "the expression is empty"}
	}
	rs := []rune(src)
	if len(rs) > MaxFormula {
		return nil, &FormulaError{Pos: MaxFormula + 1, Msg: fmt.Sprintf("the expression is too long (at most %d characters)", MaxFormula)}
	}
	// Blank out each [category] so that the formula lexer sees only the code
	// before it; positions stay those of the source.
	blank := append([]rune(nil), rs...)
	cats := map[int]string{} // index of "[" → category
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case ']':
			return nil, &FormulaError{Pos: i + 1, Msg: "this ] has no ["}
		case '[':
			j := i + 1
			for j < len(rs) && rs[j] != ']' && rs[j] != '[' {
				j++
			}
			if j == len(rs) || rs[j] != ']' {
				return nil, &FormulaError{Pos: i + 1, Msg: "this [ is never closed"}
			}
			if i == 0 || !isCodePart(rs[i-1]) {
				return nil, &FormulaError{Pos: i + 1, Msg: "a category in [ ] comes right after an indicator code, as in JOBS_CREATED[women]"}
			}
			cat := strings.ToLower(strings.TrimSpace(string(rs[i+1 : j])))
			if cat == "" || strings.Trim(cat, "abcdefghijklmnopqrstuvwxyz0123456789_:") != "" {
				return nil, &FormulaError{Pos: i + 2, Msg: fmt.Sprintf("%q is not a category: write a category code such as women or sex:women", cat)}
			}
			cats[i] = cat
			for k := i; k <= j; k++ {
				blank[k] = ' '
			}
			i = j
		}
	}
	toks, err := lex(string(blank))
	if err != nil {
		return nil, err
	}
	used := map[int]bool{}
	for n, t := range toks {
		if t.kind != tokCode {
			continue
		}
		end := t.pos - 1 + len([]rune(t.text))
		if cat, ok := cats[end]; ok {
			used[end] = true
			if cat != "total" {
				toks[n].text = t.text + "[" + cat + "]"
			}
		}
	}
	for at := range cats {
		if !used[at] {
			return nil, &FormulaError{Pos: at + 1, Msg: "a category in [ ] comes right after an indicator code, as in JOBS_CREATED[women]"}
		}
	}
	p := &parser{toks: toks}
	root, err := p.expr()
	if err != nil {
		return nil, ruleWording(err)
	}
	if t := p.peek(); t.kind != tokEnd {
		if t.kind == tokRParen {
			return nil, &FormulaError{Pos: t.pos, Msg: "this closing parenthesis has no opening one"}
		}
		return nil, &FormulaError{Pos: t.pos, Msg: fmt.Sprintf("expected an operator (+ - * /) before %q", t.text)}
	}
	e := &RuleExpr{Expr: &Expr{root: root, refs: p.refs}}
	for _, r := range p.refs {
		code, cat, _ := strings.Cut(r.Code, "[")
		e.Items = append(e.Items, RuleItem{Key: r.Code, Code: code, Category: strings.TrimSuffix(cat, "]"), Pos: r.Pos})
	}
	return e, nil
}

// ruleWording says "expression" where the formula parser says "formula".
func ruleWording(err error) error {
	if fe, ok := err.(*FormulaError); ok {
		return &FormulaError{Pos: fe.Pos, Msg: strings.ReplaceAll(fe.Msg, "the formula", "the expression")}
	}
	return err
}

// ResolveCategory finds the category a rule names among the indicator's
// dimensions: "women" or "sex:women"; "" is the total. ok is false when the
// indicator is not disaggregated that way.
func ResolveCategory(ind *Indicator, name string) (Category, bool) {
	if name == "" || name == "total" {
		return Category{}, true
	}
	dim, code, qualified := strings.Cut(name, ":")
	if !qualified {
		code, dim = dim, ""
	}
	for _, c := range ind.Categories() {
		if !c.IsTotal() && c.Code == code && (dim == "" || dim == c.Dimension) {
			return c, true
		}
	}
	return Category{}, false
}
