package importer

import (
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// OrgRow is one organisation row read from a file, converted and checked.
type OrgRow struct {
	Row            int    `json:"row"`
	Name           string `json:"name"`
	Kind           string `json:"kind"`
	Country        string `json:"country"`
	AreaID         *int64 `json:"area_id,omitempty"`
	AreaName       string `json:"area,omitempty"`
	ISIC           string `json:"isic,omitempty"`
	SizeBand       string `json:"size_band,omitempty"`
	WomenLed       bool   `json:"women_led"`
	YouthLed       bool   `json:"youth_led"`
	FoundedYear    *int   `json:"founded_year,omitempty"`
	Website        string `json:"website,omitempty"`
	Email          string `json:"email,omitempty"`
	Phone          string `json:"phone,omitempty"`
	ContactName    string `json:"contact_name,omitempty"`
	Description    string `json:"description,omitempty"`
	AllowDuplicate bool   `json:"allow_duplicate,omitempty"`
	norm           string
}

// The longest values the text columns take.
const (
	maxNameLen        = 200
	maxShortText      = 200
	maxDescriptionLen = 5000
)

// enumValue reads an enumerated cell: case and surrounding spaces ignored,
// spaces and hyphens read as underscores ("Cluster org" is cluster_org).
func enumValue(s string, allowed []string) (string, bool) {
	v := normaliseHeader(s)
	return v, slices.Contains(allowed, v)
}

// readOrgRow converts one organisation row, recording its problems.
func readOrgRow(rec *record, rf *refs, rep *Report, thisYear int) OrgRow {
	o := OrgRow{Row: rec.row}
	bad := func(field, format string, args ...any) {
		if !rep.has(rec.row, field) {
			rep.add(rec.row, field, fmt.Sprintf(format, args...))
		}
	}
	o.Name = strings.Join(strings.Fields(rec.get(colName)), " ")
	switch n := utf8.RuneCountInString(o.Name); {
	case n == 0:
		bad(colName, "the name is missing")
	case n > maxNameLen:
		bad(colName, "the name has %d characters; the most is %d", n, maxNameLen)
	}
	o.norm = normaliseName(o.Name)

	kinds := orgKindValues()
	if v := rec.get(colKind); v == "" {
		bad(colKind, "the kind is missing: use one of %s", strings.Join(kinds, ", "))
	} else if k, ok := enumValue(v, kinds); !ok {
		bad(colKind, "%q is not a kind: use one of %s", v, strings.Join(kinds, ", "))
	} else {
		o.Kind = k
	}

	if v := rec.get(colCountry); v == "" {
		bad(colCountry, "the country is missing: use its ISO code (JAM or JM) or English name")
	} else if iso3, ok := rf.findCountry(v); !ok {
		bad(colCountry, "%q is not one of the platform's countries: use its ISO code (JAM or JM) or English name", v)
	} else {
		o.Country = iso3
	}
	if v := rec.get(colArea); v != "" && o.Country != "" {
		if id, ok := rf.findArea(o.Country, v); ok {
			o.AreaID, o.AreaName = &id, v
		} else {
			bad(colArea, "%q is not an area of %s: use its ISO 3166-2 code or name", v, rf.countryName[o.Country])
		}
	}
	if v := rec.get(colISIC); v != "" {
		if code, ok := isicClass(v, func(c string) bool { return rf.isic[c] }); ok {
			o.ISIC = code
		} else {
			bad(colISIC, "%q is not an ISIC Rev.4 class: use the 4-digit code, such as 0111 or 5510", v)
		}
	}
	if v := rec.get(colSizeBand); v != "" {
		if b, ok := enumValue(v, sizeBandValues()); ok {
			o.SizeBand = b
		} else {
			bad(colSizeBand, "%q is not a size band: use %s or leave it empty", v, strings.Join(sizeBandValues(), ", "))
		}
	}
	for _, c := range []struct {
		col string
		dst *bool
	}{{colWomenLed, &o.WomenLed}, {colYouthLed, &o.YouthLed}, {colAllowDuplicate, &o.AllowDuplicate}} {
		v, ok := parseBool(rec.get(c.col))
		if !ok {
			bad(c.col, "%q is not yes or no", rec.get(c.col))
		}
		*c.dst = v
	}
	if v := rec.get(colFounded); v != "" {
		y, ok := parseWholeNumber(v)
		switch {
		case !ok:
			bad(colFounded, "%q is not a year: write four digits, such as 1998", v)
		case y < 1800 || y > int64(thisYear):
			bad(colFounded, "%d is not a plausible founding year: use a year from 1800 to %d", y, thisYear)
		default:
			year := int(y)
			o.FoundedYear = &year
		}
	}
	if v := rec.get(colWebsite); v != "" {
		if u, ok := websiteURL(v); ok {
			o.Website = u
		} else {
			bad(colWebsite, "%q is not a web address: write it as https://example.org", v)
		}
	}
	if v := rec.get(colEmail); v != "" {
		if a, err := mail.ParseAddress(v); err != nil || a.Address != v || !strings.Contains(v[strings.LastIndex(v, "@"):], ".") {
			bad(colEmail, "%q is not an email address", v)
		} else {
			o.Email = strings.ToLower(v)
		}
	}
	o.Phone = rec.get(colPhone)
	if n := utf8.RuneCountInString(o.Phone); n > 40 || (n > 0 && !strings.ContainsAny(o.Phone, "0123456789")) {
		bad(colPhone, "%q is not a telephone number", o.Phone)
	}
	o.ContactName = rec.get(colContact)
	if n := utf8.RuneCountInString(o.ContactName); n > maxShortText {
		bad(colContact, "the contact name has %d characters; the most is %d", n, maxShortText)
	}
	o.Description = rec.get(colDescription)
	if n := utf8.RuneCountInString(o.Description); n > maxDescriptionLen {
		bad(colDescription, "the description has %d characters; the most is %d", n, maxDescriptionLen)
	}
	return o
}

// websiteURL accepts an http or https address; one written without a
// scheme ("www.example.org"), as spreadsheets usually hold them, is read
// as https.
func websiteURL(s string) (string, bool) {
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.Contains(u.Host, ".") ||
		strings.ContainsAny(u.Host, " _") || len(s) > 500 {
		return "", false
	}
	return u.String(), true
}

// currentYear is the year founding years are checked against.
func currentYear() int { return time.Now().UTC().Year() }
