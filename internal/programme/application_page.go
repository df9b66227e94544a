package programme

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// ResultLine is one eligibility result as the page shows it.
type ResultLine struct {
	Name   string
	Pass   bool
	Reason string
}

// ApplicationPageData is the application page's data.
type ApplicationPageData struct {
	A         *Application
	View      *CallView
	Grant     string
	Cash      string
	InKind    string
	Total     string
	Results   []ResultLine
	Submitted *Moment
	CanEdit   bool // a draft the person may change
	IsLead    bool // the person applies (shares and submits), not only co-applies
	Sharing   []CoApplicant
	Outcome   string // the eligibility outcome's message key
	Closed    bool   // the call takes no more submissions
	Error     string
}

func (s *Store) renderApplication(w http.ResponseWriter, r *http.Request, rd *web.Renderer, a *Application, status int, msg string) {
	ctx := r.Context()
	actor := user.ActorFrom(ctx)
	loc := web.Localizer(r)
	c, err := loadCall(ctx, s.db.Read(), user.System, a.CallID)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	v, _, err := s.callView(ctx, loc, c)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	d := &ApplicationPageData{A: a, View: v, Grant: Money(loc, a.Grant, a.Currency), Cash: Money(loc, a.CounterpartCash, a.Currency),
		InKind: Money(loc, a.CounterpartInKind, a.Currency), Total: Money(loc, a.Total(), a.Currency),
		Outcome: outcomeKey(a), Closed: closedAt(c, db.Now()), Error: msg}
	if a.Status == AppDraft && MayApply(actor) {
		_, err := loadApplication(ctx, s.db.Read(), actor, a.ID, appWriteFilter)
		d.CanEdit = err == nil
		d.IsLead = d.CanEdit && isLeadApplicant(ctx, s.db.Read(), actor, a.ID)
	}
	if d.Sharing, err = coApplicants(ctx, s.db.Read(), a.ID); err != nil {
		rd.Error(w, r, err)
		return
	}
	for _, res := range a.Results {
		d.Results = append(d.Results, ResultLine{Name: loc.T(res.Kind.Key()), Pass: res.Pass, Reason: res.Reason})
	}
	if a.SubmittedAt != nil {
		m := moment(loc, *a.SubmittedAt, c.Location())
		d.Submitted = &m
	}
	p := rd.NewPage(r, a.Title, d)
	p.Section = section
	p.Crumbs = []web.Crumb{{Label: loc.T("programme.application.mine_title"), URL: "/applications"}, {Label: a.Title}}
	rd.Render(w, r, status, "programme/application", p)
}

// HandleApplicationShow shows an application with its eligibility results.
func HandleApplicationShow(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		a, err := s.FindApplicationByID(r.Context(), user.ActorFrom(r.Context()), id)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		s.renderApplication(w, r, rd, a, http.StatusOK, "")
	})
}

// HandleApplicationSubmit submits a draft; a late submission shows the
// application again with the call's deadline in its zone.
func HandleApplicationSubmit(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, c, err := s.editableApplicationFor(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		if closedAt(c, db.Now()) {
			m := moment(loc, c.ClosesAt, c.Location())
			msg := loc.T("programme.application.late", "date", m.Date, "time", m.Clock, "offset", m.Offset, "zone", m.Zone)
			s.renderApplication(w, r, rd, a, http.StatusConflict, msg)
			return
		}
		names, _, err := countryNames(r.Context(), s, loc, nil)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if _, err := s.SubmitApplication(r.Context(), user.ActorFrom(r.Context()), a.ID, loc, names); err != nil {
			if p := problem.As(err); p != nil && p.Kind == problem.Conflict {
				s.renderApplication(w, r, rd, a, http.StatusConflict, p.Message)
				return
			}
			rd.Error(w, r, err)
			return
		}
		web.Flash(w, loc.T("programme.flash.application_submitted"))
		http.Redirect(w, r, applicationPath(a.ID), http.StatusSeeOther)
	})
}

// ApplicationRow is one line of a list of applications.
type ApplicationRow struct {
	A        *Application
	Grant    string
	Outcome  string // the eligibility outcome's message key
	Updated  string
	CallPath string
}

// ApplicationListData is the data of a list of applications.
type ApplicationListData struct {
	View  *CallView // the call, on its officers' list; nil on "my applications"
	Rows  []ApplicationRow
	Total int
	Mine  bool
}

func applicationRows(loc *i18n.Localizer, items []*Application) []ApplicationRow {
	rows := make([]ApplicationRow, len(items))
	for i, a := range items {
		rows[i] = ApplicationRow{A: a, Grant: Money(loc, a.Grant, a.Currency), Outcome: outcomeKey(a), Updated: loc.Date(a.UpdatedAt),
			CallPath: PublicPath(a.CallID)}
	}
	return rows
}

// applicationsSection is the main-navigation entry of an applicant's list.
const applicationsSection = "applications"

// HandleMyApplications lists the applications of the person's BSO or cluster.
func HandleMyApplications(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		params := web.ParseList(r, "-updated", perPage)
		items, total, err := s.FindApplications(r.Context(), actor, ApplicationFilter{Limit: params.PerPage, Offset: params.Offset()})
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		p := rd.NewPage(r, loc.T("programme.application.mine_title"), &ApplicationListData{Rows: applicationRows(loc, items), Total: total, Mine: true})
		p.Section = applicationsSection
		rd.Render(w, r, http.StatusOK, "programme/applications", p)
	})
}

// HandleCallApplications lists a call's applications for those who oversee it.
func HandleCallApplications(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := user.ActorFrom(ctx)
		c, err := s.callFor(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if !MayEdit(actor, c.ProgrammeID) {
			rd.Error(w, r, problem.Forbiddenf("Only the programme's officers see all of a call's applications."))
			return
		}
		params := web.ParseList(r, "-updated", 500)
		items, total, err := s.FindApplications(ctx, actor, ApplicationFilter{CallID: c.ID, Limit: params.PerPage, Offset: params.Offset()})
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
		title := loc.T("programme.application.call_list_title", "number", c.Number)
		p := rd.NewPage(r, title, &ApplicationListData{View: v, Rows: applicationRows(loc, items), Total: total})
		p.Section = section
		p.Crumbs = programmeCrumbs(loc, v.Programme, web.Crumb{Label: c.Number, URL: callPath(c)}, web.Crumb{Label: loc.T("programme.application.list_title")})
		rd.Render(w, r, http.StatusOK, "programme/applications", p)
	})
}

// outcomeKey is the message key of an application's eligibility outcome.
func outcomeKey(a *Application) string {
	switch {
	case a.Eligible == nil:
		return "programme.application.outcome.pending"
	case *a.Eligible:
		return "programme.application.outcome.eligible"
	}
	return "programme.application.outcome.ineligible"
}
