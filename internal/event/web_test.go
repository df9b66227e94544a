package event_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/event"
	"github.com/clusterobservatory/observatory/internal/user"
)

func wantStatus(t *testing.T, what string, r *apptest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%.3000s", what, r.StatusCode, status, r.Body)
	}
}

func wantBody(t *testing.T, what string, r *apptest.Response, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if !strings.Contains(r.Body, s) {
			t.Errorf("%s: page lacks %q", what, s)
		}
	}
}

// upload posts an attendance file as the upload form does.
func upload(e *apptest.Env, c *http.Client, id int64, name, body string, setTotals bool) *apptest.Response {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if setTotals {
		mw.WriteField("set_totals", "1")
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write([]byte(body))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s/events/%d/attendance", e.Server.URL, id), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", e.Server.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return e.Do(c, req)
}

func TestEventPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		f := event.NewFixture(t, d)
		staff := e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.BSOA))
		c := e.Browser(staff)

		r := e.Get(c, "/events/new?cluster="+fmt.Sprint(f.A.ID))
		wantStatus(t, "new form", r, 200)
		wantBody(t, "new form", r, "Kingston Creative", `name="participants"`)

		form := url.Values{"title": {"Cocoa buyers meet"}, "type": {"matchmaking"}, "organiser_id": {fmt.Sprint(f.BSOA)},
			"cluster_ids": {fmt.Sprint(f.A.ID)}, "starts_on": {"2024-06-10"}, "ends_on": {"2024-06-09"}, "place": {"Kingston"},
			"country": {"JAM"}, "participants": {"10"}, "women": {"4"}, "men": {"4"}, "other": {""}, "youth": {"x"}}
		r = e.PostForm(c, "/events", form)
		wantStatus(t, "bad form", r, http.StatusUnprocessableEntity)
		wantBody(t, "bad form", r, "before it starts", "whole number")
		form.Set("youth", "3")
		r = e.PostForm(c, "/events", form)
		wantStatus(t, "bad breakdown", r, http.StatusUnprocessableEntity)
		wantBody(t, "bad breakdown", r, "add up to 8, not the 10 participants")

		form.Set("ends_on", "2024-06-11")
		form.Set("other", "2")
		form.Set("youth", "3")
		r = e.PostForm(c, "/events", form)
		wantStatus(t, "create", r, http.StatusSeeOther)
		loc := r.Header.Get("Location")
		var id int64
		fmt.Sscanf(loc, "/events/%d", &id)
		if id == 0 {
			t.Fatalf("redirect to %q", loc)
		}
		if event.AuditCount(t, d, id, "create") != 1 {
			t.Error("create not audited")
		}

		r = e.Get(c, loc)
		wantStatus(t, "show", r, 200)
		wantBody(t, "show", r, "Cocoa buyers meet", "Matchmaking session", "Jamaica Business Development")

		// The edit form lists attendee rows; a bad row is named.
		r = e.Get(c, loc+"/edit")
		wantStatus(t, "edit", r, 200)
		edit := url.Values{"title": {"Cocoa buyers meet"}, "type": {"matchmaking"}, "organiser_id": {fmt.Sprint(f.BSOA)},
			"cluster_ids": {fmt.Sprint(f.A.ID)}, "starts_on": {"2024-06-10"}, "ends_on": {"2024-06-11"}, "country": {"JAM"},
			"participants": {"10"}, "women": {"4"}, "men": {"4"}, "other": {"2"}, "youth": {"3"}, "attendance": {"1"},
			"att_org": {fmt.Sprint(f.FirmJAM), fmt.Sprint(f.Firm2), ""}, "att_name": {"", "", ""},
			"att_participants": {"2", "3", ""}, "att_women": {"1", "1", ""}, "att_men": {"1", "1", ""},
			"att_other": {"", "", ""}, "att_youth": {"", "", ""}}
		r = e.PostForm(c, loc, edit)
		wantStatus(t, "bad row", r, http.StatusUnprocessableEntity)
		wantBody(t, "bad row", r, "add up to 2, not the 3 participants")
		edit["att_other"] = []string{"", "1", ""}
		r = e.PostForm(c, loc, edit)
		wantStatus(t, "update", r, http.StatusSeeOther)
		if n := event.AttendeeRows(t, d, id); n != 2 {
			t.Fatalf("%d attendee rows stored, want 2", n)
		}

		// A CSV upload with bad rows stores nothing and lists every problem.
		r = e.Get(c, loc+"/attendance")
		wantStatus(t, "upload form", r, 200)
		bad := "organisation,participants,women,men,youth\nCaroni Cocoa,2,1,1,0\nBlue Mountain Chocolate,2,1,2,0\nNobody,1,1,0,0\n"
		r = upload(e, c, id, "bad.csv", bad, true)
		wantStatus(t, "bad upload", r, http.StatusUnprocessableEntity)
		wantBody(t, "bad upload", r, "Nobody", "more than the 2 participants", "Caroni Cocoa")
		if n := event.AttendeeRows(t, d, id); n != 2 {
			t.Fatalf("bad upload changed the list: %d rows", n)
		}
		good := "organisation,participants,women,men,youth\nBlue Mountain Chocolate,5,3,2,1\nKingston Spice,1,1,0,1\n"
		r = upload(e, c, id, "good.csv", good, true)
		wantStatus(t, "good upload", r, http.StatusSeeOther)
		r = e.Get(c, "/events?year=2024&type=matchmaking")
		wantStatus(t, "list", r, 200)
		wantBody(t, "list", r, "Cocoa buyers meet", "67%") // 4 of 6 participants are women

		// Archive and restore.
		wantStatus(t, "archive", e.PostForm(c, loc+"/archive", nil), http.StatusSeeOther)
		wantStatus(t, "restore", e.PostForm(c, loc+"/restore", nil), http.StatusSeeOther)

		// Another BSO's staff do not find the event.
		other := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.BSOB)))
		wantStatus(t, "other BSO", e.Get(other, loc), http.StatusNotFound)
		wantStatus(t, "other BSO edit", e.Get(other, loc+"/edit"), http.StatusNotFound)
		wantStatus(t, "other BSO upload", upload(e, other, id, "good.csv", good, true), http.StatusNotFound)
		// A programme officer reads but may not record.
		officer := e.Browser(e.CreateUser(user.ProgrammeOfficer, "programme:1"))
		wantStatus(t, "officer show", e.Get(officer, loc), 200)
		wantStatus(t, "officer new", e.Get(officer, "/events/new"), http.StatusForbidden)
	})
}

func TestEventAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		f := event.NewFixture(t, d)
		tok := e.Token(e.CreateUser(user.Admin, ""))
		body := map[string]any{"title": "Tourism training", "type": "training", "organiser_id": f.BSOB, "cluster_ids": []int64{f.B.ID},
			"starts_on": "2023-02-01", "ends_on": "2023-02-03", "country": "TTO", "participants": 12, "women": 7, "men": 5, "youth": 6,
			"attendees": []map[string]any{{"organisation_id": f.FirmTTO, "participants": 2, "women": 1, "men": 1}}}
		r := e.API("POST", "/api/v1/events", tok, body)
		wantStatus(t, "create", r, http.StatusCreated)
		var created event.Event
		r.JSON(t, &created)

		body["type"], body["title"], body["cluster_ids"], body["country"], body["starts_on"], body["ends_on"] = "workshop", "Creative workshop", []int64{f.A.ID}, "JAM", "2024-02-01", "2024-02-01"
		body["organiser_id"], body["attendees"] = f.BSOA, []map[string]any{{"organisation_id": 987654}}
		r = e.API("POST", "/api/v1/events", tok, body)
		wantStatus(t, "unknown organisation", r, http.StatusUnprocessableEntity)
		wantBody(t, "unknown organisation", r, `"row":1`, `"field":"attendees"`, "#987654")
		body["attendees"] = []map[string]any{}
		body["youth"] = 13
		r = e.API("POST", "/api/v1/events", tok, body)
		wantStatus(t, "youth over total", r, http.StatusUnprocessableEntity)
		wantBody(t, "youth over total", r, `"field":"youth"`)
		body["youth"] = 0
		wantStatus(t, "second", e.API("POST", "/api/v1/events", tok, body), http.StatusCreated)

		var list event.ListResponse
		r = e.API("GET", "/api/v1/events?per_page=1", tok, nil)
		wantStatus(t, "list", r, 200)
		r.JSON(t, &list)
		if list.Total != 2 || len(list.Items) != 1 || list.Totals.Participants != 24 || list.Items[0].Title != "Creative workshop" {
			t.Errorf("list = %+v", list)
		}
		for q, want := range map[string]int{"country=TTO": 1, "cluster=" + fmt.Sprint(f.A.ID): 1, "type=training": 1, "year=2023": 1, "year=2022": 0} {
			r = e.API("GET", "/api/v1/events?"+q, tok, nil)
			wantStatus(t, q, r, 200)
			r.JSON(t, &list)
			if list.Total != want {
				t.Errorf("%s: total %d, want %d", q, list.Total, want)
			}
		}
		wantStatus(t, "bad filter", e.API("GET", "/api/v1/events?type=party", tok, nil), http.StatusUnprocessableEntity)

		path := fmt.Sprintf("/api/v1/events/%d", created.ID)
		r = e.API("PATCH", path, tok, map[string]any{"ends_on": "2023-01-31"})
		wantStatus(t, "patch dates", r, http.StatusUnprocessableEntity)
		wantBody(t, "patch dates", r, `"field":"ends_on"`)
		r = e.API("PATCH", path, tok, map[string]any{"place": "Scarborough"})
		wantStatus(t, "patch", r, 200)
		var got event.Event
		r.JSON(t, &got)
		if got.Place != "Scarborough" || got.AttendeeCount != 1 || got.Title != "Tourism training" {
			t.Errorf("patched = %+v", got)
		}
		var att event.AttendanceResponse
		r = e.API("GET", path+"/attendance", tok, nil)
		wantStatus(t, "attendance", r, 200)
		r.JSON(t, &att)
		if len(att.Items) != 1 || att.Items[0].OrganisationName != "Caroni Cocoa" || att.Totals.Participants != 12 {
			t.Errorf("attendance = %+v", att)
		}
		if event.AuditCount(t, d, created.ID, "update") != 1 {
			t.Error("patch not audited")
		}

		// Scope: a cluster manager of A sees only A's event.
		mgr := e.Token(e.CreateUser(user.ClusterManager, fmt.Sprintf("cluster:%d", f.A.ID)))
		r = e.API("GET", "/api/v1/events", mgr, nil)
		r.JSON(t, &list)
		if list.Total != 1 || list.Items[0].Title != "Creative workshop" {
			t.Errorf("manager's list = %+v", list)
		}
		wantStatus(t, "manager reads B", e.API("GET", path, mgr, nil), http.StatusNotFound)
		wantStatus(t, "manager attendance B", e.API("GET", path+"/attendance", mgr, nil), http.StatusNotFound)
		wantStatus(t, "anonymous", e.API("GET", "/api/v1/events", "", nil), http.StatusUnauthorized)
	})
}
