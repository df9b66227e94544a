package expr

import (
	"crypto/rand"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// function is one function a form may call: its number of arguments (max
// -1 for any) and, unless call handles it, what it computes from its
// evaluated arguments.
type function struct {
	min, max int
	fn       func(args []Value) Value
}

func fixed(n int, fn func(args []Value) Value) function { return function{n, n, fn} }

// functions are the XPath and ODK functions of the respondent page's
// evaluator, with the same results.
var functions = map[string]function{
	"true":    fixed(0, func([]Value) Value { return true }),
	"false":   fixed(0, func([]Value) Value { return false }),
	"not":     fixed(1, func(a []Value) Value { return !Bool(a[0]) }),
	"boolean": fixed(1, func(a []Value) Value { return Bool(a[0]) }),
	"number":  fixed(1, func(a []Value) Value { return Number(a[0]) }),
	"string":  fixed(1, func(a []Value) Value { return String(a[0]) }),
	"int": fixed(1, func(a []Value) Value {
		n := Number(a[0])
		if math.IsNaN(n) || math.IsInf(n, 0) {
			return n
		}
		return math.Trunc(n)
	}),
	"round": {1, 2, func(a []Value) Value {
		n := Number(a[0])
		if math.IsNaN(n) || math.IsInf(n, 0) {
			return n
		}
		// Half away from zero, as ODK rounds: round(-2.5) is -3.
		digits := 0.0
		if len(a) == 2 {
			digits = Number(a[1])
		}
		if math.IsNaN(digits) {
			return math.NaN()
		}
		f := math.Pow(10, digits)
		r := math.Floor(math.Abs(n)*f+0.5) / f
		if n < 0 {
			return -r
		}
		return r
	}},
	"floor":   fixed(1, func(a []Value) Value { return math.Floor(Number(a[0])) }),
	"ceiling": fixed(1, func(a []Value) Value { return math.Ceil(Number(a[0])) }),
	"abs":     fixed(1, func(a []Value) Value { return math.Abs(Number(a[0])) }),
	"pow":     fixed(2, func(a []Value) Value { return math.Pow(Number(a[0]), Number(a[1])) }),
	"concat": {1, -1, func(a []Value) Value {
		var b strings.Builder
		for _, x := range a {
			if ns, ok := x.(NodeSet); ok {
				for _, n := range ns {
					b.WriteString(n.Value)
				}
				continue
			}
			b.WriteString(String(x))
		}
		return b.String()
	}},
	"string-length":   fixed(1, func(a []Value) Value { return float64(utf8.RuneCountInString(String(a[0]))) }),
	"normalize-space": fixed(1, func(a []Value) Value { return strings.Join(strings.Fields(String(a[0])), " ") }),
	"substr":          {2, 3, substr},
	"contains":        fixed(2, func(a []Value) Value { return strings.Contains(String(a[0]), String(a[1])) }),
	"starts-with":     fixed(2, func(a []Value) Value { return strings.HasPrefix(String(a[0]), String(a[1])) }),
	"ends-with":       fixed(2, func(a []Value) Value { return strings.HasSuffix(String(a[0]), String(a[1])) }),
	"regex": fixed(2, func(a []Value) Value {
		re := compileRegex(String(a[1]))
		return re != nil && re.MatchString(String(a[0]))
	}),
	"selected": fixed(2, func(a []Value) Value {
		return slices.Contains(strings.Fields(String(a[0])), strings.TrimSpace(String(a[1])))
	}),
	"count-selected": fixed(1, func(a []Value) Value { return float64(len(strings.Fields(String(a[0])))) }),
	"selected-at": fixed(2, func(a []Value) Value {
		list := strings.Fields(String(a[0]))
		i := Number(a[1])
		if i != math.Trunc(i) || i < 0 || i >= float64(len(list)) {
			return ""
		}
		return list[int(i)]
	}),
	"coalesce": fixed(2, func(a []Value) Value {
		if s := String(a[0]); s != "" {
			return s
		}
		return String(a[1])
	}),
	"boolean-from-string": fixed(1, func(a []Value) Value { s := String(a[0]); return s == "true" || s == "1" }),
	"count": fixed(1, func(a []Value) Value {
		if ns, ok := a[0].(NodeSet); ok {
			return float64(len(ns))
		}
		return math.NaN()
	}),
	// ODK Web Forms gives no value (NaN) for the sum of no nodes.
	"sum": fixed(1, func(a []Value) Value {
		ns, ok := a[0].(NodeSet)
		if !ok || len(ns) == 0 {
			return math.NaN()
		}
		t := 0.0
		for _, n := range ns {
			t += StringNumber(n.Value)
		}
		return t
	}),
	"max":  {1, -1, func(a []Value) Value { return extreme(a, math.Max) }},
	"min":  {1, -1, func(a []Value) Value { return extreme(a, math.Min) }},
	"uuid": fixed(0, func([]Value) Value { return newUUID() }),
	// Evaluated by call, which needs the context or unevaluated arguments.
	"position":       {0, 1, nil},
	"jr:choice-name": fixed(2, nil),
	"if":             fixed(3, nil),
	"today":          fixed(0, nil),
	"now":            fixed(0, nil),
}

// FunctionNames lists the supported functions, sorted.
func FunctionNames() []string {
	out := make([]string, 0, len(functions))
	for k := range functions {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func arity(f function) string {
	switch {
	case f.max < 0:
		return fmt.Sprintf("at least %d arguments", f.min)
	case f.min == f.max && f.min == 1:
		return "one argument"
	case f.min == f.max:
		return fmt.Sprintf("%d arguments", f.min)
	}
	return fmt.Sprintf("%d to %d arguments", f.min, f.max)
}

// substr(s, start, end) takes the characters from start (0-based) up to
// end, as the respondent page's slice does: a negative end counts from
// the end of the text.
func substr(a []Value) Value {
	chars := []rune(String(a[0]))
	b := math.Max(0, Number(a[1]))
	e := float64(len(chars))
	if len(a) > 2 {
		e = math.Min(e, Number(a[2]))
	}
	if math.IsNaN(b) || math.IsNaN(e) {
		return ""
	}
	index := func(x float64) int {
		x = math.Trunc(x)
		if x < 0 {
			x = math.Max(0, float64(len(chars))+x)
		}
		return int(math.Min(x, float64(len(chars))))
	}
	bi, ei := index(b), index(e)
	if bi >= ei {
		return ""
	}
	return string(chars[bi:ei])
}

// extreme is max() or min() over numbers and node-sets: NaN when there is
// nothing to compare or any value is not a number.
func extreme(a []Value, pick func(x, y float64) float64) Value {
	var ns []float64
	for _, x := range a {
		if set, ok := x.(NodeSet); ok {
			for _, n := range set {
				ns = append(ns, StringNumber(n.Value))
			}
			continue
		}
		ns = append(ns, Number(x))
	}
	if len(ns) == 0 {
		return math.NaN()
	}
	out := ns[0]
	for _, n := range ns {
		if math.IsNaN(n) {
			return math.NaN()
		}
		out = pick(out, n)
	}
	return out
}

// regexes remembers compiled regex() patterns; a pattern may come from an
// answer, so the memory is bounded.
var regexes struct {
	sync.Mutex
	m map[string]*regexp.Regexp // nil when the pattern does not compile
}

// compileRegex compiles a regex() pattern once; nil when it does not
// compile (the function is then false, as on the respondent page).
func compileRegex(p string) *regexp.Regexp {
	regexes.Lock()
	defer regexes.Unlock()
	if re, ok := regexes.m[p]; ok {
		return re
	}
	if regexes.m == nil || len(regexes.m) >= 512 {
		regexes.m = map[string]*regexp.Regexp{}
	}
	re, err := regexp.Compile(p)
	if err != nil {
		re = nil
	}
	regexes.m[p] = re
	return re
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
