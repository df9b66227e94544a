package programme_test

import (
	"context"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/programme"
)

// TestApplicationNewMembers: a datasheet names a firm the registry lacks;
// it counts as a private firm, and joins the registry at submission.
func TestApplicationNewMembers(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := programme.NewStore(d)
		f := newApplyFixture(t, d)

		bad := f.input(100_000_00)
		bad.NewMembers = []programme.NewMember{
			{Name: " ", Kind: "funder", Country: "XX", Role: ""},
			{Name: "Firm 3", Kind: "firm", Country: "brb", Role: programme.RoleMemberFirm},
			{Name: "Coral Sauces", Kind: "firm", Country: "ZZZ", Role: programme.RoleMemberFirm},
		}
		count := func(q string) int {
			t.Helper()
			var n int
			if err := d.Read().QueryRowContext(ctx, q).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		_, err := s.CreateApplication(ctx, f.staff, bad)
		p := problem.As(err)
		if p == nil || p.Kind != problem.Invalid {
			t.Fatalf("bad new members: %v", err)
		}
		want := map[string]string{
			"new_members[0].name": "enter its name", "new_members[0].kind": "choose what it is", "new_members[0].country": "choose its country",
			"new_members[0].role": "choose its role", "new_members[1].name": "already in the registry as #", "new_members[2].country": `"ZZZ" is not a country`,
		}
		for field, msg := range want {
			found := false
			for _, d := range p.Details {
				found = found || (d.Field == field && strings.Contains(d.Message, msg))
			}
			if !found {
				t.Errorf("no problem %q at %s in %+v", msg, field, p.Details)
			}
		}

		in := f.input(100_000_00)
		in.Members = in.Members[:1] // one registry firm: the call wants two
		in.NewMembers = []programme.NewMember{{Name: "Coral  Sauces", Kind: "firm", Country: "BRB", Role: programme.RoleMemberFirm}}
		a, err := s.CreateApplication(ctx, f.staff, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.NewMembers) != 1 || a.NewMembers[0].Name != "Coral Sauces" || a.Facts().PrivateFirms != 2 {
			t.Fatalf("draft new members %+v, firms %d", a.NewMembers, a.Facts().PrivateFirms)
		}
		if n := count(`SELECT COUNT(*) FROM organisations WHERE name = 'Coral Sauces'`); n != 0 {
			t.Fatalf("a draft registered its new organisation")
		}

		// A new organisation the applicant may not register stops the
		// submission and changes nothing.
		abroad := programme.ApplicationInputOf(a)
		abroad.NewMembers = append(abroad.NewMembers, programme.NewMember{Name: "Kingston Logistics", Kind: "firm", Country: "JAM", Role: programme.RoleOther})
		if _, err := s.UpdateApplication(ctx, f.staff, a.ID, abroad); err != nil {
			t.Fatal(err)
		}
		_, err = s.SubmitApplication(ctx, f.staff, a.ID, i18n.For("en"), nil)
		if p := problem.As(err); p == nil || !strings.Contains(p.Message, "New organisation 2 (Kingston Logistics) could not join the registry") {
			t.Fatalf("submission with a new organisation abroad: %v", err)
		}
		if n := count(`SELECT COUNT(*) FROM organisations WHERE name IN ('Coral Sauces', 'Kingston Logistics')`); n != 0 {
			t.Fatalf("a refused submission registered %d organisations", n)
		}
		if _, err := s.UpdateApplication(ctx, f.staff, a.ID, in); err != nil {
			t.Fatal(err)
		}

		done, err := s.SubmitApplication(ctx, f.staff, a.ID, i18n.For("en"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(done.NewMembers) != 0 || len(done.Members) != 2 || done.Members[1].Name != "Coral Sauces" || done.Members[1].Kind != "firm" {
			t.Fatalf("submitted datasheet %+v new %+v", done.Members, done.NewMembers)
		}
		if done.Eligible == nil || !*done.Eligible {
			t.Errorf("with its new firm the application has two firms and is eligible: %+v", done.Results)
		}
	})
}
