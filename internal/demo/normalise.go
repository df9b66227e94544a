package demo

import (
	"strings"
	"unicode"

	orgdomain "github.com/clusterobservatory/observatory/internal/org"
)

// foldAccents maps the accented letters that occur in the region's names
// (Spanish, French, Haitian Creole, Dutch) to their plain letters.
var foldAccents = strings.NewReplacer(
	"à", "a", "á", "a", "â", "a", "ã", "a", "ä", "a", "å", "a", "æ", "ae",
	"ç", "c", "è", "e", "é", "e", "ê", "e", "ë", "e",
	"ì", "i", "í", "i", "î", "i", "ï", "i", "ñ", "n",
	"ò", "o", "ó", "o", "ô", "o", "õ", "o", "ö", "o", "ø", "o", "œ", "oe",
	"ù", "u", "ú", "u", "û", "u", "ü", "u", "ý", "y", "ÿ", "y", "ß", "ss",
)

// normalise is the form of a name used to find near-duplicates: lower case,
// accents stripped, apostrophes dropped, other punctuation turned into
// spaces and runs of white space collapsed ("Manufacturers' & Exporters'
// Association" → "manufacturers exporters association").
func normalise(name string) string {
	s := foldAccents.Replace(strings.ToLower(name))
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == '\'' || r == '’':
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

// slug turns a name into the letters and hyphens of a web address.
func slug(name string) string {
	return strings.ReplaceAll(normalise(name), " ", "-")
}

// orgKey is the form in which the registry compares organisation names
// (legal suffixes dropped), so the demo never holds two organisations that
// the registry's own duplicate check would take for one.
func orgKey(name string) string { return orgdomain.NormaliseName(name) }
