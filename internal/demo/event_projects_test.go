package demo

import (
	"testing"

	"github.com/clusterobservatory/observatory/internal/event"
	"github.com/clusterobservatory/observatory/internal/plan"
)

func TestProjectFor(t *testing.T) {
	c := &plan.Content{
		Projects: []plan.Project{{Title: "Lab", StartsOn: "2025-03-01", EndsOn: "2026-08-31"},
			{Title: "Export desk", StartsOn: "2025-09-01", EndsOn: "2026-12-31"}},
		Activities: []plan.Task{{Project: 1, Title: "Steering committee review of Lab"},
			{Project: 2, Title: "Steering committee review of Export desk"}},
	}
	for _, tc := range []struct {
		e              clusterEvent
		project, activ int // 0: no link
	}{
		{clusterEvent{id: 11, typ: event.TypeWorkshop, date: "2025-04-10"}, 1, 0},
		{clusterEvent{id: 12, typ: event.TypeMeeting, date: "2025-04-10"}, 1, 1},
		{clusterEvent{id: 13, typ: event.TypeMeeting, date: "2025-10-01"}, 2, 2},
		{clusterEvent{id: 14, typ: event.TypeTraining, date: "2025-10-01"}, 1, 0},
		{clusterEvent{id: 15, typ: event.TypeWorkshop, date: "2025-10-01"}, 0, 0}, // one in five serves none
		{clusterEvent{id: 16, typ: event.TypeOther, date: "2025-10-01"}, 0, 0},
		{clusterEvent{id: 17, typ: event.TypeWorkshop, date: "2025-01-10"}, 0, 0}, // before every project
	} {
		ref := projectFor(c, tc.e)
		switch {
		case tc.project == 0 && ref != nil:
			t.Errorf("event %d: linked to %+v, want none", tc.e.id, ref)
		case tc.project != 0 && (ref == nil || ref.Project != tc.project || ref.Activity != tc.activ):
			t.Errorf("event %d: linked to %+v, want project %d activity %d", tc.e.id, ref, tc.project, tc.activ)
		}
	}
}
