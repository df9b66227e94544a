package event

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/plan"
)

// The project an event delivers. An event may serve one project of an
// approved plan of one of its clusters, and optionally one activity of
// that project. Projects and activities are positions (from 1) in a
// version's content, so a link keeps the baseline version it was made
// against, as the implementation's spending and milestones do; when a
// revision becomes the baseline, the link counts under the project at the
// same position if its title is unchanged (PlaceProject). Pure logic.

// ProjectRef is the project an input links an event to: plan PlanID,
// project Project (from 1) and optionally activity Activity (from 1; 0 for
// the project as a whole) of baseline BaselineVersion (0: the plan's
// current baseline).
type ProjectRef struct {
	PlanID          int64 `json:"plan_id"`
	Project         int   `json:"project"`
	Activity        int   `json:"activity,omitempty"`
	BaselineVersion int   `json:"baseline_version,omitempty"`
}

// ProjectLink is the project an event delivers, as pages and the API show
// it. Titles are those of the linked baseline; they are empty when the
// reader may not see the plan.
type ProjectLink struct {
	PlanID          int64  `json:"plan_id"`
	PlanTitle       string `json:"plan_title,omitempty"`
	BaselineVersion int    `json:"baseline_version"`
	Project         int    `json:"project"`
	ProjectTitle    string `json:"project_title,omitempty"`
	Activity        int    `json:"activity,omitempty"`
	ActivityTitle   string `json:"activity_title,omitempty"`
	// Current says the project (and activity) is unchanged in the plan's
	// current baseline, where it counts.
	Current bool `json:"current_baseline"`
	// CurrentVersion is the plan's current baseline.
	CurrentVersion int `json:"-"`
	// Readable says the reader may see the plan.
	Readable bool `json:"-"`
}

// Ref is the input that keeps the link: to the same project of the
// current baseline when it counts there, else as it was made.
func (l *ProjectLink) Ref() *ProjectRef {
	if l == nil {
		return nil
	}
	v := l.BaselineVersion
	if l.Current {
		v = l.CurrentVersion
	}
	return &ProjectRef{PlanID: l.PlanID, Project: l.Project, Activity: l.Activity, BaselineVersion: v}
}

// keeps reports whether ref is the stored link l: the same project and
// activity of the same baseline, or of the current baseline when the
// link counts there.
func (l *ProjectLink) keeps(ref ProjectRef) bool {
	if l == nil || l.PlanID != ref.PlanID || l.Project != ref.Project || l.Activity != ref.Activity {
		return false
	}
	return ref.BaselineVersion == l.BaselineVersion || (l.Current && ref.BaselineVersion == l.CurrentVersion)
}

// Value is the link written as a form value (see ParseProjectValue).
func (l *ProjectLink) Value() string { return l.Ref().Value() }

// Value writes a reference as a form value: plan-version-project, with
// -activity when there is one.
func (r *ProjectRef) Value() string {
	if r == nil {
		return ""
	}
	s := fmt.Sprintf("%d-%d-%d", r.PlanID, r.BaselineVersion, r.Project)
	if r.Activity > 0 {
		s += "-" + strconv.Itoa(r.Activity)
	}
	return s
}

// ParseProjectValue reads a form value written by Value; "" is no project.
// A value that cannot be read is reported by ok false.
func ParseProjectValue(s string) (ref *ProjectRef, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, true
	}
	parts := strings.Split(s, "-")
	if len(parts) < 3 || len(parts) > 4 {
		return nil, false
	}
	n := make([]int64, 4)
	for i, p := range parts {
		v, err := strconv.ParseInt(p, 10, 64)
		if err != nil || v < 0 {
			return nil, false
		}
		n[i] = v
	}
	return &ProjectRef{PlanID: n[0], BaselineVersion: int(n[1]), Project: int(n[2]), Activity: int(n[3])}, true
}

// PlaceProject reports whether project n of an earlier baseline counts
// under the current one: the project at the same position has the same
// title.
func PlaceProject(current, earlier *plan.Content, n int) bool {
	if current == nil || earlier == nil || n < 1 || n > len(current.Projects) || n > len(earlier.Projects) {
		return false
	}
	return current.Projects[n-1].Title == earlier.Projects[n-1].Title
}

// PlaceActivity is PlaceProject for activity a (from 1) of project n: the
// activity at the same position has the same title and the same project.
func PlaceActivity(current, earlier *plan.Content, n, a int) bool {
	if !PlaceProject(current, earlier, n) {
		return false
	}
	if a == 0 {
		return true
	}
	if a > len(current.Activities) || a > len(earlier.Activities) {
		return false
	}
	c, e := current.Activities[a-1], earlier.Activities[a-1]
	return c.Title == e.Title && c.Project == n && e.Project == n
}

// ActivityTitle names activity a (from 1) of c when it belongs to project
// n, or "".
func ActivityTitle(c *plan.Content, n, a int) string {
	if c == nil || a < 1 || a > len(c.Activities) || c.Activities[a-1].Project != n {
		return ""
	}
	return c.Activities[a-1].Title
}

// ProjectChoice is one entry of the project picker: a project, or one of
// its activities.
type ProjectChoice struct {
	Value    string
	Title    string
	Activity bool // an activity of the project listed before it
}

// PlanChoices are the projects of one approved plan offered by the picker.
type PlanChoices struct {
	PlanID      int64
	Title       string
	ClusterName string
	Choices     []ProjectChoice
}

// choicesOf lists the projects of a baseline and their activities.
func choicesOf(planID int64, version int, c *plan.Content) []ProjectChoice {
	var out []ProjectChoice
	for i, p := range c.Projects {
		ref := ProjectRef{PlanID: planID, BaselineVersion: version, Project: i + 1}
		out = append(out, ProjectChoice{Value: ref.Value(), Title: p.Title})
		for j, a := range c.Activities {
			if a.Project == i+1 {
				ref.Activity = j + 1
				out = append(out, ProjectChoice{Value: ref.Value(), Title: a.Title, Activity: true})
			}
		}
	}
	return out
}
