package implementation_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/cluster"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/event"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/implementation"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
)

// linkFixture is the web fixture's plan, given a cluster led by its BSO
// and activities, plus the approved plan of another BSO's cluster and
// that cluster's manager.
type linkFixture struct {
	*webFixture
	events   *event.Store
	k, k2    *cluster.Cluster
	plan2    *plan.Plan
	manager2 *user.User
}

func (f *linkFixture) manager2Actor() user.Actor {
	return user.Actor{UserID: f.manager2.ID, Name: "manager", Role: user.ClusterManager,
		Scope: user.Scope{Kind: user.ScopeCluster, ID: fmt.Sprint(f.k2.ID)}}
}

func newLinkFixture(t *testing.T, d *db.DB) *linkFixture {
	t.Helper()
	ctx := context.Background()
	f := &linkFixture{webFixture: newWebFixture(t, d), events: event.NewStore(d)}
	cs := cluster.NewStore(d)
	var err error
	if f.k, err = cs.CreateCluster(ctx, user.System, cluster.Input{Name: "Barbados Spice", Countries: []string{"BRB"},
		Sector: cluster.SectorAgroProcessing, Stage: cluster.StageImplementing, LeadBSOID: f.bso.ID}); err != nil {
		t.Fatal(err)
	}
	if f.k2, err = cs.CreateCluster(ctx, user.System, cluster.Input{Name: "Bridgetown Sauces", Countries: []string{"BRB"},
		Sector: cluster.SectorAgroProcessing, Stage: cluster.StageImplementing, LeadBSOID: f.otherBSO.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.SQL().ExecContext(ctx, `UPDATE plans SET cluster_id = $1 WHERE id = $2`, f.k.ID, f.plan.ID); err != nil {
		t.Fatal(err)
	}
	c := f.content()
	c.Activities = []plan.Task{{Project: 1, Title: "Lab training day", Due: dayOffset(f.today, 30)},
		{Project: 2, Title: "Buyer visit", Due: dayOffset(f.today, 40)}}
	f.approve(t, c)

	// The other BSO's plan, for its own cluster.
	ps := programme.NewStore(d)
	app, err := ps.CreateApplication(ctx, f.fixture.other, programme.ApplicationInput{CallID: f.plan.CallID, Title: "Kingston sauce cluster",
		Summary: "Hot sauces", LeadOrgID: f.otherBSO.ID, ClusterID: &f.k2.ID, Grant: 100_000_00, CounterpartCash: 20_000_00,
		CounterpartInKind: 5_000_00})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.SQL().ExecContext(ctx, `UPDATE applications SET status = 'shortlisted' WHERE id = $1`, app.ID); err != nil {
		t.Fatal(err)
	}
	p2, _, err := f.plans.OpenPlan(ctx, f.fixture.other, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	c2 := f.content()
	c2.Projects[0].Title, c2.Projects[0].LeadOrgID, c2.Projects[1].LeadOrgID = "Sauce bottling line", f.otherBSO.ID, f.otherBSO.ID
	if _, err := f.plans.SavePlan(ctx, f.fixture.other, p2.ID, plan.SaveInput{BaseVersion: p2.Version, Content: c2}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.plans.Submit(ctx, f.fixture.other, p2.ID, i18n.For("en")); err != nil {
		t.Fatal(err)
	}
	if f.plan2, err = f.plans.Approve(ctx, f.fixture.officer, p2.ID); err != nil {
		t.Fatal(err)
	}
	f.manager2 = f.e.CreateUser(user.ClusterManager, fmt.Sprintf("cluster:%d", f.k2.ID))
	return f
}

// eventInput is a workshop today for the clusters, organised by the BSO.
func (f *linkFixture) eventInput(title string, ref *event.ProjectRef, clusters ...int64) event.Input {
	return event.Input{Title: title, Type: event.TypeWorkshop, OrganiserID: f.bso.ID, ClusterIDs: clusters,
		StartsOn: dayOffset(f.today, 0), EndsOn: dayOffset(f.today, 0), Country: "BRB",
		Participants: 20, Women: 12, Men: 8, Youth: 5, PlanProject: ref}
}

func wantFieldProblem(t *testing.T, what string, err error, field, text string) {
	t.Helper()
	p := problem.As(err)
	if p == nil || p.Kind != problem.Invalid {
		t.Fatalf("%s: error = %v, want a problem with %s", what, err, field)
	}
	for _, d := range p.Details {
		if d.Field == field && strings.Contains(d.Message, text) {
			return
		}
	}
	t.Fatalf("%s: error = %+v, want %s: %q", what, p.Details, field, text)
}

func TestEventProjectLinks(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		f := newLinkFixture(t, d)
		staff, admin := bsoActor(f.bso.ID), user.System

		// Saved, shown with the titles of the baseline, audited.
		ev, err := f.events.CreateEvent(ctx, staff, f.eventInput("Lab training", &event.ProjectRef{PlanID: f.plan.ID, Project: 1, Activity: 1}, f.k.ID))
		if err != nil {
			t.Fatal(err)
		}
		l := ev.PlanProject
		if l == nil || l.ProjectTitle != "Shared lab" || l.ActivityTitle != "Lab training day" || !l.Current ||
			l.BaselineVersion != f.plan.Baseline() || l.PlanTitle != f.plan.Title {
			t.Fatalf("link = %+v", l)
		}
		if got, _ := f.events.FindEventByID(ctx, staff, ev.ID); got.PlanProject == nil || got.PlanProject.Project != 1 {
			t.Errorf("read back = %+v", got.PlanProject)
		}

		// A project of another cluster's plan, an activity of another
		// project, a project the plan lacks: refused on the field.
		_, err = f.events.CreateEvent(ctx, admin, f.eventInput("Wrong plan", &event.ProjectRef{PlanID: f.plan2.ID, Project: 1}, f.k.ID))
		wantFieldProblem(t, "other cluster's plan", err, "plan_project", "which this event does not serve")
		_, err = f.events.CreateEvent(ctx, admin, f.eventInput("Wrong activity", &event.ProjectRef{PlanID: f.plan.ID, Project: 1, Activity: 2}, f.k.ID))
		wantFieldProblem(t, "activity of project 2", err, "plan_project", "not an activity of the project Shared lab")
		_, err = f.events.CreateEvent(ctx, admin, f.eventInput("No such project", &event.ProjectRef{PlanID: f.plan.ID, Project: 9}, f.k.ID))
		wantFieldProblem(t, "project 9", err, "plan_project", "has no project 9")
		if n := count(t, d, "event_plan_projects"); n != 1 {
			t.Fatalf("%d links stored, want 1", n)
		}

		// Scope: the other cluster's manager sees and links only their plan.
		joint, err := f.events.CreateEvent(ctx, admin, f.eventInput("Joint sauce and spice fair", nil, f.k.ID, f.k2.ID))
		if err != nil {
			t.Fatal(err)
		}
		m2 := f.manager2Actor()
		_, err = f.events.LinkProject(ctx, m2, joint.ID, &event.ProjectRef{PlanID: f.plan.ID, Project: 1})
		wantFieldProblem(t, "plan out of scope", err, "plan_project", "no approved plan")
		choices, err := f.events.ProjectChoices(ctx, m2, []int64{f.k.ID, f.k2.ID})
		if err != nil || len(choices) != 1 || choices[0].PlanID != f.plan2.ID {
			t.Fatalf("choices of the other manager = %+v, %v", choices, err)
		}
		if _, err := f.events.LinkProject(ctx, m2, joint.ID, &event.ProjectRef{PlanID: f.plan2.ID, Project: 1}); err != nil {
			t.Fatal(err)
		}
		// The BSO's staff read the joint event, but not the other plan's titles.
		got, err := f.events.FindEventByID(ctx, staff, joint.ID)
		if err != nil || got.PlanProject == nil || got.PlanProject.ProjectTitle != "" || got.PlanProject.Readable {
			t.Fatalf("joint event for the staff = %+v, %v", got.PlanProject, err)
		}
		// An edit of the event's own fields keeps that link.
		in := event.InputOf(got)
		in.Place = "Bridgetown"
		if _, err := f.events.UpdateEvent(ctx, staff, joint.ID, in); err != nil {
			t.Fatalf("edit keeping a link to an unseen plan: %v", err)
		}
		if got, _ := f.events.FindEventByID(ctx, admin, joint.ID); got.PlanProject == nil || got.PlanProject.PlanID != f.plan2.ID {
			t.Fatalf("link after the edit = %+v", got.PlanProject)
		}
		// ... also once a revision of that plan, its project unchanged, is the baseline.
		c2, p2 := f.content(), f.plan2
		c2.Projects[0].Title, c2.Projects[0].LeadOrgID, c2.Projects[1].LeadOrgID = "Sauce bottling line", f.otherBSO.ID, f.otherBSO.ID
		c2.Budget[1].Description = "Courses and coaching"
		if _, err := f.plans.SavePlan(ctx, f.fixture.other, p2.ID, plan.SaveInput{BaseVersion: p2.Version, Content: c2}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.plans.Submit(ctx, f.fixture.other, p2.ID, i18n.For("en")); err != nil {
			t.Fatal(err)
		}
		if f.plan2, err = f.plans.Approve(ctx, f.fixture.officer, p2.ID); err != nil {
			t.Fatal(err)
		}
		got, _ = f.events.FindEventByID(ctx, staff, joint.ID)
		in = event.InputOf(got)
		in.Place = "Speightstown"
		if _, err := f.events.UpdateEvent(ctx, staff, joint.ID, in); err != nil {
			t.Fatalf("edit keeping a link that moved to the new baseline: %v", err)
		}
		if got, _ := f.events.FindEventByID(ctx, admin, joint.ID); got.PlanProject.BaselineVersion != f.plan2.Baseline() || !got.PlanProject.Current {
			t.Fatalf("link after the new baseline = %+v", got.PlanProject)
		}

		// Implementation: the event under its project, with its counts.
		ws, err := f.s.Open(ctx, staff, f.plan.ID)
		if err != nil {
			t.Fatal(err)
		}
		pe, err := f.s.FindProjectEvents(ctx, staff, ws)
		if err != nil {
			t.Fatal(err)
		}
		if pe.Count != 1 || len(pe.Projects) != 2 || len(pe.Projects[0].Events) != 1 || pe.Projects[0].Events[0].ID != ev.ID ||
			pe.Projects[0].Events[0].Activity != "Lab training day" || pe.Projects[0].Totals.Women != 12 || len(pe.Projects[1].Events) != 0 {
			t.Fatalf("project events = %+v", pe)
		}
		r, err := f.s.SubmitReport(ctx, staff, f.plan.ID, implementation.ReportInput{Period: implementation.PeriodOf(f.today).String(),
			Narrative: "Training held."}, f.today)
		if err != nil {
			t.Fatal(err)
		}
		if s := r.Summary.Events; s == nil || s.Events != 1 || s.Participants != 20 || s.Youth != 5 {
			t.Fatalf("report events = %+v", s)
		}

		// A revision that renames project 1 moves the event apart; one
		// that keeps it keeps the event under it.
		c := f.content()
		c.Activities = []plan.Task{{Project: 1, Title: "Lab training day", Due: dayOffset(f.today, 30)}}
		c.Budget[1].Description = "Courses and coaching"
		f.approve(t, c)
		ws, _ = f.s.Open(ctx, staff, f.plan.ID)
		if pe, _ = f.s.FindProjectEvents(ctx, staff, ws); len(pe.Projects[0].Events) != 1 || len(pe.Earlier) != 0 {
			t.Fatalf("after an unchanged project = %+v", pe)
		}
		c.Projects[0].Title = "Shared laboratory"
		f.approve(t, c)
		ws, _ = f.s.Open(ctx, staff, f.plan.ID)
		if pe, _ = f.s.FindProjectEvents(ctx, staff, ws); len(pe.Projects[0].Events) != 0 || len(pe.Earlier) != 1 {
			t.Fatalf("after a renamed project = %+v", pe)
		}
		got, _ = f.events.FindEventByID(ctx, staff, ev.ID)
		if got.PlanProject.Current || got.PlanProject.ProjectTitle != "Shared lab" {
			t.Fatalf("link after the rename = %+v", got.PlanProject)
		}
		// Kept as it is by an edit of other fields, refused as a new choice.
		in = event.InputOf(got)
		in.Place = "Holetown"
		if _, err := f.events.UpdateEvent(ctx, staff, ev.ID, in); err != nil {
			t.Fatalf("edit keeping an earlier baseline's link: %v", err)
		}
		_, err = f.events.CreateEvent(ctx, staff, f.eventInput("Old baseline", in.PlanProject, f.k.ID))
		wantFieldProblem(t, "earlier baseline", err, "plan_project", "current baseline")
	})
}

func TestEventProjectPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newLinkFixture(t, d)
		e, staff := f.e, f.e.Browser(f.staff)
		r := e.Get(staff, fmt.Sprintf("/events/new?cluster=%d", f.k.ID))
		wantStatus(t, "new form", r, http.StatusOK)
		wantBody(t, "new form", r, true, `name="plan_project"`, "Shared lab", "Lab training day")
		wantBody(t, "new form", r, false, "Sauce bottling line")

		value := fmt.Sprintf("%d-%d-1", f.plan.ID, f.plan.Baseline())
		form := url.Values{"title": {"Spice lab open day"}, "type": {"workshop"}, "organiser_id": {fmt.Sprint(f.bso.ID)},
			"cluster_ids": {fmt.Sprint(f.k.ID)}, "starts_on": {dayOffset(f.today, -1)}, "ends_on": {dayOffset(f.today, -1)},
			"country": {"BRB"}, "participants": {"10"}, "women": {"6"}, "men": {"4"}, "other": {"0"}, "youth": {"3"},
			"plan_project": {fmt.Sprintf("%d-%d-1", f.plan2.ID, f.plan2.Baseline())}}
		r = e.PostForm(staff, "/events", form)
		wantStatus(t, "a plan out of scope", r, http.StatusUnprocessableEntity)
		wantBody(t, "a plan out of scope", r, true, "There is no approved plan", `aria-invalid="true"`)
		r = e.PostForm(e.Browser(f.admin), "/events", form)
		wantStatus(t, "another cluster's plan", r, http.StatusUnprocessableEntity)
		wantBody(t, "another cluster's plan", r, true, "which this event does not serve", `aria-invalid="true"`)
		form.Set("plan_project", "nonsense")
		r = e.PostForm(staff, "/events", form)
		wantStatus(t, "unreadable value", r, http.StatusUnprocessableEntity)
		wantBody(t, "unreadable value", r, true, "Choose a project of an approved plan")

		form.Set("plan_project", value)
		r = e.PostForm(staff, "/events", form)
		wantStatus(t, "create", r, http.StatusSeeOther)
		loc := r.Header.Get("Location")
		r = e.Get(staff, loc)
		wantBody(t, "event page", r, true, "Plan project", "Shared lab", fmt.Sprintf(`href="/plans/%d/implementation"`, f.plan.ID))
		r = e.Get(staff, loc+"/edit")
		wantBody(t, "edit form", r, true, fmt.Sprintf(`value="%s" selected`, value))

		r = e.Get(staff, fmt.Sprintf("/plans/%d/implementation", f.plan.ID))
		wantStatus(t, "implementation", r, http.StatusOK)
		wantBody(t, "implementation", r, true, "Events by project", "Spice lab open day", "60%", "30%",
			fmt.Sprintf("/events?plan=%d&project=1", f.plan.ID))
		r = e.Get(staff, fmt.Sprintf("/events?plan=%d&project=1", f.plan.ID))
		wantBody(t, "filtered list", r, true, "Spice lab open day", "Events that delivered")
		r = e.Get(staff, fmt.Sprintf("/events?plan=%d&project=2", f.plan.ID))
		wantBody(t, "other project", r, false, "Spice lab open day")

		// The API shows the link and removes it on null.
		token := e.Token(f.staff)
		id := strings.TrimPrefix(loc, "/events/")
		var got struct {
			PlanProject *struct {
				PlanID       int64  `json:"plan_id"`
				Project      int    `json:"project"`
				ProjectTitle string `json:"project_title"`
			} `json:"plan_project"`
		}
		r = e.API("GET", "/api/v1/events/"+id, token, nil)
		wantStatus(t, "api get", r, http.StatusOK)
		r.JSON(t, &got)
		if got.PlanProject == nil || got.PlanProject.PlanID != f.plan.ID || got.PlanProject.ProjectTitle != "Shared lab" {
			t.Fatalf("api link = %+v", got.PlanProject)
		}
		r = e.API("GET", fmt.Sprintf("/api/v1/events?plan=%d&project=1", f.plan.ID), token, nil)
		wantBody(t, "api filter", r, true, `"total":1`)
		r = e.API("PATCH", "/api/v1/events/"+id, token, map[string]any{"plan_project": map[string]any{"plan_id": f.plan2.ID, "project": 1}})
		wantStatus(t, "api other plan", r, http.StatusUnprocessableEntity)
		wantBody(t, "api other plan", r, true, "plan_project")
		r = e.API("PATCH", "/api/v1/events/"+id, token, map[string]any{"place": "Oistins"})
		wantStatus(t, "api patch", r, http.StatusOK)
		r.JSON(t, &got)
		if got.PlanProject == nil {
			t.Fatal("a patch without plan_project removed the link")
		}
		r = e.API("PATCH", "/api/v1/events/"+id, token, map[string]any{"plan_project": nil})
		wantStatus(t, "api unlink", r, http.StatusOK)
		got.PlanProject = nil
		r.JSON(t, &got)
		if got.PlanProject != nil {
			t.Fatalf("link after null = %+v", got.PlanProject)
		}

		// The other cluster's manager is offered their own plan only.
		r = e.Get(e.Browser(f.manager2), fmt.Sprintf("/events/new?cluster=%d", f.k2.ID))
		wantBody(t, "manager's form", r, true, "Sauce bottling line")
		wantBody(t, "manager's form", r, false, "Shared lab")
	})
}
