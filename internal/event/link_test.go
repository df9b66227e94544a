package event

import (
	"testing"

	"github.com/clusterobservatory/observatory/internal/plan"
)

func TestProjectValues(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want *ProjectRef
		ok   bool
	}{
		{"", nil, true},
		{"12-3-2", &ProjectRef{PlanID: 12, BaselineVersion: 3, Project: 2}, true},
		{"12-3-2-4", &ProjectRef{PlanID: 12, BaselineVersion: 3, Project: 2, Activity: 4}, true},
		{"12-3", nil, false},
		{"12-x-2", nil, false},
		{"12--3-2", nil, false},
		{"1-2-3-4-5", nil, false},
	} {
		got, ok := ParseProjectValue(tc.in)
		if ok != tc.ok || (got == nil) != (tc.want == nil) || (got != nil && *got != *tc.want) {
			t.Errorf("ParseProjectValue(%q) = %+v, %v; want %+v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
		if ok && got.Value() != tc.in {
			t.Errorf("Value of %q = %q", tc.in, got.Value())
		}
	}
}

func TestPlaceProject(t *testing.T) {
	earlier := &plan.Content{Projects: []plan.Project{{Title: "Lab"}, {Title: "Export desk"}},
		Activities: []plan.Task{{Project: 1, Title: "Training"}, {Project: 2, Title: "Buyer visit"}}}
	renamed := &plan.Content{Projects: []plan.Project{{Title: "Laboratory"}, {Title: "Export desk"}},
		Activities: []plan.Task{{Project: 1, Title: "Training"}, {Project: 2, Title: "Fair"}}}
	for _, tc := range []struct {
		n, a int
		want bool
	}{{1, 0, false}, {1, 1, false}, {2, 0, true}, {2, 2, false}, {3, 0, false}} {
		if got := PlaceActivity(renamed, earlier, tc.n, tc.a); got != tc.want {
			t.Errorf("PlaceActivity(project %d, activity %d) = %v, want %v", tc.n, tc.a, got, tc.want)
		}
	}
	if !PlaceActivity(earlier, earlier, 1, 1) || PlaceActivity(earlier, earlier, 1, 2) {
		t.Error("an unchanged activity must place, one of another project must not")
	}
	l := &ProjectLink{PlanID: 4, BaselineVersion: 2, CurrentVersion: 3, Project: 1, Current: true}
	for _, tc := range []struct {
		ref  ProjectRef
		want bool
	}{
		{ProjectRef{PlanID: 4, BaselineVersion: 2, Project: 1}, true},
		{ProjectRef{PlanID: 4, BaselineVersion: 3, Project: 1}, true},
		{ProjectRef{PlanID: 4, BaselineVersion: 3, Project: 2}, false},
		{ProjectRef{PlanID: 5, BaselineVersion: 2, Project: 1}, false},
	} {
		if got := l.keeps(tc.ref); got != tc.want {
			t.Errorf("keeps(%+v) = %v, want %v", tc.ref, got, tc.want)
		}
	}
	if l.Ref().BaselineVersion != 3 {
		t.Errorf("Ref of a link that counts in the current baseline = %+v", l.Ref())
	}
}
