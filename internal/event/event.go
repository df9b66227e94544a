package event

import (
	"slices"
	"time"
)

// DateLayout is how event dates are written and stored: YYYY-MM-DD.
const DateLayout = "2006-01-02"

// Type is the kind of event.
type Type string

// The kinds of event.
const (
	TypeMeeting      Type = "meeting"
	TypeWorkshop     Type = "workshop"
	TypeTraining     Type = "training"
	TypeTradeMission Type = "trade_mission"
	TypeMatchmaking  Type = "matchmaking"
	TypeOther        Type = "other"
)

// Types lists every kind of event in the order forms show them.
var Types = []Type{TypeMeeting, TypeWorkshop, TypeTraining, TypeTradeMission, TypeMatchmaking, TypeOther}

// Valid reports whether t is a known kind of event.
func (t Type) Valid() bool { return slices.Contains(Types, t) }

// Key is the message key of the type's label.
func (t Type) Key() string { return "event.type." + string(t) }

// Counts are numbers of participants: by sex, adding up to the total, and
// the young people (15 to 35) among them.
type Counts struct {
	Participants int `json:"participants"`
	Women        int `json:"women"`
	Men          int `json:"men"`
	Other        int `json:"other"` // other or unspecified sex
	Youth        int `json:"youth"`
}

// WomenShare is the share of women among the participants (0 when none).
func (c Counts) WomenShare() float64 { return share(c.Women, c.Participants) }

// YouthShare is the share of young people among the participants (0 when none).
func (c Counts) YouthShare() float64 { return share(c.Youth, c.Participants) }

func share(n, total int) float64 {
	if total <= 0 {
		return 0
	}
	return float64(n) / float64(total)
}

// plus adds two sets of counts.
func (c Counts) plus(o Counts) Counts {
	return Counts{Participants: c.Participants + o.Participants, Women: c.Women + o.Women, Men: c.Men + o.Men,
		Other: c.Other + o.Other, Youth: c.Youth + o.Youth}
}

// ClusterRef names a cluster an event served.
type ClusterRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Event is an event as pages and the API show it.
type Event struct {
	ID            int64        `json:"id"`
	Title         string       `json:"title"`
	Type          Type         `json:"type"`
	OrganiserID   int64        `json:"organiser_id"`
	OrganiserName string       `json:"organiser_name"`
	Clusters      []ClusterRef `json:"clusters"`
	StartsOn      string       `json:"starts_on"`
	EndsOn        string       `json:"ends_on"`
	Place         string       `json:"place"`
	Country       string       `json:"country"` // ISO3, "" for an online event
	Description   string       `json:"description"`
	Counts
	AttendeeCount int          `json:"attendee_count"` // organisations of the registry that took part
	PlanProject   *ProjectLink `json:"plan_project"`   // the plan project the event delivers, nil for none
	CreatedAt     time.Time    `json:"created_at"`
	UpdatedAt     time.Time    `json:"updated_at"`
	ArchivedAt    *time.Time   `json:"archived_at"`
}

// Archived reports whether the event has been archived.
func (e *Event) Archived() bool { return e.ArchivedAt != nil }

// StartTime is the first day as a time, for formatting.
func (e *Event) StartTime() time.Time { t, _ := time.Parse(DateLayout, e.StartsOn); return t }

// EndTime is the last day as a time, for formatting.
func (e *Event) EndTime() time.Time { t, _ := time.Parse(DateLayout, e.EndsOn); return t }

// OneDay reports whether the event starts and ends on the same day.
func (e *Event) OneDay() bool { return e.StartsOn == e.EndsOn }

// ClusterIDs lists the IDs of the event's clusters.
func (e *Event) ClusterIDs() []int64 {
	out := make([]int64, len(e.Clusters))
	for i, c := range e.Clusters {
		out[i] = c.ID
	}
	return out
}

// Attendee is an organisation that took part in an event, with how many
// of its people came.
type Attendee struct {
	OrganisationID      int64  `json:"organisation_id"`
	OrganisationName    string `json:"organisation_name"`
	OrganisationKind    string `json:"organisation_kind"`
	OrganisationCountry string `json:"organisation_country"`
	Counts
}

// AttendeeInput is one row of an attendee list.
type AttendeeInput struct {
	OrganisationID int64 `json:"organisation_id"`
	Counts
}

// Filter narrows a list of events.
type Filter struct {
	Query           string // part of the title; accents and case are ignored
	ClusterID       int64
	Country         string // ISO3 of the event's place
	Type            Type
	Year            int // the year the event started
	OrganiserID     int64
	PlanID          int64 // events linked to a project of this plan
	Project         int   // with PlanID: linked to this project (position in the linked baseline)
	IncludeArchived bool
	Sort            string // one of SortKeys, "-" prefix for descending
	Limit           int
	Offset          int
}

// SortKeys are the columns a list of events may be sorted by.
var SortKeys = []string{"date", "title", "type", "participants"}

// Pair is two organisations that took part in the same event: the
// evidence of a joint-event tie. OrgA has the lower ID.
type Pair struct {
	OrgA       int64  `json:"org_a"`
	OrgAName   string `json:"org_a_name"`
	OrgB       int64  `json:"org_b"`
	OrgBName   string `json:"org_b_name"`
	EventID    int64  `json:"event_id"`
	EventTitle string `json:"event_title"`
	Date       string `json:"date"` // the event's first day
}

// timeParse reads a YYYY-MM-DD date.
func timeParse(s string) (time.Time, error) { return time.Parse(DateLayout, s) }
