package expr

import (
	"math"
	"strings"
	"testing"
	"time"
)

// fixedContext is a context with a few fields, for the table tests.
type fixedContext map[string]NodeSet

func (c fixedContext) Ref(name string) (NodeSet, bool) { n, ok := c[name]; return n, ok }
func (c fixedContext) Self() NodeSet                   { return c["."] }
func (c fixedContext) Parent() NodeSet                 { return c[".."] }
func (c fixedContext) Child(name string) NodeSet       { return c["child:"+name] }
func (c fixedContext) ChoiceName(v, field string) string {
	return field + ":" + strings.ToUpper(v)
}
func (c fixedContext) Now() time.Time {
	return time.Date(2026, 3, 14, 10, 5, 9, 0, time.FixedZone("", -4*3600))
}

func one(s string) NodeSet { return NodeSet{{Value: s, Pos: 1}} }

func TestEval(t *testing.T) {
	ctx := fixedContext{
		".": one("7"), "..": one("x"), "a": one("4"), "b": one(""), "name": one("Ana Maria"),
		"colours": one("red green"), "ages": {{"10", 1}, {"20", 2}, {"30", 3}}, "blank_ages": {{"10", 1}, {"", 2}},
		"none": {}, "child:region": one("north"),
	}
	tests := []struct {
		src  string
		want string // String() of the result; booleans as true/false
	}{
		{"1 + 2 * 3", "7"},
		{"(1 + 2) * 3", "9"},
		{"7 div 2", "3.5"},
		{"7 mod 3", "1"},
		{"-7 mod 3", "-1"},
		{"1 div 0", "Infinity"},
		{"0 div 0", "NaN"},
		{"- - 3", "3"},
		{"0.1 + 0.2", "0.30000000000000004"},
		{". >= 0 and . <= 10", "true"},
		{". > ${a}", "true"},
		{"${a} + ${b}", "NaN"},
		{"${b} = ''", "true"},
		{"${a} = 4", "true"},
		{"${a} = '4'", "true"},
		{"${a} = '4.0'", "false"},
		{"${a} != 4", "false"},
		{"${ages} > 25", "true"},
		{"${ages} = 20", "true"},
		{"${ages} != 20", "true"},
		{"${none} = ''", "false"},
		{"${none} != ''", "false"},
		{"${none} = false()", "true"},
		{"true() = 'x'", "true"},
		{"count(${ages})", "3"},
		{"sum(${ages})", "60"},
		{"sum(${blank_ages})", "NaN"},
		{"sum(${none})", "NaN"},
		{"max(${ages}, 25)", "30"},
		{"min(${ages})", "10"},
		{"max(${blank_ages})", "NaN"},
		{"selected(${colours}, 'green')", "true"},
		{"selected(${colours}, ' red ')", "true"},
		{"selected(${colours}, 'blue')", "false"},
		{"count-selected(${colours})", "2"},
		{"selected-at(${colours}, 1)", "green"},
		{"selected-at(${colours}, 2)", ""},
		{"if(${a} > 3, 'big', 'small')", "big"},
		{"if(${a} > 5, 'big', 1 div 0)", "Infinity"},
		{"coalesce(${b}, 'x')", "x"},
		{"concat(${name}, '-', string-length(${name}))", "Ana Maria-9"},
		{"concat(${ages})", "102030"},
		{"string-length('né')", "2"},
		{"normalize-space('  a   b ')", "a b"},
		{"substr('abcdef', 1, 3)", "bc"},
		{"substr('abcdef', 2)", "cdef"},
		{"substr('abcdef', 0, -1)", "abcde"},
		{"contains(${name}, 'Maria')", "true"},
		{"starts-with(${name}, 'Ana')", "true"},
		{"ends-with(${name}, 'x')", "false"},
		{"regex(${name}, '^[A-Z][a-z]+ ')", "true"},
		{"regex('x', '(')", "false"},
		{"round(2.5)", "3"},
		{"round(-2.5)", "-3"},
		{"round(2.4)", "2"},
		{"'2026-03-10' <= today()", "true"},
		{"'2026-03-15' <= today()", "false"},
		{"'2026-03-14' = today()", "true"},
		{"'2026-03-12' - '2026-03-10'", "2"},
		{"number('1970-01-02')", "1"},
		{"number('1970-01-01T12:00:00.000Z')", "0.5"},
		{"number('1970-01-01T06:00:00.000+06:00')", "0"},
		{"number('1970-01-01T18:00')", "0.75"},
		{"'2026-02-30' < today()", "false"},
		{"'2026-03-14T09:00:00.000-04:00' < now()", "true"},
		{"round(3.14159, 2)", "3.14"},
		{"round(-1.005, 1)", "-1"},
		{"int(-3.7)", "-3"},
		{"floor(-3.2)", "-4"},
		{"ceiling(3.2)", "4"},
		{"abs(-2)", "2"},
		{"pow(2, 10)", "1024"},
		{"number('  12.5 ')", "12.5"},
		{"number('1e3')", "NaN"},
		{"number('-.5')", "-0.5"},
		{"boolean-from-string('1')", "true"},
		{"boolean('')", "false"},
		{"not(0)", "true"},
		{"string(1 = 1)", "true"},
		{"today()", "2026-03-14"},
		{"now()", "2026-03-14T10:05:09.000-04:00"},
		{"position(..)", "1"},
		{"jr:choice-name(${colours}, '${colours}')", "colours:RED GREEN"},
		{"region = 'north'", "true"},
		{"count(${ages} | ${a})", "4"},
		{"${missing} > 1", "NaN"},
	}
	for _, tt := range tests {
		e, err := Parse(tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		v := e.Value(ctx)
		if got := String(v); got != tt.want {
			t.Errorf("%s = %q (%T), want %q", tt.src, got, v, tt.want)
		}
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct{ src, want string }{
		{"", "empty"},
		{"${a} >", "ends too early"},
		{"${a} > 1)", ") is out of place"},
		{"(1 + 2", "not closed"},
		{"${a", "not closed"},
		{"'abc", "not closed"},
		{"/data/a > 1", "paths and predicates are not supported"},
		{"../a", "paths and predicates are not supported"},
		{"instance('x')/root", "instance() is not a supported function"},
		{"format-date(today(), '%Y')", "format-date() is not a supported function"},
		{"if(1, 2)", "if() needs 3 arguments"},
		{"not(1, 2)", "not() takes one argument"},
		{"substr('a')", "substr() needs 2 to 3 arguments"},
		{"${a} # 1", `the character '#' has no meaning here`},
		{"age age", "age is out of place"},
		{"1 = = 2", "the operator = is out of place"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v, want an error with %q", tt.src, err, tt.want)
		}
	}
}

func TestRefsNamesAndCalls(t *testing.T) {
	e, err := Parse("${a} > count(${b}) and region = ${a} or today() > ${c}")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(e.Refs(), ","); got != "a,b,c" {
		t.Errorf("Refs = %s", got)
	}
	if got := strings.Join(e.Names(), ","); got != "region" {
		t.Errorf("Names = %s", got)
	}
	if !e.Calls("now", "today") || e.Calls("uuid") {
		t.Error("Calls")
	}
}

func TestNumberString(t *testing.T) {
	for n, want := range map[float64]string{0: "0", math.Copysign(0, -1): "0", 2000: "2000", 0.5: "0.5", -1.25: "-1.25",
		math.Inf(1): "Infinity", math.Inf(-1): "-Infinity", math.NaN(): "NaN", 1e20: "100000000000000000000"} {
		if got := NumberString(n); got != want {
			t.Errorf("NumberString(%v) = %s, want %s", n, got, want)
		}
	}
	if Stored(math.NaN()) != "" || Stored(true) != "true" || Stored(3.0) != "3" {
		t.Error("Stored")
	}
}

func TestUUID(t *testing.T) {
	e, _ := Parse("uuid()")
	a, b := String(e.Value(fixedContext{})), String(e.Value(fixedContext{}))
	if len(a) != 36 || a == b || a[14] != '4' {
		t.Errorf("uuid() = %s, %s", a, b)
	}
}

// FuzzExpr checks that no expression, however broken, makes the parser or
// the evaluator panic, and that what parses evaluates.
func FuzzExpr(f *testing.F) {
	for _, s := range []string{". >= 0 and . <= ${total}", "if(selected(${a}, 'x'), count(${r}), -1 div 0)", "concat('a', \"b\")",
		"${a} | ${b}", "substr(${x}, 1, -1)", "regex(., '[')", "'2026-02-30' < today()", "round(-2.5, ${d})", "((((", "${", "- - -1"} {
		f.Add(s)
	}
	ctx := fixedContext{"a": one("x y"), "b": one("3"), "r": {{"1", 1}, {"2", 2}}, "total": one("5"), "x": one("abc"), "d": one("1"), ".": one("2")}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			return
		}
		_ = String(e.Value(ctx))
	})
}
