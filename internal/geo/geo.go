package geo

import (
	"strings"
)

// Country is a country (ISO 3166-1) with the facts pages show about it.
type Country struct {
	ISO3        string   `json:"iso3"`
	ISO2        string   `json:"iso2"`
	NumericCode string   `json:"numeric_code"`
	Name        string   `json:"name"`
	Languages   []string `json:"languages"` // official languages, ISO 639-1 codes
	Currency    string   `json:"currency"`  // ISO 4217 code
	CARICOM     bool     `json:"caricom"`
	CARIFORUM   bool     `json:"cariforum"`
	InRegion    bool     `json:"in_region"` // one of the programme countries
	Notes       string   `json:"notes,omitempty"`
}

// Area is a subdivision of a country (ISO 3166-2), such as a parish,
// province or region.
type Area struct {
	ID         int64  `json:"id"`
	Country    string `json:"country"`     // ISO3 of the country
	Code       string `json:"code"`        // ISO 3166-2 code; empty where none exists
	Name       string `json:"name"`        // as in ISO 3166-2
	Type       string `json:"type"`        // parish, province, region, district, state…
	ParentCode string `json:"parent_code"` // the code of the area it lies in, empty at the top level
	Depth      int    `json:"depth"`       // 0 at the top level, 1 for an area inside another
}

// Filter narrows a list of countries.
type Filter struct {
	// InRegionOnly keeps the programme countries only.
	InRegionOnly bool
}

// NormaliseCode upper-cases and trims a country code and reports whether it
// has the shape of an ISO 3166-1 alpha-2 or alpha-3 code.
func NormaliseCode(code string) (string, bool) {
	c := strings.ToUpper(strings.TrimSpace(code))
	if len(c) != 2 && len(c) != 3 {
		return c, false
	}
	for _, r := range c {
		if r < 'A' || r > 'Z' {
			return c, false
		}
	}
	return c, true
}

// splitLanguages reads the stored "fr;ht" list of official languages.
func splitLanguages(s string) []string {
	out := []string{}
	for _, l := range strings.Split(s, ";") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
