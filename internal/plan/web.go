package plan

import (
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// section is the main-navigation entry the plan pages highlight.
const section = "plans"

// perPage is the size of a page of the plan list.
const perPage = 50

// Path is the address of plan id's page.
func Path(id int64) string { return "/plans/" + strconv.FormatInt(id, 10) }

// OpenPath is where an application's page posts to open its plan.
func OpenPath(applicationID int64) string {
	return "/applications/" + strconv.FormatInt(applicationID, 10) + "/plan"
}

func pathID(r *http.Request) (int64, error) { return web.ParseID(r.PathValue("id")) }

// crumbs is the trail Plans → plan, with more after it.
func crumbs(loc *i18n.Localizer, p *Plan, more ...web.Crumb) []web.Crumb {
	out := []web.Crumb{{Label: loc.T("plan.list_title"), URL: "/plans"}}
	if p != nil {
		link := ""
		if len(more) > 0 {
			link = Path(p.ID)
		}
		out = append(out, web.Crumb{Label: p.Title, URL: link})
	}
	return append(out, more...)
}

// formStatus is the status of a page that shows err: 200 without one,
// 422 or 409 with a validation problem, and false for other errors.
func formStatus(err error) (int, *web.FormErrors, bool) {
	if err == nil {
		return http.StatusOK, nil, true
	}
	fe := web.NewFormErrors(err)
	if fe == nil {
		return 0, nil, false
	}
	return problem.KindOf(err).Status(), fe, true
}

// ListRow is one plan of the list page.
type ListRow struct {
	P       *Plan
	Updated string
}

// ListData is the plan list's data.
type ListData struct {
	Rows     []ListRow
	Total    int
	Page     int
	Pages    int
	Calls    []Option
	CallID   int64
	Status   Status
	Statuses []Status
}

// HandleList lists the plans the person may read, by call and status.
func HandleList(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		params := web.ParseList(r, "-updated", perPage)
		f := Filter{Limit: params.PerPage, Offset: params.Offset()}
		if n, err := strconv.ParseInt(r.URL.Query().Get("call"), 10, 64); err == nil && n > 0 {
			f.CallID = n
		}
		if st := Status(r.URL.Query().Get("status")); st.Valid() {
			f.Status = st
		}
		items, total, err := s.FindPlans(r.Context(), actor, f)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		calls, err := s.FindPlanCalls(r.Context(), actor)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		d := &ListData{Total: total, Page: params.Page, Pages: params.Pages(total), Calls: calls, CallID: f.CallID, Status: f.Status, Statuses: Statuses}
		for _, p := range items {
			d.Rows = append(d.Rows, ListRow{P: p, Updated: loc.DateTime(p.UpdatedAt)})
		}
		pg := rd.NewPage(r, loc.T("plan.list_title"), d)
		pg.Section = section
		rd.Render(w, r, http.StatusOK, "plan/list", pg)
	})
}

// HandleOpen opens the plan of the shortlisted application {id}, starting
// it when there is none yet.
func HandleOpen(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		p, created, err := s.OpenPlan(r.Context(), user.ActorFrom(r.Context()), id)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if created {
			web.Flash(w, web.Localizer(r).T("plan.flash.started"))
		}
		http.Redirect(w, r, Path(p.ID), http.StatusSeeOther)
	})
}

// ShowData is the plan page's data (also the printable page's).
type ShowData struct {
	P           *Plan
	Call        *programme.Call
	Version     int  // the version shown
	Past        bool // an earlier version than the latest
	Baseline    bool // the version shown is the approved baseline
	View        *ContentView
	Checks      []CheckLine
	ChecksPass  bool
	Terms       []string // the call's co-financing terms in plain language
	CanEdit     bool
	CanSubmit   bool
	CanDecide   bool
	Errors      *web.FormErrors
	Comment     string // a return comment being written
	Facilitator string
	Results     *ResultsView // the indicators objectives and projects name; nil: none
	PDF         bool         // a PDF of the printable page can be made
}

// showData loads version n of plan id (0 for the latest) for reading.
func (s *Store) showData(r *http.Request, id int64, n int) (*ShowData, error) {
	ctx := r.Context()
	actor := user.ActorFrom(ctx)
	var p *Plan
	var c *Content
	var err error
	if n == 0 {
		if p, err = s.FindPlanByID(ctx, actor, id); err == nil {
			c = p.Content
		}
	} else {
		p, c, err = s.FindVersion(ctx, actor, id, n)
	}
	if err != nil {
		return nil, err
	}
	call, err := s.Call(ctx, p)
	if err != nil {
		return nil, err
	}
	loc := web.Localizer(r)
	checks := Evaluate(c.Budget, TermsOf(call))
	d := &ShowData{P: p, Call: call, Version: p.Version, View: newContentView(loc, c, p.Currency, &checks),
		Checks: CheckLines(loc, checks, p.Currency), ChecksPass: checks.Pass, Facilitator: p.FacilitatorName}
	if n != 0 && n != p.Version {
		d.Version, d.Past = n, true
	}
	d.Baseline = p.BaselineVersion != nil && *p.BaselineVersion == d.Version
	d.Terms = termsText(loc, call)
	if d.Results, err = s.resultsView(ctx, actor, loc, p, c); err != nil {
		return nil, err
	}
	d.PDF = s.printer.Available()
	if !d.Past {
		d.CanEdit = p.Status.Editable() && s.MayEdit(ctx, actor, p.ID)
		d.CanSubmit = d.CanEdit && (p.Status == StatusDraft || p.Status == StatusReturned)
		d.CanDecide = p.Status == StatusSubmitted && MayDecide(actor, p.ProgrammeID)
	}
	return d, nil
}

// termsText describes the call's co-financing settings.
func termsText(loc *i18n.Localizer, c *programme.Call) []string {
	env := programme.Env{Currency: c.Currency}
	out := []string{programme.Describe(programme.NewRule(programme.RuleCofinancing, c.Cofinancing()), env, loc)}
	if c.GrantCeiling > 0 {
		out = append(out, programme.Describe(programme.NewRule(programme.RuleGrantCeiling, programme.GrantCeiling{Amount: c.GrantCeiling}), env, loc))
	}
	return out
}

func (s *Store) renderShow(w http.ResponseWriter, r *http.Request, rd *web.Renderer, id int64, n int, page string, err error, comment string) {
	status, fe, ok := formStatus(err)
	if !ok {
		rd.Error(w, r, err)
		return
	}
	d, derr := s.showData(r, id, n)
	if derr != nil {
		rd.Error(w, r, derr)
		return
	}
	d.Errors, d.Comment = fe, comment
	loc := web.Localizer(r)
	title := d.P.Title
	p := rd.NewPage(r, title, d)
	p.Section = section
	if d.Past {
		p.Crumbs = crumbs(loc, d.P, web.Crumb{Label: loc.T("plan.version_n", "n", d.Version)})
	} else {
		p.Crumbs = crumbs(loc, d.P)
	}
	rd.Render(w, r, status, page, p)
}

// versionParam reads ?version=N (0 when absent).
func versionParam(r *http.Request) (int, error) {
	v := r.URL.Query().Get("version")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, problem.NotFoundf("No version %q.", v)
	}
	return n, nil
}

// HandleShow shows a plan (or ?version=N of it) with its co-financing checks.
func HandleShow(s *Store, rd *web.Renderer) http.Handler { return handleRead(s, rd, "plan/show") }

// HandlePrint shows a plan (or ?version=N) for printing.
func HandlePrint(s *Store, rd *web.Renderer) http.Handler { return handleRead(s, rd, "plan/print") }

// readTarget is the plan a read names and its ?version (0: the latest).
func readTarget(r *http.Request) (int64, int, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, 0, err
	}
	n, err := versionParam(r)
	return id, n, err
}

func handleRead(s *Store, rd *web.Renderer, page string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, n, err := readTarget(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		s.renderShow(w, r, rd, id, n, page, nil, "")
	})
}

// HandleSubmit submits a plan for approval; a refusal shows the plan with
// its reasons.
func HandleSubmit(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		if _, err := s.Submit(r.Context(), user.ActorFrom(r.Context()), id, loc); err != nil {
			s.renderShow(w, r, rd, id, 0, "plan/show", err, "")
			return
		}
		web.Flash(w, loc.T("plan.flash.submitted"))
		http.Redirect(w, r, Path(id), http.StatusSeeOther)
	})
}

// HandleApprove approves a submitted plan as its baseline.
func HandleApprove(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if _, err := s.Approve(r.Context(), user.ActorFrom(r.Context()), id); err != nil {
			s.renderShow(w, r, rd, id, 0, "plan/show", err, "")
			return
		}
		web.Flash(w, web.Localizer(r).T("plan.flash.approved"))
		http.Redirect(w, r, Path(id), http.StatusSeeOther)
	})
}

// HandleReturn returns a submitted plan with comments.
func HandleReturn(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		_ = r.ParseForm()
		comment := r.PostForm.Get("comment")
		if _, err := s.Return(r.Context(), user.ActorFrom(r.Context()), id, comment); err != nil {
			s.renderShow(w, r, rd, id, 0, "plan/show", err, comment)
			return
		}
		web.Flash(w, web.Localizer(r).T("plan.flash.returned"))
		http.Redirect(w, r, Path(id), http.StatusSeeOther)
	})
}
