package campaign_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/campaign"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// openLink creates and opens a campaign of the firm survey and returns a
// respondent's link token, the campaign's page and its staff's browser.
func openLink(t *testing.T, w *world) (token, page string, staff *http.Client) {
	t.Helper()
	e := w.e
	staff = e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", w.bso)))
	r := e.PostForm(staff, "/campaigns", url.Values{"title": {"Firm results 2025"}, "version_id": {fmt.Sprint(w.version)},
		"period": {"2025"}, "opens_on": {day(-1)}, "closes_on": {day(30)}, "deadline": {day(20)}, "reminder_days": {"7, 2"},
		"cluster_ids": {fmt.Sprint(w.clusterB)}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.StatusCode, r.Body)
	}
	page = r.Header.Get("Location")
	r = e.PostForm(staff, page+"/open", nil)
	m := tokenRe.FindStringSubmatch(r.Body)
	if r.StatusCode != 200 || m == nil {
		t.Fatalf("open: %d", r.StatusCode)
	}
	return m[1], page, staff
}

// pageAnswers are the firm survey's required answers, as the page's
// script sends them.
func pageAnswers(total any) map[string]any {
	return map[string]any{"firm_name": "Negril Spice", "year": 2025, "employees_total": total, "employees_women": 2,
		"employees_youth": 1, "jobs_created": 0, "revenue": 1000, "exports": 0, "new_products_markets": "new_product new_process",
		"partners": []any{map[string]any{"partner_name": "Acme", "partner_type": "firm", "cooperation_kind": "supply"}}}
}

var scriptRe = regexp.MustCompile(`(?s)<script type="application/json" id="([a-z-]+)">(.*?)</script>`)

func TestRespondentPage(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		e := w.e
		token, page, staff := openLink(t, w)
		anon := e.Anonymous()

		r := e.Get(anon, "/r/"+token)
		if r.StatusCode != 200 {
			t.Fatalf("page: %d", r.StatusCode)
		}
		if cc := r.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("Cache-Control %q", cc)
		}
		for _, want := range []string{`<main id="respondent"`, `data-submit-url="/r/` + token + `/submissions"`,
			`data-token-key="` + token + `"`, `data-lang="en"`, fmt.Sprintf(`data-version-id="%d"`, w.version),
			`data-sw-url="/r/sw.js"`, `data-sw-scope="/r/"`, `<html lang="en">`,
			`href="` + html.EscapeString(web.AssetURL("dist/respondent.css")) + `"`,
			`src="` + html.EscapeString(web.AssetURL("dist/respondent.js")) + `"`,
			// The plain form, for browsers without JavaScript.
			`<form method="post" action="/r/` + token + `"`, `name="employees_total"`} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("the page lacks %s", want)
			}
		}
		if strings.Contains(r.Body, "dist/app.js") || strings.Contains(r.Body, `href="/login"`) {
			t.Errorf("the page carries the site layout")
		}
		scripts := map[string]string{}
		for _, m := range scriptRe.FindAllStringSubmatch(r.Body, -1) {
			scripts[m[1]] = m[2]
		}
		var def form.Definition
		if err := json.Unmarshal([]byte(scripts["form-definition"]), &def); err != nil || def.FormID == "" || len(def.Fields) == 0 {
			t.Fatalf("form definition: %v %q", err, scripts["form-definition"])
		}
		if _, ok := scripts["form-prefill"]; ok {
			t.Errorf("prefill without earlier answers: %s", scripts["form-prefill"])
		}

		r = e.Get(anon, "/r/sw.js")
		if r.StatusCode != 200 || r.Header.Get("Service-Worker-Allowed") != "/r/" || !strings.Contains(r.Header.Get("Content-Type"), "javascript") {
			t.Errorf("service worker: %d %v", r.StatusCode, r.Header)
		}

		submit := func(body any) *struct {
			*http.Response
			Body    string
			Problem web.ProblemDetails
		} {
			t.Helper()
			res := e.API("POST", "/r/"+token+"/submissions", "", body)
			out := &struct {
				*http.Response
				Body    string
				Problem web.ProblemDetails
			}{Response: res.Response, Body: res.Body}
			if res.StatusCode >= 400 {
				if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("error as %s: %s", ct, res.Body)
				}
				res.JSON(t, &out.Problem)
			}
			return out
		}
		instance := campaign.NewInstanceID()
		body := map[string]any{"instance_id": instance, "version_id": w.version, "answers": pageAnswers(5)}
		r1 := submit(body)
		if r1.StatusCode != http.StatusCreated {
			t.Fatalf("new submission: %d %s", r1.StatusCode, r1.Body)
		}
		var got campaign.PageSubmitted
		json.Unmarshal([]byte(r1.Body), &got)
		if got.ID == 0 || got.InstanceID != instance {
			t.Errorf("answer %s", r1.Body)
		}
		// The outbox retries until it hears back: the same instance is 200.
		r2 := submit(body)
		var again campaign.PageSubmitted
		json.Unmarshal([]byte(r2.Body), &again)
		if r2.StatusCode != http.StatusOK || again.ID != got.ID {
			t.Errorf("repeat: %d %s", r2.StatusCode, r2.Body)
		}
		count := func() (n int) {
			d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM submissions`).Scan(&n)
			return n
		}
		if n := count(); n != 1 {
			t.Errorf("%d submissions after a repeat", n)
		}
		// The page now starts from the answers given.
		r = e.Get(anon, "/r/"+token)
		if m := scriptRe.FindAllStringSubmatch(r.Body, -1); len(m) < 2 || m[1][1] != "form-prefill" || !strings.Contains(m[1][2], `"Negril Spice"`) {
			t.Errorf("no prefill from the answers given")
		}

		// Refusals, each final for the page and naming what is wrong.
		r3 := submit(map[string]any{"instance_id": campaign.NewInstanceID(), "version_id": w.version + 1000, "answers": pageAnswers(5)})
		if r3.StatusCode != http.StatusUnprocessableEntity || len(r3.Problem.Errors) == 0 || r3.Problem.Errors[0].Field != "version_id" {
			t.Errorf("wrong version: %d %s", r3.StatusCode, r3.Body)
		}
		r4 := submit(map[string]any{"instance_id": campaign.NewInstanceID(), "version_id": w.version, "answers": pageAnswers("many")})
		if r4.StatusCode != http.StatusUnprocessableEntity || len(r4.Problem.Errors) == 0 ||
			r4.Problem.Errors[0].Field != "answers.employees_total" || !strings.Contains(r4.Problem.Detail, "employees_total") {
			t.Errorf("bad answers: %d %s", r4.StatusCode, r4.Body)
		}
		// The form's rules are checked again on the server: a page that
		// skipped them (an old or altered copy) is refused by field.
		broken := pageAnswers(5)
		broken["employees_women"] = 6
		rBroken := submit(map[string]any{"instance_id": campaign.NewInstanceID(), "version_id": w.version, "answers": broken})
		if rBroken.StatusCode != http.StatusUnprocessableEntity || len(rBroken.Problem.Errors) != 1 ||
			rBroken.Problem.Errors[0].Field != "answers.employees_women" || !strings.Contains(rBroken.Problem.Detail, "Women cannot outnumber all employees.") {
			t.Errorf("constraint: %d %s", rBroken.StatusCode, rBroken.Body)
		}
		r5 := submit(map[string]any{"instance_id": instance, "version_id": w.version, "answers": pageAnswers(9)})
		if r5.StatusCode != http.StatusConflict {
			t.Errorf("other answers under a stored instance ID: %d %s", r5.StatusCode, r5.Body)
		}
		req, _ := http.NewRequest("POST", e.Server.URL+"/r/"+token+"/submissions", strings.NewReader("total=5"))
		req.Header.Set("Content-Type", "text/plain")
		if r := e.Do(http.DefaultClient, req); r.StatusCode != http.StatusUnsupportedMediaType {
			t.Errorf("text body: %d %s", r.StatusCode, r.Body)
		}
		if n := count(); n != 1 {
			t.Errorf("%d submissions after refusals", n)
		}

		// Multipart: the answers in the part "submission", files beside.
		multi := func(answers map[string]any, files map[string]string) *http.Request {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", `form-data; name="submission"; filename="submission.json"`)
			h.Set("Content-Type", "application/json")
			pw, _ := mw.CreatePart(h)
			json.NewEncoder(pw).Encode(map[string]any{"instance_id": campaign.NewInstanceID(), "version_id": fmt.Sprint(w.version), "answers": answers})
			for name, ctype := range files {
				h := textproto.MIMEHeader{}
				h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, name, name))
				h.Set("Content-Type", ctype)
				pw, _ := mw.CreatePart(h)
				if ctype == "application/pdf" {
					pw.Write([]byte("%PDF-1.7\n%test\n"))
				} else {
					pw.Write([]byte("MZ not a photo"))
				}
			}
			mw.Close()
			req, _ := http.NewRequest("POST", e.Server.URL+"/r/"+token+"/submissions", &buf)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			return req
		}
		if r := e.Do(http.DefaultClient, multi(pageAnswers(5), map[string]string{"photo-setup.exe": "application/x-msdownload"})); r.StatusCode != http.StatusUnsupportedMediaType ||
			!strings.Contains(r.Body, "photo-setup.exe") {
			t.Errorf("program as a file: %d %s", r.StatusCode, r.Body)
		}
		if r := e.Do(http.DefaultClient, multi(pageAnswers(5), map[string]string{"photo-x.pdf": "application/pdf"})); r.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, "photo-x.pdf") {
			t.Errorf("file no answer names: %d %s", r.StatusCode, r.Body)
		}
		// Sending again replaces the earlier answers, as an edit.
		if r := e.Do(http.DefaultClient, multi(pageAnswers(7), nil)); r.StatusCode != http.StatusCreated {
			t.Errorf("multipart: %d %s", r.StatusCode, r.Body)
		}
		var superseded int
		d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM submissions WHERE superseded = TRUE`).Scan(&superseded)
		if n := count(); n != 2 || superseded != 1 {
			t.Errorf("%d submissions, %d superseded after sending again", n, superseded)
		}

		// A closed campaign takes no more answers: 410, final for the page.
		if r := e.PostForm(staff, page+"/close", nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("close: %d", r.StatusCode)
		}
		r6 := submit(map[string]any{"instance_id": campaign.NewInstanceID(), "version_id": w.version, "answers": pageAnswers(5)})
		if r6.StatusCode != http.StatusGone || r6.Problem.Detail == "" {
			t.Errorf("closed campaign: %d %s", r6.StatusCode, r6.Body)
		}
		if r := submit(map[string]any{"instance_id": campaign.NewInstanceID()}); r.StatusCode != http.StatusGone {
			t.Errorf("closed campaign, bad body: %d", r.StatusCode)
		}
		if r := e.API("POST", "/r/"+strings.Repeat("x", 43)+"/submissions", "", body); r.StatusCode != http.StatusNotFound {
			t.Errorf("unknown link: %d", r.StatusCode)
		}
	})
}
