package programme_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/org"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
)

type problemBody struct {
	Status int `json:"status"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

func wantProblem(t *testing.T, what string, r *apptest.Response, status int, fields ...string) {
	t.Helper()
	wantStatus(t, what, r, status)
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("%s: content type %q", what, ct)
	}
	var p problemBody
	r.JSON(t, &p)
	for _, f := range fields {
		found := false
		for _, e := range p.Errors {
			found = found || e.Field == f
		}
		if !found {
			t.Errorf("%s: no error on %s in %s", what, f, r.Body)
		}
	}
}

func TestProgrammeAndCallAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		funder := createOrg(t, d, org.KindFunder, "Caribbean Competitiveness Facility")
		officer := e.Token(e.CreateUser(user.ProgrammeOfficer, ""))
		bso := e.Token(e.CreateUser(user.BSOStaff, fmt.Sprint("bso:", createOrg(t, d, org.KindBSO, "A BSO").ID)))

		wantProblem(t, "anonymous", e.API("GET", "/api/v1/programmes", "", nil), http.StatusUnauthorized)
		wantProblem(t, "bad programme", e.API("POST", "/api/v1/programmes", officer,
			map[string]any{"name": "P", "funder_id": funder.ID, "currency": "XYZ", "countries": []string{}}),
			http.StatusUnprocessableEntity, "currency", "countries")
		wantProblem(t, "unknown field", e.API("POST", "/api/v1/programmes", officer, `{"name": "P", "budget": 1}`), http.StatusUnprocessableEntity)
		wantProblem(t, "BSO staff creates", e.API("POST", "/api/v1/programmes", bso, programmeInput(funder.ID)), http.StatusForbidden)

		r := e.API("POST", "/api/v1/programmes", officer, programmeInput(funder.ID))
		wantStatus(t, "create programme", r, http.StatusCreated)
		var p programme.Programme
		r.JSON(t, &p)
		if r.Header.Get("Location") != fmt.Sprintf("/api/v1/programmes/%d", p.ID) || p.Currency != "USD" || len(p.Countries) != 3 {
			t.Errorf("created %+v at %s", p, r.Header.Get("Location"))
		}
		r = e.API("PATCH", fmt.Sprintf("/api/v1/programmes/%d", p.ID), officer, `{"description": "Co-finances cluster initiatives."}`)
		wantStatus(t, "patch programme", r, 200)
		r.JSON(t, &p)
		if p.Description != "Co-finances cluster initiatives." || p.Name != "Cluster Competitiveness Programme" {
			t.Errorf("patched %+v", p)
		}
		r = e.API("GET", "/api/v1/programmes", bso, nil)
		wantStatus(t, "list programmes", r, 200)
		var list struct {
			Items []programme.Programme `json:"items"`
			Total int                   `json:"total"`
		}
		r.JSON(t, &list)
		if list.Total != 1 || len(list.Items) != 1 {
			t.Errorf("programme list %+v", list)
		}
		wantStatus(t, "get programme", e.API("GET", fmt.Sprintf("/api/v1/programmes/%d", p.ID), bso, nil), 200)
		wantProblem(t, "missing programme", e.API("GET", "/api/v1/programmes/9999", bso, nil), http.StatusNotFound)

		body := `{"programme_id": %d, "number": "2025-1", "title": "Call 2025", "opens_at": "2025-03-01T09:00:00-04:00",
			"closes_at": "2099-04-30T16:00:00-04:00", "published": %s, "grant_ceiling": 40000000, "max_grant_share": 0.8,
			"min_counterpart_share": 0.2, "in_kind_rule": "min_cash", "in_kind_share": 0.5,
			"rules": [{"kind": "min_private_firms", "params": {"n": 3}}, {"kind": %q, "params": %s}],
			"criteria": [{"name": "Impact", "weight": %d, "levels": [{"score": 1, "descriptor": "Low"}, {"score": 5, "descriptor": "High"}]}]}`
		wantProblem(t, "bad call", e.API("POST", "/api/v1/calls", officer, fmt.Sprintf(body, p.ID, "true", "min_turnover", `{}`, 90)),
			http.StatusUnprocessableEntity, "rules[1]", "criteria")
		wantProblem(t, "bad params", e.API("POST", "/api/v1/calls", officer, fmt.Sprintf(body, p.ID, "true", "min_months_operating", `{"months": "12"}`, 100)),
			http.StatusUnprocessableEntity, "rules[1].params")
		wantProblem(t, "BSO staff adds a call", e.API("POST", "/api/v1/calls", bso, fmt.Sprintf(body, p.ID, "true", "no_tax_debt", `{}`, 100)),
			http.StatusForbidden)
		r = e.API("POST", "/api/v1/calls", officer, fmt.Sprintf(body, p.ID, "true", "no_tax_debt", `{}`, 100))
		wantStatus(t, "create call", r, http.StatusCreated)
		var c programme.Call
		r.JSON(t, &c)
		if c.Status != programme.StatusOpen || c.TimeZone != "America/Port_of_Spain" || c.OpensAt.UTC().Hour() != 13 || len(c.Rules) != 4 || c.Currency != "USD" {
			t.Errorf("created call %+v", c)
		}
		r = e.API("POST", "/api/v1/calls", officer, strings.Replace(fmt.Sprintf(body, p.ID, "false", "no_tax_debt", `{}`, 100), "2025-1", "2025-2", 1))
		wantStatus(t, "create draft", r, http.StatusCreated)

		count := func(token, query string) int {
			t.Helper()
			r := e.API("GET", "/api/v1/calls"+query, token, nil)
			wantStatus(t, "list calls "+query, r, 200)
			var l struct {
				Items []programme.Call `json:"items"`
				Total int              `json:"total"`
			}
			r.JSON(t, &l)
			if len(l.Items) != l.Total {
				t.Errorf("%s: %d items, total %d", query, len(l.Items), l.Total)
			}
			return l.Total
		}
		if n := count(officer, fmt.Sprintf("?programme=%d&status=open", p.ID)); n != 1 {
			t.Errorf("open calls: %d", n)
		}
		if n := count(officer, "?status=draft"); n != 1 {
			t.Errorf("drafts: %d", n)
		}
		if n := count(bso, ""); n != 1 {
			t.Errorf("BSO staff sees %d calls, want the published one", n)
		}
		wantProblem(t, "bad status", e.API("GET", "/api/v1/calls?status=pending&programme=x", officer, nil), http.StatusUnprocessableEntity, "status", "programme")

		r = e.API("PATCH", fmt.Sprintf("/api/v1/calls/%d", c.ID), officer, `{"closes_at": "2025-02-01T00:00:00Z"}`)
		wantProblem(t, "close before open", r, http.StatusUnprocessableEntity, "closes_at")
		r = e.API("PATCH", fmt.Sprintf("/api/v1/calls/%d", c.ID), officer, `{"grant_ceiling": 50000000, "full_plan_due_at": "2099-06-30T16:00:00-04:00"}`)
		wantStatus(t, "patch call", r, 200)
		r.JSON(t, &c)
		if c.GrantCeiling != 50000000 || c.FullPlanDueAt == nil || string(c.Rules[3].Params) != `{"amount":50000000}` || c.Title != "Call 2025" {
			t.Errorf("patched call %+v", c)
		}
		wantProblem(t, "BSO staff patches", e.API("PATCH", fmt.Sprintf("/api/v1/calls/%d", c.ID), bso, `{"title": "X"}`), http.StatusForbidden)
		wantStatus(t, "get call", e.API("GET", fmt.Sprintf("/api/v1/calls/%d", c.ID), bso, nil), 200)
	})
}
