package implementation

import (
	"fmt"
	"time"

	"github.com/clusterobservatory/observatory/internal/plan"
)

// Quarterly progress reports: the periods a plan reports on and the
// summary generated for one. Pure logic.

// ReportStatus is where a progress report stands.
type ReportStatus string

// The statuses of a report.
const (
	ReportSubmitted ReportStatus = "submitted" // written by the facilitator, waiting for the programme
	ReportAccepted  ReportStatus = "accepted"  // accepted by a programme officer; final
)

// Key is the message key of the status's label.
func (s ReportStatus) Key() string { return "implementation.report_status." + string(s) }

// Period is a calendar quarter.
type Period struct {
	Year, Quarter int
}

// String writes the period as 2026-Q1.
func (p Period) String() string { return fmt.Sprintf("%d-Q%d", p.Year, p.Quarter) }

// Start is the first day of the quarter.
func (p Period) Start() time.Time {
	return time.Date(p.Year, time.Month(3*p.Quarter-2), 1, 0, 0, 0, 0, time.UTC)
}

// End is the last day of the quarter.
func (p Period) End() time.Time { return p.Start().AddDate(0, 3, -1) }

// PeriodOf is the quarter of a day.
func PeriodOf(t time.Time) Period { return Period{Year: t.Year(), Quarter: (int(t.Month())-1)/3 + 1} }

// ParsePeriod reads 2026-Q1.
func ParsePeriod(s string) (Period, bool) {
	var p Period
	if n, err := fmt.Sscanf(s, "%4d-Q%1d", &p.Year, &p.Quarter); err != nil || n != 2 || p.Quarter < 1 || p.Quarter > 4 ||
		p.Year < 1900 || p.String() != s {
		return Period{}, false
	}
	return p, true
}

// ReportPeriods lists the quarters a plan may report on by the day: those
// that overlap its period and have started, oldest first.
func ReportPeriods(c *plan.Content, today time.Time) []Period {
	start, err1 := time.Parse(time.DateOnly, c.StartsOn)
	end, err2 := time.Parse(time.DateOnly, c.EndsOn)
	if err1 != nil || err2 != nil {
		return nil
	}
	var out []Period
	for p := PeriodOf(start); !p.Start().After(end) && !p.Start().After(day(today)); p = p.next() {
		out = append(out, p)
	}
	return out
}

func (p Period) next() Period {
	if p.Quarter == 4 {
		return Period{Year: p.Year + 1, Quarter: 1}
	}
	return Period{Year: p.Year, Quarter: p.Quarter + 1}
}

// Summary is what a report states of its period, generated when it is
// submitted and kept with it.
type Summary struct {
	Period      string   `json:"period"`
	StartsOn    string   `json:"starts_on"`
	EndsOn      string   `json:"ends_on"`
	Spent       Amounts  `json:"spent"`         // in the period
	SpentToDate Amounts  `json:"spent_to_date"` // up to the period's end
	Planned     Amounts  `json:"planned"`       // the baseline's budget
	Entries     int      `json:"entries"`
	Done        []string `json:"milestones_done"` // completed in the period
	Late        []string `json:"milestones_late"` // due by the period's end (or today), not done by then
	// Events are the events linked to the plan's projects that started in
	// the period; nil in reports submitted before events were linked.
	Events *EventTotals `json:"events,omitempty"`
}

// Summarise generates the summary of period p: the spending of the
// period by source, the milestones completed in it and those late at its
// end (or today, when it has not ended).
func Summarise(p Period, c *plan.Content, entries []*Entry, progress map[int]*Progress, today time.Time) Summary {
	start, end := p.Start().Format(time.DateOnly), p.End().Format(time.DateOnly)
	s := Summary{Period: p.String(), StartsOn: start, EndsOn: end, Done: []string{}, Late: []string{}}
	for _, b := range c.Budget {
		s.Planned = s.Planned.plus(PlannedOf(b))
	}
	for _, e := range entries {
		if e.SpentOn > end {
			continue
		}
		s.SpentToDate.add(e.Source, e.Amount)
		if e.SpentOn >= start {
			s.Spent.add(e.Source, e.Amount)
			s.Entries++
		}
	}
	asOf := end
	if t := day(today).Format(time.DateOnly); t < asOf {
		asOf = t
	}
	for i, m := range c.Milestones {
		pr := progress[i+1]
		done := pr != nil && pr.Status == Done && pr.CompletedOn != "" && pr.CompletedOn <= end
		if done && pr.CompletedOn >= start {
			s.Done = append(s.Done, m.Title)
		}
		if !done && m.Due != "" && m.Due < asOf {
			s.Late = append(s.Late, m.Title)
		}
	}
	return s
}

// Report is one quarterly progress report of a plan.
type Report struct {
	ID          int64        `json:"id"`
	PlanID      int64        `json:"plan_id"`
	Period      string       `json:"period"`
	Summary     Summary      `json:"summary"`
	Narrative   string       `json:"narrative"`
	Status      ReportStatus `json:"status"`
	SubmittedBy string       `json:"submitted_by"`
	SubmittedAt time.Time    `json:"submitted_at"`
	AcceptedBy  string       `json:"accepted_by"`
	AcceptedAt  *time.Time   `json:"accepted_at"`
}
