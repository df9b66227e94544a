package org_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/org"
	"github.com/clusterobservatory/observatory/internal/user"
)

func pickURL(q, field string) string {
	return "/organisations/pick?" + url.Values{"q": {q}, "for": {field}}.Encode()
}

func TestOrganisationPick(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		admin := e.Browser(e.CreateUser(user.Admin, ""))

		// Part of the name, whatever the case; the options carry the ID.
		r := e.Get(admin, pickURL("COCOA", "f-lead_org_id"))
		wantStatus(t, "by name", r, 200)
		wantBody(t, "by name", r, true, `role="listbox"`, `id="f-lead_org_id-options"`,
			fmt.Sprintf(`id="f-lead_org_id-opt-%d"`, f.firmTTO.ID), fmt.Sprintf(`data-pick-id="%d"`, f.firmTTO.ID),
			"Caroni Cocoa, Estates", "Trinidad and Tobago", fmt.Sprintf("#%d", f.firmTTO.ID), "Organisations found: 1")
		wantBody(t, "by name", r, false, "Blue Mountain", "<html")
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("content type %q", ct)
		}

		// Nothing matches: an empty state, not an error.
		r = e.Get(admin, pickURL("zzz nothing", "f-x"))
		wantStatus(t, "no match", r, 200)
		wantBody(t, "no match", r, true, "No organisation you may see matches", "zzz nothing")
		wantBody(t, "no match", r, false, `role="option"`)

		// Too short a query is refused with a message.
		for _, q := range []string{"", "a", " b "} {
			r = e.Get(admin, pickURL(q, "f-x"))
			wantStatus(t, "short query "+q, r, 400)
			wantBody(t, "short query "+q, r, true, "Type at least 2 characters")
		}

		// A field ID that no form could have is not echoed.
		r = e.Get(admin, pickURL("cocoa", `x"><script>`))
		wantStatus(t, "odd field", r, 200)
		wantBody(t, "odd field", r, true, `id="pick-options"`)
		wantBody(t, "odd field", r, false, "<script>")

		// Ten at most.
		for i := range 12 {
			f.create(t, org.Input{Kind: org.KindFirm, Name: fmt.Sprintf("Cocoa Grower %02d", i), Country: "JAM"})
		}
		r = e.Get(admin, pickURL("cocoa", "f-x"))
		if n := strings.Count(r.Body, `role="option"`); n != 10 {
			t.Errorf("%d options, want 10", n)
		}
		// IDs of two digits and more, so that an ID is a query long enough.
		abroad := f.create(t, org.Input{Kind: org.KindFirm, Name: "Scarborough Films", Country: "TTO"})
		home := f.create(t, org.Input{Kind: org.KindFirm, Name: "Negril Tours", Country: "JAM"})

		// An exact ID comes first; the fragment is in the page's language.
		r = e.Get(admin, pickURL(fmt.Sprint(abroad.ID), "f-x")+"&lang=es")
		wantStatus(t, "by ID", r, 200)
		wantBody(t, "by ID", r, true, "Scarborough Films", "Organizaciones encontradas")
		if first := fmt.Sprintf(`data-pick-id="%d"`, abroad.ID); !strings.Contains(r.Body, first) ||
			strings.Index(r.Body, first) != strings.Index(r.Body, `data-pick-id=`) {
			t.Errorf("by ID: %s is not the first option:\n%s", first, r.Body)
		}

		// BSO staff see the organisations in their scope only: their
		// country's, and the members of the clusters their BSO leads.
		staff := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoJAM.ID)))
		r = e.Get(staff, pickURL("caroni", "f-x"))
		wantBody(t, "staff, a member abroad", r, true, "Caroni Cocoa, Estates")
		r = e.Get(staff, pickURL("trinidad", "f-x"))
		wantStatus(t, "staff, out of scope", r, 200)
		wantBody(t, "staff, out of scope", r, true, "No organisation you may see matches")
		wantBody(t, "staff, out of scope", r, false, "Trinidad Export Agency")
		r = e.Get(staff, pickURL(fmt.Sprint(abroad.ID), "f-x"))
		wantBody(t, "staff, an ID out of scope", r, false, "Scarborough Films", `role="option"`)
		r = e.Get(staff, pickURL(fmt.Sprint(home.ID), "f-x"))
		wantBody(t, "staff, an ID in scope", r, true, "Negril Tours")

		// Archived organisations are not offered.
		e.PostForm(admin, orgURL(f.firmJAM.ID)+"/archive", url.Values{})
		r = e.Get(admin, pickURL("blue mountain", "f-x"))
		wantBody(t, "archived", r, false, "Blue Mountain Chocolate Ltd")
		e.PostForm(admin, orgURL(home.ID)+"/archive", url.Values{})
		r = e.Get(admin, pickURL(fmt.Sprint(home.ID), "f-x"))
		wantBody(t, "archived by ID", r, false, "Negril Tours")
	})
}
