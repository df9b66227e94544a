package programme_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/cluster"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/org"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
)

// applyFixture is an open call with two BSOs and three firms to apply with.
type applyFixture struct {
	call              *programme.Call
	bso, otherBSO     *org.Organisation
	firms             []*org.Organisation
	staff, otherStaff user.Actor
	programmeOfficer  user.Actor
	unrelatedOfficer  user.Actor
}

func bsoActor(id int64) user.Actor {
	return user.Actor{Name: "bso staff", Role: user.BSOStaff, Scope: user.Scope{Kind: user.ScopeBSO, ID: fmt.Sprint(id)}}
}

func newApplyFixture(t *testing.T, d *db.DB) *applyFixture {
	t.Helper()
	ctx := context.Background()
	s := programme.NewStore(d)
	funder := createOrg(t, d, org.KindFunder, "Caribbean Competitiveness Facility")
	p, err := s.CreateProgramme(ctx, officer, programmeInput(funder.ID))
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.CreateProgramme(ctx, officer, programme.ProgrammeInput{Name: "Other programme", FunderID: funder.ID, Currency: "USD", Countries: []string{"JAM"}})
	if err != nil {
		t.Fatal(err)
	}
	in := callInput(p.ID)
	now := time.Now().UTC()
	in.OpensAt, in.ClosesAt = now.Add(-24*time.Hour).Truncate(time.Minute), now.Add(30*24*time.Hour).Truncate(time.Minute)
	in.Rules = []programme.Rule{
		programme.NewRule(programme.RuleMinPrivateFirms, programme.MinPrivateFirms{N: 2}),
		programme.NewRule(programme.RuleEligibleCountries, programme.EligibleCountries{}),
		programme.NewRule(programme.RuleNoTaxDebt, nil),
		programme.NewRule(programme.RuleRequiredDocuments, programme.RequiredDocuments{Documents: []string{"Certificate of incorporation"}}),
	}
	c, err := s.CreateCall(ctx, officer, in)
	if err != nil {
		t.Fatal(err)
	}
	f := &applyFixture{call: c, bso: createOrg(t, d, org.KindBSO, "Barbados Business Support"),
		otherBSO: createOrg(t, d, org.KindBSO, "Another BSO"), programmeOfficer: scopedOfficer(p.ID), unrelatedOfficer: scopedOfficer(other.ID)}
	for i := range 3 {
		f.firms = append(f.firms, createOrg(t, d, org.KindFirm, fmt.Sprintf("Firm %d", i+1)))
	}
	f.staff, f.otherStaff = bsoActor(f.bso.ID), bsoActor(f.otherBSO.ID)
	return f
}

// input is a concept note that meets every rule but the grant ceiling when grant is above it.
func (f *applyFixture) input(grant int64) programme.ApplicationInput {
	return programme.ApplicationInput{CallID: f.call.ID, Title: "Barbados agro-processing cluster", Summary: "Sauces and spices for export.",
		LeadOrgID: f.bso.ID, Grant: grant, CounterpartCash: 60_000_00, CounterpartInKind: 20_000_00, FormallyRegistered: true, NoTaxDebt: true,
		MonthsOperating: 36, Documents: []string{"certificate of incorporation"},
		Members: []programme.MemberInput{{OrganisationID: f.firms[0].ID, Role: programme.RoleLeadFirm},
			{OrganisationID: f.firms[1].ID, Role: programme.RoleMemberFirm}, {OrganisationID: f.bso.ID, Role: programme.RoleBSO}}}
}

func TestApplicationDraftEditSubmit(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := programme.NewStore(d)
		f := newApplyFixture(t, d)
		en := i18n.For("en")

		// Validation names every field.
		bad := f.input(-1)
		bad.Title = " "
		bad.Members = append(bad.Members, programme.MemberInput{OrganisationID: f.firms[0].ID, Role: "owner"},
			programme.MemberInput{OrganisationID: 999999, Role: programme.RoleOther})
		bad.LeadOrgID = 999998
		_, err := s.CreateApplication(ctx, f.staff, bad)
		wantFields(t, err, map[string]string{"title": "title", "grant_request": "negative",
			"members[3].organisation_id": "already listed in row 1", "members[3].role": "choose a role",
			"members[4].organisation_id": "no organisation #999999", "lead_org_id": "no organisation #999998"})
		if _, err := s.CreateApplication(ctx, officer, f.input(1)); !problem.Is(err, problem.Forbidden) {
			t.Fatalf("officer drafts: %v", err)
		}

		// A grant above the ceiling is no form error: it is judged at submission.
		a, err := s.CreateApplication(ctx, f.staff, f.input(400_000_00))
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != programme.AppDraft || len(a.Members) != 3 || a.BSOID == nil || *a.BSOID != f.bso.ID || a.Eligible != nil {
			t.Fatalf("draft: %+v", a)
		}

		// Scope: another BSO neither reads nor edits it; the programme's officer reads it, another programme's does not.
		if _, err := s.FindApplicationByID(ctx, f.otherStaff, a.ID); !problem.Is(err, problem.NotFound) {
			t.Fatalf("other BSO reads: %v", err)
		}
		title := "Stolen"
		if _, err := s.PatchApplication(ctx, f.otherStaff, a.ID, programme.ApplicationPatch{Title: &title}); !problem.Is(err, problem.NotFound) {
			t.Fatalf("other BSO edits: %v", err)
		}
		if _, err := s.FindApplicationByID(ctx, f.programmeOfficer, a.ID); err != nil {
			t.Fatalf("officer reads: %v", err)
		}
		if _, err := s.FindApplicationByID(ctx, f.unrelatedOfficer, a.ID); !problem.Is(err, problem.NotFound) {
			t.Fatalf("unrelated officer reads: %v", err)
		}
		if _, err := s.PatchApplication(ctx, f.programmeOfficer, a.ID, programme.ApplicationPatch{Title: &title}); !problem.Is(err, problem.Forbidden) {
			t.Fatalf("officer edits: %v", err)
		}
		list, total, err := s.FindApplications(ctx, f.otherStaff, programme.ApplicationFilter{CallID: f.call.ID})
		if err != nil || total != 0 || len(list) != 0 {
			t.Fatalf("other BSO lists %d, %v", total, err)
		}
		if _, total, _ := s.FindApplications(ctx, f.programmeOfficer, programme.ApplicationFilter{CallID: f.call.ID}); total != 1 {
			t.Fatalf("officer lists %d", total)
		}

		// Editing: patch changes only what it sets.
		title = "Barbados sauces and spices cluster"
		a, err = s.PatchApplication(ctx, f.staff, a.ID, programme.ApplicationPatch{Title: &title})
		if err != nil || a.Title != title || a.Grant != 400_000_00 || len(a.Members) != 3 {
			t.Fatalf("patch: %+v %v", a, err)
		}

		// Submission judges every rule and stores its reason.
		a, err = s.SubmitApplication(ctx, f.staff, a.ID, en, nil)
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != programme.AppSubmitted || a.SubmittedAt == nil || a.Eligible == nil || *a.Eligible {
			t.Fatalf("submitted: %+v", a)
		}
		got := map[programme.RuleKind]programme.Result{}
		for _, r := range a.Results {
			got[r.Kind] = r
		}
		if len(a.Results) != 6 || !got[programme.RuleMinPrivateFirms].Pass || !got[programme.RuleRequiredDocuments].Pass ||
			!got[programme.RuleEligibleCountries].Pass || got[programme.RuleGrantCeiling].Pass ||
			!strings.Contains(got[programme.RuleGrantCeiling].Reason, "400,000") {
			t.Fatalf("results: %+v", a.Results)
		}
		again, err := s.FindApplicationByID(ctx, f.programmeOfficer, a.ID)
		if err != nil || len(again.Results) != 6 || again.Results[0].Reason == "" {
			t.Fatalf("stored results: %+v %v", again, err)
		}

		// A submitted application is no longer the applicant's to change.
		if _, err := s.PatchApplication(ctx, f.staff, a.ID, programme.ApplicationPatch{Title: &title}); !problem.Is(err, problem.Conflict) {
			t.Fatalf("edit after submit: %v", err)
		}
		if _, err := s.SubmitApplication(ctx, f.staff, a.ID, en, nil); !problem.Is(err, problem.Conflict) {
			t.Fatalf("submit twice: %v", err)
		}

		// A draft within the ceiling is eligible.
		b, err := s.CreateApplication(ctx, f.staff, f.input(200_000_00))
		if err != nil {
			t.Fatal(err)
		}
		if b, err = s.SubmitApplication(ctx, f.staff, b.ID, en, nil); err != nil || b.Eligible == nil || !*b.Eligible {
			t.Fatalf("eligible: %+v %v", b, err)
		}
		var audits int
		if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'application'`).Scan(&audits); err != nil || audits != 5 {
			t.Fatalf("audit entries %d, %v", audits, err)
		}
	})
}

func TestLateSubmissionRefused(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := programme.NewStore(d)
		f := newApplyFixture(t, d)
		a, err := s.CreateApplication(ctx, f.staff, f.input(100_000_00))
		if err != nil {
			t.Fatal(err)
		}
		closed := time.Date(2026, 1, 15, 20, 0, 0, 0, time.UTC) // 16:00 in Port of Spain
		if _, err := d.SQL().ExecContext(ctx, `UPDATE calls SET opens_at = $1, closes_at = $2 WHERE id = $3`,
			closed.Add(-48*time.Hour), closed, f.call.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.SubmitApplication(ctx, f.staff, a.ID, i18n.For("en"), nil)
		if !problem.Is(err, problem.Conflict) || !strings.Contains(err.Error(), "15 January 2026, 16:00 (UTC−04:00, America/Port_of_Spain)") {
			t.Fatalf("late submission: %v", err)
		}
		if _, err := s.CreateApplication(ctx, f.staff, f.input(1)); !problem.Is(err, problem.Conflict) {
			t.Fatalf("draft for a closed call: %v", err)
		}
		got, _ := s.FindApplicationByID(ctx, f.staff, a.ID)
		if got.Status != programme.AppDraft {
			t.Fatalf("status %s", got.Status)
		}
	})
}

func TestClusterManagerApplies(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := programme.NewStore(d)
		f := newApplyFixture(t, d)
		cl, err := cluster.NewStore(d).CreateCluster(ctx, user.System, cluster.Input{Name: "Barbados Agro-processing", Countries: []string{"BRB"},
			Sector: cluster.SectorTourism, Stage: cluster.StageApplying, LeadBSOID: f.bso.ID})
		if err != nil {
			t.Fatal(err)
		}
		manager := user.Actor{Name: "manager", Role: user.ClusterManager, Scope: user.Scope{Kind: user.ScopeCluster, ID: fmt.Sprint(cl.ID)}}
		in := f.input(100_000_00)
		in.LeadOrgID = f.firms[0].ID
		a, err := s.CreateApplication(ctx, manager, in)
		if err != nil {
			t.Fatal(err)
		}
		if a.ClusterID == nil || *a.ClusterID != cl.ID || a.ClusterName != "Barbados Agro-processing" || a.BSOID == nil || *a.BSOID != f.bso.ID {
			t.Fatalf("cluster application: %+v", a)
		}
		// The cluster's lead BSO reads it; another BSO does not.
		if _, err := s.FindApplicationByID(ctx, f.staff, a.ID); err != nil {
			t.Fatalf("lead BSO reads: %v", err)
		}
		if _, err := s.FindApplicationByID(ctx, f.otherStaff, a.ID); !problem.Is(err, problem.NotFound) {
			t.Fatalf("other BSO reads: %v", err)
		}
		// A cluster manager applies for their own cluster only, and BSO staff for clusters they may read.
		otherID := cl.ID + 1000
		in.ClusterID = &otherID
		_, err = s.CreateApplication(ctx, manager, in)
		wantFields(t, err, map[string]string{"cluster_id": "your own cluster initiative"})
		in.ClusterID = &cl.ID
		_, err = s.CreateApplication(ctx, f.otherStaff, in)
		wantFields(t, err, map[string]string{"cluster_id": "that you may apply for"})
	})
}
