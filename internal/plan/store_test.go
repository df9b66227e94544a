package plan_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

func wantKind(t *testing.T, what string, err error, k problem.Kind) {
	t.Helper()
	if !problem.Is(err, k) {
		t.Fatalf("%s: error %v, want %s", what, err, k)
	}
}

func wantAudit(t *testing.T, d *db.DB, id int64, actions ...string) {
	t.Helper()
	rows, err := d.Read().QueryContext(context.Background(), `SELECT action FROM audit_log WHERE record_type = 'plan' AND record_id = $1 ORDER BY id`,
		strconv.FormatInt(id, 10))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var a string
		rows.Scan(&a)
		got = append(got, a)
	}
	if len(got) != len(actions) {
		t.Fatalf("audit %v, want %v", got, actions)
	}
	for i := range got {
		if got[i] != actions[i] {
			t.Fatalf("audit %v, want %v", got, actions)
		}
	}
}

func TestPlanLifecycle(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := plan.NewStore(d)
		f := newFixture(t, d)
		en := i18n.For("en")

		// Only a shortlisted application opens a plan.
		_, _, err := s.OpenPlan(ctx, f.staff, f.app.ID)
		wantKind(t, "open before shortlisting", err, problem.Conflict)
		f.shortlist(t)
		_, _, err = s.OpenPlan(ctx, f.other, f.app.ID)
		wantKind(t, "other BSO opens", err, problem.NotFound)
		p, created, err := s.OpenPlan(ctx, f.staff, f.app.ID)
		if err != nil || !created || p.Version != 1 || p.Status != plan.StatusDraft || p.Title != "Barbados spice cluster" {
			t.Fatalf("open: %+v %v %v", p, created, err)
		}
		again, created, err := s.OpenPlan(ctx, f.officer, f.app.ID)
		if err != nil || created || again.ID != p.ID {
			t.Fatalf("open again: %+v %v %v", again, created, err)
		}

		// Scope: the other BSO and another programme's officer see nothing.
		_, err = s.FindPlanByID(ctx, f.other, p.ID)
		wantKind(t, "other BSO reads", err, problem.NotFound)
		_, err = s.FindPlanByID(ctx, f.foreignOfficer, p.ID)
		wantKind(t, "foreign officer reads", err, problem.NotFound)
		_, err = s.SavePlan(ctx, f.other, p.ID, plan.SaveInput{BaseVersion: 1, Content: f.content()})
		wantKind(t, "other BSO saves", err, problem.NotFound)
		if list, total, err := s.FindPlans(ctx, f.other, plan.Filter{}); err != nil || total != 0 || len(list) != 0 {
			t.Fatalf("other BSO list: %d %v", total, err)
		}

		// An incomplete plan is not submitted.
		_, err = s.Submit(ctx, f.staff, p.ID, en)
		wantKind(t, "submit empty", err, problem.Conflict)

		// Save version 2; organisation names are filled in.
		p, err = s.SavePlan(ctx, f.staff, p.ID, plan.SaveInput{BaseVersion: 1, Content: f.content()})
		if err != nil {
			t.Fatal(err)
		}
		if p.Version != 2 || p.Content.Projects[0].LeadOrgName != "Barbados Business Support" || p.Content.Projects[0].PartnerNames[1] != "Firm 2" {
			t.Fatalf("saved: %+v", p.Content.Projects)
		}

		// A save based on version 1 is refused with what changed since.
		stale := f.content()
		stale.Vision = "Mine"
		_, err = s.SavePlan(ctx, f.officer, p.ID, plan.SaveInput{BaseVersion: 1, Content: stale})
		var se *plan.StaleError
		if !errors.As(err, &se) || se.Base != 1 || se.Current != 2 || len(se.Changes) == 0 || se.Changes[0].Section != "vision" {
			t.Fatalf("stale save: %v", err)
		}
		if cur, _ := s.FindPlanByID(ctx, f.staff, p.ID); cur.Version != 2 || cur.Content.Vision != f.content().Vision {
			t.Fatalf("stale save changed the plan: %+v", cur)
		}

		// A budget that breaks the rules is saved, but not submitted.
		over := f.content()
		over.Budget[0].Grant = 300_000_00
		p, err = s.SavePlan(ctx, f.staff, p.ID, plan.SaveInput{BaseVersion: 2, Content: over})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Submit(ctx, f.staff, p.ID, en)
		pe := problem.As(err)
		if pe == nil || pe.Kind != problem.Conflict || !hasField(pe.Details, "checks.grant_share") || !hasField(pe.Details, "checks.grant_ceiling") ||
			!hasField(pe.Details, "checks.counterpart_share") || hasField(pe.Details, "checks.in_kind") {
			t.Fatalf("submit over budget: %v", err)
		}

		// Fixed, submitted, locked, approved: the baseline is version 4.
		p, err = s.SavePlan(ctx, f.staff, p.ID, plan.SaveInput{BaseVersion: 3, Content: f.content()})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Approve(ctx, f.officer, p.ID)
		wantKind(t, "approve a draft", err, problem.Conflict)
		if p, err = s.Submit(ctx, f.staff, p.ID, en); err != nil || p.Status != plan.StatusSubmitted {
			t.Fatalf("submit: %v", err)
		}
		_, err = s.SavePlan(ctx, f.staff, p.ID, plan.SaveInput{BaseVersion: 4, Content: f.content()})
		wantKind(t, "save while submitted", err, problem.Conflict)
		_, err = s.Approve(ctx, f.staff, p.ID)
		wantKind(t, "BSO approves", err, problem.Forbidden)
		_, err = s.Return(ctx, f.officer, p.ID, " ")
		wantKind(t, "return without comment", err, problem.Invalid)
		if p, err = s.Return(ctx, f.officer, p.ID, "Add a marketing project."); err != nil || p.Status != plan.StatusReturned || p.ReviewComment == "" {
			t.Fatalf("return: %+v %v", p, err)
		}
		if _, err = s.Submit(ctx, f.staff, p.ID, en); err != nil {
			t.Fatal(err)
		}
		if p, err = s.Approve(ctx, f.officer, p.ID); err != nil || p.Status != plan.StatusApproved || p.BaselineVersion == nil || *p.BaselineVersion != 4 {
			t.Fatalf("approve: %+v %v", p, err)
		}

		// A later edit is a draft revision; the baseline stays readable.
		rev := f.content()
		rev.Budget[1].Grant = 25_000_00
		if p, err = s.SavePlan(ctx, f.staff, p.ID, plan.SaveInput{BaseVersion: 4, Content: rev}); err != nil {
			t.Fatal(err)
		}
		if p.Status != plan.StatusDraft || *p.BaselineVersion != 4 || !p.Revision() {
			t.Fatalf("revision: %+v", p)
		}
		_, base, err := s.FindVersion(ctx, f.staff, p.ID, 4)
		if err != nil || base.Budget[1].Grant != 20_000_00 {
			t.Fatalf("baseline: %+v %v", base, err)
		}
		_, vs, err := s.FindVersions(ctx, f.staff, p.ID)
		if err != nil || len(vs) != 5 || !vs[1].Baseline || vs[0].Baseline {
			t.Fatalf("versions: %+v %v", vs, err)
		}
		diff := plan.Diff(base, p.Content, p.Currency)
		if len(diff) != 1 || diff[0].Section != "budget" || diff[0].Fields[0].Old != "20000" || diff[0].Fields[0].New != "25000" {
			t.Fatalf("diff: %+v", diff)
		}
		wantAudit(t, d, p.ID, "create", "save", "save", "save", "submit", "return", "submit", "approve", "save")

		// Lists: by call and status, with the total.
		if _, total, err := s.FindPlans(ctx, f.officer, plan.Filter{CallID: f.call.ID, Status: plan.StatusDraft}); err != nil || total != 1 {
			t.Fatalf("officer list: %d %v", total, err)
		}
		if _, total, _ := s.FindPlans(ctx, f.officer, plan.Filter{Status: plan.StatusApproved}); total != 0 {
			t.Fatalf("approved list: %d", total)
		}
		if _, total, _ := s.FindPlans(ctx, user.System, plan.Filter{}); total != 1 {
			t.Fatalf("admin list: %d", total)
		}
	})
}

func hasField(ds []problem.Detail, field string) bool {
	for _, d := range ds {
		if d.Field == field {
			return true
		}
	}
	return false
}

func TestSaveValidatesOrganisationsAndFacilitator(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := plan.NewStore(d)
		f := newFixture(t, d)
		f.shortlist(t)
		p, _, err := s.OpenPlan(ctx, f.staff, f.app.ID)
		if err != nil {
			t.Fatal(err)
		}
		c := f.content()
		c.Projects[0].LeadOrgID = 999999
		c.Projects[0].PartnerIDs = []int64{f.firms[0].ID, 888888}
		nobody := int64(777777)
		_, err = s.SavePlan(ctx, f.staff, p.ID, plan.SaveInput{BaseVersion: 1, Content: c, FacilitatorID: &nobody})
		pe := problem.As(err)
		if pe == nil || pe.Kind != problem.Invalid || !hasField(pe.Details, "projects[0].lead_org_id") || !hasField(pe.Details, "projects[0].partner_ids") ||
			!hasField(pe.Details, "facilitator_id") {
			t.Fatalf("bad references: %v", err)
		}
		if cur, _ := s.FindPlanByID(ctx, f.staff, p.ID); cur.Version != 1 {
			t.Fatal("a refused save stored a version")
		}
	})
}
