package cluster_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/cluster"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
)

func pickURL(q, field string) string {
	return "/clusters/pick?" + url.Values{"q": {q}, "for": {field}}.Encode()
}

func TestClusterPick(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		admin := e.Browser(f.user(user.Admin, ""))
		create := func(name string, lead int64, country string) *cluster.Cluster {
			t.Helper()
			c, err := f.s.CreateCluster(context.Background(), user.System, cluster.Input{Name: name, Countries: []string{country},
				Sector: cluster.SectorTourism, Stage: cluster.StageDiagnosed, LeadBSOID: lead})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}

		// Part of the name, whatever the case; the options carry the ID.
		r := e.Get(admin, pickURL("KINGSTON", "f-cluster_id"))
		wantStatus(t, "by name", r, 200)
		wantBody(t, "by name", r, true, `role="listbox"`, `id="f-cluster_id-options"`,
			fmt.Sprintf(`id="f-cluster_id-opt-%d"`, f.a.ID), fmt.Sprintf(`data-pick-id="%d"`, f.a.ID),
			"Kingston Creative", "Jamaica", fmt.Sprintf("#%d", f.a.ID), "Cluster initiatives found: 1")
		wantBody(t, "by name", r, false, "Tobago Heritage Tourism", "<html")

		// Nothing matches: an empty state, not an error.
		r = e.Get(admin, pickURL("zzz nothing", "f-x"))
		wantStatus(t, "no match", r, 200)
		wantBody(t, "no match", r, true, "No cluster initiative you may see matches")
		wantBody(t, "no match", r, false, `role="option"`)

		// Too short a query is refused with a message.
		r = e.Get(admin, pickURL("k", "f-x"))
		wantStatus(t, "short query", r, 400)
		wantBody(t, "short query", r, true, "Type at least 2 characters")

		// Ten at most, and IDs of two digits and more.
		for i := range 11 {
			create(fmt.Sprintf("Pitch Lake Crafts %02d", i), f.bsoB, "TTO")
		}
		r = e.Get(admin, pickURL("pitch lake", "f-x"))
		if n := strings.Count(r.Body, `role="option"`); n != 10 {
			t.Errorf("%d options, want 10", n)
		}
		home := create("Montego Bay Food", f.bsoA, "JAM")
		abroad := create("Scarborough Fishing", f.bsoB, "TTO")

		// An exact ID; the fragment is in the page's language.
		r = e.Get(admin, pickURL(fmt.Sprint(abroad.ID), "f-x")+"&lang=fr")
		wantStatus(t, "by ID", r, 200)
		wantBody(t, "by ID", r, true, "Scarborough Fishing", fmt.Sprintf(`data-pick-id="%d"`, abroad.ID), "Trinité-et-Tobago")

		// BSO staff see the initiatives their BSO leads only.
		staff := e.Browser(f.user(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoA)))
		r = e.Get(staff, pickURL("tobago", "f-x"))
		wantStatus(t, "staff, out of scope", r, 200)
		wantBody(t, "staff, out of scope", r, true, "No cluster initiative you may see matches")
		r = e.Get(staff, pickURL(fmt.Sprint(abroad.ID), "f-x"))
		wantBody(t, "staff, an ID out of scope", r, false, "Scarborough Fishing", `role="option"`)
		r = e.Get(staff, pickURL(fmt.Sprint(home.ID), "f-x"))
		wantBody(t, "staff, an ID in scope", r, true, "Montego Bay Food")
		r = e.Get(staff, pickURL("creative", "f-x"))
		wantBody(t, "staff, by name", r, true, "Kingston Creative")

		// Archived initiatives are not offered.
		e.PostForm(admin, path("/clusters/%d/archive", home.ID), url.Values{})
		r = e.Get(admin, pickURL(fmt.Sprint(home.ID), "f-x"))
		wantBody(t, "archived", r, false, "Montego Bay Food")
	})
}
