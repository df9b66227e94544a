package programme

import (
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// Programme is a funder's programme for cluster initiatives: its currency,
// the countries where applicants may be, and the window it runs in.
type Programme struct {
	ID          int64      `json:"id"`
	Name        string     `json:"name"`
	FunderID    int64      `json:"funder_id"`
	FunderName  string     `json:"funder_name"`
	Currency    string     `json:"currency"` // ISO 4217
	Description string     `json:"description"`
	Countries   []string   `json:"countries"` // ISO3, sorted
	StartsOn    string     `json:"starts_on"` // YYYY-MM-DD, "" when open-ended
	EndsOn      string     `json:"ends_on"`
	CreatedBy   *int64     `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	ArchivedAt  *time.Time `json:"archived_at"`
	CallCount   int        `json:"call_count"`
}

// Archived reports whether the programme has been archived.
func (p *Programme) Archived() bool { return p.ArchivedAt != nil }

// Env is what the rules of the programme's calls know of it.
func (p *Programme) Env() Env { return Env{Currency: p.Currency, ProgrammeCountries: p.Countries} }

// ProgrammeInput is what creating or replacing a programme takes.
type ProgrammeInput struct {
	Name        string   `json:"name"`
	FunderID    int64    `json:"funder_id"`
	Currency    string   `json:"currency"`
	Description string   `json:"description"`
	Countries   []string `json:"countries"`
	StartsOn    string   `json:"starts_on"`
	EndsOn      string   `json:"ends_on"`
}

// ProgrammeInputOf is the input that would store p as it is.
func ProgrammeInputOf(p *Programme) ProgrammeInput {
	return ProgrammeInput{Name: p.Name, FunderID: p.FunderID, Currency: p.Currency, Description: p.Description,
		Countries: append([]string(nil), p.Countries...), StartsOn: p.StartsOn, EndsOn: p.EndsOn}
}

// ProgrammePatch changes only the fields it sets.
type ProgrammePatch struct {
	Name        *string   `json:"name"`
	FunderID    *int64    `json:"funder_id"`
	Currency    *string   `json:"currency"`
	Description *string   `json:"description"`
	Countries   *[]string `json:"countries"`
	StartsOn    *string   `json:"starts_on"`
	EndsOn      *string   `json:"ends_on"`
}

// Apply returns in with the patch's fields set.
func (p ProgrammePatch) Apply(in ProgrammeInput) ProgrammeInput {
	set(&in.Name, p.Name)
	set(&in.FunderID, p.FunderID)
	set(&in.Currency, p.Currency)
	set(&in.Description, p.Description)
	set(&in.Countries, p.Countries)
	set(&in.StartsOn, p.StartsOn)
	set(&in.EndsOn, p.EndsOn)
	return in
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// normalise trims the input and puts codes in upper case.
func (in *ProgrammeInput) normalise() {
	in.Name = strings.TrimSpace(in.Name)
	in.Currency = strings.ToUpper(strings.TrimSpace(in.Currency))
	in.Description = strings.TrimSpace(in.Description)
	in.StartsOn = strings.TrimSpace(in.StartsOn)
	in.EndsOn = strings.TrimSpace(in.EndsOn)
	var cs []string
	seen := map[string]bool{}
	for _, c := range in.Countries {
		c = strings.ToUpper(strings.TrimSpace(c))
		if c != "" && !seen[c] {
			seen[c] = true
			cs = append(cs, c)
		}
	}
	in.Countries = cs
}

// check validates the fields that need no database.
func (in *ProgrammeInput) check() problem.Fields {
	in.normalise()
	var f problem.Fields
	if in.Name == "" {
		f.Add("name", "Enter the programme's name.")
	} else if len([]rune(in.Name)) > 200 {
		f.Add("name", "The name has at most 200 characters.")
	}
	if in.FunderID <= 0 {
		f.Add("funder_id", "Choose the funder: an organisation of kind funder.")
	}
	if in.Currency == "" {
		f.Add("currency", "Enter the programme's currency as an ISO 4217 code, for example USD.")
	} else if !ValidCurrency(in.Currency) {
		f.Add("currency", "%q is not an ISO 4217 currency code (for example USD, EUR, TTD, JMD).", in.Currency)
	}
	if len(in.Countries) == 0 {
		f.Add("countries", "Choose at least one eligible country.")
	}
	start, okStart := parseDay(in.StartsOn)
	end, okEnd := parseDay(in.EndsOn)
	if !okStart {
		f.Add("starts_on", "%q is not a date: use YYYY-MM-DD.", in.StartsOn)
	}
	if !okEnd {
		f.Add("ends_on", "%q is not a date: use YYYY-MM-DD.", in.EndsOn)
	}
	if okStart && okEnd && !start.IsZero() && !end.IsZero() && !end.After(start) {
		f.Add("ends_on", "The programme must end after it starts (%s).", in.StartsOn)
	}
	return f
}

// parseDay reads YYYY-MM-DD; the empty string is a valid "no date".
func parseDay(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}
