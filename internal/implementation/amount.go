package implementation

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/clusterobservatory/observatory/internal/programme"
)

// Reading an amount typed by a person: digits in the programme's currency,
// with an optional code or sign of that currency. Pure logic.

// dollars are the currencies of the region written with a plain "$".
var dollars = []string{"USD", "XCD", "JMD", "TTD", "BBD", "BSD", "BZD", "GYD", "SRD", "KYD", "CAD", "AUD", "NZD", "HKD", "SGD"}

// signs maps a currency sign to the currencies it may stand for.
var signs = map[string][]string{
	"$": dollars, "US$": {"USD"}, "EC$": {"XCD"}, "J$": {"JMD"}, "JA$": {"JMD"}, "TT$": {"TTD"}, "BDS$": {"BBD"}, "BDS": {"BBD"},
	"B$": {"BSD"}, "BZ$": {"BZD"}, "G$": {"GYD"}, "CI$": {"KYD"}, "CA$": {"CAD"}, "C$": {"CAD"},
	"€": {"EUR"}, "£": {"GBP"}, "¥": {"JPY", "CNY"}, "₹": {"INR"}, "R$": {"BRL"}, "RD$": {"DOP"}, "₲": {"PYG"},
	"ƒ": {"AWG", "ANG"}, "AFL": {"AWG"}, "NAF": {"ANG"}, "G": {"HTG"}, "₡": {"CRC"}, "Q": {"GTQ"}, "₱": {"PHP"}, "CHF": {"CHF"},
}

// numeric reports whether r belongs to the number rather than to a
// currency mark.
func numeric(r rune) bool {
	return unicode.IsDigit(r) || strings.ContainsRune(",. \u00a0_-+()", r)
}

// ParseMoney reads an amount a person typed for a programme in currency
// cur as minor units. It must be more than zero; the currency may be
// written with its code or sign, never another's. The error is a message
// for the person.
func ParseMoney(s, cur string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("Enter the amount in %s.", cur)
	}
	var mark, num strings.Builder
	for _, r := range s {
		if numeric(r) {
			num.WriteRune(r)
			mark.WriteRune(' ')
		} else {
			mark.WriteRune(r)
		}
	}
	for _, m := range strings.Fields(mark.String()) {
		if err := checkMark(m, cur); err != nil {
			return 0, err
		}
	}
	n := strings.TrimSpace(num.String())
	if strings.ContainsAny(n, "-(") {
		return 0, fmt.Errorf("The amount must be more than zero: %q is negative. Record a refund as its own entry only once it is settled, never as a negative amount.", s)
	}
	n = strings.TrimPrefix(n, "+")
	minor, err := programme.ParseAmount(n, cur)
	if err != nil || n == "" {
		return 0, fmt.Errorf("%q is not an amount in %s: write digits, with a point before at most %d decimals, such as %s.",
			s, cur, programme.MinorDigits(cur), programme.FormatAmount(125050*pow10(programme.MinorDigits(cur))/100, cur))
	}
	if minor == 0 {
		return 0, fmt.Errorf("The amount must be more than zero.")
	}
	return minor, nil
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// checkMark accepts a currency code or sign of cur and refuses any other.
func checkMark(m, cur string) error {
	up := strings.ToUpper(m)
	if up == cur {
		return nil
	}
	if list, ok := signs[up]; ok {
		if slices.Contains(list, cur) {
			return nil
		}
		return fmt.Errorf("“%s” is the sign of %s, not of %s: record amounts in %s, the programme's currency, converted on the day they were spent.",
			m, strings.Join(list, " or "), cur, cur)
	}
	if len(up) == 3 && programme.ValidCurrency(up) {
		return fmt.Errorf("The amount is in %s: record amounts in %s, the programme's currency, converted on the day they were spent.", up, cur)
	}
	return fmt.Errorf("%q is not part of an amount: write digits in %s, such as 1,250.50.", m, cur)
}
