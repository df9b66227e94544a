package org

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ligatures are letters that decomposition leaves whole but that people
// type as two plain letters.
var ligatures = strings.NewReplacer("æ", "ae", "œ", "oe", "ß", "ss", "ø", "o", "ł", "l", "đ", "d")

// legalForms are the legal-form suffixes that say nothing about which
// organisation a name means, as word sequences after punctuation has become
// spaces ("S.A." is "s a"). Longer forms come first so that "s a r l" is not
// taken for "r l" after "s a". They cover the English, Spanish, French and
// Dutch forms used in the region.
var legalForms = sortedForms([]string{
	"ltd", "limited", "inc", "incorporated", "llc", "llp", "co", "company", "corp", "corporation", "plc",
	"sa", "s a", "sas", "s a s", "srl", "s r l", "sarl", "s a r l", "nv", "n v", "bv", "b v",
	"ltda", "eirl", "e i r l", "s de r l", "c por a", "cia", "cie", "gmbh",
})

// connectors join a name to a legal form ("Pérez y Cía", "Smith and Co"),
// and are dropped with it.
var connectors = []string{"and", "y", "et", "en"}

func sortedForms(forms []string) [][]string {
	out := make([][]string, len(forms))
	for i, f := range forms {
		out[i] = strings.Fields(f)
	}
	slices.SortStableFunc(out, func(a, b []string) int { return len(b) - len(a) })
	return out
}

// NormaliseName is the form of an organisation's name that searches and
// duplicate checks compare (the name_norm column): lower case, accents
// stripped ("Café" is "cafe"), apostrophes dropped, other punctuation read
// as spaces, runs of spaces collapsed, and legal-form suffixes dropped from
// the end ("Blue Mountain Coffee Co. Ltd" is "blue mountain coffee"). A name
// made only of a legal form keeps it, so that no name normalises to nothing.
//
// Without the suffix rule this is the same form the cluster domain uses for
// names, so a name_norm written by either compares by prefix.
func NormaliseName(s string) string {
	words := nameWords(s)
	for {
		n := len(words)
		words = dropLegalForm(words)
		if len(words) == n {
			break
		}
		if len(words) > 1 && slices.Contains(connectors, words[len(words)-1]) {
			words = words[:len(words)-1]
		}
	}
	return strings.Join(words, " ")
}

// nameWords splits a name into lower-case, unaccented words of letters and
// digits. Decomposing first (NFD) splits "é" into "e" and a combining mark,
// which is then dropped.
func nameWords(s string) []string {
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
		}
	}
	for _, r := range ligatures.Replace(strings.ToLower(norm.NFD.String(s))) {
		switch {
		case unicode.Is(unicode.Mn, r), r == '\'', r == '’', r == 'ʼ':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return words
}

// dropLegalForm removes one legal-form suffix from the end of words when
// something is left before it.
func dropLegalForm(words []string) []string {
	for _, form := range legalForms {
		if len(words) > len(form) && slices.Equal(words[len(words)-len(form):], form) {
			return words[:len(words)-len(form)]
		}
	}
	return words
}
