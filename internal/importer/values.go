package importer

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// dateLayout is how dates are written in import files: YYYY-MM-DD.
const dateLayout = "2006-01-02"

// parseBool reads a yes/no cell in the ways people type it in the
// platform's languages; an empty cell is no.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "y", "true", "1", "sí", "si", "oui", "ja", "x":
		return true, true
	case "", "no", "n", "false", "0", "non", "nee":
		return false, true
	}
	return false, false
}

// parseDate reads a date written YYYY-MM-DD. In a workbook a real date
// cell holds a serial day number, which is converted with the workbook's
// date system (1900 or 1904); in CSV a bare number is not a date.
func parseDate(s string, workbook, date1904 bool) (string, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(dateLayout, s); err == nil {
		return t.Format(dateLayout), nil
	}
	// Workbooks may store ISO dates with a midnight time.
	if workbook && len(s) > 10 && s[10] == 'T' {
		if t, err := time.Parse(dateLayout, s[:10]); err == nil {
			return t.Format(dateLayout), nil
		}
	}
	if workbook {
		if serial, err := strconv.ParseFloat(s, 64); err == nil && serial >= 1 && serial < 2958466 && serial == math.Trunc(serial) {
			t, err := excelize.ExcelDateToTime(serial, date1904)
			if err == nil {
				return t.Format(dateLayout), nil
			}
		}
	}
	return "", fmt.Errorf("%q is not a date: write it as YYYY-MM-DD, such as 2024-03-01", s)
}

// parseWholeNumber reads an integer, also as a workbook stores it ("1998"
// or "1998.0").
func parseWholeNumber(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1e15 {
		return 0, false
	}
	return int64(f), true
}

// isicClass normalises an ISIC Rev.4 class code. Classes are four digits
// and those of divisions 01–03 start with a zero, which a spreadsheet drops
// when it takes the code for a number (0111 becomes 111). A three-digit
// code is therefore read as the class with a leading zero when that class
// exists: no class has three digits, so the reading is never ambiguous.
// A dot (01.11, as some national lists write it) is ignored, and a
// number stored as 111.0 is read as 111.
func isicClass(s string, known func(string) bool) (string, bool) {
	s = strings.TrimSpace(s)
	if whole, frac, ok := strings.Cut(s, "."); ok {
		if strings.Trim(frac, "0") == "" {
			s = whole // a number as a workbook stores it: 111.0
		} else {
			s = whole + frac // a dotted code: 01.11
		}
	}
	if n, ok := parseWholeNumber(s); ok && n >= 0 && n < 10000 && len(s) <= 6 {
		s = strconv.FormatInt(n, 10)
		if len(s) < 4 {
			s = strings.Repeat("0", 4-len(s)) + s
		}
		// Only one leading zero can have been lost: 0111 → 111; 11 is not
		// read as 0011.
		if strings.HasPrefix(s, "00") {
			return "", false
		}
	}
	if len(s) != 4 || !known(s) {
		return "", false
	}
	return s, true
}

// formulaLike matches text that a spreadsheet would run as a formula when
// the data is later exported and opened: a leading "=", or "+", "-", "@"
// followed by a function call such as +HYPERLINK( or @SUM(. A phone number
// such as +1 868 555 0100 or a name such as "-Tech" is not matched.
var formulaLike = regexp.MustCompile(`^\s*(=|[+\-@]\s*[A-Za-z_][A-Za-z0-9_.]*\s*\()`)

// looksLikeFormula reports whether a text value would act as a formula.
func looksLikeFormula(s string) bool { return formulaLike.MatchString(s) }
