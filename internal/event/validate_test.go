package event

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/problem"
)

func validInput() Input {
	return Input{Title: " Cocoa matchmaking ", Type: TypeMatchmaking, OrganiserID: 1, ClusterIDs: []int64{2, 2, 0},
		StartsOn: "2024-03-14", EndsOn: "2024-03-15", Country: "jam", Participants: 10, Women: 6, Men: 3, Other: 1, Youth: 4}
}

// fieldsOf lists the fields of a validation problem, with the row for
// located ones ("attendees#2").
func fieldsOf(err error) []string {
	p := problem.As(err)
	if p == nil {
		return nil
	}
	var out []string
	for _, d := range p.Details {
		f := d.Field
		if d.Row > 0 {
			f += "#" + strconv.Itoa(d.Row)
		}
		out = append(out, f)
	}
	return out
}

func TestValidate(t *testing.T) {
	in := validInput()
	if err := in.Validate("2025-01-01"); err != nil {
		t.Fatalf("valid input: %v", err)
	}
	if in.Title != "Cocoa matchmaking" || in.Country != "JAM" || !slices.Equal(in.ClusterIDs, []int64{2}) {
		t.Errorf("not tidied: %+v", in)
	}
	for name, tc := range map[string]struct {
		change func(*Input)
		want   string
	}{
		"no title":           {func(in *Input) { in.Title = " " }, "title"},
		"unknown type":       {func(in *Input) { in.Type = "party" }, "type"},
		"no organiser":       {func(in *Input) { in.OrganiserID = 0 }, "organiser_id"},
		"no cluster":         {func(in *Input) { in.ClusterIDs = nil }, "cluster_ids"},
		"no start":           {func(in *Input) { in.StartsOn = "" }, "starts_on"},
		"bad date":           {func(in *Input) { in.StartsOn = "2024-02-30" }, "starts_on"},
		"ends before starts": {func(in *Input) { in.EndsOn = "2024-03-13" }, "ends_on"},
		"far future":         {func(in *Input) { in.StartsOn, in.EndsOn = "2031-01-01", "2031-01-01" }, "starts_on"},
		"bad country":        {func(in *Input) { in.Country = "JA" }, "country"},
		"negative count":     {func(in *Input) { in.Men = -1 }, "men"},
		"breakdown off":      {func(in *Input) { in.Women = 5 }, "participants"},
		"youth over total":   {func(in *Input) { in.Youth = 11 }, "youth"},
		"attendee breakdown": {func(in *Input) {
			in.Attendees = &[]AttendeeInput{{OrganisationID: 5, Counts: Counts{Participants: 3, Women: 1}}}
		}, "attendees#1"},
		"attendee youth": {func(in *Input) {
			in.Attendees = &[]AttendeeInput{{OrganisationID: 5}, {OrganisationID: 6, Counts: Counts{Participants: 1, Men: 1, Youth: 2}}}
		}, "attendees#2"},
		"attendee twice":  {func(in *Input) { in.Attendees = &[]AttendeeInput{{OrganisationID: 5}, {OrganisationID: 5}} }, "attendees#2"},
		"attendee no org": {func(in *Input) { in.Attendees = &[]AttendeeInput{{}} }, "attendees#1"},
		"attendees over total": {func(in *Input) {
			in.Attendees = &[]AttendeeInput{{OrganisationID: 5, Counts: Counts{Participants: 8, Women: 7, Men: 1}}}
		}, "women"},
	} {
		in := validInput()
		tc.change(&in)
		err := in.Validate("2025-01-01")
		if problem.KindOf(err) != problem.Invalid || !slices.Contains(fieldsOf(err), tc.want) {
			t.Errorf("%s: error %v, want a problem with %s", name, err, tc.want)
		}
	}
}

func TestBreakdownMessageIsClear(t *testing.T) {
	in := validInput()
	in.Women = 2
	err := in.Validate("2025-01-01")
	p := problem.As(err)
	if p == nil || !strings.Contains(p.Details[0].Message, "add up to 6, not the 10 participants") {
		t.Fatalf("message = %v", err)
	}
}

func TestParseAttendanceCSV(t *testing.T) {
	file := "\uFEFFOrganisation;Participants;Women;Men;Youth\n" +
		"Blue Mountain Chocolate;4;3;1;2\n" +
		"\n" +
		"Caroni Cocoa;2;2;1;0\n" + // women and men exceed participants
		"Kingston Spice;x;1;1;0\n" + // not a number
		";3;1;1;1\n" + // no organisation
		"Old Mill;3;1;1;4\n" // youth over total
	rows, details := parseAttendanceCSV("a.csv", []byte(file))
	if len(rows) != 5 {
		t.Fatalf("rows = %d, want 5 (the blank line skipped)", len(rows))
	}
	if rows[0].Line != 2 || rows[0].OrgName != "Blue Mountain Chocolate" || rows[0].Counts != (Counts{4, 3, 1, 0, 2}) {
		t.Errorf("row 2 = %+v", rows[0])
	}
	var got []string
	for _, d := range details {
		got = append(got, strconv.Itoa(d.Row)+":"+d.Field)
		if d.File != "a.csv" {
			t.Errorf("detail without the file: %+v", d)
		}
	}
	want := []string{"4:participants", "5:participants", "6:organisation", "7:youth"}
	if !slices.Equal(got, want) {
		t.Errorf("problems = %v, want %v", got, want)
	}

	_, details = parseAttendanceCSV("b.csv", []byte("name,headcount\nA,1\n"))
	if len(details) != 2 || details[0].Field != "headcount" || details[1].Field != "participants" {
		t.Errorf("unknown and missing columns: %+v", details)
	}
	rows, details = parseAttendanceCSV("c.csv", []byte("organisation_id,participants,women,men,other,youth\n#12,3,1,1,1,0\n"))
	if len(details) != 0 || rows[0].OrgID != 12 || rows[0].Other != 1 {
		t.Errorf("id column: %+v %+v", rows, details)
	}
	_, details = parseAttendanceCSV("d.csv", []byte("organisation,participants,women,men,other\nA,3,1,1,0\n"))
	if len(details) != 1 || details[0].Field != "participants" || details[0].Row != 2 {
		t.Errorf("other column that does not add up: %+v", details)
	}
	// Windows-1252 text (as Excel saves plain CSV) is read as such.
	rows, details = parseAttendanceCSV("e.csv", []byte("organisation,participants\nCaf\xe9 Caribe,2\n"))
	if len(details) != 0 || rows[0].OrgName != "Café Caribe" || rows[0].Other != 2 {
		t.Errorf("Windows-1252: %+v %+v", rows, details)
	}
}
