package programme

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/mail"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// DashboardRow is one application of the dashboard, formatted.
type DashboardRow struct {
	Row         *RankRow
	CountryName string
	Outcome     string   // eligibility message key
	Means       []string // per criterion, "" without reviews
	Total       string
	Spread      string
}

// DashboardData is the data of a call's panel review dashboard.
type DashboardData struct {
	View      *CallView
	Criteria  []string // column headers: name and weight
	Rows      []DashboardRow
	Countries []Country
	Country   string
	Eligible  string
	Margin    string
	Export    string
	Reviewers string
}

func reviewEligibility(v string) (string, error) {
	switch v {
	case "", "eligible", "ineligible":
		return v, nil
	}
	var f problem.Fields
	f.Add("eligibility", "Use eligibility=eligible or eligibility=ineligible.")
	return "", f.Err()
}

// HandleReviewDashboard shows a call's applications with their reviews,
// scores, ranks and decisions to the officers of its programme.
func HandleReviewDashboard(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		c, err := s.callFor(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		q := r.URL.Query()
		el, err := reviewEligibility(q.Get("eligibility"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		rk, err := s.FindRanking(ctx, user.ActorFrom(ctx), c.ID, RankingFilter{Country: q.Get("country"), Eligibility: el})
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		v, names, err := s.callView(ctx, loc, c)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		d := &DashboardData{View: v, Country: q.Get("country"), Eligible: el, Margin: loc.Float(rk.Call.DisagreementMargin, 0),
			Export: dashboardPath(c) + "/export.xlsx", Reviewers: reviewersPath(c)}
		for _, cr := range rk.Call.Criteria {
			d.Criteria = append(d.Criteria, criterionLabel(loc, cr))
		}
		for _, iso := range rk.Countries {
			d.Countries = append(d.Countries, Country{ISO3: iso, Name: reviewCountryName(names, iso)})
		}
		for _, row := range rk.Rows {
			d.Rows = append(d.Rows, dashboardRow(loc, row, names))
		}
		title := loc.T("programmereview.dashboard_title", "number", c.Number)
		p := rd.NewPage(r, title, d)
		p.Section = section
		p.Crumbs = programmeCrumbs(loc, v.Programme, web.Crumb{Label: c.Number, URL: callPath(c)}, web.Crumb{Label: loc.T("programmereview.panel_review")})
		rd.Render(w, r, http.StatusOK, "programme/review_dashboard", p)
	})
}

func reviewCountryName(names map[string]string, iso string) string {
	if n := names[iso]; n != "" {
		return n
	}
	return iso
}

func dashboardRow(loc *i18n.Localizer, row *RankRow, names map[string]string) DashboardRow {
	out := DashboardRow{Row: row, CountryName: reviewCountryName(names, row.Country), Outcome: outcomeKey(&Application{Eligible: row.Eligible})}
	for _, m := range row.Means {
		if m == nil {
			out.Means = append(out.Means, "")
		} else {
			out.Means = append(out.Means, loc.Float(*m, 2))
		}
	}
	if row.Total != nil {
		out.Total = loc.Float(*row.Total, 2)
		out.Spread = loc.Float(row.Spread, 2)
	}
	return out
}

// ReviewersData is the data of a call's reviewer assignment page.
type ReviewersData struct {
	View      *CallView
	Reviewers []ReviewerOption
	Rows      []*RankRow
	Dashboard string
	Errors    *web.FormErrors
}

// renderReviewers shows the assignment page; err is a failed assignment's.
func (s *Store) renderReviewers(w http.ResponseWriter, r *http.Request, rd *web.Renderer, c *Call, err error) {
	status, fe, ok := formStatus(err)
	if !ok {
		rd.Error(w, r, err)
		return
	}
	ctx := r.Context()
	rk, err := s.FindRanking(ctx, user.ActorFrom(ctx), c.ID, RankingFilter{})
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	reviewers, err := s.FindReviewerAccounts(ctx)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	loc := web.Localizer(r)
	v, _, err := s.callView(ctx, loc, c)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	// Applications in the order they came, which is how officers share them out.
	rows := slices.SortedFunc(slices.Values(rk.Rows), func(a, b *RankRow) int { return cmp.Compare(a.ApplicationID, b.ApplicationID) })
	d := &ReviewersData{View: v, Reviewers: reviewers, Rows: rows, Dashboard: dashboardPath(c), Errors: fe}
	title := loc.T("programmereview.reviewers_title", "number", c.Number)
	p := rd.NewPage(r, title, d)
	p.Section = section
	p.Crumbs = programmeCrumbs(loc, v.Programme, web.Crumb{Label: c.Number, URL: callPath(c)},
		web.Crumb{Label: loc.T("programmereview.panel_review"), URL: dashboardPath(c)}, web.Crumb{Label: loc.T("programmereview.reviewers")})
	rd.Render(w, r, status, "programme/review_reviewers", p)
}

// HandleReviewers shows who reviews each submitted application of a call.
func HandleReviewers(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.callFor(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		s.renderReviewers(w, r, rd, c, nil)
	})
}

func reviewerIDsOf(r *http.Request, key string) []int64 {
	_ = r.ParseForm()
	var out []int64
	for _, v := range r.PostForm[key] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

func assignFlash(loc *i18n.Localizer, res AssignResult) string {
	return loc.T("programmereview.flash.assigned", "assigned", res.Assigned, "already", res.Already, "conflicted", res.Conflicted)
}

// HandleAssignToCall assigns the chosen reviewers to every submitted
// application of a call.
func HandleAssignToCall(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.callFor(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		res, err := s.AssignReviewersToCall(r.Context(), user.ActorFrom(r.Context()), c.ID, reviewerIDsOf(r, "reviewer_ids"))
		if err != nil {
			s.renderReviewers(w, r, rd, c, err)
			return
		}
		web.Flash(w, assignFlash(web.Localizer(r), res))
		http.Redirect(w, r, reviewersPath(c), http.StatusSeeOther)
	})
}

// HandleAssignToApplication assigns the chosen reviewers to application {id}.
func HandleAssignToApplication(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := user.ActorFrom(ctx)
		id, err := pathID(r, "id")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		a, err := officerApplication(ctx, s.db.Read(), actor, id, "assign its reviewers")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		c, err := loadCall(ctx, s.db.Read(), user.System, a.CallID)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		res, err := s.AssignReviewers(ctx, actor, id, reviewerIDsOf(r, fmt.Sprintf("reviewer_ids_%d", id)))
		if err != nil {
			if pe := problem.As(err); pe != nil && pe.Kind == problem.Invalid {
				// The page names this application's choice of reviewers.
				var f problem.Fields
				for _, d := range pe.Details {
					f.Add(fmt.Sprintf("reviewer_ids_%d", id), "%s", d.Message)
				}
				err = f.Err()
			}
			s.renderReviewers(w, r, rd, c, err)
			return
		}
		web.Flash(w, assignFlash(web.Localizer(r), res))
		http.Redirect(w, r, reviewersPath(c)+"#app-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	})
}

// PanelData is the data of an application's panel page: the decision for
// everyone who reads the application; the reviews and the decision form
// for the officers of its programme.
type PanelData struct {
	A         *Application
	Decision  *Decision
	Decided   string // when, in the page's language
	Officer   bool
	Reviews   []*Review
	Criteria  []Criterion
	Totals    map[int64]string
	Scores    map[int64][]string // per review, per criterion
	Dashboard string
	Form      DecisionInput
	Errors    *web.FormErrors
}

func (s *Store) renderPanel(w http.ResponseWriter, r *http.Request, rd *web.Renderer, id int64, form *DecisionInput, err error) {
	status, fe, ok := formStatus(err)
	if !ok {
		rd.Error(w, r, err)
		return
	}
	ctx := r.Context()
	actor := user.ActorFrom(ctx)
	a, err := s.readableApplication(ctx, actor, id)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	loc := web.Localizer(r)
	ds, err := findDecisions(ctx, s.db.Read(), []int64{id})
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	d := &PanelData{A: a, Decision: ds[id], Officer: MayEdit(actor, a.ProgrammeID), Errors: fe}
	if d.Decision != nil {
		d.Decided = loc.DateTime(d.Decision.DecidedAt)
		d.Form = DecisionInput{Decision: d.Decision.Decision, Reason: d.Decision.Reason}
	}
	if form != nil {
		d.Form = *form
	}
	if d.Officer {
		c, err := loadCall(ctx, s.db.Read(), user.System, a.CallID)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if d.Reviews, err = s.FindReviews(ctx, actor, id); err != nil {
			rd.Error(w, r, err)
			return
		}
		d.Criteria, d.Dashboard = c.Criteria, dashboardPath(c)
		d.Totals, d.Scores = map[int64]string{}, map[int64][]string{}
		for _, rv := range d.Reviews {
			if rv.WeightedTotal != nil {
				d.Totals[rv.ID] = loc.Float(*rv.WeightedTotal, 2)
			}
			for i := range c.Criteria {
				if sc, ok := rv.Score(i); ok {
					d.Scores[rv.ID] = append(d.Scores[rv.ID], strconv.Itoa(sc.Score))
				} else {
					d.Scores[rv.ID] = append(d.Scores[rv.ID], "")
				}
			}
		}
	}
	title := loc.T("programmereview.panel_title", "title", a.Title)
	p := rd.NewPage(r, title, d)
	p.Section = section
	p.Crumbs = []web.Crumb{{Label: a.Title, URL: applicationPath(a.ID)}, {Label: loc.T("programmereview.panel_review")}}
	rd.Render(w, r, status, "programme/review_panel", p)
}

// HandlePanel shows application {id}'s decision, and its reviews to officers.
func HandlePanel(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		s.renderPanel(w, r, rd, id, nil, nil)
	})
}

// HandleDecision records the panel's decision on application {id} and
// emails the applicant through mailer, with links to baseURL.
func HandleDecision(s *Store, rd *web.Renderer, mailer mail.Sender, baseURL string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		_ = r.ParseForm()
		in := DecisionInput{Decision: AppStatus(r.PostFormValue("decision")), Reason: r.PostFormValue("reason")}
		ctx := r.Context()
		d, a, err := s.Decide(ctx, user.ActorFrom(ctx), id, in)
		if err != nil {
			s.renderPanel(w, r, rd, id, &in, err)
			return
		}
		loc := web.Localizer(r)
		sent, err := s.DecisionMail(ctx, mailer, baseURL, a, d, loc.Lang)
		switch {
		case err != nil:
			web.Flash(w, loc.T("programmereview.flash.decided_unsent"))
		case len(sent) == 0:
			web.Flash(w, loc.T("programmereview.flash.decided_nobody"))
		default:
			web.Flash(w, loc.T("programmereview.flash.decided", "to", strings.Join(sent, ", ")))
		}
		http.Redirect(w, r, panelPath(id), http.StatusSeeOther)
	})
}

// HandleReviewExport downloads a call's panel review as a workbook.
func HandleReviewExport(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		c, err := s.callFor(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		rk, err := s.FindRanking(ctx, user.ActorFrom(ctx), c.ID, RankingFilter{})
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		_, names, err := s.callView(ctx, loc, c)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		name := "panel-review-" + c.Number + ".xlsx"
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", "attachment; filename=\""+url.PathEscape(name)+"\"")
		if err := WriteRankingXLSX(w, loc, rk, names); err != nil {
			rd.Error(w, r, err)
		}
	})
}
