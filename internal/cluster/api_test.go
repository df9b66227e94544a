package cluster_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/cluster"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

type problemBody struct {
	Status int `json:"status"`
	Detail string
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

func wantProblem(t *testing.T, what string, r *apptest.Response, status int, field string) {
	t.Helper()
	wantStatus(t, what, r, status)
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("%s: content type %q", what, ct)
	}
	var p problemBody
	r.JSON(t, &p)
	if p.Status != status {
		t.Errorf("%s: problem status %d", what, p.Status)
	}
	if field != "" && !slices.ContainsFunc(p.Errors, func(e struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	}) bool {
		return e.Field == field
	}) {
		t.Errorf("%s: no problem with field %s in %s", what, field, r.Body)
	}
}

func TestClusterAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		wantProblem(t, "anonymous list", e.API("GET", "/api/v1/clusters", "", nil), 401, "")
		wantProblem(t, "anonymous create", e.API("POST", "/api/v1/memberships", "", map[string]any{}), 401, "")

		admin := e.Token(f.user(user.Admin, ""))
		r := e.API("POST", "/api/v1/clusters", admin, map[string]any{
			"name": "Caribbean Cocoa", "countries": []string{"jam", "TTO"}, "sector": "agro_processing", "value_chain": "cocoa to chocolate",
			"industries": []string{"1073"}, "stage": "applying", "lead_bso_id": f.bsoB, "started_year": 2020, "facilitator": "A. Moe",
		})
		wantStatus(t, "create", r, http.StatusCreated)
		var c cluster.Cluster
		r.JSON(t, &c)
		if r.Header.Get("Location") != fmt.Sprintf("/api/v1/clusters/%d", c.ID) {
			t.Errorf("Location = %q", r.Header.Get("Location"))
		}
		if !slices.Equal(c.Countries, []string{"TTO", "JAM"}) || c.LeadBSOName != "Trinidad Export Agency" || *c.StartedYear != 2020 || c.ArchivedAt != nil {
			t.Errorf("created = %+v", c)
		}
		wantProblem(t, "invalid create", e.API("POST", "/api/v1/clusters", admin, map[string]any{
			"name": "X", "countries": []string{"JAM"}, "sector": "mining", "stage": "identified", "lead_bso_id": f.bsoA, "industries": []string{"9999"},
		}), 422, "sector")
		wantProblem(t, "unknown field", e.API("POST", "/api/v1/clusters", admin, `{"name":"X","colour":"red"}`), 422, "")

		// PATCH: absent fields keep their values; lists replace; null clears.
		r = e.API("PATCH", fmt.Sprintf("/api/v1/clusters/%d", c.ID), admin, `{"countries":["TTO"],"industries":["1073","1079"],"started_year":null}`)
		wantStatus(t, "patch", r, 200)
		var up cluster.Cluster
		r.JSON(t, &up)
		if !slices.Equal(up.Countries, []string{"TTO"}) || !slices.Equal(up.Industries, []string{"1073", "1079"}) || up.StartedYear != nil ||
			up.Name != "Caribbean Cocoa" || up.Facilitator != "A. Moe" {
			t.Errorf("patched = %+v", up)
		}

		var list web.ListResponse[cluster.Cluster]
		r = e.API("GET", "/api/v1/clusters?country=TTO&sort=-name&per_page=1", admin, nil)
		wantStatus(t, "list", r, 200)
		r.JSON(t, &list)
		if list.Total != 2 || len(list.Items) != 1 || list.Items[0].Name != "Tobago Heritage Tourism" || list.PerPage != 1 {
			t.Errorf("list = %+v", list)
		}
		r = e.API("GET", "/api/v1/clusters?isic=107&limit=10&offset=0", admin, nil)
		r.JSON(t, &list)
		if list.Total != 1 || list.Items[0].ID != c.ID {
			t.Errorf("isic list = %+v", list)
		}
		wantProblem(t, "bad filter", e.API("GET", "/api/v1/clusters?stage=done", admin, nil), 422, "stage")
		wantProblem(t, "bad sort", e.API("GET", "/api/v1/clusters?sort=password", admin, nil), 422, "sort")

		// Memberships.
		r = e.API("POST", "/api/v1/memberships", admin, map[string]any{"cluster_id": c.ID, "organisation_id": f.firmTTO, "role": "lead_firm", "joined": "2021-05-01"})
		wantStatus(t, "add member", r, 201)
		var m cluster.Membership
		r.JSON(t, &m)
		if m.OrganisationName != "Caroni Cocoa" || m.ClusterName != "Caribbean Cocoa" || m.Left != nil || r.Header.Get("Location") != fmt.Sprintf("/api/v1/memberships/%d", m.ID) {
			t.Errorf("membership = %+v", m)
		}
		wantProblem(t, "duplicate open membership", e.API("POST", "/api/v1/memberships", admin,
			map[string]any{"cluster_id": c.ID, "organisation_id": f.firmTTO, "role": "member", "joined": "2022-01-01"}), 422, "organisation_id")
		wantProblem(t, "no cluster", e.API("POST", "/api/v1/memberships", admin,
			map[string]any{"organisation_id": f.firmTTO, "role": "member", "joined": "2022-01-01"}), 422, "cluster_id")
		wantProblem(t, "left before joined", e.API("PATCH", fmt.Sprintf("/api/v1/memberships/%d", m.ID), admin, `{"left":"2020-01-01"}`), 422, "left")
		r = e.API("PATCH", fmt.Sprintf("/api/v1/memberships/%d", m.ID), admin, `{"role":"member"}`)
		wantStatus(t, "correct role", r, 200)
		r = e.API("POST", fmt.Sprintf("/api/v1/memberships/%d/end", m.ID), admin, `{"left":"2024-06-30"}`)
		wantStatus(t, "end", r, 200)
		r.JSON(t, &m)
		if m.Left == nil || *m.Left != "2024-06-30" || m.Role != cluster.RoleMember {
			t.Errorf("ended = %+v", m)
		}
		wantProblem(t, "end again", e.API("POST", fmt.Sprintf("/api/v1/memberships/%d/end", m.ID), admin, `{"left":"2024-07-30"}`), 409, "")
		wantStatus(t, "rejoin", e.API("POST", "/api/v1/memberships", admin,
			map[string]any{"cluster_id": c.ID, "organisation_id": f.firmTTO, "role": "member", "joined": "2024-09-01"}), 201)
		var ms web.ListResponse[cluster.Membership]
		e.API("GET", fmt.Sprintf("/api/v1/memberships?cluster=%d", c.ID), admin, nil).JSON(t, &ms)
		if ms.Total != 2 || ms.Items[0].Left != nil {
			t.Errorf("memberships = %+v", ms)
		}
		e.API("GET", fmt.Sprintf("/api/v1/memberships?cluster=%d&current=true", c.ID), admin, nil).JSON(t, &ms)
		if ms.Total != 1 {
			t.Errorf("current memberships total = %d", ms.Total)
		}
		wantProblem(t, "bad membership filter", e.API("GET", "/api/v1/memberships?cluster=abc", admin, nil), 422, "cluster")

		r = e.API("POST", fmt.Sprintf("/api/v1/clusters/%d/archive", c.ID), admin, nil)
		wantStatus(t, "archive", r, 200)
		r.JSON(t, &up)
		if up.ArchivedAt == nil {
			t.Error("archived_at not set")
		}
		e.API("GET", "/api/v1/clusters", admin, nil).JSON(t, &list)
		if list.Total != 2 {
			t.Errorf("archived cluster listed: total %d", list.Total)
		}
		e.API("GET", "/api/v1/clusters?archived=true", admin, nil).JSON(t, &list)
		if list.Total != 3 {
			t.Errorf("archived=true total %d", list.Total)
		}
		wantStatus(t, "restore", e.API("POST", fmt.Sprintf("/api/v1/clusters/%d/restore", c.ID), admin, nil), 200)
		wantProblem(t, "missing", e.API("GET", "/api/v1/clusters/999999", admin, nil), 404, "")
	})
}

func TestClusterAPIScope(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		bm := fmt.Sprintf("/api/v1/clusters/%d", f.b.ID)
		admin := e.Token(f.user(user.Admin, ""))
		var m cluster.Membership
		e.API("POST", "/api/v1/memberships", admin, map[string]any{"cluster_id": f.b.ID, "organisation_id": f.firmTTO, "role": "member", "joined": "2021-05-01"}).JSON(t, &m)

		staffA := e.Token(f.user(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoA)))
		var list web.ListResponse[cluster.Cluster]
		e.API("GET", "/api/v1/clusters", staffA, nil).JSON(t, &list)
		if list.Total != 1 || list.Items[0].ID != f.a.ID {
			t.Errorf("BSO A lists %+v", list)
		}
		wantProblem(t, "read B", e.API("GET", bm, staffA, nil), 404, "")
		wantProblem(t, "patch B", e.API("PATCH", bm, staffA, `{"name":"Mine now"}`), 404, "")
		wantProblem(t, "archive B", e.API("POST", bm+"/archive", staffA, nil), 404, "")
		wantProblem(t, "add member to B", e.API("POST", "/api/v1/memberships", staffA,
			map[string]any{"cluster_id": f.b.ID, "organisation_id": f.firmJAM, "role": "member", "joined": "2022-01-01"}), 404, "")
		wantProblem(t, "read B's membership", e.API("GET", fmt.Sprintf("/api/v1/memberships/%d", m.ID), staffA, nil), 404, "")
		wantProblem(t, "end B's membership", e.API("POST", fmt.Sprintf("/api/v1/memberships/%d/end", m.ID), staffA, `{"left":"2024-01-01"}`), 404, "")
		var ms web.ListResponse[cluster.Membership]
		e.API("GET", fmt.Sprintf("/api/v1/memberships?cluster=%d", f.b.ID), staffA, nil).JSON(t, &ms)
		if ms.Total != 0 {
			t.Errorf("BSO A lists %d of B's memberships", ms.Total)
		}
		wantProblem(t, "create for B", e.API("POST", "/api/v1/clusters", staffA, map[string]any{
			"name": "X", "countries": []string{"TTO"}, "sector": "tourism", "stage": "identified", "lead_bso_id": f.bsoB}), 403, "")

		// A cluster manager changes their cluster but not its lead BSO.
		mgr := e.Token(f.user(user.ClusterManager, fmt.Sprintf("cluster:%d", f.a.ID)))
		wantStatus(t, "manager patch", e.API("PATCH", fmt.Sprintf("/api/v1/clusters/%d", f.a.ID), mgr, `{"stage":"sustaining"}`), 200)
		wantProblem(t, "manager changes lead", e.API("PATCH", fmt.Sprintf("/api/v1/clusters/%d", f.a.ID), mgr, fmt.Sprintf(`{"lead_bso_id":%d}`, f.bsoB)), 403, "")
		wantProblem(t, "manager patches B", e.API("PATCH", bm, mgr, `{"stage":"closed"}`), 404, "")

		// A country coordinator reads and writes nothing.
		co := e.Token(f.user(user.CountryCoordinator, "country:TTO"))
		wantStatus(t, "coordinator reads", e.API("GET", bm, co, nil), 200)
		wantProblem(t, "coordinator patches", e.API("PATCH", bm, co, `{"stage":"closed"}`), 404, "")
		wantProblem(t, "coordinator reads JAM", e.API("GET", fmt.Sprintf("/api/v1/clusters/%d", f.a.ID), co, nil), 404, "")

		var b cluster.Cluster
		e.API("GET", bm, admin, nil).JSON(t, &b)
		if b.Name != "Tobago Heritage Tourism" || b.Stage != cluster.StageDiagnosed || b.MemberCount != 1 || b.ArchivedAt != nil {
			t.Errorf("B changed: %+v", b)
		}
	})
}
