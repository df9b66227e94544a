package implementation_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/implementation"
	"github.com/clusterobservatory/observatory/internal/org"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
)

// fixture is an approved plan of a BSO's application to a call (grant at
// most 80 %, counterpart at least 20 %), with dates around today: the
// plan runs from 200 days ago to a year ahead, its project from 180 days
// ago to 180 days ahead; milestone 1 was due 10 days ago, milestone 2 is
// due in 60 days.
type fixture struct {
	d                 *db.DB
	s                 *implementation.Store
	plans             *plan.Store
	plan              *plan.Plan
	bso, otherBSO     *org.Organisation
	staff, other      user.Actor
	officer           user.Actor
	today             time.Time
	projectStart, end string
}

func dayOffset(t time.Time, days int) string { return t.AddDate(0, 0, days).Format(time.DateOnly) }

func createOrg(t *testing.T, d *db.DB, kind org.Kind, name string) *org.Organisation {
	t.Helper()
	o, err := org.NewStore(d).CreateOrganisation(context.Background(), user.System, org.Input{Kind: kind, Name: name, Country: "BRB"})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func bsoActor(id int64) user.Actor {
	return user.Actor{Name: "bso staff", Role: user.BSOStaff, Scope: user.Scope{Kind: user.ScopeBSO, ID: fmt.Sprint(id)}}
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	ps := programme.NewStore(d)
	funder := createOrg(t, d, org.KindFunder, "Caribbean Competitiveness Facility")
	p, err := ps.CreateProgramme(ctx, user.System, programme.ProgrammeInput{Name: "Cluster Programme", FunderID: funder.ID, Currency: "USD",
		Countries: []string{"BRB", "JAM"}})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Minute)
	c, err := ps.CreateCall(ctx, user.System, programme.CallInput{ProgrammeID: p.ID, Number: "2026-1", Title: "Cluster proposals",
		OpensAt: now.AddDate(0, 0, -1), ClosesAt: now.AddDate(0, 1, 0), Published: true, GrantCeiling: 300_000_00, MaxGrantShare: 0.8,
		MinCounterpartShare: 0.2, InKindRule: programme.InKindMax, InKindShare: 0.5,
		Criteria: []programme.Criterion{{Name: "Impact", Weight: 100, Levels: []programme.Level{{Score: 1, Descriptor: "Weak"}, {Score: 5, Descriptor: "Strong"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{d: d, s: implementation.NewStore(d), plans: plan.NewStore(d), bso: createOrg(t, d, org.KindBSO, "Barbados Business Support"),
		otherBSO: createOrg(t, d, org.KindBSO, "Another BSO"), today: now,
		officer: user.Actor{Name: "officer", Role: user.ProgrammeOfficer, Scope: user.Scope{Kind: user.ScopeProgramme, ID: fmt.Sprint(p.ID)}}}
	f.staff, f.other = bsoActor(f.bso.ID), bsoActor(f.otherBSO.ID)
	app, err := ps.CreateApplication(ctx, f.staff, programme.ApplicationInput{CallID: c.ID, Title: "Barbados spice cluster",
		Summary: "Sauces and spices", LeadOrgID: f.bso.ID, Grant: 100_000_00, CounterpartCash: 20_000_00, CounterpartInKind: 5_000_00})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.SQL().ExecContext(ctx, `UPDATE applications SET status = 'shortlisted' WHERE id = $1`, app.ID); err != nil {
		t.Fatal(err)
	}
	pl, _, err := f.plans.OpenPlan(ctx, f.staff, app.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.plan = pl
	f.projectStart, f.end = dayOffset(now, -180), dayOffset(now, 180)
	f.approve(t, f.content())
	return f
}

// content is a complete plan whose budget meets every rule of the call.
func (f *fixture) content() *plan.Content {
	return &plan.Content{Vision: "A Caribbean spice cluster known for quality", StartsOn: dayOffset(f.today, -200), EndsOn: dayOffset(f.today, 365),
		Objectives: []plan.Objective{{Title: "Exports"}},
		Projects: []plan.Project{{Title: "Shared lab", LeadOrgID: f.bso.ID, StartsOn: f.projectStart, EndsOn: f.end},
			{Title: "Export desk", LeadOrgID: f.bso.ID, StartsOn: dayOffset(f.today, -200), EndsOn: dayOffset(f.today, 365)}},
		Milestones: []plan.Task{{Project: 1, Title: "Lab opens", Due: dayOffset(f.today, -10)}, {Project: 2, Title: "First buyer", Due: dayOffset(f.today, 60)}},
		Budget: []plan.BudgetLine{{Project: 1, Category: "equipment", Description: "Ovens", Grant: 80_000_00, Cash: 15_000_00, InKind: 5_000_00},
			{Category: "training", Description: "Courses", Grant: 20_000_00, Cash: 5_000_00}}}
}

// approve saves the content as a new version and has it approved as the baseline.
func (f *fixture) approve(t *testing.T, c *plan.Content) {
	t.Helper()
	ctx := context.Background()
	p, err := f.plans.FindPlanByID(ctx, user.System, f.plan.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.plans.SavePlan(ctx, f.staff, p.ID, plan.SaveInput{BaseVersion: p.Version, Content: c}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.plans.Submit(ctx, f.staff, p.ID, i18n.For("en")); err != nil {
		t.Fatal(err)
	}
	if f.plan, err = f.plans.Approve(ctx, f.officer, p.ID); err != nil {
		t.Fatal(err)
	}
}

var pdf = []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
