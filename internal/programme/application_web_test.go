package programme_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
)

func applicationForm(f *applyFixture, grant string) url.Values {
	return url.Values{"title": {"Barbados agro-processing cluster"}, "summary": {"Sauces and spices for export."},
		"lead_org_id": {fmt.Sprint(f.bso.ID)}, "grant_request": {grant}, "counterpart_cash": {"60,000"}, "counterpart_in_kind": {"20000.50"},
		"months_operating": {"36"}, "formally_registered": {"true"}, "no_tax_debt": {"true"}, "documents": {"Certificate of incorporation"},
		"members_rows":               {"5"},
		"members[0].organisation_id": {fmt.Sprint(f.firms[0].ID)}, "members[0].role": {"lead_firm"},
		"members[2].organisation_id": {fmt.Sprint(f.firms[1].ID)}, "members[2].role": {"member_firm"}}
}

func TestApplicationPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		f := newApplyFixture(t, d)
		c := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprint("bso:", f.bso.ID)))
		other := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprint("bso:", f.otherBSO.ID)))
		off := e.Browser(e.CreateUser(user.ProgrammeOfficer, ""))
		apply := fmt.Sprintf("/calls/%d/apply", f.call.ID)

		r := e.Get(c, fmt.Sprintf("/calls/%d", f.call.ID))
		wantStatus(t, "public call", r, 200)
		wantBody(t, "public call", r, true, `href="`+apply+`"`)
		r = e.Get(off, fmt.Sprintf("/calls/%d", f.call.ID))
		wantBody(t, "officer's public call", r, false, `href="`+apply+`"`)
		wantStatus(t, "officer applies", e.Get(off, apply), http.StatusForbidden)

		r = e.Get(c, apply)
		wantStatus(t, "new application", r, 200)
		checkPage(t, "new application", "en", r.Body)
		wantBody(t, "new application", r, true, fmt.Sprintf(`value="%d"`, f.bso.ID), `name="members[4].role"`, "Certificate of incorporation",
			"America/Port_of_Spain")

		more := applicationForm(f, "100000")
		more.Set("add_members", "1")
		r = e.PostForm(c, apply, more)
		wantStatus(t, "more rows", r, 200)
		wantBody(t, "more rows", r, true, `name="members[9].role"`)

		bad := applicationForm(f, "-5")
		bad.Set("title", "")
		bad.Set("members[2].organisation_id", fmt.Sprint(f.firms[0].ID))
		bad.Set("counterpart_cash", "lots")
		r = e.PostForm(c, apply, bad)
		wantStatus(t, "bad application", r, http.StatusUnprocessableEntity)
		checkPage(t, "bad application", "en", r.Body)
		wantBody(t, "bad application", r, true, "Enter the concept note's title.", "An amount cannot be negative.",
			`"lots" is not an amount in USD`, "Row 2: organisation", "already listed in row 1", `href="#f-members%5b1%5d.organisation_id"`)

		r = e.PostForm(c, apply, applicationForm(f, "400,000"))
		id := idAfter(t, r, "/applications/")
		page := fmt.Sprintf("/applications/%d", id)
		r = e.Get(c, page)
		wantStatus(t, "application", r, 200)
		checkPage(t, "application", "en", r.Body)
		wantBody(t, "application", r, true, "Barbados agro-processing cluster", "Firm 1", "Lead firm", "400,000\u00a0USD", "20,000.50\u00a0USD",
			"Submit the application", page+"/edit")
		wantStatus(t, "other BSO reads", e.Get(other, page), http.StatusNotFound)
		wantStatus(t, "other BSO edits", e.PostForm(other, page, applicationForm(f, "1")), http.StatusNotFound)

		r = e.Get(c, page+"/edit")
		wantStatus(t, "edit", r, 200)
		checkPage(t, "edit", "en", r.Body)
		wantBody(t, "edit", r, true, `value="400000"`, `value="20000.50"`)
		edit := applicationForm(f, "400000")
		edit.Set("title", "Barbados sauces and spices cluster")
		wantStatus(t, "update", e.PostForm(c, page, edit), http.StatusSeeOther)

		wantStatus(t, "submit", e.PostForm(c, page+"/submit", url.Values{}), http.StatusSeeOther)
		r = e.Get(c, page)
		checkPage(t, "submitted", "en", r.Body)
		wantBody(t, "submitted", r, true, "Barbados sauces and spices cluster", "Does not meet every eligibility rule", "Not met",
			"is above the ceiling of 300,000\u00a0USD")
		wantBody(t, "submitted", r, false, "Submit the application", page+"/edit")
		wantStatus(t, "edit after submit", e.Get(c, page+"/edit"), http.StatusConflict)
		wantStatus(t, "update after submit", e.PostForm(c, page, edit), http.StatusConflict)

		r = e.Get(c, "/applications")
		wantStatus(t, "my applications", r, 200)
		checkPage(t, "my applications", "en", r.Body)
		wantBody(t, "my applications", r, true, "Barbados sauces and spices cluster", "Submitted")
		r = e.Get(other, "/applications")
		wantBody(t, "other BSO's applications", r, false, "Barbados sauces and spices cluster")

		list := fmt.Sprintf("/programmes/%d/calls/%d/applications", f.call.ProgrammeID, f.call.ID)
		r = e.Get(off, fmt.Sprintf("/programmes/%d/calls/%d", f.call.ProgrammeID, f.call.ID))
		wantBody(t, "staff call page", r, true, `href="`+list+`"`)
		r = e.Get(off, list)
		wantStatus(t, "call applications", r, 200)
		checkPage(t, "call applications", "en", r.Body)
		wantBody(t, "call applications", r, true, "Barbados sauces and spices cluster", "Does not meet every eligibility rule")
		wantStatus(t, "BSO sees call list", e.Get(c, list), http.StatusForbidden)

		// Spanish: the page and its labels are translated.
		e.Get(c, "/language/es?next=/")
		r = e.Get(c, page)
		checkPage(t, "application es", "es", r.Body)
		wantBody(t, "application es", r, true, "Ficha del clúster")

		// Late: a draft cannot be submitted once the call has closed.
		e.Get(c, "/language/en?next=/")
		r = e.PostForm(c, apply, applicationForm(f, "100000"))
		late := fmt.Sprintf("/applications/%d", idAfter(t, r, "/applications/"))
		closed := time.Date(2026, 1, 15, 20, 0, 0, 0, time.UTC)
		if _, err := d.SQL().ExecContext(context.Background(), `UPDATE calls SET opens_at = $1, closes_at = $2 WHERE id = $3`,
			closed.Add(-48*time.Hour), closed, f.call.ID); err != nil {
			t.Fatal(err)
		}
		r = e.PostForm(c, late+"/submit", url.Values{})
		wantStatus(t, "late submit", r, http.StatusConflict)
		checkPage(t, "late submit", "en", r.Body)
		wantBody(t, "late submit", r, true, "16:00 (UTC−04:00, America/Port_of_Spain); applications can no longer be submitted")
	})
}
