package programme_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
)

// reviewEnv is the application with a call of two submitted applications,
// its officer, the applicant and three reviewers.
type reviewEnv struct {
	e          *apptest.Env
	f          *applyFixture
	apps       []*programme.Application
	officer    *user.User
	applicant  *user.User
	reviewers  []*user.User
	callPath   string
	reviewPath string
}

func actorOf(u *user.User) user.Actor {
	return user.Actor{UserID: u.ID, Name: u.Name, Role: u.Role, Scope: u.Scope}
}

func newReviewEnv(t *testing.T, d *db.DB) *reviewEnv {
	t.Helper()
	ctx := context.Background()
	e := apptest.New(t, d)
	f := newApplyFixture(t, d)
	s := programme.NewStore(d)
	r := &reviewEnv{e: e, f: f, officer: e.CreateUser(user.ProgrammeOfficer, fmt.Sprint("programme:", f.call.ProgrammeID)),
		applicant: e.CreateUser(user.BSOStaff, fmt.Sprint("bso:", f.bso.ID)),
		callPath:  fmt.Sprintf("/programmes/%d/calls/%d", f.call.ProgrammeID, f.call.ID)}
	r.reviewPath = r.callPath + "/review"
	for i := range 2 {
		in := f.input(100_000_00)
		in.Title = fmt.Sprintf("Cluster %c", 'A'+i)
		a, err := s.CreateApplication(ctx, actorOf(r.applicant), in)
		if err != nil {
			t.Fatal(err)
		}
		if a, err = s.SubmitApplication(ctx, actorOf(r.applicant), a.ID, i18n.For("en"), nil); err != nil {
			t.Fatal(err)
		}
		r.apps = append(r.apps, a)
	}
	for range 3 {
		r.reviewers = append(r.reviewers, e.CreateUser(user.Reviewer, ""))
	}
	return r
}

func scoreForm(action string, scores ...int) url.Values {
	v := url.Values{"action": {action}, "comment": {"A solid cluster."}}
	for i, s := range scores {
		v.Set(fmt.Sprint("score.", i), fmt.Sprint(s))
		v.Set(fmt.Sprint("comment.", i), fmt.Sprintf("Reason %d", i))
	}
	return v
}

func TestPanelReviewPages(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		r := newReviewEnv(t, d)
		e := r.e
		off := e.Browser(r.officer)
		r1, r2, r3 := e.Browser(r.reviewers[0]), e.Browser(r.reviewers[1]), e.Browser(r.reviewers[2])
		app := r.apps[0].ID
		sheet := fmt.Sprintf("/reviews/%d", app)

		// The call page links to the dashboard; the dashboard to the reviewers.
		wantBody(t, "call page", e.Get(off, r.callPath), true, `href="`+r.reviewPath+`"`)
		res := e.Get(off, r.reviewPath)
		wantStatus(t, "dashboard", res, 200)
		checkPage(t, "dashboard", "en", res.Body)
		wantBody(t, "dashboard", res, true, "Cluster A", "Cluster B", `href="`+r.reviewPath+`/reviewers"`, `href="`+r.reviewPath+`/export.xlsx"`)
		wantStatus(t, "dashboard for a reviewer", e.Get(r1, r.reviewPath), http.StatusForbidden)
		res = e.Get(off, r.reviewPath+"/reviewers")
		wantStatus(t, "reviewers page", res, 200)
		checkPage(t, "reviewers page", "en", res.Body)

		// Assign r1 and r2 to every application.
		res = e.PostForm(off, r.reviewPath+"/reviewers", url.Values{"reviewer_ids": {fmt.Sprint(r.reviewers[0].ID), fmt.Sprint(r.reviewers[1].ID)}})
		wantStatus(t, "assign all", res, http.StatusSeeOther)
		res = e.PostForm(off, r.reviewPath+"/reviewers", url.Values{})
		wantStatus(t, "assign nobody", res, http.StatusUnprocessableEntity)
		wantBody(t, "assign nobody", res, true, "Choose at least one reviewer.")

		// My reviews lists the assignments; the sheet starts with the declaration.
		res = e.Get(r1, "/reviews")
		wantStatus(t, "my reviews", res, 200)
		checkPage(t, "my reviews", "en", res.Body)
		wantBody(t, "my reviews", res, true, "Cluster A", "Cluster B", "Conflict of interest to declare", `href="`+sheet+`"`)
		res = e.Get(r1, sheet)
		wantStatus(t, "sheet", res, 200)
		checkPage(t, "declaration", "en", res.Body)
		wantBody(t, "declaration", res, true, `name="conflict"`)
		wantBody(t, "declaration", res, false, `name="score.0"`)
		wantStatus(t, "score before declaring", e.PostForm(r1, sheet, scoreForm("submit", 5, 5, 5)), http.StatusConflict)
		wantStatus(t, "declare nothing", e.PostForm(r1, sheet+"/conflict", url.Values{}), http.StatusUnprocessableEntity)
		wantStatus(t, "declare no conflict", e.PostForm(r1, sheet+"/conflict", url.Values{"conflict": {"no"}}), http.StatusSeeOther)

		// The rubric's descriptors stand beside each score.
		res = e.Get(r1, sheet)
		checkPage(t, "score sheet", "en", res.Body)
		wantBody(t, "score sheet", res, true, `name="score.2"`, "Strong evidence", "Some evidence", "Employment impact (40%)")
		res = e.PostForm(r1, sheet, scoreForm("submit", 5, 5))
		wantStatus(t, "submit a short sheet", res, http.StatusUnprocessableEntity)
		checkPage(t, "short sheet", "en", res.Body)
		wantBody(t, "short sheet", res, true, `Score "Green innovation and climate resilience" before submitting.`, `value="5" checked`)
		res = e.PostForm(r1, sheet, scoreForm("submit", 5, 4, 5))
		wantStatus(t, "a score that is no level", res, http.StatusUnprocessableEntity)
		wantBody(t, "a score that is no level", res, true, "4 is not a level of the rubric")
		wantStatus(t, "save draft", e.PostForm(r1, sheet, scoreForm("save", 5, 5)), http.StatusSeeOther)

		// r2 declares a conflict: unassigned, may not score, cannot be assigned again.
		res = e.PostForm(r2, sheet+"/conflict", url.Values{"conflict": {"yes"}})
		wantStatus(t, "conflict without a note", res, http.StatusUnprocessableEntity)
		wantStatus(t, "conflict", e.PostForm(r2, sheet+"/conflict", url.Values{"conflict": {"yes"}, "note": {"My cousin runs the lead firm."}}),
			http.StatusSeeOther)
		res = e.PostForm(r2, sheet, scoreForm("submit", 5, 5, 5))
		wantStatus(t, "conflicted reviewer scores", res, http.StatusForbidden)
		wantBody(t, "conflicted reviewer scores", res, true, "you may not score it")
		res = e.Get(r2, sheet)
		wantStatus(t, "conflicted sheet", res, 200)
		wantBody(t, "conflicted sheet", res, true, "My cousin runs the lead firm.")
		wantBody(t, "conflicted sheet", res, false, "Sauces and spices for export.")
		res = e.PostForm(off, fmt.Sprintf("/applications/%d/reviewers", app), url.Values{fmt.Sprint("reviewer_ids_", app): {fmt.Sprint(r.reviewers[1].ID)}})
		wantStatus(t, "assign a conflicted reviewer", res, http.StatusConflict)
		wantBody(t, "assign a conflicted reviewer", res, true, "declared a conflict of interest")
		// r3 is not assigned.
		res = e.PostForm(r3, sheet, scoreForm("submit", 5, 5, 5))
		wantStatus(t, "unassigned reviewer scores", res, http.StatusForbidden)
		wantBody(t, "unassigned reviewer scores", res, true, "You are not assigned to review application")
		wantStatus(t, "unassigned reviewer reads", e.Get(r3, sheet), http.StatusForbidden)
		res = e.PostForm(off, fmt.Sprintf("/applications/%d/reviewers", app), url.Values{fmt.Sprint("reviewer_ids_", app): {fmt.Sprint(r.reviewers[2].ID)}})
		wantStatus(t, "assign r3", res, http.StatusSeeOther)

		// r3 scores and submits; r1, still drafting, does not see r3's scores.
		e.PostForm(r3, sheet+"/conflict", url.Values{"conflict": {"no"}})
		wantStatus(t, "r3 submits", e.PostForm(r3, sheet, scoreForm("submit", 3, 3, 1)), http.StatusSeeOther)
		res = e.Get(r3, sheet)
		wantBody(t, "r3's submitted review", res, true, "My scores", "No other reviewer has submitted yet.", "50.00")
		wantStatus(t, "r1 submits", e.PostForm(r1, sheet, scoreForm("submit", 5, 5, 5)), http.StatusSeeOther)
		res = e.Get(r1, sheet)
		checkPage(t, "submitted review", "en", res.Body)
		wantBody(t, "r1 sees r3 now", res, true, "Other reviewers' scores", r.reviewers[2].Name, "100.00", "50.00")

		// The dashboard: 75 for Cluster A, reviewers 50 points apart.
		res = e.Get(off, r.reviewPath)
		wantBody(t, "dashboard scored", res, true, "75.00", "Reviewers disagree (50.00 points apart)", "2 of 2", "1 conflict(s) declared")
		res = e.Get(off, r.reviewPath+"?eligibility=ineligible")
		wantBody(t, "dashboard filtered", res, false, "Cluster A")
		wantStatus(t, "bad filter", e.Get(off, r.reviewPath+"?eligibility=maybe"), http.StatusUnprocessableEntity)

		// The export opens with the scores.
		res = e.Get(off, r.reviewPath+"/export.xlsx")
		wantStatus(t, "export", res, 200)
		x, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := x.GetCellValue(programme.RankingSheet, "C2"); v != "Cluster A" {
			t.Errorf("export C2 = %q", v)
		}
		if v, _ := x.GetCellValue(programme.RankingSheet, "M2"); v != "75" {
			t.Errorf("export M2 = %q", v)
		}
		x.Close()
		wantStatus(t, "export for a reviewer", e.Get(r1, r.reviewPath+"/export.xlsx"), http.StatusForbidden)

		// Criteria are locked now; the form says so and the update is refused.
		res = e.Get(off, r.callPath+"/edit")
		wantBody(t, "locked form", res, true, "criteria can no longer change", `name="disagreement_margin"`)
		form := callForm(true)
		form.Set("number", r.f.call.Number)
		res = e.PostForm(off, r.callPath, form)
		wantStatus(t, "change locked criteria", res, http.StatusConflict)
		wantBody(t, "change locked criteria", res, true, "its scoring criteria can no longer change")

		// The panel page and the decision, emailed to the applicant.
		panel := fmt.Sprintf("/applications/%d/panel", app)
		res = e.Get(off, panel)
		wantStatus(t, "panel", res, 200)
		checkPage(t, "panel", "en", res.Body)
		wantBody(t, "panel", res, true, r.reviewers[0].Name, "My cousin runs the lead firm.", `name="decision"`)
		res = e.PostForm(off, fmt.Sprintf("/applications/%d/decision", app), url.Values{"decision": {"rejected"}})
		wantStatus(t, "reject without a reason", res, http.StatusUnprocessableEntity)
		checkPage(t, "reject without a reason", "en", res.Body)
		wantStatus(t, "reviewer decides", e.PostForm(r1, fmt.Sprintf("/applications/%d/decision", app), url.Values{"decision": {"shortlisted"}}),
			http.StatusForbidden)
		res = e.PostForm(off, fmt.Sprintf("/applications/%d/decision", app), url.Values{"decision": {"shortlisted"}, "reason": {"Strong export plan."}})
		wantStatus(t, "shortlist", res, http.StatusSeeOther)
		m, ok := e.Mail.Last(r.applicant.Email)
		if !ok || !strings.Contains(m.Subject, "shortlisted") || !strings.Contains(m.Body, "Strong export plan.") ||
			!strings.Contains(m.Body, "http://example.test"+panel) {
			t.Errorf("email to the applicant: %+v %v", m, ok)
		}
		// The applicant sees the decision on the application and the panel page, not the reviews.
		ap := e.Browser(r.applicant)
		res = e.Get(ap, fmt.Sprintf("/applications/%d", app))
		wantBody(t, "application page", res, true, "The panel shortlisted this application.", `href="`+panel+`"`)
		res = e.Get(ap, panel)
		wantStatus(t, "applicant's panel page", res, 200)
		checkPage(t, "applicant's panel page", "en", res.Body)
		wantBody(t, "applicant's panel page", res, true, "Shortlisted", "Strong export plan.")
		wantBody(t, "applicant's panel page", res, false, r.reviewers[0].Name, `name="decision"`)
		wantBody(t, "dashboard decided", e.Get(off, r.reviewPath), true, "Shortlisted")

		// Every page in every language.
		for _, lang := range i18n.Languages {
			for who, pages := range map[*user.User][]string{r.officer: {r.reviewPath, r.reviewPath + "/reviewers", panel},
				r.reviewers[0]: {"/reviews", sheet}, r.reviewers[1]: {sheet}} {
				c := e.Browser(who)
				c.Jar.SetCookies(mustURL(t, e.Server.URL), []*http.Cookie{{Name: "lang", Value: lang, Path: "/"}})
				for _, p := range pages {
					res := e.Get(c, p)
					wantStatus(t, lang+" "+p, res, 200)
					checkPage(t, lang+" "+p, lang, res.Body)
					if strings.Contains(res.Body, "programmereview.") {
						t.Errorf("%s %s: untranslated key", lang, p)
					}
				}
			}
		}
	})
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
