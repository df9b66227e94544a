package implementation_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/implementation"
	"github.com/clusterobservatory/observatory/internal/user"
)

func wantStatus(t *testing.T, what string, r *apptest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%.4000s", what, r.StatusCode, status, r.Body)
	}
}

func wantBody(t *testing.T, what string, r *apptest.Response, present bool, texts ...string) {
	t.Helper()
	body := html.UnescapeString(r.Body)
	for _, s := range texts {
		if strings.Contains(body, s) != present {
			t.Errorf("%s: body contains %q = %v, want %v", what, s, !present, present)
		}
	}
}

// postMultipart submits a form with an optional file, as a browser on the same origin.
func postMultipart(e *apptest.Env, c *http.Client, path string, fields url.Values, fileField, fileName string, data []byte) *apptest.Response {
	e.T.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	if fileField != "" {
		fw, _ := w.CreateFormFile(fileField, fileName)
		fw.Write(data)
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, e.Server.URL+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Origin", e.Server.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return e.Do(c, req)
}

type webFixture struct {
	*fixture
	e                   *apptest.Env
	staff, other, admin *user.User
	officer             *user.User
	base                string
}

func newWebFixture(t *testing.T, d *db.DB) *webFixture {
	f := newFixture(t, d)
	e := apptest.New(t, d)
	w := &webFixture{fixture: f, e: e, staff: e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bso.ID)),
		other: e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.otherBSO.ID)), admin: e.CreateUser(user.Admin, ""),
		officer: e.CreateUser(user.ProgrammeOfficer, fmt.Sprintf("programme:%d", f.plan.ProgrammeID)),
		base:    fmt.Sprintf("/plans/%d", f.plan.ID)}
	return w
}

func TestSpendingPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWebFixture(t, d)
		e, staff := w.e, w.e.Browser(w.staff)
		wantBody(t, "plan page", e.Get(staff, w.base), true, w.base+"/implementation")
		for _, p := range []string{"/implementation", "/spending", "/milestones", "/timeline", "/reports"} {
			r := e.Get(staff, w.base+p)
			wantStatus(t, p, r, http.StatusOK)
			if strings.Count(r.Body, "<h1") != 1 {
				t.Errorf("%s: %d h1", p, strings.Count(r.Body, "<h1"))
			}
		}
		wantBody(t, "timeline", e.Get(staff, w.base+"/timeline"), true, "<svg", "Shared lab", "Lab opens")
		wantBody(t, "overview", e.Get(staff, w.base+"/implementation"), true, "Lab opens", "was due on")

		form := url.Values{"line": {"1"}, "source": {"grant"}, "spent_on": {dayOffset(w.today, -3)}, "amount": {"EUR 500"}, "description": {"Thermometers"}}
		r := postMultipart(e, staff, w.base+"/spending", form, "receipt", "r.pdf", pdf)
		wantStatus(t, "amount in euros", r, http.StatusUnprocessableEntity)
		wantBody(t, "amount in euros", r, true, "The amount is in EUR", "Thermometers")
		form.Set("amount", "500")
		r = postMultipart(e, staff, w.base+"/spending", form, "receipt", "receipt.pdf", []byte("MZ\x90\x00 not a receipt"))
		wantStatus(t, "executable receipt", r, http.StatusUnprocessableEntity)
		wantBody(t, "executable receipt", r, true, "is not a PDF, JPEG or PNG")
		big := append(append([]byte{}, pdf...), make([]byte, implementation.MaxAttachmentBytes)...)
		r = postMultipart(e, staff, w.base+"/spending", form, "receipt", "big.pdf", big)
		wantStatus(t, "large receipt", r, http.StatusUnprocessableEntity)
		wantBody(t, "large receipt", r, true, "larger than 5 MB")
		form.Set("spent_on", dayOffset(w.today, -190))
		r = postMultipart(e, staff, w.base+"/spending", form, "", "", nil)
		wantStatus(t, "before the project", r, http.StatusUnprocessableEntity)
		wantBody(t, "before the project", r, true, "outside the dates of project")
		if n := count(t, d, "plan_spending") + count(t, d, "plan_attachments"); n != 0 {
			t.Fatalf("refused forms left %d rows", n)
		}
		form.Set("spent_on", dayOffset(w.today, -3))
		r = postMultipart(e, staff, w.base+"/spending", form, "receipt", "scan.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
		wantStatus(t, "record", r, http.StatusSeeOther)
		r = e.Get(staff, w.base+"/spending")
		wantBody(t, "list", r, true, "Thermometers", "500")
		var rid int64
		d.SQL().QueryRow(`SELECT receipt_id FROM plan_spending`).Scan(&rid)
		dl := e.Get(e.Browser(w.officer), fmt.Sprintf("%s/attachments/%d", w.base, rid))
		wantStatus(t, "download", dl, http.StatusOK)
		if dl.Header.Get("Content-Type") != "image/png" || !strings.Contains(dl.Header.Get("Content-Disposition"), "scan.png") {
			t.Errorf("download headers %v", dl.Header)
		}

		// Another BSO sees none of it and records nothing.
		other := e.Browser(w.other)
		for _, p := range []string{"/implementation", "/spending", "/milestones", "/timeline", "/reports", fmt.Sprintf("/attachments/%d", rid)} {
			wantStatus(t, "other BSO "+p, e.Get(other, w.base+p), http.StatusNotFound)
		}
		wantStatus(t, "other BSO records", postMultipart(e, other, w.base+"/spending", form, "", "", nil), http.StatusNotFound)
		wantStatus(t, "other BSO progress", postMultipart(e, other, w.base+"/milestones/1", url.Values{"status": {"done"}}, "", "", nil), http.StatusNotFound)
		if n := count(t, d, "plan_spending"); n != 1 {
			t.Errorf("%d entries", n)
		}
	})
}

func TestMilestoneAndReportPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWebFixture(t, d)
		e, staff := w.e, w.e.Browser(w.staff)
		r := postMultipart(e, staff, w.base+"/milestones/1", url.Values{"status": {"done"}, "completed_on": {dayOffset(w.today, 3)}}, "", "", nil)
		wantStatus(t, "done in the future", r, http.StatusUnprocessableEntity)
		wantBody(t, "done in the future", r, true, "is in the future")
		r = postMultipart(e, staff, w.base+"/milestones/1", url.Values{"status": {"done"}, "completed_on": {dayOffset(w.today, -1)}, "note": {"Opened by the minister"}},
			"evidence", "photo.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"))
		wantStatus(t, "done", r, http.StatusSeeOther)
		r = e.Get(staff, w.base+"/milestones")
		wantBody(t, "milestones", r, true, "Opened by the minister", "/attachments/")
		wantBody(t, "overview", e.Get(staff, w.base+"/implementation"), false, "was due on")

		period := implementation.PeriodOf(w.today).String()
		r = e.PostForm(staff, w.base+"/reports", url.Values{"period": {period}, "narrative": {""}})
		wantStatus(t, "no narrative", r, http.StatusUnprocessableEntity)
		r = e.PostForm(staff, w.base+"/reports", url.Values{"period": {period}, "narrative": {"The lab opened."}})
		wantStatus(t, "report", r, http.StatusSeeOther)
		var rid int64
		d.SQL().QueryRow(`SELECT id FROM plan_reports`).Scan(&rid)
		accept := fmt.Sprintf("%s/reports/%d/accept", w.base, rid)
		wantStatus(t, "staff accepts", e.PostForm(staff, accept, nil), http.StatusForbidden)
		officer := e.Browser(w.officer)
		wantBody(t, "officer's list", e.Get(officer, w.base+"/reports"), true, "The lab opened.", accept)
		wantStatus(t, "officer accepts", e.PostForm(officer, accept, nil), http.StatusSeeOther)
		wantBody(t, "overview", e.Get(staff, w.base+"/implementation"), true, period, "Accepted")
	})
}

func TestSpendingAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWebFixture(t, d)
		e := w.e
		token, other := e.Token(w.staff), e.Token(w.other)
		path := fmt.Sprintf("/api/v1/plans/%d/spending", w.plan.ID)
		entry := map[string]any{"line": 1, "source": "in_kind", "spent_on": dayOffset(w.today, -2), "amount": "-5",
			"description": "Premises for training", "given": "Meeting room for 3 days"}
		r := e.API("POST", path, token, entry)
		wantStatus(t, "negative", r, http.StatusUnprocessableEntity)
		var prob struct {
			Errors []struct{ Field, Message string } `json:"errors"`
		}
		r.JSON(t, &prob)
		fields := map[string]bool{}
		for _, x := range prob.Errors {
			fields[x.Field] = true
		}
		if !fields["amount"] || !fields["valuation"] {
			t.Errorf("problems %+v", prob.Errors)
		}
		entry["amount"], entry["valuation"] = "USD 750", "market_price"
		entry["receipt"] = map[string]any{"name": "valuation.pdf", "content_base64": base64.StdEncoding.EncodeToString(pdf)}
		r = e.API("POST", path, token, entry)
		wantStatus(t, "record", r, http.StatusCreated)
		var got implementation.Entry
		r.JSON(t, &got)
		if got.Amount != 750_00 || got.Source != implementation.InKind || got.ReceiptID == nil || got.Valuation != implementation.MarketPrice {
			t.Errorf("entry %+v", got)
		}
		for i := range 3 {
			r = e.API("POST", path, token, map[string]any{"line": 2, "source": "grant", "spent_on": dayOffset(w.today, -1), "amount": fmt.Sprint(100 + i), "description": "Course"})
			wantStatus(t, "record more", r, http.StatusCreated)
		}
		r = e.API("GET", path+"?per_page=2", token, nil)
		wantStatus(t, "list", r, http.StatusOK)
		var list struct {
			Items []implementation.Entry `json:"items"`
			Total int                    `json:"total"`
		}
		r.JSON(t, &list)
		if list.Total != 4 || len(list.Items) != 2 {
			t.Errorf("list total %d, %d items", list.Total, len(list.Items))
		}
		wantStatus(t, "other lists", e.API("GET", path, other, nil), http.StatusNotFound)
		wantStatus(t, "other records", e.API("POST", path, other, entry), http.StatusNotFound)
		wantStatus(t, "anonymous", e.API("GET", path, "", nil), http.StatusUnauthorized)

		r = e.API("GET", fmt.Sprintf("/api/v1/plans/%d/execution", w.plan.ID), e.Token(w.officer), nil)
		wantStatus(t, "execution", r, http.StatusOK)
		var x implementation.Execution
		r.JSON(t, &x)
		if x.Spent.InKind != 750_00 || x.Spent.Grant != 303_00 || len(x.Lines) != 2 || x.Lines[1].Spent.Grant != 303_00 {
			t.Errorf("execution %+v", x)
		}

		mpath := fmt.Sprintf("/api/v1/plans/%d/milestones/2", w.plan.ID)
		r = e.API("PUT", mpath, token, map[string]any{"status": "late"})
		wantStatus(t, "late", r, http.StatusUnprocessableEntity)
		r = e.API("PUT", mpath, token, map[string]any{"status": "in_progress", "note": "Talks with two buyers"})
		wantStatus(t, "progress", r, http.StatusOK)
		var m implementation.MilestoneState
		r.JSON(t, &m)
		if m.Status != implementation.InProgress || m.Progress == nil || m.Progress.Note != "Talks with two buyers" {
			t.Errorf("milestone %+v", m)
		}
		wantStatus(t, "other progress", e.API("PUT", mpath, other, map[string]any{"status": "done"}), http.StatusNotFound)
		wantStatus(t, "milestone 7", e.API("PUT", fmt.Sprintf("/api/v1/plans/%d/milestones/7", w.plan.ID), token, map[string]any{"status": "done"}), http.StatusNotFound)
	})
}
