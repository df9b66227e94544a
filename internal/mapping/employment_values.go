package mapping

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The values of an employment file's cells, read as people and
// spreadsheets write them.

// capitalise starts a message with a capital letter.
func capitalise(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}

// columnKey normalises a header cell: "Area Name" and "AREA-NAME" are
// area_name.
func columnKey(s string) string {
	s = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(s, "\ufeff")))
	return strings.NewReplacer(" ", "_", "-", "_").Replace(s)
}

// strangeSeparator returns the separator a one-column header seems to use
// when it is none of those understood ("year|area|industry").
func strangeSeparator(h string) string {
	for _, s := range []string{"|", ":", "^", "~", "/", " "} {
		if strings.Count(strings.TrimSpace(h), s) >= requiredColumns-1 {
			return s
		}
	}
	return ""
}

// wholeNumber reads an integer as people and workbooks write it: "2020",
// "2020.0" or "1.5E3".
func wholeNumber(s string) (int64, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// count reads a count (employment, establishments) or says what is wrong
// with it, as the end of a sentence about the column.
func count(s string) (int64, string) {
	n, ok := wholeNumber(s)
	switch {
	case !ok && strings.ContainsAny(s, ", '\u00a0") && strings.Trim(s, "0123456789,. '\u00a0") == "":
		return 0, fmt.Sprintf("%q has a thousands separator; write the number without one, such as 1234.", s)
	case !ok:
		return 0, fmt.Sprintf("%q is not a whole number.", s)
	case n < 0:
		return 0, fmt.Sprintf("%q is negative; counts are zero or more.", s)
	case n > maxCellCount:
		return 0, fmt.Sprintf("%q is larger than %d.", s, maxCellCount)
	}
	return n, ""
}

// amount reads wages in currency units. A semicolon-separated file comes
// from a spreadsheet set to a language that writes a decimal comma, so
// there "1234,56" is 1234.56.
func (p *employmentParser) amount(s string) (float64, string) {
	t := s
	if p.sum.Delimiter == "semicolon" && strings.Count(t, ",") == 1 && !strings.Contains(t, ".") {
		t = strings.Replace(t, ",", ".", 1)
	}
	w, err := strconv.ParseFloat(t, 64)
	switch {
	case err != nil || math.IsNaN(w) || math.IsInf(w, 0):
		return 0, fmt.Sprintf("%q is not a number; write it with a decimal point and no thousands separator, such as 1234.50.", s)
	case w < 0:
		return 0, fmt.Sprintf("%q is negative.", s)
	case w > maxCellWages:
		return 0, fmt.Sprintf("%q is larger than %g.", s, maxCellWages)
	}
	return w, ""
}

// parseSuppressed reads the suppressed flag; an empty cell is not
// suppressed.
func parseSuppressed(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true", "1", "y", "yes", "x":
		return true, true
	case "", "false", "0", "n", "no":
		return false, true
	}
	return false, false
}

// looksLikeFormula reports whether a text would act as a formula when the
// data is exported to a spreadsheet ("=…", or "+", "-", "@" before a
// function call), which is refused to stop formula injection.
func looksLikeFormula(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=':
		return true
	case '+', '-', '@':
		return strings.Contains(s, "(")
	}
	return false
}
