package programme

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // calls name IANA zones; the binary must know them wherever it runs

	"github.com/clusterobservatory/observatory/internal/problem"
)

// DefaultTimeZone is the region's zone (UTC−4, no daylight saving time).
const DefaultTimeZone = "America/Port_of_Spain"

// Status is where a call stands, derived from its dates and published flag.
type Status string

// The statuses of a call.
const (
	StatusDraft    Status = "draft"    // not published
	StatusUpcoming Status = "upcoming" // published, not open yet
	StatusOpen     Status = "open"     // published, between opening and closing
	StatusClosed   Status = "closed"   // published, past the closing time
)

// Statuses lists the statuses in the order of a call's life.
var Statuses = []Status{StatusDraft, StatusUpcoming, StatusOpen, StatusClosed}

// Key is the message key of the status's label.
func (s Status) Key() string { return "programme.status." + string(s) }

// Call is a call for proposals of a programme. Applicants send a concept
// note by ClosesAt; the shortlisted send a full plan by FullPlanDueAt.
type Call struct {
	ID                  int64       `json:"id"`
	ProgrammeID         int64       `json:"programme_id"`
	ProgrammeName       string      `json:"programme_name"`
	Currency            string      `json:"currency"`
	Number              string      `json:"number"`
	Title               string      `json:"title"`
	Description         string      `json:"description"`
	TimeZone            string      `json:"time_zone"`
	OpensAt             time.Time   `json:"opens_at"`
	ClosesAt            time.Time   `json:"closes_at"`
	FullPlanDueAt       *time.Time  `json:"full_plan_due_at"`
	Published           bool        `json:"published"`
	Status              Status      `json:"status"`
	GrantCeiling        int64       `json:"grant_ceiling"` // minor units of Currency
	MaxGrantShare       float64     `json:"max_grant_share"`
	MinCounterpartShare float64     `json:"min_counterpart_share"`
	InKindRule          InKindRule  `json:"in_kind_rule"`
	InKindShare         float64     `json:"in_kind_share"`
	Rules               []Rule      `json:"rules"`
	Criteria            []Criterion `json:"criteria"`
	DisagreementMargin  float64     `json:"disagreement_margin"` // points of the 0–100 weighted scale
	CreatedBy           *int64      `json:"created_by"`
	CreatedAt           time.Time   `json:"created_at"`
	UpdatedAt           time.Time   `json:"updated_at"`
	ArchivedAt          *time.Time  `json:"archived_at"`
}

// Archived reports whether the call has been archived.
func (c *Call) Archived() bool { return c.ArchivedAt != nil }

// StatusAt is the call's status at a moment.
func (c *Call) StatusAt(now time.Time) Status {
	switch {
	case !c.Published:
		return StatusDraft
	case now.Before(c.OpensAt):
		return StatusUpcoming
	case now.Before(c.ClosesAt):
		return StatusOpen
	}
	return StatusClosed
}

// Location is the call's time zone (UTC if it is not known).
func (c *Call) Location() *time.Location {
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Cofinancing is the call's co-financing settings as a rule's parameters.
func (c *Call) Cofinancing() Cofinancing {
	return Cofinancing{MaxGrantShare: c.MaxGrantShare, MinCounterpartShare: c.MinCounterpartShare,
		InKindRule: c.InKindRule, InKindShare: c.InKindShare}
}

// Criterion is one weighted scoring criterion with its rubric.
type Criterion struct {
	Name        string  `json:"name"`
	Description string  `json:"description"`
	Weight      int     `json:"weight"` // the weights of a call sum to 100
	Levels      []Level `json:"levels"`
}

// Level describes what earns one score on a criterion.
type Level struct {
	Score      int    `json:"score"`
	Descriptor string `json:"descriptor"`
}

// CallInput is what creating or replacing a call takes. Rules of the kinds
// cofinancing and grant_ceiling are derived from the call's own fields and
// replaced on every save.
type CallInput struct {
	ProgrammeID         int64       `json:"programme_id"`
	Number              string      `json:"number"`
	Title               string      `json:"title"`
	Description         string      `json:"description"`
	TimeZone            string      `json:"time_zone"`
	OpensAt             time.Time   `json:"opens_at"`
	ClosesAt            time.Time   `json:"closes_at"`
	FullPlanDueAt       *time.Time  `json:"full_plan_due_at"`
	Published           bool        `json:"published"`
	GrantCeiling        int64       `json:"grant_ceiling"`
	MaxGrantShare       float64     `json:"max_grant_share"`
	MinCounterpartShare float64     `json:"min_counterpart_share"`
	InKindRule          InKindRule  `json:"in_kind_rule"`
	InKindShare         float64     `json:"in_kind_share"`
	Rules               []Rule      `json:"rules"`
	Criteria            []Criterion `json:"criteria"`
	DisagreementMargin  float64     `json:"disagreement_margin"` // 0 or absent: DefaultDisagreementMargin
}

// CallInputOf is the input that would store c as it is.
func CallInputOf(c *Call) CallInput {
	return CallInput{ProgrammeID: c.ProgrammeID, Number: c.Number, Title: c.Title, Description: c.Description,
		TimeZone: c.TimeZone, OpensAt: c.OpensAt, ClosesAt: c.ClosesAt, FullPlanDueAt: c.FullPlanDueAt,
		Published: c.Published, GrantCeiling: c.GrantCeiling, MaxGrantShare: c.MaxGrantShare,
		MinCounterpartShare: c.MinCounterpartShare, InKindRule: c.InKindRule, InKindShare: c.InKindShare,
		Rules: append([]Rule(nil), c.Rules...), Criteria: append([]Criterion(nil), c.Criteria...),
		DisagreementMargin: c.DisagreementMargin}
}

// CallPatch changes only the fields it sets; a call stays in its programme.
type CallPatch struct {
	Number              *string      `json:"number"`
	Title               *string      `json:"title"`
	Description         *string      `json:"description"`
	TimeZone            *string      `json:"time_zone"`
	OpensAt             *time.Time   `json:"opens_at"`
	ClosesAt            *time.Time   `json:"closes_at"`
	FullPlanDueAt       OptionalTime `json:"full_plan_due_at"`
	Published           *bool        `json:"published"`
	GrantCeiling        *int64       `json:"grant_ceiling"`
	MaxGrantShare       *float64     `json:"max_grant_share"`
	MinCounterpartShare *float64     `json:"min_counterpart_share"`
	InKindRule          *InKindRule  `json:"in_kind_rule"`
	InKindShare         *float64     `json:"in_kind_share"`
	Rules               *[]Rule      `json:"rules"`
	Criteria            *[]Criterion `json:"criteria"`
	DisagreementMargin  *float64     `json:"disagreement_margin"`
}

// Apply returns in with the patch's fields set.
func (p CallPatch) Apply(in CallInput) CallInput {
	set(&in.Number, p.Number)
	set(&in.Title, p.Title)
	set(&in.Description, p.Description)
	set(&in.TimeZone, p.TimeZone)
	set(&in.OpensAt, p.OpensAt)
	set(&in.ClosesAt, p.ClosesAt)
	if p.FullPlanDueAt.Set {
		in.FullPlanDueAt = p.FullPlanDueAt.Time
	}
	set(&in.Published, p.Published)
	set(&in.GrantCeiling, p.GrantCeiling)
	set(&in.MaxGrantShare, p.MaxGrantShare)
	set(&in.MinCounterpartShare, p.MinCounterpartShare)
	set(&in.InKindRule, p.InKindRule)
	set(&in.InKindShare, p.InKindShare)
	set(&in.Rules, p.Rules)
	set(&in.Criteria, p.Criteria)
	set(&in.DisagreementMargin, p.DisagreementMargin)
	return in
}

// OptionalTime is a moment in a patch that null clears: Set tells a field
// sent as null from one not sent.
type OptionalTime struct {
	Set  bool
	Time *time.Time
}

// UnmarshalJSON reads null or an RFC 3339 moment.
func (o *OptionalTime) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Time = nil
		return nil
	}
	var t time.Time
	if err := json.Unmarshal(b, &t); err != nil {
		return err
	}
	o.Time = &t
	return nil
}

var callNumber = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`)

// CheckCall validates a call against its programme's settings and returns
// the field problems. It fills the derived rules (cofinancing and
// grant_ceiling, from the call's fields) and puts the input in canonical
// form. Pages call it to report every problem at once.
func (in *CallInput) CheckCall(env Env) problem.Fields {
	var f problem.Fields
	in.Number = strings.TrimSpace(in.Number)
	in.Title = strings.TrimSpace(in.Title)
	in.Description = strings.TrimSpace(in.Description)
	in.TimeZone = strings.TrimSpace(in.TimeZone)
	if in.Number == "" {
		f.Add("number", "Enter the call's number, for example 2025-1.")
	} else if !callNumber.MatchString(in.Number) {
		f.Add("number", "The number is 1 to 40 letters, digits, points, hyphens or underscores, for example 2025-1.")
	}
	if in.Title == "" {
		f.Add("title", "Enter the call's title.")
	} else if len([]rune(in.Title)) > 300 {
		f.Add("title", "The title has at most 300 characters.")
	}
	if in.TimeZone == "" {
		in.TimeZone = DefaultTimeZone
	}
	if _, err := time.LoadLocation(in.TimeZone); err != nil || in.TimeZone == "Local" {
		f.Add("time_zone", "%q is not an IANA time zone such as %s.", in.TimeZone, DefaultTimeZone)
	}
	if in.OpensAt.IsZero() {
		f.Add("opens_at", "Enter when the call opens.")
	}
	if in.ClosesAt.IsZero() {
		f.Add("closes_at", "Enter when the call closes for concept notes.")
	}
	in.OpensAt, in.ClosesAt = utc(in.OpensAt), utc(in.ClosesAt)
	if !in.OpensAt.IsZero() && !in.ClosesAt.IsZero() && !in.ClosesAt.After(in.OpensAt) {
		f.Add("closes_at", "The call must close after it opens.")
	}
	if in.FullPlanDueAt != nil {
		t := utc(*in.FullPlanDueAt)
		in.FullPlanDueAt = &t
		if t.IsZero() {
			in.FullPlanDueAt = nil
		} else if !in.ClosesAt.IsZero() && !t.After(in.ClosesAt) {
			f.Add("full_plan_due_at", "Full plans must be due after the call closes for concept notes.")
		}
	}
	if in.GrantCeiling <= 0 {
		f.Add("grant_ceiling", "Enter the largest grant a cluster may receive, more than zero.")
	}
	co := Cofinancing{MaxGrantShare: in.MaxGrantShare, MinCounterpartShare: in.MinCounterpartShare,
		InKindRule: in.InKindRule, InKindShare: in.InKindShare}
	co.CheckShares(&f, "")
	in.InKindShare = co.InKindShare
	var own []Rule
	for _, r := range in.Rules {
		if !r.Kind.Derived() {
			own = append(own, r)
		}
	}
	own = CheckRules(own, env, &f)
	in.Rules = append(own, NewRule(RuleCofinancing, co), NewRule(RuleGrantCeiling, GrantCeiling{Amount: in.GrantCeiling}))
	checkCriteria(in.Criteria, &f)
	if in.DisagreementMargin == 0 {
		in.DisagreementMargin = DefaultDisagreementMargin
	} else if !(in.DisagreementMargin > 0 && in.DisagreementMargin <= 100) {
		f.Add("disagreement_margin", "The disagreement margin is a number of points from 0 to 100 (the weighted scale), for example 20.")
	}
	return f
}

func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// checkCriteria validates the scoring criteria: names, weights that sum to
// 100, and a rubric of at least two levels with distinct scores.
func checkCriteria(cs []Criterion, f *problem.Fields) {
	if len(cs) == 0 {
		f.Add("criteria", "Add at least one scoring criterion.")
		return
	}
	sum := 0
	names := map[string]bool{}
	for i := range cs {
		c := &cs[i]
		field := fmt.Sprintf("criteria[%d]", i)
		c.Name = strings.TrimSpace(c.Name)
		c.Description = strings.TrimSpace(c.Description)
		switch {
		case c.Name == "":
			f.Add(field+".name", "Name criterion %d.", i+1)
		case names[strings.ToLower(c.Name)]:
			f.Add(field+".name", "Two criteria are named %q.", c.Name)
		}
		names[strings.ToLower(c.Name)] = true
		if c.Weight < 1 || c.Weight > 100 {
			f.Add(field+".weight", "The weight of %q must be a whole number from 1 to 100.", c.Name)
		}
		sum += c.Weight
		scores := map[int]bool{}
		var levels []Level
		for _, l := range c.Levels {
			l.Descriptor = strings.TrimSpace(l.Descriptor)
			if l.Descriptor == "" {
				continue
			}
			if l.Score < 0 || l.Score > 10 {
				f.Add(field+".levels", "Scores of %q run from 0 to 10; %d is outside.", c.Name, l.Score)
				continue
			}
			if scores[l.Score] {
				f.Add(field+".levels", "Score %d of %q is described twice.", l.Score, c.Name)
				continue
			}
			scores[l.Score] = true
			levels = append(levels, l)
		}
		sortLevels(levels)
		c.Levels = levels
		if len(levels) < 2 {
			f.Add(field+".levels", "Describe at least two score levels of %q.", c.Name)
		}
	}
	if sum != 100 && !f.Has("criteria") {
		f.Add("criteria", "The weights of the criteria must sum to 100; they sum to %d.", sum)
	}
}

func sortLevels(ls []Level) {
	slices.SortFunc(ls, func(a, b Level) int { return a.Score - b.Score })
}

// FormatOffset is a moment's offset from UTC in its zone, for example
// "UTC−04:00".
func FormatOffset(t time.Time) string {
	_, off := t.Zone()
	sign := "+"
	if off < 0 {
		sign, off = "\u2212", -off
	}
	return fmt.Sprintf("UTC%s%02d:%02d", sign, off/3600, off%3600/60)
}
