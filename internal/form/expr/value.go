package expr

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// A Value is what an expression gives: a float64, a string, a bool or a
// NodeSet.
type Value any

// Node is one node of a node-set: its string value and its 1-based
// position among its siblings (an occurrence's number in its repeat).
type Node struct {
	Value string
	Pos   int
}

// NodeSet is the nodes a reference, "." or ".." stands for.
type NodeSet []Node

// NumberString writes a number as XPath's string() does: integers without
// a decimal point, NaN and the infinities by name.
func NumberString(n float64) string {
	switch {
	case math.IsNaN(n):
		return "NaN"
	case math.IsInf(n, 1):
		return "Infinity"
	case math.IsInf(n, -1):
		return "-Infinity"
	case n == 0:
		return "0" // and -0
	}
	return strconv.FormatFloat(n, 'f', -1, 64)
}

// String converts a value to a string.
func String(v Value) string {
	switch x := v.(type) {
	case NodeSet:
		if len(x) == 0 {
			return ""
		}
		return x[0].Value
	case float64:
		return NumberString(x)
	case bool:
		if x {
			return "true"
		}
		return "false"
	case string:
		return x
	}
	return ""
}

// numeric is what XPath's number() accepts: an optional minus sign and
// digits with at most one decimal point, with spaces around.
var numeric = regexp.MustCompile(`^[ \t\n\r]*-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[ \t\n\r]*$`)

// dateLike is a date or date-time as ODK reads one in a numeric context.
var dateLike = regexp.MustCompile(`^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:T([0-9]{2})(?::([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?)?(Z|[-+][0-9]{2}:[0-9]{2})?)?$`)

// StringNumber converts a string to a number: a decimal number as written;
// a date or date-time as days since 1970-01-01, with a fraction for the
// time of day, so that dates compare and subtract (". <= today()",
// "${end} - ${start}"), as ODK reads them; anything else NaN. A date
// without an offset is read in UTC (the device reads it in its own time
// zone: the days differ by the same fraction on both sides of a
// comparison).
func StringNumber(s string) float64 {
	t := strings.Trim(s, " \t\n\r")
	if numeric.MatchString(s) {
		n, err := strconv.ParseFloat(t, 64)
		if err != nil {
			return math.NaN()
		}
		return n
	}
	return dateDays(t)
}

func dateDays(s string) float64 {
	m := dateLike.FindStringSubmatch(s)
	if m == nil {
		return math.NaN()
	}
	n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
	nanos := 0
	if m[7] != "" {
		f, _ := strconv.ParseFloat("0."+m[7], 64)
		nanos = int(math.Round(f*1000)) * int(time.Millisecond)
	}
	t := time.Date(n(1), time.Month(n(2)), n(3), n(4), n(5), n(6), nanos, time.UTC)
	if t.Month() != time.Month(n(2)) || t.Day() != n(3) {
		return math.NaN() // 2026-02-30 is no date
	}
	if off := m[8]; off != "" && off != "Z" {
		mins := (int(off[1]-'0')*10+int(off[2]-'0'))*60 + int(off[4]-'0')*10 + int(off[5]-'0')
		if off[0] == '-' {
			mins = -mins
		}
		t = t.Add(-time.Duration(mins) * time.Minute)
	}
	return float64(t.UnixMilli()) / (24 * 60 * 60 * 1000)
}

// Number converts a value to a number.
func Number(v Value) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case bool:
		if x {
			return 1
		}
		return 0
	}
	return StringNumber(String(v))
}

// Bool converts a value to a boolean.
func Bool(v Value) bool {
	switch x := v.(type) {
	case NodeSet:
		return len(x) > 0
	case float64:
		return x != 0 && !math.IsNaN(x)
	case string:
		return x != ""
	case bool:
		return x
	}
	return false
}

// Stored turns a calculation's result into the value an XForm stores: a
// number as string() writes it, but NaN as blank.
func Stored(v Value) string {
	if n, ok := v.(float64); ok && math.IsNaN(n) {
		return ""
	}
	return String(v)
}

func compareAtoms(op string, a, b Value) bool {
	if op == "=" || op == "!=" {
		var eq bool
		_, aBool := a.(bool)
		_, bBool := b.(bool)
		_, aNum := a.(float64)
		_, bNum := b.(float64)
		switch {
		case aBool || bBool:
			eq = Bool(a) == Bool(b)
		case aNum || bNum:
			eq = Number(a) == Number(b)
		default:
			eq = String(a) == String(b)
		}
		return eq == (op == "=")
	}
	x, y := Number(a), Number(b)
	switch op {
	case "<":
		return x < y
	case "<=":
		return x <= y
	case ">":
		return x > y
	}
	return x >= y
}

// compare applies a comparison with XPath's rules for node-sets: true when
// some node's string value satisfies it.
func compare(op string, a, b Value) bool {
	as, aSet := a.(NodeSet)
	bs, bSet := b.(NodeSet)
	switch {
	case aSet && bSet:
		for _, n := range as {
			for _, m := range bs {
				if compareAtoms(op, n.Value, m.Value) {
					return true
				}
			}
		}
		return false
	case aSet:
		if _, ok := b.(bool); ok {
			return compareAtoms(op, Bool(a), b)
		}
		for _, n := range as {
			if compareAtoms(op, n.Value, b) {
				return true
			}
		}
		return false
	case bSet:
		if _, ok := a.(bool); ok {
			return compareAtoms(op, a, Bool(b))
		}
		for _, m := range bs {
			if compareAtoms(op, a, m.Value) {
				return true
			}
		}
		return false
	}
	return compareAtoms(op, a, b)
}
