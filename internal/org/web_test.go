package org_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/org"
	"github.com/clusterobservatory/observatory/internal/user"
)

// fixture is a running application with a BSO in Jamaica and in Trinidad,
// a firm in each country, and a cluster led by the Jamaican BSO that the
// Trinidadian firm belongs to.
type fixture struct {
	e                          *apptest.Env
	d                          *db.DB
	s                          *org.Store
	bsoJAM, bsoTTO             *org.Organisation
	firmJAM, firmTTO, outsider *org.Organisation
	cluster                    int64
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{e: apptest.New(t, d), d: d, s: org.NewStore(d)}
	f.bsoJAM = f.create(t, org.Input{Kind: org.KindBSO, Name: "Jamaica Business Development", Country: "JAM"})
	f.bsoTTO = f.create(t, org.Input{Kind: org.KindBSO, Name: "Trinidad Export Agency", Country: "TTO"})
	f.firmJAM = f.create(t, org.Input{Kind: org.KindFirm, Name: "Blue Mountain Chocolate Ltd", Country: "JAM", ISIC: "1073",
		SizeBand: org.SizeSmall, WomenLed: true, Email: "hello@bmc.example.com"})
	f.firmTTO = f.create(t, org.Input{Kind: org.KindFirm, Name: "Caroni Cocoa, Estates", Country: "TTO", ISIC: "0127", SizeBand: org.SizeMicro})
	f.outsider = f.create(t, org.Input{Kind: org.KindFirm, Name: "Port of Spain Media", Country: "TTO", ISIC: "5911"})
	// The cluster crosses into Barbados; Caroni Cocoa, in Trinidad, is a
	// member all the same (a firm may join from a neighbouring country).
	ctx := context.Background()
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		now := db.Now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO clusters (name, name_norm, sector, stage, lead_bso_id, created_at, updated_at)
			VALUES ('Cocoa Caribbean', 'cocoa caribbean', 'agro_processing', 'implementing', $1, $2, $2) RETURNING id`, f.bsoJAM.ID, now).Scan(&f.cluster); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_countries (cluster_id, country_iso3) VALUES ($1, 'JAM'), ($1, 'BRB')`, f.cluster); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO memberships (cluster_id, organisation_id, role, joined_on, created_at, updated_at)
			VALUES ($1, $2, 'member', '2023-03-01', $3, $3)`, f.cluster, f.firmTTO.ID, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) create(t *testing.T, in org.Input) *org.Organisation {
	t.Helper()
	o, err := f.s.CreateOrganisation(context.Background(), user.System, in)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func (f *fixture) count(t *testing.T) int {
	t.Helper()
	var n int
	if err := f.d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM organisations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func wantStatus(t *testing.T, what string, r *apptest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%.3000s", what, r.StatusCode, status, r.Body)
	}
}

func wantBody(t *testing.T, what string, r *apptest.Response, present bool, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if strings.Contains(r.Body, s) != present {
			t.Errorf("%s: body contains %q = %v, want %v", what, s, !present, present)
		}
	}
}

func orgURL(id int64) string { return fmt.Sprintf("/organisations/%d", id) }

func TestListPage(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		c := e.Browser(e.CreateUser(user.Admin, ""))

		r := e.Get(c, "/organisations")
		wantStatus(t, "list", r, 200)
		wantBody(t, "list", r, true, "Blue Mountain Chocolate Ltd", "Port of Spain Media", `aria-sort="ascending"`,
			`href="/organisations/new"`, `href="/organisations.csv"`, "5 results", `<option value="C" >C — Manufacturing</option>`)

		r = e.Get(c, "/organisations?kind=firm&country=TTO&sort=-name")
		wantStatus(t, "filtered list", r, 200)
		wantBody(t, "filtered list", r, true, "Port of Spain Media", "Caroni Cocoa, Estates", `aria-sort="descending"`, "2 results",
			`href="/organisations.csv?country=TTO&amp;kind=firm&amp;sort=-name"`, `<option value="TTO" selected>`)
		wantBody(t, "filtered list", r, false, "Blue Mountain Chocolate Ltd", "Jamaica Business Development")
		if strings.Index(r.Body, "Port of Spain Media") > strings.Index(r.Body, "Caroni Cocoa") {
			t.Error("the list is not sorted by name descending")
		}

		r = e.Get(c, "/organisations?isic=A&q=caroni")
		wantBody(t, "industry filter", r, true, "Caroni Cocoa", "1 results")
		r = e.Get(c, "/organisations?women_led=true")
		wantBody(t, "women-led filter", r, true, "Blue Mountain Chocolate Ltd", "1 results")
		// Invalid filter values are ignored by the page.
		r = e.Get(c, "/organisations?kind=charity&sort=password")
		wantStatus(t, "invalid filters", r, 200)
		wantBody(t, "invalid filters", r, true, "5 results")

		// Fifty per page, with the total.
		err := d.Tx(context.Background(), func(tx *sql.Tx) error {
			for i := range 50 {
				if _, err := f.s.CreateOrganisationTx(context.Background(), tx, user.System,
					org.Input{Kind: org.KindFirm, Name: fmt.Sprintf("Zephyr Tours %02d", i), Country: "BRB"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		r = e.Get(c, "/organisations")
		wantBody(t, "page 1", r, true, "55 results", "Page 1 of 2", "Zephyr Tours 44")
		wantBody(t, "page 1", r, false, "Zephyr Tours 45")
		r = e.Get(c, "/organisations?page=2")
		wantBody(t, "page 2", r, true, "Zephyr Tours 45", "Zephyr Tours 49", "Page 2 of 2")

		// Archived organisations only on request.
		if _, err := f.s.ArchiveOrganisation(context.Background(), user.System, f.outsider.ID); err != nil {
			t.Fatal(err)
		}
		r = e.Get(c, "/organisations?country=TTO")
		wantBody(t, "without archived", r, false, "Port of Spain Media")
		r = e.Get(c, "/organisations?country=TTO&archived=true")
		wantBody(t, "with archived", r, true, "Port of Spain Media", `badge archived`)

		// Sign-in is required.
		r = e.Get(e.Anonymous(), "/organisations")
		if r.StatusCode == 200 {
			t.Error("the list is shown to anonymous visitors")
		}
	})
}

func TestFormFlow(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		c := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoJAM.ID)))

		r := e.Get(c, "/organisations/new")
		wantStatus(t, "new", r, 200)
		// BSO staff start in their country, and may choose their clusters' countries only.
		wantBody(t, "new", r, true, `id="f-name"`, `<option value="JAM" selected>`, `<option value="BRB" >`, `id="area-field"`, "Kingston")
		wantBody(t, "new", r, false, `<option value="TTO"`)

		before := f.count(t)
		form := url.Values{"kind": {"firm"}, "name": {""}, "country": {"JAM"}, "founded_year": {"12345"}, "website": {"ftp://x.example.org"}}
		r = e.PostForm(c, "/organisations", form)
		wantStatus(t, "invalid create", r, 422)
		wantBody(t, "invalid create", r, true, "Enter the name of the organisation.", "Enter a year from 1800", `class="field has-error"`,
			`href="#f-name"`, `value="12345"`, `value="ftp://x.example.org"`)
		if f.count(t) != before {
			t.Fatal("an invalid form stored an organisation")
		}

		form.Set("name", "Ocho Rios Crafts")
		form.Set("founded_year", "2010")
		form.Set("website", "ochorios.example.org")
		form.Set("women_led", "true")
		form.Set("isic", "3290")
		r = e.PostForm(c, "/organisations", form)
		wantStatus(t, "create", r, 303)
		loc := r.Header.Get("Location")
		if !strings.HasPrefix(loc, "/organisations/") {
			t.Fatalf("create redirects to %q", loc)
		}
		r = e.Get(c, loc)
		wantStatus(t, "profile", r, 200)
		wantBody(t, "profile", r, true, "The organisation has been registered.", "Ocho Rios Crafts", `class="props"`,
			"https://ochorios.example.org", "3290", "Other manufacturing n.e.c.", `href="/countries/JAM"`, loc+"/edit")

		// A duplicate is refused with a link, until confirmed.
		dup := url.Values{"kind": {"firm"}, "name": {"BLUE MOUNTAIN CHOCOLATE"}, "country": {"JAM"}}
		r = e.PostForm(c, "/organisations", dup)
		wantStatus(t, "duplicate", r, 409)
		wantBody(t, "duplicate", r, true, `href="`+orgURL(f.firmJAM.ID)+`"`, `id="f-allow_duplicate"`, "This is a different organisation")
		dup.Set("allow_duplicate", "true")
		r = e.PostForm(c, "/organisations", dup)
		wantStatus(t, "confirmed duplicate", r, 303)

		// Edit, with an error first.
		r = e.Get(c, orgURL(f.firmJAM.ID)+"/edit")
		wantStatus(t, "edit", r, 200)
		wantBody(t, "edit", r, true, `value="Blue Mountain Chocolate Ltd"`, `value="hello@bmc.example.com"`)
		edit := url.Values{"kind": {"firm"}, "name": {"Blue Mountain Chocolate Ltd"}, "country": {"JAM"}, "email": {"not an email"}}
		r = e.PostForm(c, orgURL(f.firmJAM.ID), edit)
		wantStatus(t, "invalid edit", r, 422)
		wantBody(t, "invalid edit", r, true, "Enter an email address such as")
		edit.Set("email", "sales@bmc.example.com")
		r = e.PostForm(c, orgURL(f.firmJAM.ID), edit)
		wantStatus(t, "edit", r, 303)
		got, _ := f.s.FindOrganisationByID(context.Background(), user.System, f.firmJAM.ID)
		if got.Email != "sales@bmc.example.com" || got.WomenLed || got.ISIC != "" {
			t.Errorf("after the edit: %+v", got)
		}

		// The area select of another country, as htmx asks for it.
		req, _ := http.NewRequest("GET", e.Server.URL+"/organisations/new?country=TTO", nil)
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-Target", "area-field")
		r = e.Do(c, req)
		wantStatus(t, "area partial", r, 200)
		wantBody(t, "area partial", r, true, `id="area-field"`, "Tobago")
		wantBody(t, "area partial", r, false, "<html", "Kingston")

		// Archive: hidden from the form; only an administrator restores.
		r = e.PostForm(c, orgURL(f.firmJAM.ID)+"/archive", nil)
		wantStatus(t, "archive", r, 303)
		r = e.Get(c, orgURL(f.firmJAM.ID))
		wantBody(t, "archived profile", r, true, "The organisation has been archived.", "badge archived")
		wantBody(t, "archived profile", r, false, "/edit", "/restore")
		wantStatus(t, "edit archived", e.Get(c, orgURL(f.firmJAM.ID)+"/edit"), 409)
		wantStatus(t, "restore by BSO staff", e.PostForm(c, orgURL(f.firmJAM.ID)+"/restore", nil), 403)
		ac := e.Browser(e.CreateUser(user.Admin, ""))
		wantBody(t, "archived profile for admin", e.Get(ac, orgURL(f.firmJAM.ID)), true, "/restore")
		wantStatus(t, "restore", e.PostForm(ac, orgURL(f.firmJAM.ID)+"/restore", nil), 303)
	})
}

func TestProfileAndScope(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		staff := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoJAM.ID)))

		// The cluster's Trinidadian member is readable, with its cluster.
		r := e.Get(staff, orgURL(f.firmTTO.ID))
		wantStatus(t, "member profile", r, 200)
		wantBody(t, "member profile", r, true, "Cocoa Caribbean", fmt.Sprintf(`href="/clusters/%d"`, f.cluster), "Member",
			`<a href="/">Region</a>`, `href="/countries/TTO"`)
		// Another Trinidadian firm is not.
		wantStatus(t, "outsider", e.Get(staff, orgURL(f.outsider.ID)), 404)
		wantStatus(t, "outsider edit", e.Get(staff, orgURL(f.outsider.ID)+"/edit"), 404)
		wantStatus(t, "outsider update", e.PostForm(staff, orgURL(f.outsider.ID), url.Values{"kind": {"firm"}, "name": {"x"}, "country": {"TTO"}}), 404)
		wantStatus(t, "outsider archive", e.PostForm(staff, orgURL(f.outsider.ID)+"/archive", nil), 404)
		wantStatus(t, "malformed id", e.Get(staff, "/organisations/abc"), 404)
		r = e.Get(staff, "/organisations?country=TTO")
		wantBody(t, "staff list", r, true, "Caroni Cocoa")
		wantBody(t, "staff list", r, false, "Port of Spain Media")

		// What they register in a cluster's country, they can read and edit.
		r = e.PostForm(staff, "/organisations", url.Values{"kind": {"ngo"}, "name": {"Bridgetown Youth Arts"}, "country": {"BRB"}})
		wantStatus(t, "create in a cluster country", r, 303)
		loc := r.Header.Get("Location")
		if !strings.HasPrefix(loc, "/organisations/") {
			t.Fatalf("create in a cluster country redirects to %q", loc)
		}
		wantBody(t, "registered in a cluster country", e.Get(staff, loc), true, "Bridgetown Youth Arts", loc+"/edit")

		// A country coordinator reads, but is offered no changes.
		co := e.Browser(e.CreateUser(user.CountryCoordinator, "country:TTO"))
		r = e.Get(co, orgURL(f.outsider.ID))
		wantStatus(t, "coordinator profile", r, 200)
		wantBody(t, "coordinator profile", r, false, "/edit", "/archive")
		wantBody(t, "coordinator list", e.Get(co, "/organisations"), false, `href="/organisations/new"`)
		wantStatus(t, "coordinator new", e.Get(co, "/organisations/new"), 403)
		wantStatus(t, "coordinator create", e.PostForm(co, "/organisations", url.Values{"kind": {"firm"}, "name": {"X"}, "country": {"TTO"}}), 403)
		wantStatus(t, "coordinator edit", e.Get(co, orgURL(f.outsider.ID)+"/edit"), 404)
	})
}
