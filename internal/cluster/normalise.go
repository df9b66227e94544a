package cluster

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ligatures are letters that decomposition leaves whole but that people
// type as two plain letters.
var ligatures = strings.NewReplacer("æ", "ae", "œ", "oe", "ß", "ss", "ø", "o")

// NormaliseName is the form of a name that searches compare (the name_norm
// columns): lower case, accents stripped ("Café" matches "cafe"),
// apostrophes dropped, other punctuation read as spaces and runs of spaces
// collapsed ("Manufacturers' & Exporters'" → "manufacturers exporters").
// Decomposing first (NFD) splits "é" into "e" and a combining mark, which
// is then dropped.
func NormaliseName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range ligatures.Replace(strings.ToLower(norm.NFD.String(s))) {
		switch {
		case unicode.Is(unicode.Mn, r), r == '\'', r == '’':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}
