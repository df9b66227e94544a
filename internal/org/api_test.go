package org_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
)

// apiOrg is the JSON shape of an organisation.
type apiOrg struct {
	ID          int64   `json:"id"`
	Kind        string  `json:"kind"`
	Name        string  `json:"name"`
	Country     string  `json:"country"`
	AreaID      *int64  `json:"area_id"`
	AreaName    string  `json:"area_name"`
	ISIC        string  `json:"isic"`
	ISICTitle   string  `json:"isic_title"`
	SizeBand    string  `json:"size_band"`
	WomenLed    bool    `json:"women_led"`
	YouthLed    bool    `json:"youth_led"`
	FoundedYear *int    `json:"founded_year"`
	Website     string  `json:"website"`
	Email       string  `json:"email"`
	Phone       string  `json:"phone"`
	ArchivedAt  *string `json:"archived_at"`
	CreatedAt   string  `json:"created_at"`
}

type apiProblem struct {
	Status int `json:"status"`
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
	var p apiProblem
	r.JSON(t, &p)
	if p.Status != status {
		t.Errorf("%s: problem status %d", what, p.Status)
	}
	if field == "" {
		return
	}
	for _, e := range p.Errors {
		if e.Field == field && e.Message != "" {
			return
		}
	}
	t.Errorf("%s: no problem on %s in %s", what, field, r.Body)
}

func TestAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		tok := e.Token(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoJAM.ID)))

		wantProblem(t, "anonymous list", e.API("GET", "/api/v1/organisations", "", nil), 401, "")
		wantProblem(t, "anonymous create", e.API("POST", "/api/v1/organisations", "", map[string]any{"name": "x"}), 401, "")

		// Create.
		var area int64
		d.Read().QueryRowContext(context.Background(), `SELECT MIN(id) FROM areas WHERE country_iso3 = 'JAM'`).Scan(&area)
		in := map[string]any{"kind": "firm", "name": "Montego Bay Spices", "country": "JAM", "area_id": area, "isic": "1079",
			"size_band": "medium", "youth_led": true, "founded_year": 2001, "website": "https://spices.example.com", "email": "info@spices.example.com"}
		r := e.API("POST", "/api/v1/organisations", tok, in)
		wantStatus(t, "create", r, 201)
		var o apiOrg
		r.JSON(t, &o)
		loc := r.Header.Get("Location")
		if loc != fmt.Sprintf("/api/v1/organisations/%d", o.ID) || o.AreaName == "" || o.ISICTitle == "" || !o.YouthLed ||
			o.SizeBand != "medium" || o.FoundedYear == nil || *o.FoundedYear != 2001 || o.ArchivedAt != nil || o.CreatedAt == "" {
			t.Fatalf("created %+v at %q", o, loc)
		}
		wantProblem(t, "duplicate", e.API("POST", "/api/v1/organisations", tok, in), 409, "name")
		in["allow_duplicate"] = true
		wantStatus(t, "confirmed duplicate", e.API("POST", "/api/v1/organisations", tok, in), 201)

		// Invalid input names its fields.
		wantProblem(t, "invalid create", e.API("POST", "/api/v1/organisations", tok,
			map[string]any{"kind": "charity", "name": "X", "country": "JAM"}), 422, "kind")
		wantProblem(t, "area of another country", e.API("POST", "/api/v1/organisations", tok,
			map[string]any{"kind": "firm", "name": "Y", "country": "TTO", "area_id": area}), 422, "area_id")
		wantProblem(t, "unknown field", e.API("POST", "/api/v1/organisations", tok, `{"kind":"firm","name":"Z","country":"JAM","colour":"red"}`), 422, "")
		wantProblem(t, "wrong type", e.API("POST", "/api/v1/organisations", tok, `{"kind":"firm","name":"Z","country":"JAM","founded_year":"old"}`), 422, "founded_year")

		// Read.
		r = e.API("GET", loc, tok, nil)
		wantStatus(t, "get", r, 200)
		var got apiOrg
		r.JSON(t, &got)
		if got.ID != o.ID || got.Name != "Montego Bay Spices" || got.Email != "info@spices.example.com" {
			t.Errorf("got %+v", got)
		}
		for _, field := range []string{`"area_name"`, `"isic_title"`, `"contact_name"`, `"updated_at"`, `"archived_at":null`} {
			if !strings.Contains(r.Body, field) {
				t.Errorf("the JSON lacks %s: %s", field, r.Body)
			}
		}

		// Lists name the area and industry as the record does (they come
		// from memory there, from the database here).
		var listed struct{ Items []apiOrg }
		e.API("GET", "/api/v1/organisations?q=Montego+Bay+Spices", tok, nil).JSON(t, &listed)
		if len(listed.Items) == 0 || listed.Items[0].AreaName != got.AreaName || listed.Items[0].ISICTitle != got.ISICTitle || got.AreaName == "" {
			t.Errorf("listed %+v, read %+v", listed.Items, got)
		}

		// Partial update: only the given fields change; null clears.
		r = e.API("PATCH", loc, tok, map[string]any{"phone": "+1 876 555 0199", "area_id": nil})
		wantStatus(t, "patch", r, 200)
		r.JSON(t, &got)
		if got.Phone != "+1 876 555 0199" || got.AreaID != nil || got.Name != "Montego Bay Spices" || got.ISIC != "1079" || !got.YouthLed {
			t.Errorf("after patch %+v", got)
		}
		wantProblem(t, "invalid patch", e.API("PATCH", loc, tok, map[string]any{"founded_year": 3000}), 422, "founded_year")
		wantProblem(t, "patch out of scope", e.API("PATCH", fmt.Sprintf("/api/v1/organisations/%d", f.outsider.ID), tok,
			map[string]any{"name": "Taken"}), 404, "")

		// List with filters and total.
		r = e.API("GET", "/api/v1/organisations?q=spices&kind=firm&country=JAM&isic=C&size_band=medium&youth_led=true&per_page=1", tok, nil)
		wantStatus(t, "list", r, 200)
		var list struct {
			Items   []apiOrg `json:"items"`
			Total   int      `json:"total"`
			Page    int      `json:"page"`
			PerPage int      `json:"per_page"`
		}
		r.JSON(t, &list)
		if list.Total != 2 || len(list.Items) != 1 || list.PerPage != 1 || list.Page != 1 {
			t.Errorf("list %+v", list)
		}
		r = e.API("GET", "/api/v1/organisations?limit=2&offset=2&sort=-name", tok, nil)
		r.JSON(t, &list)
		if list.Page != 2 || len(list.Items) != 2 {
			t.Errorf("limit/offset: %+v", list)
		}
		wantProblem(t, "bad filter", e.API("GET", "/api/v1/organisations?kind=charity", tok, nil), 422, "kind")
		wantProblem(t, "bad sort", e.API("GET", "/api/v1/organisations?sort=password_hash", tok, nil), 422, "sort")

		// Scope and missing records answer 404.
		wantProblem(t, "out of scope", e.API("GET", fmt.Sprintf("/api/v1/organisations/%d", f.outsider.ID), tok, nil), 404, "")
		wantProblem(t, "missing", e.API("GET", "/api/v1/organisations/999999", tok, nil), 404, "")
		wantProblem(t, "archive out of scope", e.API("POST", fmt.Sprintf("/api/v1/organisations/%d/archive", f.outsider.ID), tok, nil), 404, "")
		wantProblem(t, "create out of scope", e.API("POST", "/api/v1/organisations", tok,
			map[string]any{"kind": "firm", "name": "Castries Media", "country": "LCA"}), 422, "country")
		coTok := e.Token(e.CreateUser(user.CountryCoordinator, "country:JAM"))
		wantProblem(t, "coordinator create", e.API("POST", "/api/v1/organisations", coTok, in), 403, "")
		wantProblem(t, "coordinator patch", e.API("PATCH", loc, coTok, map[string]any{"name": "X"}), 404, "")

		// Archive hides it from the list; it stays readable and can't be edited.
		r = e.API("POST", loc+"/archive", tok, nil)
		wantStatus(t, "archive", r, 200)
		r.JSON(t, &got)
		if got.ArchivedAt == nil {
			t.Error("archived_at is null after archiving")
		}
		r = e.API("GET", "/api/v1/organisations?q=montego", tok, nil)
		r.JSON(t, &list)
		if list.Total != 1 {
			t.Errorf("archived organisation listed: total %d", list.Total)
		}
		r = e.API("GET", "/api/v1/organisations?q=montego&archived=true", tok, nil)
		r.JSON(t, &list)
		if list.Total != 2 {
			t.Errorf("archived=true lists %d", list.Total)
		}
		wantProblem(t, "patch archived", e.API("PATCH", loc, tok, map[string]any{"phone": "+1 876 555 0000"}), 409, "")
		wantProblem(t, "restore by staff", e.API("POST", loc+"/restore", tok, nil), 403, "")
		adminTok := e.Token(e.CreateUser(user.Admin, ""))
		wantStatus(t, "restore by admin", e.API("POST", loc+"/restore", adminTok, nil), 200)
	})
}
