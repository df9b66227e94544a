package indicator_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/user"
)

var rawValueKey = regexp.MustCompile(`indicatorvalue\.[a-z_]+`)

func checkValuePage(t *testing.T, where, body string) {
	t.Helper()
	checkPage(t, where, body)
	if m := rawValueKey.FindString(body); m != "" {
		t.Errorf("%s: untranslated key %q on the page", where, m)
	}
}

func TestEnterValuesInTheGridAndReview(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		ctx := context.Background()
		jobs, err := f.s.FindIndicatorByCode(ctx, user.System, "JOBS_CREATED")
		if err != nil {
			t.Fatal(err)
		}
		subject := fmt.Sprintf("cluster:%d", f.clusterA)
		if _, _, err := f.s.SetTarget(ctx, user.System, indicator.TargetInput{IndicatorID: jobs.ID, Subject: subject,
			Kind: indicator.KindTarget, Period: "2025", Value: ptrF(80)}); err != nil {
			t.Fatal(err)
		}
		b := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoA)))
		page := "/indicators/values?subject=" + url.QueryEscape(subject) + "&period=2025"
		cell := func(cat string) string { return fmt.Sprintf("v.%d.%s", jobs.ID, cat) }

		r := e.Get(b, "/indicators/values")
		wantStatus(t, "chooser", r, 200)
		wantBody(t, "chooser", r, true, "Kingston Creative", `name="period"`)
		checkValuePage(t, "chooser", r.Body)
		r = e.Get(b, "/indicators/values?subject="+url.QueryEscape(subject)+"&period=2025-13")
		wantStatus(t, "bad period", r, 422)
		wantBody(t, "bad period", r, true, "month must be from 01 to 12")

		r = e.Get(b, page)
		wantStatus(t, "grid", r, 200)
		wantBody(t, "grid", r, true, `name="`+cell("total")+`"`, `name="`+cell("sex:women")+`"`, "JOBS_CREATED")
		checkValuePage(t, "grid", r.Body)
		// A quarter's grid leaves out the yearly indicators.
		r = e.Get(b, "/indicators/values?subject="+url.QueryEscape(subject)+"&period=2025-Q1")
		wantBody(t, "quarter grid", r, true, "CERTIFICATIONS")
		wantBody(t, "quarter grid", r, false, `name="`+cell("total")+`"`)

		// Every problem, by indicator and category; nothing saved.
		form := url.Values{"subject": {subject}, "period": {"2025"}, cell("total"): {"fifty"}, cell("sex:women"): {"-2"}, cell("sex:men"): {"25"}}
		r = e.PostForm(b, "/indicators/values", form)
		wantStatus(t, "bad values", r, 422)
		wantBody(t, "bad values", r, true, `&#34;fifty&#34; is not a number`, "JOBS_CREATED (sex:women): JOBS_CREATED cannot be negative",
			fmt.Sprintf(`href="#f-v-%d-total"`, jobs.ID), `value="fifty"`)
		checkValuePage(t, "bad values", r.Body)
		var n int
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM indicator_values`).Scan(&n)
		if n != 0 {
			t.Fatalf("%d values saved from a refused grid", n)
		}

		// Saved all at once; the sum rule warns and still saves.
		form.Set(cell("total"), "50")
		form.Set(cell("sex:women"), "30")
		r = e.PostForm(b, "/indicators/values", form)
		wantStatus(t, "warned save", r, 200)
		wantBody(t, "warned save", r, true, "Check these sums", "JOBS_CREATED: women &#43; men ≤ total", "55", "Received")
		checkValuePage(t, "warned save", r.Body)
		form.Set(cell("sex:men"), "20")
		r = e.PostForm(b, "/indicators/values", form)
		wantStatus(t, "save", r, 303)
		r = e.Get(b, page)
		wantBody(t, "after save", r, true, `value="20"`, "v2", "Values saved: 1 new versions.")
		wantBody(t, "no review for BSO", r, false, "/review")

		// An officer reviews; the BSO sees the state; only approved values count.
		var total int64
		d.Read().QueryRowContext(ctx, `SELECT id FROM indicator_values WHERE dimension_code = '' AND version = 1`).Scan(&total)
		off := e.Browser(e.CreateUser(user.ProgrammeOfficer, ""))
		wantStatus(t, "BSO reviews", e.PostForm(b, fmt.Sprintf("/indicators/values/%d/review", total), url.Values{"decision": {"approve"}}), 403)
		r = e.Get(off, page)
		wantBody(t, "officer page", r, true, fmt.Sprintf("/indicators/values/%d/review", total))
		checkValuePage(t, "officer page", r.Body)
		r = e.PostForm(off, fmt.Sprintf("/indicators/values/%d/review", total), url.Values{"decision": {"reject"}})
		wantStatus(t, "reject without comment", r, 422)
		wantBody(t, "reject without comment", r, true, "Say what is wrong")
		r = e.Get(b, fmt.Sprintf("/indicators/targets?subject=%s", subject))
		wantBody(t, "results before approval", r, true, "Target against actual", "No data")
		wantBody(t, "results before approval", r, false, "62.5")
		wantStatus(t, "approve", e.PostForm(off, fmt.Sprintf("/indicators/values/%d/review", total), url.Values{"decision": {"approve"}}), 303)
		r = e.Get(b, page)
		wantBody(t, "state", r, true, "Approved")
		// 50 of 80 = 62.5 %.
		r = e.Get(b, fmt.Sprintf("/indicators/targets?subject=%s", subject))
		wantBody(t, "results", r, true, `data-chart="line"`, `data-target-col="2"`, `data-value="50"`, "62.5 %", "Enter values for a period")
		checkValuePage(t, "results", r.Body)
		r = e.Get(b, fmt.Sprintf("/indicators/%d", jobs.ID))
		wantBody(t, "indicator results", r, true, "Target against actual", "Kingston Creative", "62.5 %")
		checkValuePage(t, "indicator results", r.Body)

		// The other BSO's cluster: not found; a coordinator reads without inputs.
		bb := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoB)))
		wantStatus(t, "other BSO", e.Get(bb, page), 404)
		wantStatus(t, "other BSO saves", e.PostForm(bb, "/indicators/values", form), 404)
		cc := e.Browser(e.CreateUser(user.CountryCoordinator, "country:JAM"))
		r = e.Get(cc, page)
		wantStatus(t, "coordinator", r, 200)
		wantBody(t, "coordinator", r, false, `name="`+cell("total")+`"`)
		checkValuePage(t, "coordinator", r.Body)

		for _, lang := range []string{"es", "fr", "nl"} {
			c := e.Browser(e.CreateUser(user.Admin, ""))
			u, _ := url.Parse(e.Server.URL)
			c.Jar.SetCookies(u, []*http.Cookie{{Name: "lang", Value: lang, Path: "/"}})
			for _, p := range []string{"/indicators/values", page, fmt.Sprintf("/indicators/targets?subject=%s", subject)} {
				r := e.Get(c, p)
				wantStatus(t, lang+" "+p, r, 200)
				checkValuePage(t, lang+" "+p, r.Body)
			}
		}
	})
}

func TestValuesAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		ctx := context.Background()
		jobs, _ := f.s.FindIndicatorByCode(ctx, user.System, "JOBS_CREATED")
		officer := e.Token(e.CreateUser(user.ProgrammeOfficer, ""))
		bso := e.Token(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoA)))
		subject := fmt.Sprintf("cluster:%d", f.clusterA)

		wantStatus(t, "anonymous", e.API("GET", "/api/v1/values", "", nil), 401)
		item := func(cat string, v any) map[string]any {
			return map[string]any{"indicator_id": jobs.ID, "subject": subject, "period": "2025", "category": cat, "value": v}
		}
		// All or nothing, with every item's problem.
		r := e.API("POST", "/api/v1/values", bso, map[string]any{"values": []any{item("", 10), item("sex:women", -1), item("firm_size:micro", 1)}})
		wantStatus(t, "bad batch", r, 422)
		wantBody(t, "bad batch", r, true, `"field":"values[1].value"`, `"field":"values[2].category"`)
		wantBody(t, "bad batch", r, false, `values[0]`)
		wantStatus(t, "unknown field", e.API("POST", "/api/v1/values", bso, map[string]any{"indicator_id": jobs.ID, "colour": "red"}), 422)

		r = e.API("POST", "/api/v1/values", bso, []any{item("", 10), item("sex:women", 6), item("sex:men", 5)})
		wantStatus(t, "batch", r, 201)
		var res struct {
			Saved []struct {
				ID      int64  `json:"id"`
				Version int    `json:"version"`
				State   string `json:"state"`
			} `json:"saved"`
			Warnings []struct {
				Rule string `json:"rule"`
			} `json:"warnings"`
		}
		r.JSON(t, &res)
		if len(res.Saved) != 3 || res.Saved[0].State != "received" || len(res.Warnings) != 1 || res.Warnings[0].Rule != "JOBS_CREATED: women + men ≤ total" {
			t.Fatalf("batch %+v", res)
		}
		r = e.API("POST", "/api/v1/values", bso, item("", 12))
		wantStatus(t, "one value", r, 201)
		wantBody(t, "one value", r, true, `"version":2`)

		r = e.API("GET", fmt.Sprintf("/api/v1/values?subject=%s&indicator=%d&period=2025", subject, jobs.ID), bso, nil)
		wantStatus(t, "list", r, 200)
		wantBody(t, "list", r, true, `"total":3`, `"value":12`, `"subject_name":"Kingston Creative"`)
		r = e.API("GET", fmt.Sprintf("/api/v1/values?subject=%s&all=true", subject), bso, nil)
		wantBody(t, "all versions", r, true, `"total":4`)
		wantStatus(t, "bad period", e.API("GET", "/api/v1/values?period=soon", bso, nil), 422)
		r = e.API("GET", "/api/v1/values", e.Token(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoB))), nil)
		wantBody(t, "other BSO", r, true, `"total":0`)

		first := res.Saved[0].ID
		path := fmt.Sprintf("/api/v1/values/%d/review", first)
		wantStatus(t, "BSO reviews", e.API("POST", path, bso, map[string]any{"decision": "approve"}), 403)
		wantStatus(t, "old version", e.API("POST", path, officer, map[string]any{"decision": "approve"}), 409)
		r = e.API("POST", fmt.Sprintf("/api/v1/values/%d/review", res.Saved[1].ID), officer, map[string]any{"decision": "issues", "comment": "Check payroll"})
		wantStatus(t, "issues", r, 200)
		wantBody(t, "issues", r, true, `"state":"has_issues"`, `"review_comment":"Check payroll"`)
		var n int
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'indicator_value'`).Scan(&n)
		if n != 5 {
			t.Errorf("%d audit entries, want 4 creates and 1 review", n)
		}
	})
}

func ptrF(v float64) *float64 { return &v }
