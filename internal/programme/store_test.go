package programme_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/org"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
)

var (
	admin      = user.Actor{UserID: 0, Name: "admin", Role: user.Admin}
	officer    = user.Actor{Name: "officer", Role: user.ProgrammeOfficer}
	bsoStaff   = user.Actor{Name: "bso", Role: user.BSOStaff, Scope: user.Scope{Kind: user.ScopeBSO, ID: "1"}}
	coordinate = user.Actor{Name: "coordinator", Role: user.CountryCoordinator, Scope: user.Scope{Kind: user.ScopeCountry, ID: "JAM"}}
)

func scopedOfficer(programmeID int64) user.Actor {
	return user.Actor{Name: "scoped officer", Role: user.ProgrammeOfficer, Scope: user.Scope{Kind: user.ScopeProgramme, ID: fmt.Sprint(programmeID)}}
}

// createOrg registers an organisation of a kind in Barbados.
func createOrg(t *testing.T, d *db.DB, kind org.Kind, name string) *org.Organisation {
	t.Helper()
	o, err := org.NewStore(d).CreateOrganisation(context.Background(), user.System, org.Input{Kind: kind, Name: name, Country: "BRB"})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func programmeInput(funder int64) programme.ProgrammeInput {
	return programme.ProgrammeInput{Name: "Cluster Competitiveness Programme", FunderID: funder, Currency: "usd",
		Countries: []string{"JAM", "tto", "BRB"}, StartsOn: "2024-01-01", EndsOn: "2027-12-31"}
}

// day is a moment at 09:00 in Port of Spain (13:00 UTC).
func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t.Add(13 * time.Hour)
}

func criteria() []programme.Criterion {
	rubric := []programme.Level{{Score: 1, Descriptor: "No evidence"}, {Score: 3, Descriptor: "Some evidence"}, {Score: 5, Descriptor: "Strong evidence"}}
	return []programme.Criterion{
		{Name: "Employment impact", Description: "Jobs, including for women and marginalised groups", Weight: 40, Levels: rubric},
		{Name: "Revenue and foreign exchange", Weight: 35, Levels: rubric},
		{Name: "Green innovation and climate resilience", Weight: 25, Levels: rubric},
	}
}

func callInput(programmeID int64) programme.CallInput {
	return programme.CallInput{ProgrammeID: programmeID, Number: "2025-1", Title: "Call for cluster proposals 2025",
		OpensAt: day("2025-03-01"), ClosesAt: day("2025-04-30"), Published: true,
		GrantCeiling: 300_000_00, MaxGrantShare: 0.8, MinCounterpartShare: 0.2, InKindRule: programme.InKindMax, InKindShare: 0.5,
		Rules: []programme.Rule{
			programme.NewRule(programme.RuleMinPrivateFirms, programme.MinPrivateFirms{N: 3}),
			programme.NewRule(programme.RuleEligibleCountries, programme.EligibleCountries{}),
			programme.NewRule(programme.RuleMinMonthsOperating, programme.MinMonthsOperating{Months: 12}),
			programme.NewRule(programme.RuleNoTaxDebt, nil),
		},
		Criteria: criteria()}
}

// wantFields checks that err is invalid input naming each field with a
// message containing its text.
func wantFields(t *testing.T, err error, want map[string]string) {
	t.Helper()
	p := problem.As(err)
	if p == nil || p.Kind != problem.Invalid {
		t.Fatalf("want invalid input, got %v", err)
	}
	for field, text := range want {
		found := false
		for _, d := range p.Details {
			found = found || (d.Field == field && strings.Contains(d.Message, text))
		}
		if !found {
			t.Errorf("no problem %s: …%s… in %+v", field, text, p.Details)
		}
	}
}

func TestProgrammeValidationAndAccess(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := programme.NewStore(d)
		funder := createOrg(t, d, org.KindFunder, "Caribbean Competitiveness Facility")
		bso := createOrg(t, d, org.KindBSO, "Barbados Business Support")

		_, err := s.CreateProgramme(ctx, admin, programme.ProgrammeInput{Name: " ", FunderID: bso.ID, Currency: "US",
			Countries: []string{"XXX"}, StartsOn: "2025-02-30", EndsOn: "2024-01-01"})
		wantFields(t, err, map[string]string{"name": "Enter the programme's name", "currency": "not an ISO 4217",
			"countries": `"XXX"`, "starts_on": "not a date", "funder_id": "is not a funder"})
		in := programmeInput(funder.ID)
		in.Currency, in.StartsOn, in.EndsOn, in.Countries = "ABC", "2025-01-01", "2024-12-31", nil
		_, err = s.CreateProgramme(ctx, admin, in)
		wantFields(t, err, map[string]string{"currency": `"ABC" is not an ISO 4217`, "ends_on": "must end after it starts",
			"countries": "at least one"})

		for _, a := range []user.Actor{bsoStaff, coordinate, scopedOfficer(1), user.Anonymous} {
			if _, err := s.CreateProgramme(ctx, a, programmeInput(funder.ID)); !problem.Is(err, problem.Forbidden) {
				t.Errorf("%s creates a programme: %v", a.Role, err)
			}
		}
		p, err := s.CreateProgramme(ctx, officer, programmeInput(funder.ID))
		if err != nil {
			t.Fatal(err)
		}
		if p.Currency != "USD" || strings.Join(p.Countries, ",") != "BRB,JAM,TTO" || p.FunderName != funder.Name {
			t.Errorf("created %+v", p)
		}
		other, err := s.CreateProgramme(ctx, admin, programme.ProgrammeInput{Name: "Another programme", FunderID: funder.ID, Currency: "EUR", Countries: []string{"JAM"}})
		if err != nil {
			t.Fatal(err)
		}

		// A scoped officer edits their programme only; others may not edit.
		name := "Renamed programme"
		if _, err := s.PatchProgramme(ctx, scopedOfficer(p.ID), p.ID, programme.ProgrammePatch{Name: &name}); err != nil {
			t.Errorf("scoped officer edits own programme: %v", err)
		}
		if _, err := s.PatchProgramme(ctx, scopedOfficer(p.ID), other.ID, programme.ProgrammePatch{Name: &name}); !problem.Is(err, problem.Forbidden) {
			t.Errorf("scoped officer edits another programme: %v", err)
		}
		if _, err := s.PatchProgramme(ctx, bsoStaff, p.ID, programme.ProgrammePatch{Name: &name}); !problem.Is(err, problem.Forbidden) {
			t.Errorf("BSO staff edits a programme: %v", err)
		}
		// Everyone signed in reads.
		items, total, err := s.FindProgrammes(ctx, coordinate, programme.ProgrammeFilter{})
		if err != nil || total != 2 || len(items) != 2 || items[0].Name != "Another programme" {
			t.Errorf("coordinator lists %d/%d programmes: %v", len(items), total, err)
		}
		if _, _, err := s.FindProgrammes(ctx, user.Anonymous, programme.ProgrammeFilter{}); !problem.Is(err, problem.Unauthorized) {
			t.Errorf("anonymous lists programmes: %v", err)
		}

		// Archive instead of delete; an archived programme cannot be edited.
		if _, err := s.ArchiveProgramme(ctx, admin, other.ID); err != nil {
			t.Fatal(err)
		}
		if _, total, _ := s.FindProgrammes(ctx, admin, programme.ProgrammeFilter{}); total != 1 {
			t.Errorf("archived programme still listed: %d", total)
		}
		if _, total, _ := s.FindProgrammes(ctx, admin, programme.ProgrammeFilter{IncludeArchived: true}); total != 2 {
			t.Errorf("archived programme not listed on request: %d", total)
		}
		if _, err := s.PatchProgramme(ctx, admin, other.ID, programme.ProgrammePatch{Name: &name}); !problem.Is(err, problem.Conflict) {
			t.Errorf("edit archived programme: %v", err)
		}
		wantAudit(t, d, "programme", p.ID, "create", "update")
		wantAudit(t, d, "programme", other.ID, "create", "archive")
	})
}

// wantAudit checks the actions recorded for a record, in order.
func wantAudit(t *testing.T, d *db.DB, recordType string, id int64, actions ...string) {
	t.Helper()
	rows, err := d.Read().QueryContext(context.Background(), `SELECT action FROM audit_log WHERE record_type = $1 AND record_id = $2 ORDER BY id`,
		recordType, fmt.Sprint(id))
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
	if strings.Join(got, ",") != strings.Join(actions, ",") {
		t.Errorf("audit of %s %d: %v, want %v", recordType, id, got, actions)
	}
}

func TestCallValidation(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := programme.NewStore(d)
		funder := createOrg(t, d, org.KindFunder, "Caribbean Competitiveness Facility")
		p, err := s.CreateProgramme(ctx, admin, programmeInput(funder.ID))
		if err != nil {
			t.Fatal(err)
		}
		bad := callInput(p.ID)
		bad.Number, bad.Title, bad.TimeZone = "2025 / 1", "", "Caribbean/Nowhere"
		bad.OpensAt, bad.ClosesAt = day("2025-05-01"), day("2025-04-01")
		bad.MaxGrantShare, bad.MinCounterpartShare, bad.InKindShare = 1.5, -0.1, 0
		bad.GrantCeiling = 0
		bad.Rules = append(bad.Rules, programme.Rule{Kind: "min_turnover"},
			programme.NewRule(programme.RuleEligibleCountries, programme.EligibleCountries{Countries: []string{"USA"}}))
		bad.Criteria = criteria()[:2]
		_, err = s.CreateCall(ctx, admin, bad)
		wantFields(t, err, map[string]string{
			"number": "letters, digits", "title": "Enter the call's title", "time_zone": "not an IANA time zone",
			"closes_at": "close after it opens", "max_grant_share": "at most 1", "min_counterpart_share": "between 0 and 1",
			"in_kind_share": "in-kind limit", "grant_ceiling": "more than zero", "rules[4]": `Unknown rule kind "min_turnover"`,
			"rules[5]": "given twice", "criteria": "sum to 100; they sum to 75"})

		bad = callInput(p.ID)
		bad.Rules = []programme.Rule{programme.NewRule(programme.RuleEligibleCountries, programme.EligibleCountries{Countries: []string{"USA"}}),
			{Kind: programme.RuleMinPrivateFirms, Params: []byte(`{"n": -2}`)}}
		bad.Criteria[0].Levels = bad.Criteria[0].Levels[:1]
		bad.Criteria[1].Name = ""
		_, err = s.CreateCall(ctx, admin, bad)
		wantFields(t, err, map[string]string{"rules[0].params.countries": "USA is not one of the programme's",
			"rules[1].params.n": "between 1 and 1000", "criteria[0].levels": "at least two score levels", "criteria[1].name": "Name criterion 2"})

		c, err := s.CreateCall(ctx, admin, callInput(p.ID))
		if err != nil {
			t.Fatal(err)
		}
		if c.TimeZone != programme.DefaultTimeZone || c.Status != programme.StatusClosed || len(c.Criteria) != 3 || len(c.Criteria[0].Levels) != 3 {
			t.Errorf("created call %+v", c)
		}
		kinds := []string{}
		for _, r := range c.Rules {
			kinds = append(kinds, string(r.Kind))
		}
		if got := strings.Join(kinds, ","); got != "min_private_firms,eligible_countries,min_months_operating,no_tax_debt,cofinancing,grant_ceiling" {
			t.Errorf("rules %s", got)
		}
		if string(c.Rules[5].Params) != `{"amount":30000000}` {
			t.Errorf("grant ceiling rule %s", c.Rules[5].Params)
		}
		if _, err := s.CreateCall(ctx, admin, callInput(p.ID)); err == nil {
			t.Error("a second call with the same number was accepted")
		} else {
			wantFields(t, err, map[string]string{"number": "already has a call numbered 2025-1"})
		}
		// The programme's countries cannot lose one that a call names.
		in := callInput(p.ID)
		in.Number = "2025-2"
		in.Rules = []programme.Rule{programme.NewRule(programme.RuleEligibleCountries, programme.EligibleCountries{Countries: []string{"TTO"}})}
		if _, err := s.CreateCall(ctx, admin, in); err != nil {
			t.Fatal(err)
		}
		countries := []string{"JAM", "BRB"}
		_, err = s.PatchProgramme(ctx, admin, p.ID, programme.ProgrammePatch{Countries: &countries})
		wantFields(t, err, map[string]string{"countries": "Call 2025-2 limits applicants to TTO"})
		eur := "EUR"
		_, err = s.PatchProgramme(ctx, admin, p.ID, programme.ProgrammePatch{Currency: &eur})
		wantFields(t, err, map[string]string{"currency": "cannot change once the programme has calls"})
	})
}

func TestCallStatusScopeAndUpdates(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := programme.NewStore(d)
		funder := createOrg(t, d, org.KindFunder, "Caribbean Competitiveness Facility")
		p, _ := s.CreateProgramme(ctx, admin, programmeInput(funder.ID))
		other, _ := s.CreateProgramme(ctx, admin, programme.ProgrammeInput{Name: "Other", FunderID: funder.ID, Currency: "USD", Countries: []string{"JAM"}})
		now := time.Now().UTC()
		mk := func(pid int64, number string, opens, closes time.Time, published bool) *programme.Call {
			in := callInput(pid)
			in.Number, in.OpensAt, in.ClosesAt, in.Published = number, opens, closes, published
			if pid == other.ID {
				in.Rules = nil
			}
			c, err := s.CreateCall(ctx, scopedOfficer(pid), in)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		open := mk(p.ID, "open", now.Add(-24*time.Hour), now.Add(24*time.Hour), true)
		upcoming := mk(p.ID, "upcoming", now.Add(48*time.Hour), now.Add(96*time.Hour), true)
		closed := mk(p.ID, "closed", now.Add(-96*time.Hour), now.Add(-48*time.Hour), true)
		draft := mk(p.ID, "draft", now.Add(-24*time.Hour), now.Add(24*time.Hour), false)
		otherDraft := mk(other.ID, "other-draft", now.Add(-24*time.Hour), now.Add(24*time.Hour), false)
		for c, want := range map[*programme.Call]programme.Status{open: programme.StatusOpen, upcoming: programme.StatusUpcoming,
			closed: programme.StatusClosed, draft: programme.StatusDraft} {
			if c.Status != want {
				t.Errorf("%s: status %s", c.Number, c.Status)
			}
		}
		count := func(a user.Actor, f programme.CallFilter) int {
			t.Helper()
			items, total, err := s.FindCalls(ctx, a, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != total {
				t.Errorf("%d items, total %d", len(items), total)
			}
			return total
		}
		if n := count(admin, programme.CallFilter{Status: programme.StatusOpen}); n != 1 {
			t.Errorf("open calls: %d", n)
		}
		if n := count(admin, programme.CallFilter{Status: programme.StatusDraft}); n != 2 {
			t.Errorf("drafts for admin: %d", n)
		}
		if n := count(scopedOfficer(p.ID), programme.CallFilter{}); n != 4 {
			t.Errorf("scoped officer sees %d calls, want 4 (not the other programme's draft)", n)
		}
		if n := count(bsoStaff, programme.CallFilter{}); n != 3 {
			t.Errorf("BSO staff sees %d calls, want the 3 published", n)
		}
		if n := count(admin, programme.CallFilter{ProgrammeID: other.ID}); n != 1 {
			t.Errorf("calls of the other programme: %d", n)
		}
		if _, err := s.FindCallByID(ctx, user.Anonymous, draft.ID); !problem.Is(err, problem.NotFound) {
			t.Errorf("anonymous reads a draft: %v", err)
		}
		if _, err := s.FindCallByID(ctx, user.Anonymous, open.ID); err != nil {
			t.Errorf("anonymous reads a published call: %v", err)
		}
		if _, err := s.FindCallByID(ctx, scopedOfficer(p.ID), otherDraft.ID); !problem.Is(err, problem.NotFound) {
			t.Errorf("scoped officer reads another programme's draft: %v", err)
		}
		title := "New title"
		if _, err := s.PatchCall(ctx, scopedOfficer(p.ID), closed.ID, programme.CallPatch{Title: &title}); err != nil {
			t.Errorf("scoped officer edits own call: %v", err)
		}
		if _, err := s.PatchCall(ctx, bsoStaff, open.ID, programme.CallPatch{Title: &title}); !problem.Is(err, problem.Forbidden) {
			t.Errorf("BSO staff edits a call: %v", err)
		}
		if _, err := s.CreateCall(ctx, scopedOfficer(p.ID), callInput(other.ID)); !problem.Is(err, problem.Forbidden) {
			t.Errorf("scoped officer adds a call to another programme: %v", err)
		}

		// Replacing rules and criteria keeps nothing of the old ones.
		in := programme.CallInputOf(open)
		in.Rules = []programme.Rule{programme.NewRule(programme.RuleFormallyRegistered, nil)}
		in.Criteria = []programme.Criterion{{Name: "Impact", Weight: 100, Levels: []programme.Level{{Score: 5, Descriptor: "High"}, {Score: 1, Descriptor: "Low"}}}}
		in.InKindRule, in.InKindShare, in.GrantCeiling = programme.InKindCash, 0.5, 500_000_00
		c, err := s.UpdateCall(ctx, admin, open.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Rules) != 3 || c.Rules[0].Kind != programme.RuleFormallyRegistered || len(c.Criteria) != 1 || c.Criteria[0].Levels[0].Score != 1 {
			t.Errorf("updated call rules %v criteria %+v", c.Rules, c.Criteria)
		}
		if string(c.Rules[1].Params) != `{"max_grant_share":0.8,"min_counterpart_share":0.2,"in_kind_rule":"min_cash","in_kind_share":0.5}` {
			t.Errorf("cofinancing rule %s", c.Rules[1].Params)
		}
		var due *time.Time
		nextWeek := now.Add(7 * 24 * time.Hour)
		c, err = s.PatchCall(ctx, admin, open.ID, programme.CallPatch{FullPlanDueAt: programme.OptionalTime{Set: true, Time: &nextWeek}})
		if err != nil || c.FullPlanDueAt == nil || !c.FullPlanDueAt.Equal(nextWeek.Truncate(time.Microsecond)) {
			t.Errorf("full plan due: %v %v", c.FullPlanDueAt, err)
		}
		if c, err = s.PatchCall(ctx, admin, open.ID, programme.CallPatch{FullPlanDueAt: programme.OptionalTime{Set: true, Time: due}}); err != nil || c.FullPlanDueAt != nil {
			t.Errorf("full plan due cleared: %v %v", c.FullPlanDueAt, err)
		}

		if _, err := s.ArchiveCall(ctx, admin, upcoming.ID); err != nil {
			t.Fatal(err)
		}
		if n := count(bsoStaff, programme.CallFilter{}); n != 2 {
			t.Errorf("archived call still listed: %d", n)
		}
		if _, err := s.PatchCall(ctx, admin, upcoming.ID, programme.CallPatch{Title: &title}); !problem.Is(err, problem.Conflict) {
			t.Errorf("edit archived call: %v", err)
		}
		wantAudit(t, d, "call", open.ID, "create", "update", "update", "update")
		wantAudit(t, d, "call", upcoming.ID, "create", "archive")
	})
}

// TestProgrammeScopeChecked: an account may be scoped to a programme that
// exists, and to no other.
func TestProgrammeScopeChecked(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		funder := createOrg(t, d, org.KindFunder, "Caribbean Competitiveness Facility")
		p, err := programme.NewStore(d).CreateProgramme(ctx, user.System, programmeInput(funder.ID))
		if err != nil {
			t.Fatal(err)
		}
		users := user.NewStore(d)
		if err := users.CheckScope(ctx, user.Scope{Kind: user.ScopeProgramme, ID: fmt.Sprint(p.ID)}, "scope"); err != nil {
			t.Errorf("the programme's scope was refused: %v", err)
		}
		err = users.CheckScope(ctx, user.Scope{Kind: user.ScopeProgramme, ID: fmt.Sprint(p.ID + 100)}, "scope")
		wantFields(t, err, map[string]string{"scope": "no programme"})
	})
}
