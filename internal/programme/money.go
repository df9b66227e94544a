package programme

import (
	"fmt"
	"math"
	"strings"

	"golang.org/x/text/currency"
)

// ValidCurrency reports whether code is an ISO 4217 currency code.
func ValidCurrency(code string) bool {
	if len(code) != 3 || strings.ToUpper(code) != code {
		return false
	}
	_, err := currency.ParseISO(code)
	return err == nil
}

// MinorDigits is the number of decimals of a currency's minor unit (2 for
// USD, 0 for JPY); an unknown currency counts as 2.
func MinorDigits(code string) int {
	u, err := currency.ParseISO(code)
	if err != nil {
		return 2
	}
	scale, _ := currency.Standard.Rounding(u)
	return scale
}

// ParseAmount reads an amount in major units ("300000", "300,000.50") as
// minor units of the currency. Commas and spaces group digits; a point
// separates decimals.
func ParseAmount(s, cur string) (int64, error) {
	s = strings.NewReplacer(",", "", " ", "", "\u00a0", "", "_", "").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, fmt.Errorf("empty amount")
	}
	whole, frac, _ := strings.Cut(s, ".")
	digits := MinorDigits(cur)
	if len(frac) > digits || strings.Trim(whole+frac, "0123456789") != "" || whole == "" || len(whole) > 15 {
		return 0, fmt.Errorf("%q is not an amount with at most %d decimals", s, digits)
	}
	var n int64
	for _, c := range whole + frac + strings.Repeat("0", digits-len(frac)) {
		n = n*10 + int64(c-'0')
	}
	return n, nil
}

// FormatAmount writes minor units as major units without grouping, the
// way a form field shows them ("300000", "1250.50").
func FormatAmount(minor int64, cur string) string {
	d := MinorDigits(cur)
	if d == 0 {
		return fmt.Sprint(minor)
	}
	p := int64(math.Pow10(d))
	if minor%p == 0 {
		return fmt.Sprint(minor / p)
	}
	return fmt.Sprintf("%d.%0*d", minor/p, d, minor%p)
}

// Money formats minor units for reading in a language: grouped, with
// decimals only when there are cents, and the currency code after.
func Money(sp Speaker, minor int64, cur string) string {
	d := MinorDigits(cur)
	p := int64(math.Pow10(d))
	if minor%p == 0 {
		return sp.Float(float64(minor/p), 0) + "\u00a0" + cur
	}
	return sp.Float(float64(minor)/float64(p), d) + "\u00a0" + cur
}
