package form

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Ref is one ${name} reference in an expression or a label. Start is the
// byte offset of "${" and End the offset just after "}".
type Ref struct {
	Name       string
	Start, End int
}

// RefError says where an expression's references do not read.
type RefError struct {
	Pos int // 1-based character position
	Msg string
}

func (e *RefError) Error() string { return fmt.Sprintf("at character %d: %s", e.Pos, e.Msg) }

// ParseRefs finds the ${name} references in s, in order. A "${" that is not
// closed, or that encloses something other than a field name, is an error.
func ParseRefs(s string) ([]Ref, error) {
	var out []Ref
	i := 0
	for {
		j := strings.Index(s[i:], "${")
		if j < 0 {
			return out, nil
		}
		start := i + j
		end := strings.IndexByte(s[start+2:], '}')
		if end < 0 {
			return nil, &RefError{Pos: charPos(s, start), Msg: "a reference ${ is not closed with }"}
		}
		name := s[start+2 : start+2+end]
		if !ValidName(name) {
			shown := name
			if utf8.RuneCountInString(shown) > 40 {
				shown = string([]rune(shown)[:40]) + "…"
			}
			return nil, &RefError{Pos: charPos(s, start), Msg: fmt.Sprintf("${%s} does not name a field", shown)}
		}
		out = append(out, Ref{Name: name, Start: start, End: start + 2 + end + 1})
		i = start + 2 + end + 1
	}
}

// RewriteRefs replaces every ${name} in s by what replace returns for it.
func RewriteRefs(s string, replace func(name string) string) (string, error) {
	refs, err := ParseRefs(s)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	last := 0
	for _, r := range refs {
		b.WriteString(s[last:r.Start])
		b.WriteString(replace(r.Name))
		last = r.End
	}
	b.WriteString(s[last:])
	return b.String(), nil
}

func charPos(s string, byteOff int) int { return utf8.RuneCountInString(s[:byteOff]) + 1 }

// maxName bounds a field, list or form name, in characters.
const maxName = 64

// ValidName reports whether s may name a field, a choice list or a form: it
// must be usable as an XML element name everywhere, so it starts with an
// ASCII letter or an underscore, holds only ASCII letters, digits,
// underscores, hyphens and dots, and does not start with "xml".
func ValidName(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > maxName || !utf8.ValidString(s) {
		return false
	}
	if len(s) >= 3 && strings.EqualFold(s[:3], "xml") {
		return false
	}
	for i, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_':
		case i > 0 && (r >= '0' && r <= '9' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return true
}
