package cluster_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/cluster"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
)

// fixture is a running application with two BSOs (JAM, TTO), a cluster
// led by each, and a firm in each country.
type fixture struct {
	e                *apptest.Env
	s                *cluster.Store
	bsoA, bsoB       int64
	firmJAM, firmTTO int64
	a, b             *cluster.Cluster
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{e: apptest.New(t, d), s: cluster.NewStore(d)}
	f.bsoA = cluster.InsertOrg(t, d, "bso", "Jamaica Business Development", "JAM")
	f.bsoB = cluster.InsertOrg(t, d, "bso", "Trinidad Export Agency", "TTO")
	f.firmJAM = cluster.InsertOrg(t, d, "firm", "Blue Mountain Chocolate", "JAM")
	f.firmTTO = cluster.InsertOrg(t, d, "firm", "Caroni Cocoa", "TTO")
	var err error
	ctx := context.Background()
	f.a, err = f.s.CreateCluster(ctx, user.System, cluster.Input{Name: "Kingston Creative", Countries: []string{"JAM"},
		Sector: cluster.SectorCreative, Industries: []string{"5911"}, Stage: cluster.StageImplementing, LeadBSOID: f.bsoA})
	if err != nil {
		t.Fatal(err)
	}
	f.b, err = f.s.CreateCluster(ctx, user.System, cluster.Input{Name: "Tobago Heritage Tourism", Countries: []string{"TTO"},
		Sector: cluster.SectorTourism, Stage: cluster.StageDiagnosed, LeadBSOID: f.bsoB})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) user(role user.Role, scope string) *user.User { return f.e.CreateUser(role, scope) }

func wantStatus(t *testing.T, what string, r *apptest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%.2000s", what, r.StatusCode, status, r.Body)
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

func path(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func TestPagesForBSOStaff(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		c := e.Browser(f.user(user.BSOStaff, path("bso:%d", f.bsoA)))

		r := e.Get(c, "/clusters")
		wantStatus(t, "list", r, 200)
		wantBody(t, "list", r, true, "Kingston Creative", `badge stage-implementing`, `href="/clusters/new"`)
		wantBody(t, "list", r, false, "Tobago Heritage Tourism")
		r = e.Get(c, "/clusters?sort=-members&sector=creative&country=JAM")
		wantStatus(t, "filtered list", r, 200)
		wantBody(t, "filtered list", r, true, "Kingston Creative", `aria-sort="descending"`)

		r = e.Get(c, path("/clusters/%d", f.a.ID))
		wantStatus(t, "profile", r, 200)
		wantBody(t, "profile", r, true, `href="/countries/JAM"`, "Jamaica", "5911", "Motion picture", path(`href="/organisations/%d"`, f.bsoA),
			`action="/clusters/`+fmt.Sprint(f.a.ID)+`/members"`, path(`hx-get="/clusters/%d/candidates"`, f.a.ID), path(`href="/clusters/%d/edit"`, f.a.ID))
		// The candidates are not part of the profile: they load on demand.
		wantBody(t, "profile", r, false, "Blue Mountain Chocolate")

		// Without JavaScript the search opens the add-member page; htmx gets
		// only the select's options.
		r = e.Get(c, path("/clusters/%d/candidates?member_q=blue+mountain", f.a.ID))
		wantStatus(t, "candidates page", r, 200)
		wantBody(t, "candidates page", r, true, "<h1>Add a member to Kingston Creative</h1>", "Blue Mountain Chocolate (JAM)",
			`action="/clusters/`+fmt.Sprint(f.a.ID)+`/members"`, `value="blue mountain"`)
		req, _ := http.NewRequest("GET", e.Server.URL+path("/clusters/%d/candidates?member_q=CHOCOLATE", f.a.ID), nil)
		req.Header.Set("HX-Request", "true")
		req.Header.Set("HX-Target", "f-organisation_id")
		r = e.Do(c, req)
		wantStatus(t, "candidate options", r, 200)
		wantBody(t, "candidate options", r, true, path(`<option value="%d" >Blue Mountain Chocolate (JAM)</option>`, f.firmJAM))
		wantBody(t, "candidate options", r, false, "<html", "<h1")
		r = e.Get(c, path("/clusters/%d/candidates?member_q=nothing+like+this", f.a.ID))
		wantBody(t, "no candidates", r, true, "No organisation matches")
		wantBody(t, "no candidates", r, false, "Blue Mountain Chocolate")
		// Organisations of another country are never candidates.
		r = e.Get(c, path("/clusters/%d/candidates", f.a.ID))
		wantBody(t, "all candidates", r, true, "Blue Mountain Chocolate")
		wantBody(t, "all candidates", r, false, "(TTO)")

		// Out of scope: another BSO's cluster answers 404 to every page and form.
		for _, p := range []string{path("/clusters/%d", f.b.ID), path("/clusters/%d/edit", f.b.ID), path("/clusters/%d/candidates", f.b.ID)} {
			wantStatus(t, "GET "+p, e.Get(c, p), 404)
		}
		for _, p := range []string{path("/clusters/%d", f.b.ID), path("/clusters/%d/archive", f.b.ID), path("/clusters/%d/members", f.b.ID)} {
			r := e.PostForm(c, p, url.Values{"name": {"Taken"}, "organisation_id": {fmt.Sprint(f.firmTTO)}, "role": {"member"}, "joined": {"2024-01-01"}})
			wantStatus(t, "POST "+p, r, 404)
		}
		got, _ := f.s.FindClusterByID(context.Background(), user.System, f.b.ID)
		if got.Name != "Tobago Heritage Tourism" || got.MemberCount != 0 || got.Archived() {
			t.Errorf("B's cluster changed through pages: %+v", got)
		}

		// Add a member, end the membership, and try to end it again.
		r = e.PostForm(c, path("/clusters/%d/members", f.a.ID), url.Values{"organisation_id": {fmt.Sprint(f.firmJAM)}, "role": {"lead_firm"}, "joined": {"2999-01-01"}})
		wantStatus(t, "add member with future date", r, 422)
		wantBody(t, "add member error", r, true, "in the future", `value="2999-01-01"`, path(`<option value="%d" selected>Blue Mountain Chocolate`, f.firmJAM))
		r = e.PostForm(c, path("/clusters/%d/members", f.a.ID), url.Values{"organisation_id": {fmt.Sprint(f.firmJAM)}, "role": {"lead_firm"}, "joined": {"2023-02-01"}})
		wantStatus(t, "add member", r, 303)
		ms, _, _ := f.s.FindMemberships(context.Background(), user.System, cluster.MembershipFilter{ClusterID: f.a.ID})
		if len(ms) != 1 || ms[0].Role != cluster.RoleLeadFirm {
			t.Fatalf("memberships after add = %+v", ms)
		}
		r = e.Get(c, path("/clusters/%d", f.a.ID))
		wantBody(t, "profile with member", r, true, "Member added.", `data-table="members-by-kind"`, `data-value="1"`, "Lead firm",
			path(`/clusters/%d/members/%d/end`, f.a.ID, ms[0].ID))
		endPath := path("/clusters/%d/members/%d/end", f.a.ID, ms[0].ID)
		wantStatus(t, "end before joining", e.PostForm(c, endPath, url.Values{"left": {"2023-01-01"}}), 422)
		wantStatus(t, "end", e.PostForm(c, endPath, url.Values{"left": {"2024-06-30"}}), 303)
		// The members table the profile kept in memory gives way to the change.
		wantBody(t, "profile after the end", e.Get(c, path("/clusters/%d", f.a.ID)), true, `<time datetime="2024-06-30">`)
		wantBody(t, "profile after the end", e.Get(c, path("/clusters/%d", f.a.ID)), false, `action="`+endPath+`"`)
		r = e.PostForm(c, endPath, url.Values{"left": {"2024-07-30"}})
		wantStatus(t, "end again", r, 422)
		wantBody(t, "end again", r, true, "already ended on 2024-06-30")
		// The membership must belong to the cluster in the path.
		wantStatus(t, "end through another cluster", e.PostForm(c, path("/clusters/%d/members/%d/end", f.b.ID, ms[0].ID), url.Values{"left": {"2024-06-30"}}), 404)
	})
}

func TestClusterFormPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		c := e.Browser(f.user(user.BSOStaff, path("bso:%d", f.bsoA)))

		r := e.Get(c, "/clusters/new?name=Cocoa%20Corridor&country=JAM&country=TTO&isic=1073,0127&sector=agro_processing")
		wantStatus(t, "new form", r, 200)
		wantBody(t, "prefilled form", r, true, `value="Cocoa Corridor"`, `value="1073, 0127"`, `value="agro_processing" selected`,
			`id="f-country-TTO" name="countries" type="checkbox" value="TTO" checked`, path(`<option value="%d" selected>`, f.bsoA))
		wantBody(t, "lead BSO choices", r, false, "Trinidad Export Agency")

		form := url.Values{"name": {""}, "countries": {"JAM"}, "sector": {"agro_processing"}, "value_chain": {"cocoa to chocolate"},
			"industries": {"1073, 9999"}, "stage": {"identified"}, "lead_bso_id": {fmt.Sprint(f.bsoA)}, "started_year": {"20x9"}}
		r = e.PostForm(c, "/clusters", form)
		wantStatus(t, "invalid form", r, 422)
		wantBody(t, "invalid form", r, true, `href="#f-name"`, "Not an ISIC Rev.4 class: 9999.", `value="cocoa to chocolate"`,
			`value="1073, 9999"`, `value="20x9"`, "field has-error", "Enter a year")

		form.Set("name", "Cocoa Corridor")
		form.Set("industries", "1073 0127")
		form.Set("started_year", "2019")
		r = e.PostForm(c, "/clusters", form)
		wantStatus(t, "valid form", r, 303)
		loc := r.Header.Get("Location")
		r = e.Get(c, loc)
		wantStatus(t, "new profile", r, 200)
		wantBody(t, "new profile", r, true, "Cluster initiative created.", "Cocoa Corridor", "cocoa to chocolate", "0127", "2019")

		// Staff of A cannot start a cluster for B.
		form.Set("lead_bso_id", fmt.Sprint(f.bsoB))
		form.Set("countries", "TTO")
		wantStatus(t, "create for another BSO", e.PostForm(c, "/clusters", form), 403)

		// Edit: the form shows the stored values; saving replaces the countries.
		r = e.Get(c, path("/clusters/%d/edit", f.a.ID))
		wantStatus(t, "edit form", r, 200)
		wantBody(t, "edit form", r, true, `value="Kingston Creative"`, `value="5911"`)
		r = e.PostForm(c, path("/clusters/%d", f.a.ID), url.Values{"name": {"Kingston Creative Industries"}, "countries": {"JAM", "BRB"},
			"sector": {"creative"}, "stage": {"sustaining"}, "lead_bso_id": {fmt.Sprint(f.bsoA)}, "industries": {"5911, 9000"}})
		wantStatus(t, "save edit", r, 303)
		got, _ := f.s.FindClusterByID(context.Background(), user.System, f.a.ID)
		if got.Name != "Kingston Creative Industries" || len(got.Countries) != 2 || got.Stage != cluster.StageSustaining || len(got.Industries) != 2 {
			t.Errorf("after edit: %+v", got)
		}

		// Archive and restore through the buttons.
		wantStatus(t, "archive", e.PostForm(c, path("/clusters/%d/archive", f.a.ID), nil), 303)
		r = e.Get(c, path("/clusters/%d", f.a.ID))
		wantBody(t, "archived profile", r, true, "badge archived", path(`/clusters/%d/restore`, f.a.ID))
		wantBody(t, "archived profile", r, false, path(`href="/clusters/%d/edit"`, f.a.ID))
		wantStatus(t, "restore", e.PostForm(c, path("/clusters/%d/restore", f.a.ID), nil), 303)
	})
}

func TestPagesForOtherRoles(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e

		r := e.Get(e.Anonymous(), "/clusters")
		wantStatus(t, "anonymous", r, 303)

		// A cluster manager edits their cluster and its members only, and cannot archive it.
		m := e.Browser(f.user(user.ClusterManager, path("cluster:%d", f.a.ID)))
		r = e.Get(m, path("/clusters/%d/edit", f.a.ID))
		wantStatus(t, "manager edit form", r, 200)
		wantBody(t, "manager edit form", r, false, `name="lead_bso_id"`)
		r = e.PostForm(m, path("/clusters/%d", f.a.ID), url.Values{"name": {"Kingston Creative"}, "countries": {"JAM"},
			"sector": {"creative"}, "stage": {"sustaining"}})
		wantStatus(t, "manager saves", r, 303)
		r = e.PostForm(m, path("/clusters/%d/members", f.a.ID), url.Values{"organisation_id": {fmt.Sprint(f.firmJAM)}, "role": {"member"}, "joined": {"2024-01-01"}})
		wantStatus(t, "manager adds member", r, 303)
		wantStatus(t, "manager archives", e.PostForm(m, path("/clusters/%d/archive", f.a.ID), nil), 403)
		wantStatus(t, "manager reads other", e.Get(m, path("/clusters/%d", f.b.ID)), 404)
		r = e.PostForm(m, path("/clusters/%d/members", f.b.ID), url.Values{"organisation_id": {fmt.Sprint(f.firmTTO)}, "role": {"member"}, "joined": {"2024-01-01"}})
		wantStatus(t, "manager adds to other", r, 404)
		wantStatus(t, "manager new form", e.Get(m, "/clusters/new"), 403)

		// A country coordinator reads their country's clusters and changes nothing.
		co := e.Browser(f.user(user.CountryCoordinator, "country:TTO"))
		r = e.Get(co, "/clusters")
		wantBody(t, "coordinator list", r, true, "Tobago Heritage Tourism")
		wantBody(t, "coordinator list", r, false, "Kingston Creative", `href="/clusters/new"`)
		r = e.Get(co, path("/clusters/%d", f.b.ID))
		wantStatus(t, "coordinator profile", r, 200)
		wantBody(t, "coordinator profile", r, false, "/edit", `action="/clusters/`+fmt.Sprint(f.b.ID)+`/members"`)
		wantStatus(t, "coordinator candidates", e.Get(co, path("/clusters/%d/candidates", f.b.ID)), 403)
		wantStatus(t, "coordinator other", e.Get(co, path("/clusters/%d", f.a.ID)), 404)
		wantStatus(t, "coordinator edit", e.Get(co, path("/clusters/%d/edit", f.b.ID)), 404)
		wantStatus(t, "coordinator save", e.PostForm(co, path("/clusters/%d", f.b.ID), url.Values{"name": {"X"}}), 404)

		// Every language renders the pages (no missing keys shown raw).
		admin := e.Browser(f.user(user.Admin, ""))
		for _, lang := range []string{"es", "fr", "nl"} {
			for _, p := range []string{"/clusters", path("/clusters/%d", f.a.ID), "/clusters/new", path("/clusters/%d/edit", f.a.ID)} {
				r := e.Get(admin, p+"?lang="+lang)
				wantStatus(t, lang+" "+p, r, http.StatusOK)
				wantBody(t, lang+" "+p, r, false, "cluster.")
			}
		}
	})
}
