package indicator_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/user"
)

var rawReviewKey = regexp.MustCompile(`indicator(review|value)\.[a-z_]+`)

func checkReviewPage(t *testing.T, where, body string) {
	t.Helper()
	checkPage(t, where, body)
	if m := rawReviewKey.FindString(body); m != "" {
		t.Errorf("%s: untranslated key %q on the page", where, m)
	}
}

// bulkValues enters, as survey answers would, three values of cluster A for
// 2025 and one each for cluster B in 2025 and cluster A in 2024.
func bulkValues(t *testing.T, f *fixture) (a2025 []*indicator.Value, b2025, a2024 *indicator.Value) {
	t.Helper()
	ctx := context.Background()
	jobs, err := f.s.FindIndicatorByCode(ctx, user.System, "JOBS_CREATED")
	if err != nil {
		t.Fatal(err)
	}
	admin := user.Actor{Name: "Admin", Role: user.Admin}
	save := func(cluster int64, period, cat string, v float64) *indicator.Value {
		res, err := f.s.SaveValues(ctx, admin, []indicator.ValueInput{{IndicatorID: jobs.ID, Subject: fmt.Sprintf("cluster:%d", cluster),
			Period: period, Category: cat, Value: ptrF(v), Source: indicator.SourceSurvey}})
		if err != nil {
			t.Fatal(err)
		}
		return res.Saved[0]
	}
	a2025 = []*indicator.Value{save(f.clusterA, "2025", "", 50), save(f.clusterA, "2025", "sex:women", 20), save(f.clusterA, "2025", "sex:men", 30)}
	return a2025, save(f.clusterB, "2025", "", 7), save(f.clusterA, "2024", "", 40)
}

func valueState(t *testing.T, d *db.DB, id int64) string {
	t.Helper()
	var st string
	if err := d.Read().QueryRowContext(context.Background(), `SELECT state FROM indicator_values WHERE id = $1`, id).Scan(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

func TestReviewManyValuesOnThePage(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		a, b, earlier := bulkValues(t, f)
		total, women, men := a[0], a[1], a[2]
		off := e.Browser(e.CreateUser(user.ProgrammeOfficer, ""))
		page := fmt.Sprintf("/indicators/values?period=2025&subject=cluster%%3A%d", f.clusterA)
		box := func(v *indicator.Value) string { return fmt.Sprintf(`id="f-sel-%d"`, v.ID) }
		post := func(c *http.Client, form url.Values) *apptest.Response {
			form.Set("subject", fmt.Sprintf("cluster:%d", f.clusterA))
			form.Set("period", "2025")
			return e.PostForm(c, "/indicators/values/review", form)
		}

		// A checkbox with its label on each waiting value, the form, and
		// a link that ticks them all without a script.
		r := e.Get(off, page)
		wantStatus(t, "page", r, 200)
		wantBody(t, "page", r, true, box(total), box(women), box(men), `form="bulk-review"`, `id="bulk-review"`,
			`for="f-sel-`+strconv.FormatInt(men.ID, 10)+`"`, "Select value #", "Review selected", "Approve all 3 values shown",
			"Select all values waiting for a decision on this page")
		if n := strings.Count(r.Body, " checked"); n != 0 {
			t.Errorf("%d boxes ticked before selecting", n)
		}
		checkReviewPage(t, "page", r.Body)
		r = e.Get(off, page+"&select=all")
		if n := strings.Count(r.Body, " checked"); n != 3 {
			t.Errorf("select all ticked %d boxes", n)
		}
		wantBody(t, "select all", r, true, "Clear the selection")
		checkReviewPage(t, "select all", r.Body)

		// Tick two and approve them: back to the same list with a message.
		r = post(off, url.Values{"scope": {"selected"}, "id": {fmt.Sprint(total.ID), fmt.Sprint(women.ID)}, "decision": {"approve"}})
		wantStatus(t, "review selected", r, 303)
		if loc := r.Header.Get("Location"); !strings.HasPrefix(loc, page) {
			t.Errorf("back to %q, want %q", loc, page)
		}
		r = e.Get(off, page)
		wantBody(t, "after review", r, true, "2 values approved.", box(men), "Approve the 1 value shown")
		wantBody(t, "after review", r, false, box(total), box(women))
		if valueState(t, d, total.ID) != "approved" || valueState(t, d, women.ID) != "approved" {
			t.Fatal("not approved")
		}

		// A batch with a value already approved: refused, named, nothing changed,
		// the ticks kept.
		r = post(off, url.Values{"scope": {"selected"}, "id": {fmt.Sprint(men.ID), fmt.Sprint(total.ID)}, "decision": {"issues"}, "comment": {"Check payroll"}})
		wantStatus(t, "refused batch", r, 422)
		wantBody(t, "refused batch", r, true, fmt.Sprintf("Value #%d (JOBS_CREATED) is already approved", total.ID),
			fmt.Sprintf(`href="#f-sel-%d"`, total.ID), box(men)+` name="id" type="checkbox" value="`+fmt.Sprint(men.ID)+`" form="bulk-review" checked`,
			`value="Check payroll"`)
		checkReviewPage(t, "refused batch", r.Body)
		if valueState(t, d, men.ID) != "received" {
			t.Fatal("a refused batch changed a value")
		}
		r = post(off, url.Values{"scope": {"selected"}, "id": {fmt.Sprint(men.ID)}, "decision": {"reject"}})
		wantStatus(t, "reject without comment", r, 422)
		wantBody(t, "reject without comment", r, true, "Say what is wrong", `href="#f-review-comment"`)
		r = post(off, url.Values{"scope": {"selected"}, "decision": {"approve"}})
		wantStatus(t, "nothing ticked", r, 422)
		wantBody(t, "nothing ticked", r, true, "Tick at least one value")

		// Approve all shown: the same filter again on the server, and only
		// if the list is still the one shown.
		r = post(off, url.Values{"scope": {"all"}, "n": {"3"}})
		wantStatus(t, "stale approve all", r, 422)
		wantBody(t, "stale approve all", r, true, "The list has changed since you opened it (values waiting for a decision now: 1)", `href="#f-review-all"`)
		if valueState(t, d, men.ID) != "received" {
			t.Fatal("a refused approve all changed a value")
		}
		r = post(off, url.Values{"scope": {"all"}, "n": {"1"}})
		wantStatus(t, "approve all", r, 303)
		r = e.Get(off, page)
		wantBody(t, "after approve all", r, true, "1 value approved.")
		wantBody(t, "after approve all", r, false, `id="f-sel-`, "Review selected")
		if valueState(t, d, men.ID) != "approved" || valueState(t, d, b.ID) != "received" || valueState(t, d, earlier.ID) != "received" {
			t.Fatal("approve all left its filter")
		}

		// BSO staff: no checkboxes, and refused.
		bso := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoA)))
		r = e.Get(bso, fmt.Sprintf("/indicators/values?subject=cluster%%3A%d&period=2024&select=all", f.clusterA))
		wantStatus(t, "BSO page", r, 200)
		wantBody(t, "BSO page", r, false, `id="f-sel-`, "bulk-review", "Approve all")
		wantStatus(t, "BSO reviews", post(bso, url.Values{"scope": {"selected"}, "id": {fmt.Sprint(earlier.ID)}, "decision": {"approve"}}), 403)
		wantStatus(t, "BSO approves all", post(bso, url.Values{"scope": {"all"}, "n": {"1"}}), 403)
		if valueState(t, d, earlier.ID) != "received" {
			t.Fatal("BSO staff reviewed a value")
		}

		for _, lang := range []string{"es", "fr", "nl"} {
			c := e.Browser(e.CreateUser(user.Admin, ""))
			u, _ := url.Parse(e.Server.URL)
			c.Jar.SetCookies(u, []*http.Cookie{{Name: "lang", Value: lang, Path: "/"}})
			r := e.Get(c, fmt.Sprintf("/indicators/values?subject=cluster%%3A%d&period=2025&select=all", f.clusterB))
			wantStatus(t, lang, r, 200)
			wantBody(t, lang, r, false, "Review selected", "Approve the 1 value shown")
			checkReviewPage(t, lang, r.Body)
		}
	})
}

func TestReviewManyValuesAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.e
		a, b, _ := bulkValues(t, f)
		officer := e.Token(e.CreateUser(user.ProgrammeOfficer, ""))
		bso := e.Token(e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", f.bsoA)))

		r := e.API("POST", "/api/v1/values/review", officer, map[string]any{"ids": []int64{a[0].ID, b.ID}, "decision": "approve"})
		wantStatus(t, "review", r, 200)
		var res struct {
			Reviewed []struct {
				ID    int64  `json:"id"`
				State string `json:"state"`
			} `json:"reviewed"`
		}
		r.JSON(t, &res)
		if len(res.Reviewed) != 2 || res.Reviewed[0].ID != a[0].ID || res.Reviewed[1].State != "approved" {
			t.Fatalf("reviewed %+v", res)
		}

		r = e.API("POST", "/api/v1/values/review", officer, map[string]any{"ids": []int64{a[1].ID, a[0].ID, 999999}, "decision": "reject", "comment": "Wrong year"})
		wantStatus(t, "refused", r, 422)
		wantBody(t, "refused", r, true, `"field":"ids[1]"`, "already approved", `"field":"ids[2]"`, "no value #999999")
		wantBody(t, "refused", r, false, `"field":"ids[0]"`)
		if valueState(t, d, a[1].ID) != "received" {
			t.Fatal("a refused batch changed a value")
		}
		wantStatus(t, "no ids", e.API("POST", "/api/v1/values/review", officer, map[string]any{"decision": "approve"}), 422)
		wantStatus(t, "unknown field", e.API("POST", "/api/v1/values/review", officer, map[string]any{"ids": []int64{a[1].ID}, "decision": "approve", "colour": "red"}), 422)
		wantStatus(t, "BSO", e.API("POST", "/api/v1/values/review", bso, map[string]any{"ids": []int64{a[1].ID}, "decision": "approve"}), 403)
		wantStatus(t, "anonymous", e.API("POST", "/api/v1/values/review", "", map[string]any{"ids": []int64{a[1].ID}, "decision": "approve"}), 401)
	})
}
