package event

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// Input is what creating or editing an event takes. A nil Attendees keeps
// the stored list (an edit of the event's own fields); an empty one clears it.
type Input struct {
	Title        string           `json:"title"`
	Type         Type             `json:"type"`
	OrganiserID  int64            `json:"organiser_id"`
	ClusterIDs   []int64          `json:"cluster_ids"`
	StartsOn     string           `json:"starts_on"`
	EndsOn       string           `json:"ends_on"`
	Place        string           `json:"place"`
	Country      string           `json:"country"`
	Description  string           `json:"description"`
	Participants int              `json:"participants"`
	Women        int              `json:"women"`
	Men          int              `json:"men"`
	Other        int              `json:"other"`
	Youth        int              `json:"youth"`
	Attendees    *[]AttendeeInput `json:"attendees,omitempty"`
	// PlanProject is the plan project the event delivers; nil for none.
	PlanProject *ProjectRef `json:"plan_project"`
}

// Counts are the input's participant totals.
func (in *Input) Counts() Counts {
	return Counts{Participants: in.Participants, Women: in.Women, Men: in.Men, Other: in.Other, Youth: in.Youth}
}

// InputOf returns the input that would store e unchanged (its attendee
// list kept as it is), the starting point of an edit form or a partial API
// update.
func InputOf(e *Event) Input {
	return Input{Title: e.Title, Type: e.Type, OrganiserID: e.OrganiserID, ClusterIDs: e.ClusterIDs(),
		StartsOn: e.StartsOn, EndsOn: e.EndsOn, Place: e.Place, Country: e.Country, Description: e.Description,
		Participants: e.Participants, Women: e.Women, Men: e.Men, Other: e.Other, Youth: e.Youth,
		PlanProject: e.PlanProject.Ref()}
}

// Field limits, in characters, and the span of years events may fall in.
const (
	maxTitle       = 200
	maxPlace       = 200
	maxDescription = 5000
	maxClusters    = 50
	maxAttendees   = 5000
	minYear        = 1990
	yearsAhead     = 5
)

var isoCode = regexp.MustCompile(`^[A-Z]{3}$`)

// Validate tidies the input and checks everything that needs no database;
// today (YYYY-MM-DD) bounds the dates. The store adds the checks against
// stored records.
func (in *Input) Validate(today string) error { return in.check(today).Err() }

func (in *Input) check(today string) problem.Fields {
	var f problem.Fields
	in.Title = strings.TrimSpace(in.Title)
	in.Place = strings.TrimSpace(in.Place)
	in.Description = strings.TrimSpace(in.Description)
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	in.StartsOn = strings.TrimSpace(in.StartsOn)
	in.EndsOn = strings.TrimSpace(in.EndsOn)
	switch n := utf8.RuneCountInString(in.Title); {
	case n == 0:
		f.Add("title", "Enter the title of the event.")
	case n > maxTitle:
		f.Add("title", "Use at most %d characters (this title has %d).", maxTitle, n)
	}
	if !in.Type.Valid() {
		f.Add("type", "Choose a type: %s.", typesText())
	}
	if in.OrganiserID <= 0 {
		f.Add("organiser_id", "Choose the organisation that organised the event.")
	}
	in.ClusterIDs = tidyIDs(in.ClusterIDs)
	switch {
	case len(in.ClusterIDs) == 0:
		f.Add("cluster_ids", "Choose at least one cluster initiative that the event served.")
	case len(in.ClusterIDs) > maxClusters:
		f.Add("cluster_ids", "Choose at most %d cluster initiatives (%d chosen).", maxClusters, len(in.ClusterIDs))
	}
	checkDates(in.StartsOn, in.EndsOn, today, &f)
	if n := utf8.RuneCountInString(in.Place); n > maxPlace {
		f.Add("place", "Use at most %d characters (this has %d).", maxPlace, n)
	}
	if in.Country != "" && !isoCode.MatchString(in.Country) {
		f.Add("country", "%q is not an ISO 3166-1 alpha-3 country code (such as JAM).", in.Country)
	}
	if n := utf8.RuneCountInString(in.Description); n > maxDescription {
		f.Add("description", "Use at most %d characters (this has %d).", maxDescription, n)
	}
	checkCounts(in.Counts(), func(field, format string, args ...any) { f.Add(field, format, args...) })
	if in.Attendees != nil {
		checkAttendees(*in.Attendees, in.Counts(), &f)
	}
	return f
}

// checkDates checks that both dates are real days within the span of
// years events may fall in, and that the event does not end before it starts.
func checkDates(start, end, today string, f *problem.Fields) {
	now, err := time.Parse(DateLayout, today)
	if err != nil {
		now = time.Now().UTC()
	}
	maxYear := now.Year() + yearsAhead
	parse := func(field, v, what string) (time.Time, bool) {
		if v == "" {
			f.Add(field, "Enter the %s day (YYYY-MM-DD).", what)
			return time.Time{}, false
		}
		t, err := time.Parse(DateLayout, v)
		if err != nil {
			f.Add(field, "%q is not a date: use YYYY-MM-DD, such as 2024-03-15.", v)
			return time.Time{}, false
		}
		if t.Year() < minYear || t.Year() > maxYear {
			f.Add(field, "Enter a date from %d to %d.", minYear, maxYear)
			return time.Time{}, false
		}
		return t, true
	}
	s, okS := parse("starts_on", start, "first")
	e, okE := parse("ends_on", end, "last")
	if okS && okE && e.Before(s) {
		f.Add("ends_on", "The event cannot end (%s) before it starts (%s).", end, start)
	}
}

// checkCounts reports counts that are negative, a sex breakdown that does
// not add up to the participants, and more young people than participants.
// add receives the name of the count at fault.
func checkCounts(c Counts, add func(field, format string, args ...any)) {
	bad := false
	for _, v := range []struct {
		field string
		n     int
	}{{"participants", c.Participants}, {"women", c.Women}, {"men", c.Men}, {"other", c.Other}, {"youth", c.Youth}} {
		if v.n < 0 {
			add(v.field, "Enter a whole number of 0 or more.")
			bad = true
		}
	}
	if bad {
		return
	}
	if sum := c.Women + c.Men + c.Other; sum != c.Participants {
		add("participants", "Women (%d), men (%d) and other or unspecified (%d) add up to %d, not the %d participants; the breakdown by sex must equal the total.",
			c.Women, c.Men, c.Other, sum, c.Participants)
	}
	if c.Youth > c.Participants {
		add("youth", "Youth (%d) are among the participants, so they cannot be more than the %d participants.", c.Youth, c.Participants)
	}
}

// checkAttendees checks the rows of an attendee list on their own and
// against the event's totals: each row's counts, no organisation twice,
// and no more people from organisations than at the event. Problems name
// the row (1 for the first) in the field "attendees".
func checkAttendees(rows []AttendeeInput, totals Counts, f *problem.Fields) {
	if len(rows) > maxAttendees {
		f.Add("attendees", "List at most %d organisations (%d listed).", maxAttendees, len(rows))
		return
	}
	addRow := func(row int, format string, args ...any) {
		*f = append(*f, problem.Detail{Row: row, Field: "attendees", Message: fmt.Sprintf(format, args...)})
	}
	seen := map[int64]int{}
	var sum Counts
	rowsOK := true
	for i, a := range rows {
		row := i + 1
		if a.OrganisationID <= 0 {
			addRow(row, "Choose the organisation.")
			rowsOK = false
		} else if first, dup := seen[a.OrganisationID]; dup {
			addRow(row, "Organisation #%d is already listed in row %d.", a.OrganisationID, first)
			rowsOK = false
		} else {
			seen[a.OrganisationID] = row
		}
		checkCounts(a.Counts, func(field, format string, args ...any) {
			addRow(row, field+": "+format, args...)
			rowsOK = false
		})
		sum = sum.plus(a.Counts)
	}
	if rowsOK {
		checkWithinTotals(sum, totals, func(field, format string, args ...any) { f.Add(field, format, args...) })
	}
}

// checkWithinTotals reports each count of the attendee rows that adds up
// to more than the event's total of the same count.
func checkWithinTotals(sum, totals Counts, add func(field, format string, args ...any)) {
	for _, v := range []struct {
		field    string
		sum, tot int
	}{{"participants", sum.Participants, totals.Participants}, {"women", sum.Women, totals.Women},
		{"men", sum.Men, totals.Men}, {"other", sum.Other, totals.Other}, {"youth", sum.Youth, totals.Youth}} {
		if v.sum > v.tot {
			add(v.field, "The organisations listed bring %d (%s), more than the event's total of %d; raise the total or correct the list.",
				v.sum, v.field, v.tot)
		}
	}
}

// tidyIDs drops non-positive IDs and repeats, keeping the first order.
func tidyIDs(ids []int64) []int64 {
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id > 0 && !contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// typesText lists the event types for validation messages ("a, b or c").
func typesText() string {
	s := ""
	for i, t := range Types {
		switch {
		case i == 0:
		case i == len(Types)-1:
			s += " or "
		default:
			s += ", "
		}
		s += string(t)
	}
	return s
}
