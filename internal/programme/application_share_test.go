package programme_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
)

var baseField = regexp.MustCompile(`name="base" value="([^"]+)"`)

// TestApplicationSharing walks a draft shared with a co-applicant of
// another BSO: both edit, a stale save is refused, only the lead submits.
func TestApplicationSharing(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		f := newApplyFixture(t, d)
		leadUser := e.CreateUser(user.BSOStaff, fmt.Sprint("bso:", f.bso.ID))
		coUser := e.CreateUser(user.BSOStaff, fmt.Sprint("bso:", f.otherBSO.ID))
		lead, co := e.Browser(leadUser), e.Browser(coUser)
		reviewer := e.CreateUser(user.Reviewer, "")

		r := e.PostForm(lead, fmt.Sprintf("/calls/%d/apply", f.call.ID), applicationForm(f, "100000"))
		id := idAfter(t, r, "/applications/")
		page := fmt.Sprintf("/applications/%d", id)
		wantStatus(t, "co-applicant before sharing", e.Get(co, page), http.StatusNotFound)

		// Sharing: unknown address, a reviewer, oneself, then the partner.
		share := func(email string) *apptest.Response {
			return e.PostForm(lead, page+"/sharing", url.Values{"email": {email}})
		}
		r = share("nobody@example.test")
		wantStatus(t, "unknown account", r, http.StatusUnprocessableEntity)
		wantBody(t, "unknown account", r, true, "No account has the address nobody@example.test")
		wantBody(t, "reviewer", share(reviewer.Email), true, "only they co-apply")
		wantBody(t, "oneself", share(leadUser.Email), true, "You already edit this draft.")
		r = share(" " + coUser.Email + " ")
		wantStatus(t, "share", r, http.StatusSeeOther)
		wantBody(t, "shared twice", share(coUser.Email), true, "already shared")
		r = e.Get(lead, page)
		wantBody(t, "lead's page", r, true, "Co-applicants", coUser.Email, "Stop sharing", "Submit the application")
		checkPage(t, "lead's page", "en", r.Body)

		// The co-applicant reads and edits, but neither shares nor submits.
		r = e.Get(co, page)
		wantStatus(t, "co-applicant reads", r, 200)
		wantBody(t, "co-applicant's page", r, true, "You are a co-applicant", page+"/edit")
		wantBody(t, "co-applicant's page", r, false, "Submit the application", "Share the draft")
		wantStatus(t, "co-applicant shares", e.PostForm(co, page+"/sharing", url.Values{"email": {leadUser.Email}}), http.StatusForbidden)
		wantStatus(t, "co-applicant submits", e.PostForm(co, page+"/submit", nil), http.StatusForbidden)

		// Both open the form; the co-applicant saves first; the lead's save
		// on the older version is refused and their input kept.
		leadForm, coForm := e.Get(lead, page+"/edit"), e.Get(co, page+"/edit")
		base := baseField.FindStringSubmatch(leadForm.Body)
		if base == nil || baseField.FindStringSubmatch(coForm.Body) == nil {
			t.Fatalf("the edit form carries no base version")
		}
		edit := applicationForm(f, "100000")
		edit.Set("base", base[1])
		edit.Set("title", "Written by the co-applicant")
		wantStatus(t, "co-applicant saves", e.PostForm(co, page, edit), http.StatusSeeOther)
		edit.Set("title", "Written by the lead")
		r = e.PostForm(lead, page, edit)
		wantStatus(t, "stale save", r, http.StatusConflict)
		wantBody(t, "stale save", r, true, "after you opened it; your changes were not saved", "Written by the lead")
		wantBody(t, "after the stale save", e.Get(lead, page), true, "Written by the co-applicant")

		// Autosave: saves a valid form and moves the base on; a half-typed
		// amount leaves the draft as it was and says why.
		fresh := baseField.FindStringSubmatch(e.Get(lead, page+"/edit").Body)[1]
		edit.Set("base", fresh)
		edit.Set("title", "Autosaved title")
		r = e.PostForm(lead, page+"/autosave", edit)
		wantStatus(t, "autosave", r, 200)
		wantBody(t, "autosave", r, true, "Draft saved at", `id="f-base"`, `hx-swap-oob="true"`)
		next := baseField.FindStringSubmatch(r.Body)
		if next == nil || next[1] == fresh {
			t.Fatalf("autosave did not move the base on: %s", r.Body)
		}
		edit.Set("base", next[1])
		edit.Set("grant_request", "12,00,0x")
		r = e.PostForm(lead, page+"/autosave", edit)
		wantBody(t, "autosave of a half-typed amount", r, true, "Not saved yet:", "is not an amount")
		wantBody(t, "after autosaves", e.Get(lead, page), true, "Autosaved title")

		// The co-applicant may not change the cluster; stopping sharing
		// takes the draft away from them.
		r = e.PostForm(lead, fmt.Sprintf("%s/sharing/%d/remove", page, coUser.ID), nil)
		wantStatus(t, "unshare", r, http.StatusSeeOther)
		wantStatus(t, "co-applicant after unsharing", e.Get(co, page), http.StatusNotFound)
		wantStatus(t, "unshare again", e.PostForm(lead, fmt.Sprintf("%s/sharing/%d/remove", page, coUser.ID), nil), http.StatusNotFound)

		// The same through the API.
		tok, coTok := e.Token(leadUser), e.Token(coUser)
		api := fmt.Sprintf("/api/v1/applications/%d/co-applicants", id)
		r = e.API("POST", api, tok, map[string]string{"email": coUser.Email})
		wantStatus(t, "API share", r, http.StatusCreated)
		wantStatus(t, "API share by the co-applicant", e.API("POST", api, coTok, map[string]string{"email": reviewer.Email}), http.StatusForbidden)
		var list struct {
			Items []struct {
				UserID int64 `json:"user_id"`
			} `json:"items"`
			Total int `json:"total"`
		}
		r = e.API("GET", api, coTok, nil)
		r.JSON(t, &list)
		if r.StatusCode != 200 || list.Total != 1 || list.Items[0].UserID != coUser.ID {
			t.Fatalf("API list: %d %+v", r.StatusCode, list)
		}
		wantStatus(t, "API unshare", e.API("DELETE", fmt.Sprintf("%s/%d", api, coUser.ID), tok, nil), http.StatusNoContent)
		wantStatus(t, "API list after unsharing", e.API("GET", api, coTok, nil), http.StatusNotFound)
	})
}
