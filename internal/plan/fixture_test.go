package plan_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/org"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
)

// fixture is a programme with an open call (grant at most 80 %, counterpart
// at least 20 %, at most half of it in kind, ceiling 300,000 USD), two BSOs,
// three firms and an application of the first BSO.
type fixture struct {
	d              *db.DB
	programme      *programme.Programme
	call           *programme.Call
	bso, otherBSO  *org.Organisation
	firms          []*org.Organisation
	app            *programme.Application
	staff, other   user.Actor
	officer        user.Actor
	foreignOfficer user.Actor
}

func bsoActor(id int64) user.Actor {
	return user.Actor{Name: "bso staff", Role: user.BSOStaff, Scope: user.Scope{Kind: user.ScopeBSO, ID: fmt.Sprint(id)}}
}

func officerOf(programmeID int64) user.Actor {
	return user.Actor{Name: "officer", Role: user.ProgrammeOfficer, Scope: user.Scope{Kind: user.ScopeProgramme, ID: fmt.Sprint(programmeID)}}
}

func createOrg(t *testing.T, d *db.DB, kind org.Kind, name string) *org.Organisation {
	t.Helper()
	o, err := org.NewStore(d).CreateOrganisation(context.Background(), user.System, org.Input{Kind: kind, Name: name, Country: "BRB"})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	ps := programme.NewStore(d)
	funder := createOrg(t, d, org.KindFunder, "Caribbean Competitiveness Facility")
	p, err := ps.CreateProgramme(ctx, user.System, programme.ProgrammeInput{Name: "Cluster Programme", FunderID: funder.ID, Currency: "USD",
		Countries: []string{"BRB", "JAM"}, StartsOn: "2024-01-01", EndsOn: "2029-12-31"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := ps.CreateProgramme(ctx, user.System, programme.ProgrammeInput{Name: "Other Programme", FunderID: funder.ID, Currency: "USD",
		Countries: []string{"JAM"}})
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
	f := &fixture{d: d, programme: p, call: c, bso: createOrg(t, d, org.KindBSO, "Barbados Business Support"),
		otherBSO: createOrg(t, d, org.KindBSO, "Another BSO"), officer: officerOf(p.ID), foreignOfficer: officerOf(other.ID)}
	for i := range 3 {
		f.firms = append(f.firms, createOrg(t, d, org.KindFirm, fmt.Sprintf("Firm %d", i+1)))
	}
	f.staff, f.other = bsoActor(f.bso.ID), bsoActor(f.otherBSO.ID)
	f.app, err = ps.CreateApplication(ctx, f.staff, programme.ApplicationInput{CallID: c.ID, Title: "Barbados spice cluster",
		Summary: "Sauces and spices", LeadOrgID: f.bso.ID, Grant: 200_000_00, CounterpartCash: 40_000_00, CounterpartInKind: 10_000_00})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// shortlist stands for the panel's decision, which this package does not make.
func (f *fixture) shortlist(t *testing.T) {
	t.Helper()
	if _, err := f.d.SQL().ExecContext(context.Background(), `UPDATE applications SET status = 'shortlisted' WHERE id = $1`, f.app.ID); err != nil {
		t.Fatal(err)
	}
}

// content is a complete plan whose budget meets every rule of the call.
func (f *fixture) content() *plan.Content {
	return &plan.Content{Vision: "A Caribbean spice cluster known for quality", StartsOn: "2026-01-01", EndsOn: "2027-12-31",
		Objectives:  []plan.Objective{{Title: "Exports", Description: "Double exports to North America"}, {Title: "Skills"}},
		ActionLines: []plan.ActionLine{{Title: "Certification", Objective: 1}},
		Projects: []plan.Project{{Title: "Shared lab", LeadOrgID: f.bso.ID, PartnerIDs: []int64{f.firms[0].ID, f.firms[1].ID},
			StartsOn: "2026-02-01", EndsOn: "2026-12-31"}},
		Activities: []plan.Task{{Project: 1, Title: "Buy equipment", Due: "2026-04-30"}},
		Milestones: []plan.Task{{Project: 1, Title: "Lab opens", Due: "2026-06-30"}},
		Risks:      []plan.Risk{{Description: "Drought", Likelihood: plan.Medium, Impact: plan.High, Mitigation: "Irrigation"}},
		Budget: []plan.BudgetLine{{Project: 1, Category: "equipment", Description: "Ovens", Grant: 80_000_00, Cash: 15_000_00, InKind: 5_000_00},
			{Category: "training", Description: "Courses", Grant: 20_000_00, Cash: 5_000_00}}}
}
