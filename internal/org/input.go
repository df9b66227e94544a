package org

import (
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// Input is what creating or editing an organisation takes. Field names are
// those of the JSON API and of the form. Nil pointers mean "none": no area,
// founding year unknown.
type Input struct {
	Kind        Kind     `json:"kind"`
	Name        string   `json:"name"`
	Country     string   `json:"country"`
	AreaID      *int64   `json:"area_id"`
	ISIC        string   `json:"isic"`
	SizeBand    SizeBand `json:"size_band"`
	WomenLed    bool     `json:"women_led"`
	YouthLed    bool     `json:"youth_led"`
	FoundedYear *int     `json:"founded_year"`
	Website     string   `json:"website"`
	Email       string   `json:"email"`
	Phone       string   `json:"phone"`
	ContactName string   `json:"contact_name"`
	Description string   `json:"description"`
	// AllowDuplicate confirms that an organisation with the same normalised
	// name in the same country is a different one.
	AllowDuplicate bool `json:"allow_duplicate"`
}

// InputOf returns the input that would store o unchanged, the starting point
// of an edit form or a partial API update.
func InputOf(o *Organisation) Input {
	return Input{
		Kind: o.Kind, Name: o.Name, Country: o.Country, AreaID: o.AreaID, ISIC: o.ISIC, SizeBand: o.SizeBand,
		WomenLed: o.WomenLed, YouthLed: o.YouthLed, FoundedYear: o.FoundedYear, Website: o.Website,
		Email: o.Email, Phone: o.Phone, ContactName: o.ContactName, Description: o.Description,
	}
}

// Field limits, in characters; MinFoundedYear is the earliest founding year
// accepted (the oldest institutions of the region date from the 1800s).
const (
	maxName        = 200
	maxShort       = 200
	maxEmail       = 254
	maxPhone       = 40
	maxWebsite     = 500
	maxDescription = 5000
	MinFoundedYear = 1800
)

var (
	isoCode   = regexp.MustCompile(`^[A-Z]{3}$`)
	isicClass = regexp.MustCompile(`^[0-9]{4}$`)
	phoneText = regexp.MustCompile(`^\+?[0-9 ().\-/]+((ext\.?|x) ?[0-9]{1,6})?$`)
)

// Validate tidies the input (trims text, upper-cases the country, adds
// https:// to a bare web address) and checks everything that needs no
// database; thisYear bounds the founding year. The store adds the checks
// against stored records (country, area and industry exist).
func (in *Input) Validate(thisYear int) error { return in.check(thisYear).Err() }

func (in *Input) check(thisYear int) problem.Fields {
	var f problem.Fields
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	in.ISIC = strings.TrimSpace(in.ISIC)
	in.SizeBand = SizeBand(strings.TrimSpace(string(in.SizeBand)))
	in.Email = strings.TrimSpace(in.Email)
	in.Phone = strings.Join(strings.Fields(in.Phone), " ")
	in.ContactName = strings.Join(strings.Fields(in.ContactName), " ")
	in.Description = strings.TrimSpace(in.Description)

	if !in.Kind.Valid() {
		f.Add("kind", "Choose a kind: %s.", valuesText(Kinds))
	}
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		f.Add("name", "Enter the name of the organisation.")
	case n > maxName:
		f.Add("name", "Use at most %d characters (this name has %d).", maxName, n)
	}
	switch {
	case in.Country == "":
		f.Add("country", "Choose the country.")
	case !isoCode.MatchString(in.Country):
		f.Add("country", "%q is not an ISO 3166-1 alpha-3 country code (such as JAM).", in.Country)
	}
	if in.AreaID != nil && *in.AreaID <= 0 {
		in.AreaID = nil
	}
	if in.ISIC != "" && !isicClass.MatchString(in.ISIC) {
		f.Add("isic", "%q is not an ISIC Rev.4 class: use a 4-digit code such as 1073.", in.ISIC)
	}
	if !in.SizeBand.Valid() {
		f.Add("size_band", "Choose a size band: %s, or leave it empty when the size is not known.", valuesText(SizeBands))
	}
	if y := in.FoundedYear; y != nil && (*y < MinFoundedYear || *y > thisYear) {
		f.Add("founded_year", "Enter a year from %d to %d.", MinFoundedYear, thisYear)
	}
	if msg := in.tidyWebsite(); msg != "" {
		f.Add("website", "%s", msg)
	}
	if msg := checkEmail(in.Email); msg != "" {
		f.Add("email", "%s", msg)
	}
	if in.Phone != "" {
		switch {
		case utf8.RuneCountInString(in.Phone) > maxPhone:
			f.Add("phone", "Use at most %d characters.", maxPhone)
		case !phoneText.MatchString(in.Phone) || countDigits(in.Phone) < 7:
			f.Add("phone", "Enter a telephone number of at least 7 digits, such as +1 876 555 0100.")
		}
	}
	if n := utf8.RuneCountInString(in.ContactName); n > maxShort {
		f.Add("contact_name", "Use at most %d characters (this has %d).", maxShort, n)
	}
	if n := utf8.RuneCountInString(in.Description); n > maxDescription {
		f.Add("description", "Use at most %d characters (this has %d).", maxDescription, n)
	}
	return f
}

// tidyWebsite trims the web address, adds https:// when the scheme is
// missing, and returns what is wrong with it ("" when nothing is).
func (in *Input) tidyWebsite() string {
	w := strings.TrimSpace(in.Website)
	in.Website = w
	if w == "" {
		return ""
	}
	if !strings.Contains(w, "://") {
		w = "https://" + w
	}
	u, err := url.Parse(w)
	switch {
	case len(w) > maxWebsite:
		return "Use a web address of at most 500 characters."
	case err != nil || (u.Scheme != "http" && u.Scheme != "https"):
		return "Enter a web address starting with http:// or https://."
	case u.Hostname() == "" || !strings.Contains(u.Hostname(), ".") || strings.ContainsAny(w, " \t\n"):
		return "Enter a web address such as https://www.example.org."
	}
	in.Website = w
	return ""
}

// checkEmail returns what is wrong with an email address ("" when nothing
// is): a bare address is wanted, without a display name.
func checkEmail(e string) string {
	if e == "" {
		return ""
	}
	if len(e) > maxEmail {
		return "Use an email address of at most 254 characters."
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || !strings.Contains(e[strings.LastIndex(e, "@")+1:], ".") {
		return "Enter an email address such as info@example.org."
	}
	return ""
}

func countDigits(s string) int {
	n := 0
	for _, r := range s {
		if r >= '0' && r <= '9' {
			n++
		}
	}
	return n
}
