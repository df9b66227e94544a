package plan_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/user"
)

// wantProblem checks a problem-details answer and the fields it names.
func wantProblem(t *testing.T, what string, r *apptest.Response, status int, fields ...string) {
	t.Helper()
	wantStatus(t, what, r, status)
	var p struct {
		Status int `json:"status"`
		Errors []struct {
			Field string `json:"field"`
		} `json:"errors"`
	}
	r.JSON(t, &p)
	for _, f := range fields {
		found := false
		for _, e := range p.Errors {
			found = found || e.Field == f
		}
		if !found {
			t.Errorf("%s: no problem with %s in %s", what, f, r.Body)
		}
	}
}

type apiPlan struct {
	plan.Plan
	Checks plan.Checks `json:"checks"`
}

func TestPlanAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		f := newFixture(t, d)
		f.shortlist(t)
		staff := e.Token(e.CreateUser(user.BSOStaff, fmt.Sprint("bso:", f.bso.ID)))
		other := e.Token(e.CreateUser(user.BSOStaff, fmt.Sprint("bso:", f.otherBSO.ID)))
		officer := e.Token(e.CreateUser(user.ProgrammeOfficer, fmt.Sprint("programme:", f.programme.ID)))
		p, _, err := plan.NewStore(d).OpenPlan(context.Background(), f.staff, f.app.ID)
		if err != nil {
			t.Fatal(err)
		}
		path := fmt.Sprintf("/api/v1/plans/%d", p.ID)

		wantProblem(t, "anonymous", e.API("GET", "/api/v1/plans", "", nil), http.StatusUnauthorized)
		var list struct {
			Items []plan.Plan `json:"items"`
			Total int         `json:"total"`
		}
		r := e.API("GET", fmt.Sprintf("/api/v1/plans?call=%d&status=draft", f.call.ID), staff, nil)
		wantStatus(t, "list", r, 200)
		r.JSON(t, &list)
		if list.Total != 1 || len(list.Items) != 1 || list.Items[0].ID != p.ID {
			t.Fatalf("list: %s", r.Body)
		}
		r = e.API("GET", "/api/v1/plans", other, nil)
		r.JSON(t, &list)
		if list.Total != 0 {
			t.Fatalf("other BSO's list: %s", r.Body)
		}
		wantProblem(t, "bad filter", e.API("GET", "/api/v1/plans?status=done&call=x", staff, nil), http.StatusUnprocessableEntity, "status", "call")
		wantProblem(t, "other BSO reads", e.API("GET", path, other, nil), http.StatusNotFound)

		// Save version 2, then a stale save based on version 1.
		body := plan.SaveInput{BaseVersion: 1, Content: f.content()}
		r = e.API("PUT", path, staff, body)
		wantStatus(t, "put", r, 200)
		var got apiPlan
		r.JSON(t, &got)
		if got.Version != 2 || !got.Checks.Pass || len(got.Checks.Checks) != 4 || got.Content.Projects[0].LeadOrgName != "Barbados Business Support" {
			t.Fatalf("put: %s", r.Body)
		}
		stale := f.content()
		stale.Budget[0].Grant = 1
		r = e.API("PUT", path, officer, plan.SaveInput{BaseVersion: 1, Content: stale})
		wantStatus(t, "stale put", r, http.StatusConflict)
		var conflict struct {
			Status         int           `json:"status"`
			CurrentVersion int           `json:"current_version"`
			Changes        []plan.Change `json:"changes"`
		}
		r.JSON(t, &conflict)
		if conflict.Status != 409 || conflict.CurrentVersion != 2 || len(conflict.Changes) == 0 {
			t.Fatalf("stale put: %s", r.Body)
		}
		bad := f.content()
		bad.Budget[1].Cash = -1
		bad.Milestones[0].Due = "2027-06-30"
		wantProblem(t, "bad put", e.API("PUT", path, staff, plan.SaveInput{BaseVersion: 2, Content: bad}), http.StatusUnprocessableEntity,
			"budget[1].counterpart_cash", "milestones[0].due")
		wantProblem(t, "other BSO puts", e.API("PUT", path, other, body), http.StatusNotFound)

		// Over the ceiling: saved, refused at submission with the reasons.
		over := f.content()
		over.Budget[1].Grant = 250_000_00
		r = e.API("PUT", path, staff, plan.SaveInput{BaseVersion: 2, Content: over})
		wantStatus(t, "put over", r, 200)
		r.JSON(t, &got)
		if got.Checks.Pass {
			t.Fatalf("over budget passes: %s", r.Body)
		}
		wantProblem(t, "submit over", e.API("POST", path+"/submit", staff, nil), http.StatusConflict, "checks.grant_ceiling", "checks.grant_share")

		wantStatus(t, "fix", e.API("PUT", path, staff, plan.SaveInput{BaseVersion: 3, Content: f.content()}), 200)
		wantStatus(t, "submit", e.API("POST", path+"/submit", staff, nil), 200)
		wantProblem(t, "BSO approves", e.API("POST", path+"/approve", staff, nil), http.StatusForbidden)
		wantProblem(t, "return without comment", e.API("POST", path+"/return", officer, map[string]string{"comment": ""}), http.StatusUnprocessableEntity, "comment")
		wantStatus(t, "return", e.API("POST", path+"/return", officer, map[string]string{"comment": "More detail on risks."}), 200)
		wantStatus(t, "resubmit", e.API("POST", path+"/submit", staff, nil), 200)
		r = e.API("POST", path+"/approve", officer, nil)
		wantStatus(t, "approve", r, 200)
		r.JSON(t, &got)
		if got.Status != plan.StatusApproved || got.BaselineVersion == nil || *got.BaselineVersion != 4 {
			t.Fatalf("approve: %s", r.Body)
		}
		wantProblem(t, "approve twice", e.API("POST", path+"/approve", officer, nil), http.StatusConflict)
	})
}
