package programme_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
)

func TestApplicationAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		f := newApplyFixture(t, d)
		bso := e.Token(e.CreateUser(user.BSOStaff, fmt.Sprint("bso:", f.bso.ID)))
		other := e.Token(e.CreateUser(user.BSOStaff, fmt.Sprint("bso:", f.otherBSO.ID)))
		officer := e.Token(e.CreateUser(user.ProgrammeOfficer, ""))

		wantProblem(t, "anonymous", e.API("GET", "/api/v1/applications", "", nil), http.StatusUnauthorized)
		bad := f.input(-1)
		bad.Members = append(bad.Members, programme.MemberInput{OrganisationID: 424242, Role: programme.RoleOther})
		wantProblem(t, "bad draft", e.API("POST", "/api/v1/applications", bso, bad), http.StatusUnprocessableEntity,
			"grant_request", "members[3].organisation_id")
		wantProblem(t, "officer drafts", e.API("POST", "/api/v1/applications", officer, f.input(1)), http.StatusForbidden)

		r := e.API("POST", "/api/v1/applications", bso, f.input(250_000_00))
		wantStatus(t, "create", r, http.StatusCreated)
		var a programme.Application
		r.JSON(t, &a)
		path := fmt.Sprintf("/api/v1/applications/%d", a.ID)
		if r.Header.Get("Location") != path || a.Status != programme.AppDraft {
			t.Fatalf("created %+v at %s", a, r.Header.Get("Location"))
		}
		wantProblem(t, "other BSO reads", e.API("GET", path, other, nil), http.StatusNotFound)
		wantProblem(t, "other BSO patches", e.API("PATCH", path, other, map[string]any{"title": "X"}), http.StatusNotFound)
		wantProblem(t, "negative patch", e.API("PATCH", path, bso, map[string]any{"counterpart_cash": -1}), http.StatusUnprocessableEntity, "counterpart_cash")

		r = e.API("PATCH", path, bso, map[string]any{"title": "Renamed cluster note"})
		wantStatus(t, "patch", r, http.StatusOK)
		r.JSON(t, &a)
		if a.Title != "Renamed cluster note" || len(a.Members) != 3 {
			t.Fatalf("patched %+v", a)
		}

		r = e.API("POST", path+"/submit", bso, nil)
		wantStatus(t, "submit", r, http.StatusOK)
		r.JSON(t, &a)
		if a.Status != programme.AppSubmitted || a.Eligible == nil || !*a.Eligible || len(a.Results) != 6 || a.Results[0].Reason == "" {
			t.Fatalf("submitted %+v", a)
		}
		wantProblem(t, "patch after submit", e.API("PATCH", path, bso, map[string]any{"title": "Late"}), http.StatusConflict)

		var list struct {
			Items []programme.Application `json:"items"`
			Total int                     `json:"total"`
		}
		r = e.API("GET", fmt.Sprintf("/api/v1/applications?call=%d", f.call.ID), officer, nil)
		wantStatus(t, "officer list", r, http.StatusOK)
		r.JSON(t, &list)
		if list.Total != 1 || len(list.Items) != 1 {
			t.Fatalf("officer list %+v", list)
		}
		r = e.API("GET", fmt.Sprintf("/api/v1/applications?call=%d", f.call.ID), other, nil)
		r.JSON(t, &list)
		if list.Total != 0 {
			t.Fatalf("other BSO list %+v", list)
		}
		wantProblem(t, "bad filter", e.API("GET", "/api/v1/applications?call=x", officer, nil), http.StatusUnprocessableEntity, "call")
		wantStatus(t, "officer reads", e.API("GET", path, officer, nil), http.StatusOK)
	})
}
