package plan_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
)

func wantStatus(t *testing.T, what string, r *apptest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%.6000s", what, r.StatusCode, status, r.Body)
	}
}

// wantBody checks texts in the page, after undoing HTML escaping.
func wantBody(t *testing.T, what string, r *apptest.Response, present bool, texts ...string) {
	t.Helper()
	body := html.UnescapeString(r.Body)
	for _, s := range texts {
		if strings.Contains(body, s) != present {
			t.Errorf("%s: body contains %q = %v, want %v", what, s, !present, present)
		}
	}
}

var rawKey = regexp.MustCompile(`(?:^|[^@\w.-])(common|programme|plan)\.[a-z_]+(\.[a-z0-9_]+)*\b`)

// checkPage applies the page rules: one h1, a label for every input, the
// page's language and no untranslated message key.
func checkPage(t *testing.T, where, lang, body string) {
	t.Helper()
	doc, err := xhtml.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	labels, h1 := map[string]bool{}, 0
	var inputs []*xhtml.Node
	var text strings.Builder
	var walk func(*xhtml.Node)
	walk = func(n *xhtml.Node) {
		if n.Type == xhtml.ElementNode {
			switch n.Data {
			case "html":
				if attr(n, "lang") != lang {
					t.Errorf("%s: lang %q", where, attr(n, "lang"))
				}
			case "h1":
				h1++
			case "label":
				labels[attr(n, "for")] = true
			case "input", "select", "textarea":
				if t := attr(n, "type"); t != "hidden" && t != "submit" {
					inputs = append(inputs, n)
				}
			case "script", "style":
				return
			}
		}
		if n.Type == xhtml.TextNode {
			text.WriteString(n.Data + " ")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if h1 != 1 {
		t.Errorf("%s: %d h1", where, h1)
	}
	for _, in := range inputs {
		if id := attr(in, "id"); id == "" || !labels[id] {
			t.Errorf("%s: %s name=%q has no label", where, in.Data, attr(in, "name"))
		}
	}
	if m := rawKey.FindString(text.String()); m != "" {
		t.Errorf("%s: raw message key %q", where, m)
	}
}

func attr(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// planForm is the edit form of the fixture's complete plan, as posted.
func planForm(f *fixture, base int, grant string) url.Values {
	return url.Values{"base_version": {fmt.Sprint(base)}, "vision": {"A Caribbean spice cluster known for quality"},
		"starts_on": {"2026-01-01"}, "ends_on": {"2027-12-31"},
		"objectives_rows": {"3"}, "objectives[0].title": {"Exports"}, "objectives[0].description": {"Double exports"},
		"objectives[2].title": {"Skills"},
		"action_lines_rows":   {"1"}, "action_lines[0].title": {"Certification"}, "action_lines[0].objective": {"1"},
		// A blank first project row: the references below follow the rows.
		"projects_rows": {"3"}, "projects[1].title": {"Shared lab"}, "projects[1].lead_org_id": {fmt.Sprint(f.bso.ID)},
		"projects[1].partner_ids": {fmt.Sprintf("%d, %d", f.firms[0].ID, f.firms[1].ID)},
		"projects[1].starts_on":   {"2026-02-01"}, "projects[1].ends_on": {"2026-12-31"},
		"activities_rows": {"1"}, "activities[0].project": {"2"}, "activities[0].title": {"Buy equipment"}, "activities[0].due": {"2026-04-30"},
		"milestones_rows": {"1"}, "milestones[0].project": {"2"}, "milestones[0].title": {"Lab opens"}, "milestones[0].due": {"2026-06-30"},
		"risks_rows": {"1"}, "risks[0].description": {"Drought"}, "risks[0].likelihood": {"medium"}, "risks[0].impact": {"high"},
		"risks[0].mitigation": {"Irrigation"},
		"budget_rows":         {"3"}, "budget[0].project": {"2"}, "budget[0].category": {"equipment"}, "budget[0].description": {"Ovens"},
		"budget[0].grant": {grant}, "budget[0].counterpart_cash": {"15,000"}, "budget[0].counterpart_in_kind": {"5000.00"},
		"budget[2].category": {"training"}, "budget[2].description": {"Courses"}, "budget[2].grant": {"20000"},
		"budget[2].counterpart_cash": {"5000"}}
}

func TestPlanPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		f := newFixture(t, d)
		c := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprint("bso:", f.bso.ID)))
		other := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprint("bso:", f.otherBSO.ID)))
		off := e.Browser(e.CreateUser(user.ProgrammeOfficer, fmt.Sprint("programme:", f.programme.ID)))
		appPage := fmt.Sprintf("/applications/%d", f.app.ID)

		wantBody(t, "draft application", e.Get(c, appPage), false, appPage+"/plan")
		wantStatus(t, "open a draft's plan", e.PostForm(c, appPage+"/plan", nil), http.StatusConflict)
		f.shortlist(t)
		r := e.Get(c, appPage)
		wantBody(t, "shortlisted application", r, true, `action="`+appPage+`/plan"`, "Open or start the plan")
		wantStatus(t, "other BSO opens", e.PostForm(other, appPage+"/plan", nil), http.StatusNotFound)
		r = e.PostForm(c, appPage+"/plan", nil)
		wantStatus(t, "open", r, http.StatusSeeOther)
		page := r.Header.Get("Location")
		if !strings.HasPrefix(page, "/plans/") {
			t.Fatalf("open redirects to %q", page)
		}
		if r := e.PostForm(off, appPage+"/plan", nil); r.Header.Get("Location") != page {
			t.Fatalf("opening again goes to %q, want %s", r.Header.Get("Location"), page)
		}

		r = e.Get(c, page)
		wantStatus(t, "plan", r, 200)
		checkPage(t, "plan", "en", r.Body)
		wantBody(t, "plan", r, true, "Co-financing checks", "The budget is empty", page+"/edit", "Submit for approval")
		wantStatus(t, "other BSO reads", e.Get(other, page), http.StatusNotFound)
		wantStatus(t, "other BSO edits", e.Get(other, page+"/edit"), http.StatusNotFound)
		wantStatus(t, "other BSO saves", e.PostForm(other, page, planForm(f, 1, "80000")), http.StatusNotFound)
		wantBody(t, "other BSO's list", e.Get(other, "/plans"), false, page)

		r = e.Get(c, page+"/edit")
		wantStatus(t, "edit", r, 200)
		checkPage(t, "edit", "en", r.Body)
		wantBody(t, "edit", r, true, `name="objectives_rows" value="2"`, `name="base_version" value="1"`, `name="projects[1].title"`, `name="budget[1].counterpart_in_kind"`)

		more := planForm(f, 1, "80000")
		more.Set("add", "budget")
		r = e.PostForm(c, page, more)
		wantStatus(t, "more rows", r, 200)
		checkPage(t, "more rows", "en", r.Body)
		wantBody(t, "more rows", r, true, `name="budget[9].grant"`, `value="Ovens"`, `name="objectives_rows" value="5"`, `name="budget_rows" value="10"`)
		wantBody(t, "more rows", r, false, `name="budget[10].grant"`)

		bad := planForm(f, 1, "lots")
		bad.Set("budget[2].counterpart_cash", "-5")
		bad.Set("projects[1].ends_on", "2028-03-01")
		bad.Set("milestones[0].due", "2026-01-15")
		r = e.PostForm(c, page, bad)
		wantStatus(t, "bad plan", r, http.StatusUnprocessableEntity)
		checkPage(t, "bad plan", "en", r.Body)
		wantBody(t, "bad plan", r, true, `Budget line 1: "lots" is not an amount in USD`, "Budget line 2: an amount cannot be negative.",
			"Project 1 ends on 2028-03-01, after the plan ends (2027-12-31).",
			"Milestone 1 is due on 2026-01-15, outside project 1's dates (2026-02-01 to 2028-03-01).",
			`href="#f-budget%5b0%5d.grant"`, `value="lots"`, `name="projects[0].title" type="text" maxlength="300" value="Shared lab"`)

		r = e.PostForm(c, page, planForm(f, 1, "80,000"))
		wantStatus(t, "save", r, http.StatusSeeOther)
		r = e.Get(c, page)
		wantBody(t, "saved plan", r, true, "Shared lab", "Barbados Business Support", "Firm 1, Firm 2", "80,000\u00a0USD",
			"The grant is 80.0% of the budget; the call allows at most 80%.", "The budget meets every co-financing rule of the call.", "Version 2")

		// Two people edit version 2; the second save is refused with the
		// first one's changes, and keeps the second person's input.
		wantStatus(t, "officer edits", e.Get(off, page+"/edit"), 200)
		first := planForm(f, 2, "80000")
		first.Set("objectives[2].title", "Jobs")
		wantStatus(t, "first save", e.PostForm(c, page, first), http.StatusSeeOther)
		second := planForm(f, 2, "80000")
		second.Set("vision", "The officer's vision")
		r = e.PostForm(off, page, second)
		wantStatus(t, "stale save", r, http.StatusConflict)
		checkPage(t, "stale save", "en", r.Body)
		wantBody(t, "stale save", r, true, "Someone saved the plan while you were editing", "based on version 2, and version 3 was saved since",
			"Strategic objectives</strong> · added: Jobs", "Strategic objectives</strong> · removed: Skills", "The officer's vision", `name="base_version" value="3"`)

		// A budget over the ceiling is saved, shown failing, and not submitted.
		wantStatus(t, "over budget", e.PostForm(c, page, planForm(f, 3, "300000")), http.StatusSeeOther)
		r = e.Get(c, page)
		wantBody(t, "over budget", r, true, "The grant totals 320,000\u00a0USD; the ceiling is 300,000\u00a0USD. That is 20,000\u00a0USD over the ceiling.",
			"Budget lines that break the rule on their own: 1.")
		r = e.PostForm(c, page+"/submit", nil)
		wantStatus(t, "submit over budget", r, http.StatusConflict)
		checkPage(t, "submit refused", "en", r.Body)
		wantBody(t, "submit refused", r, true, "The plan cannot be submitted yet:", "Grant ceiling: The grant totals 320,000")

		wantStatus(t, "fix", e.PostForm(c, page, planForm(f, 4, "80000")), http.StatusSeeOther)
		wantStatus(t, "submit", e.PostForm(c, page+"/submit", nil), http.StatusSeeOther)
		wantStatus(t, "edit while submitted", e.Get(c, page+"/edit"), http.StatusConflict)
		wantStatus(t, "BSO approves", e.PostForm(c, page+"/approve", nil), http.StatusForbidden)
		r = e.Get(off, page)
		checkPage(t, "submitted plan", "en", r.Body)
		wantBody(t, "submitted plan", r, true, "Approve as the baseline", "Return with comments")
		wantStatus(t, "return without comment", e.PostForm(off, page+"/return", url.Values{"comment": {""}}), http.StatusUnprocessableEntity)
		wantStatus(t, "return", e.PostForm(off, page+"/return", url.Values{"comment": {"Add a marketing project."}}), http.StatusSeeOther)
		wantBody(t, "returned plan", e.Get(c, page), true, "Add a marketing project.", "Returned with comments")
		wantStatus(t, "resubmit", e.PostForm(c, page+"/submit", nil), http.StatusSeeOther)
		wantStatus(t, "approve", e.PostForm(off, page+"/approve", nil), http.StatusSeeOther)

		// A revision after approval; the baseline stays readable.
		wantStatus(t, "revise", e.PostForm(c, page, planForm(f, 5, "90000")), http.StatusSeeOther)
		r = e.Get(c, page)
		wantBody(t, "revision", r, true, "Version 5 is the approved implementation baseline", page+"?version=5")
		r = e.Get(c, page+"?version=5")
		wantStatus(t, "baseline", r, 200)
		checkPage(t, "baseline", "en", r.Body)
		wantBody(t, "baseline", r, true, "You are reading version 5; the latest is version 6.", "Baseline", "80,000\u00a0USD")
		r = e.Get(c, page+"/versions")
		wantStatus(t, "versions", r, 200)
		checkPage(t, "versions", "en", r.Body)
		wantBody(t, "versions", r, true, "From version 5 to version 6", "changed: Equipment · Shared lab · Ovens", "Grant: <del>80000</del> → <ins>90000</ins>")
		r = e.Get(c, page+"/versions?from=1&to=2")
		wantBody(t, "versions 1-2", r, true, "Projects</strong> · added: Shared lab")
		r = e.Get(c, page+"/print")
		wantStatus(t, "print", r, 200)
		checkPage(t, "print", "en", r.Body)
		wantBody(t, "print", r, true, "/static/plan-print.css?v=", "Co-financing checks", "Lab opens")
		if css := e.Get(c, "/static/plan-print.css"); css.StatusCode != 200 || !strings.Contains(css.Body, "@media print") {
			t.Errorf("print stylesheet: %d", css.StatusCode)
		}

		r = e.Get(c, fmt.Sprintf("/plans?call=%d&status=draft", f.call.ID))
		wantStatus(t, "list", r, 200)
		checkPage(t, "list", "en", r.Body)
		wantBody(t, "list", r, true, `href="`+page+`"`, "Barbados spice cluster")
		wantBody(t, "approved list", e.Get(c, "/plans?status=approved"), false, `href="`+page+`"`)
		for _, lang := range []string{"es", "fr", "nl"} {
			lc := e.Browser(e.CreateUser(user.BSOStaff, fmt.Sprint("bso:", f.bso.ID)))
			lc.Jar.SetCookies(mustURL(e.Server.URL), []*http.Cookie{{Name: "lang", Value: lang, Path: "/"}})
			for _, p := range []string{page, page + "/edit", page + "/versions", page + "/print", "/plans"} {
				r := e.Get(lc, p)
				wantStatus(t, lang+" "+p, r, 200)
				checkPage(t, lang+" "+p, lang, r.Body)
			}
		}
	})
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
