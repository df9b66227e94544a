package region_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
)

var (
	statRE  = regexp.MustCompile(`<span class="stat">([^<]*)</span>`)
	valueRE = regexp.MustCompile(`data-value="(\d+)"`)
)

// rowValues returns the data-value numbers of the first table row whose
// opening tag contains marker.
func rowValues(t *testing.T, body, marker string) string {
	t.Helper()
	i := strings.Index(body, marker)
	if i < 0 {
		t.Fatalf("no row %s", marker)
	}
	row := body[i : i+strings.Index(body[i:], "</tr>")]
	var out []string
	for _, m := range valueRE.FindAllStringSubmatch(row, -1) {
		out = append(out, m[1])
	}
	return strings.Join(out, ",")
}

func stats(body string) string {
	var out []string
	for _, m := range statRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return strings.Join(out, ",")
}

func want(t *testing.T, what string, r *apptest.Response, status int, present bool, texts ...string) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%.1500s", what, r.StatusCode, status, r.Body)
	}
	for _, s := range texts {
		if strings.Contains(r.Body, s) != present {
			t.Errorf("%s: contains %q = %v, want %v", what, s, !present, present)
		}
	}
}

func TestRegionPage(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		newFixture(t, d)
		e := apptest.New(t, d)
		r := e.Get(e.Anonymous(), "/")
		want(t, "region", r, 200, true,
			`<div class="region-map" data-geojson="/geo/caribbean.geojson" data-table="country-figures" aria-hidden="true"`,
			`<table id="country-figures" class="data">`, `<tr data-iso3="JAM" data-href="/countries/JAM">`, `<a href="/countries/JAM">Jamaica</a>`,
			`data-metric data-default>Cluster initiatives`, `data-chart="hbar" data-table="clusters-by-sector"`, `<table id="clusters-by-sector"`,
			`data-table="clusters-by-stage"`, `badge stage-implementing`, "1 initiatives are cross-border", `aria-current="page">Region`)
		want(t, "region", r, 200, false, "Montserrat", "Retired Chamber", "region.")
		// Headline: each initiative once; by country: the cross-border one in both.
		if got := stats(r.Body); got != "15,2,3,5,4" {
			t.Errorf("cards = %s, want 15,2,3,5,4", got)
		}
		if got := rowValues(t, r.Body, `data-iso3="JAM"`); got != "1,2,3,4" {
			t.Errorf("JAM row = %s, want 1,2,3,4", got)
		}
		if got := rowValues(t, r.Body, `data-iso3="TTO"`); got != "1,2,1,2" {
			t.Errorf("TTO row = %s, want 1,2,1,2", got)
		}
		if got := rowValues(t, r.Body, `data-iso3="BRB"`); got != "0,0,0,0" {
			t.Errorf("BRB row = %s, want 0,0,0,0", got)
		}
		if n := strings.Count(r.Body, `<tr data-iso3=`); n != 15 {
			t.Errorf("%d country rows, want 15", n)
		}

		// In Spanish: translated labels and names, numbers formatted for Spanish.
		r = e.Get(e.Anonymous(), "/?lang=es")
		want(t, "region es", r, 200, true, "Desarrollo de clústeres en el Caribe", ">República Dominicana</a>", "Turismo", `lang="es"`)

		// A signed-in person sees the same page.
		c := e.Browser(e.CreateUser(user.Reviewer, ""))
		want(t, "region signed in", e.Get(c, "/"), 200, true, `<tr data-iso3="JAM" data-href="/countries/JAM">`)
	})
}

func TestCountryPage(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		fx := newFixture(t, d)
		e := apptest.New(t, d)

		// Anonymous: aggregates and a sign-in prompt, no lists.
		r := e.Get(e.Anonymous(), "/countries/JAM")
		want(t, "anonymous JAM", r, 200, true, "<h1>Jamaica</h1>", `href="/login?next=%2Fcountries%2FJAM"`, "Jamaican dollar (JMD)",
			`<a href="/">Region</a>`, `<span aria-current="page">Jamaica</span>`, `<table id="firms-by-area"`, `data-table="clusters-by-sector"`,
			"Area not recorded")
		want(t, "anonymous JAM", r, 200, false, `href="/clusters/`, "Kingston Creative", `href="/organisations/`)
		if got := stats(r.Body); got != "1,2,3,4" {
			t.Errorf("JAM cards = %s, want 1,2,3,4", got)
		}
		if got := rowValues(t, r.Body, `<th scope="row">Kingston</th>`); got != "2" {
			t.Errorf("Kingston firms = %s, want 2", got)
		}

		// BSO staff: only their BSO's initiatives.
		staff := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", fx.bsoJAM)))
		r = e.Get(staff, "/countries/JAM")
		want(t, "JAM BSO staff", r, 200, true, fmt.Sprintf(`<a href="/clusters/%d">Kingston Creative</a>`, fx.creative),
			fmt.Sprintf(`<a href="/organisations/%d">Jamaica Business Development</a>`, fx.bsoJAM), "badge stage-implementing", "Creative and cultural industries",
			`href="/clusters?country=JAM"`)
		want(t, "JAM BSO staff", r, 200, false, "Caribbean Sea Tourism", "Old Jamaican Initiative", "Sign in to see")
		if got := rowValues(t, r.Body, fmt.Sprintf(`<a href="/clusters/%d">`, fx.creative)); got != "2" {
			t.Errorf("Kingston Creative members = %s, want 2", got)
		}
		r = e.Get(staff, "/countries/TTO")
		want(t, "JAM BSO staff on TTO", r, 200, true, "Your access does not include any of this country&#39;s cluster initiatives.")
		want(t, "JAM BSO staff on TTO", r, 200, false, "Tobago Cocoa", "Caribbean Sea Tourism")

		// A country coordinator of another country still sees the aggregates.
		coord := e.Browser(e.CreateUser(user.CountryCoordinator, "country:BRB"))
		r = e.Get(coord, "/countries/JAM")
		want(t, "BRB coordinator on JAM", r, 200, true, "<h1>Jamaica</h1>", `<table id="firms-by-area"`, "Your access does not include any")
		want(t, "BRB coordinator on JAM", r, 200, false, `href="/clusters/`, `href="/organisations/`)
		if got := stats(r.Body); got != "1,2,3,4" {
			t.Errorf("coordinator's JAM cards = %s, want 1,2,3,4", got)
		}
		// …and a coordinator of TTO sees the cross-border initiative from the JAM page.
		r = e.Get(e.Browser(e.CreateUser(user.CountryCoordinator, "country:TTO")), "/countries/JAM")
		want(t, "TTO coordinator on JAM", r, 200, true, fmt.Sprintf(`<a href="/clusters/%d">Caribbean Sea Tourism</a>`, fx.sea))
		want(t, "TTO coordinator on JAM", r, 200, false, "Kingston Creative")

		// Nested areas: the Dominican Republic's provinces under their regions.
		r = e.Get(e.Anonymous(), "/countries/DOM")
		want(t, "DOM", r, 200, true, `<th scope="rowgroup">Cibao Norte</th>`, `<tr class="sub"><th scope="row">Santiago</th>`,
			"an area that contains others includes their firms", "Dominican peso (DOP)")
		if got := rowValues(t, r.Body, `<th scope="rowgroup">Cibao Norte</th>`); got != "1" {
			t.Errorf("Cibao Norte firms = %s, want 1", got)
		}
		want(t, "KNA", e.Get(e.Anonymous(), "/countries/KNA"), 200, true, `<th scope="rowgroup">Nevis</th>`, `<th scope="rowgroup">Saint Kitts</th>`)

		// Other spellings redirect; unknown countries are not found.
		r = e.Get(e.Anonymous(), "/countries/jm")
		if r.StatusCode != 301 || r.Header.Get("Location") != "/countries/JAM" {
			t.Errorf("/countries/jm: %d → %q", r.StatusCode, r.Header.Get("Location"))
		}
		for _, p := range []string{"/countries/XYZ", "/countries/ZZ", "/countries/xyz", "/countries/J%20M"} {
			want(t, p, e.Get(e.Anonymous(), p), 404, false, "<table")
		}
	})
}
