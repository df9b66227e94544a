package campaign

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// Status is where a campaign stands.
type Status string

// The campaign statuses: draft, then open (links work, reminders run),
// then closed (no more answers).
const (
	StatusDraft  Status = "draft"
	StatusOpen   Status = "open"
	StatusClosed Status = "closed"
)

// Statuses lists the statuses in order.
var Statuses = []Status{StatusDraft, StatusOpen, StatusClosed}

// Key is the message key of the status's label.
func (s Status) Key() string { return "campaign.status." + string(s) }

// DefaultReminderDays are the days before the deadline reminders go out.
var DefaultReminderDays = []int{7, 2}

// dateLayout is how campaign dates are written and stored.
const dateLayout = "2006-01-02"

// Campaign is a form version sent to respondents for a period.
type Campaign struct {
	ID           int64     `json:"id"`
	Key          string    `json:"key"`
	Title        string    `json:"title"`
	FormID       int64     `json:"form_id"`
	FormKey      string    `json:"form_key"`
	VersionID    int64     `json:"version_id"`
	Version      string    `json:"version"`
	Period       string    `json:"period"`
	OpensOn      string    `json:"opens_on"`
	ClosesOn     string    `json:"closes_on"`
	Deadline     string    `json:"deadline"`
	Status       Status    `json:"status"`
	BSOID        *int64    `json:"bso_id"`
	PrefillFrom  *int64    `json:"prefill_from"`
	ReminderDays []int     `json:"reminder_days"`
	ClusterIDs   []int64   `json:"cluster_ids"`
	Respondents  int       `json:"respondents"`
	Answered     int       `json:"answered"`
	Submissions  int       `json:"submissions"`
	Actor        string    `json:"created_by_name"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
	// OpenRosaURL is where ODK Collect finds the campaign's form.
	OpenRosaURL string `json:"openrosa_url"`
}

// ResponseRate is the share of respondents who answered, from 0 to 1.
func (c *Campaign) ResponseRate() float64 {
	if c.Respondents == 0 {
		return 0
	}
	return float64(c.Answered) / float64(c.Respondents)
}

// Closes is the moment the campaign stops taking answers: the end of its
// closing day (UTC).
func (c *Campaign) Closes() time.Time { return endOfDay(c.ClosesOn) }

// Accepting reports whether the campaign takes answers at now.
func (c *Campaign) Accepting(now time.Time) bool {
	return c.Status == StatusOpen && now.Before(c.Closes())
}

func endOfDay(day string) time.Time {
	t, err := time.Parse(dateLayout, day)
	if err != nil {
		return time.Time{}
	}
	return t.AddDate(0, 0, 1)
}

// Input creates a campaign.
type Input struct {
	Title           string  `json:"title"`
	VersionID       int64   `json:"version_id"`
	Period          string  `json:"period"`
	OpensOn         string  `json:"opens_on"`
	ClosesOn        string  `json:"closes_on"`
	Deadline        string  `json:"deadline"`
	ClusterIDs      []int64 `json:"cluster_ids"`
	OrganisationIDs []int64 `json:"organisation_ids"`
	PrefillFrom     int64   `json:"prefill_from"`
	// ReminderDays are days before the deadline; nil takes 7 and 2.
	ReminderDays []int `json:"reminder_days"`
	// BSOID is the BSO the campaign belongs to; BSO staff always get theirs.
	BSOID int64 `json:"bso_id"`
}

const maxTitle = 200

// check cleans the input and reports every problem found without the
// database.
func (in *Input) check() problem.Fields {
	var f problem.Fields
	in.Title = strings.TrimSpace(in.Title)
	switch n := utf8.RuneCountInString(in.Title); {
	case n == 0:
		f.Add("title", "Give the campaign a title.")
	case n > maxTitle:
		f.Add("title", "Use at most %d characters (this has %d).", maxTitle, n)
	}
	if in.VersionID <= 0 {
		f.Add("version_id", "Choose the form version to send.")
	}
	if p, err := indicator.ParsePeriod(in.Period); err != nil {
		f.Add("period", "%s.", upperFirst(err.Error()))
	} else {
		in.Period = p.Key()
	}
	dates := map[string]*string{"opens_on": &in.OpensOn, "closes_on": &in.ClosesOn, "deadline": &in.Deadline}
	parsed := map[string]time.Time{}
	for _, name := range []string{"opens_on", "closes_on", "deadline"} {
		v := strings.TrimSpace(*dates[name])
		*dates[name] = v
		t, err := time.Parse(dateLayout, v)
		if err != nil {
			f.Add(name, "Write the date as YYYY-MM-DD, such as 2025-03-31.")
			continue
		}
		parsed[name] = t
	}
	o, okO := parsed["opens_on"]
	c, okC := parsed["closes_on"]
	d, okD := parsed["deadline"]
	if okO && okC && c.Before(o) {
		f.Add("closes_on", "The campaign must close on or after the day it opens.")
	}
	if okD && okO && d.Before(o) {
		f.Add("deadline", "The deadline must be on or after the opening day.")
	}
	if okD && okC && d.After(c) {
		f.Add("deadline", "The deadline must be on or before the closing day.")
	}
	in.ClusterIDs = uniqueIDs(in.ClusterIDs)
	in.OrganisationIDs = uniqueIDs(in.OrganisationIDs)
	if len(in.ClusterIDs) == 0 && len(in.OrganisationIDs) == 0 {
		f.Add("cluster_ids", "Choose at least one cluster or organisation to invite.")
	}
	if in.ReminderDays == nil {
		in.ReminderDays = slices.Clone(DefaultReminderDays)
	}
	for _, n := range in.ReminderDays {
		if n < 1 || n > 90 {
			f.Add("reminder_days", "Reminder days are from 1 to 90 days before the deadline, not %d.", n)
			break
		}
	}
	slices.Sort(in.ReminderDays)
	slices.Reverse(in.ReminderDays)
	in.ReminderDays = slices.Compact(in.ReminderDays)
	return f
}

// ParseDays reads a list of days written "7, 2".
func ParseDays(s string) ([]int, bool) {
	out := []int{}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		n, err := strconv.Atoi(part)
		if err != nil {
			return nil, false
		}
		out = append(out, n)
	}
	return out, true
}

func daysText(days []int) string {
	parts := make([]string, len(days))
	for i, d := range days {
		parts[i] = strconv.Itoa(d)
	}
	return strings.Join(parts, ",")
}

func uniqueIDs(ids []int64) []int64 {
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id > 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}
