package implementation

import (
	"context"
	"time"

	"github.com/clusterobservatory/observatory/internal/event"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/user"
)

// The events that delivered the plan's projects: each event may be linked
// to one project of the baseline (and one of its activities) from the
// event's form. An event linked under an earlier baseline counts under
// the project at the same position of the current one when that
// project's title is unchanged (event.PlaceProject), and is otherwise
// shown apart. Grouping and totals are pure logic.

// EventRow is one linked event with the activity it delivered.
type EventRow struct {
	*event.Event
	Activity string // the activity's title, "" for the project as a whole
}

// ProjectEventGroup is one project of the baseline with its events.
type ProjectEventGroup struct {
	N      int
	Title  string
	Events []EventRow
	Totals event.Counts
}

// ProjectEvents are the events linked to a plan's projects, by project
// of the current baseline, with those of projects of an earlier baseline
// apart and the participants of all of them added up.
type ProjectEvents struct {
	Projects []ProjectEventGroup
	Earlier  []EventRow
	Count    int
	Totals   event.Counts
}

// addCounts adds b to a.
func addCounts(a, b event.Counts) event.Counts {
	return event.Counts{Participants: a.Participants + b.Participants, Women: a.Women + b.Women, Men: a.Men + b.Men,
		Other: a.Other + b.Other, Youth: a.Youth + b.Youth}
}

// GroupEvents places linked events (with their links resolved by the
// event store) under the projects of the baseline c.
func GroupEvents(c *plan.Content, evs []*event.Event) *ProjectEvents {
	out := &ProjectEvents{}
	if c == nil {
		return out
	}
	for i, p := range c.Projects {
		out.Projects = append(out.Projects, ProjectEventGroup{N: i + 1, Title: p.Title})
	}
	for _, e := range evs {
		l := e.PlanProject
		if l == nil {
			continue
		}
		out.Count++
		out.Totals = addCounts(out.Totals, e.Counts)
		if !l.Current || l.Project < 1 || l.Project > len(out.Projects) {
			out.Earlier = append(out.Earlier, EventRow{Event: e, Activity: l.ActivityTitle})
			continue
		}
		g := &out.Projects[l.Project-1]
		g.Events = append(g.Events, EventRow{Event: e, Activity: event.ActivityTitle(c, l.Project, l.Activity)})
		g.Totals = addCounts(g.Totals, e.Counts)
	}
	return out
}

// EventTotals are the linked events that started in a report's quarter
// and their participants.
type EventTotals struct {
	Events       int `json:"events"`
	Participants int `json:"participants"`
	Women        int `json:"women"`
	Youth        int `json:"youth"`
}

// WomenShare is the share of women among the participants (0 without any).
func (t EventTotals) WomenShare() float64 { return ratio(t.Women, t.Participants) }

// YouthShare is the share of young people among the participants (0 without any).
func (t EventTotals) YouthShare() float64 { return ratio(t.Youth, t.Participants) }

func ratio(n, total int) float64 {
	if total <= 0 {
		return 0
	}
	return float64(n) / float64(total)
}

// SummariseEvents adds up the linked events that started in period p.
func SummariseEvents(p Period, evs []*event.Event) *EventTotals {
	start, end := p.Start().Format(time.DateOnly), p.End().Format(time.DateOnly)
	t := &EventTotals{}
	for _, e := range evs {
		if e.PlanProject == nil || e.StartsOn < start || e.StartsOn > end {
			continue
		}
		t.Events++
		t.Participants += e.Participants
		t.Women += e.Women
		t.Youth += e.Youth
	}
	return t
}

// FindProjectEvents lists the events linked to the projects of w's plan
// that the actor may read, grouped under the projects of its baseline.
func (s *Store) FindProjectEvents(ctx context.Context, actor user.Actor, w *Workspace) (*ProjectEvents, error) {
	if w.Baseline == nil {
		return &ProjectEvents{}, nil
	}
	evs, err := s.events.FindPlanEvents(ctx, actor, w.Plan.ID)
	if err != nil {
		return nil, err
	}
	return GroupEvents(w.Baseline, evs), nil
}
