package plan

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// FormData is the edit form's data.
type FormData struct {
	P            *Plan
	Form         Form
	Errors       *web.FormErrors
	Stale        *StaleError // someone saved since the form was opened
	Facilitators []Option
	Projects     []Option // the projects typed so far, by number
	Objectives   []Option
	Categories   []Category
	Levels       []Level
	Checks       []CheckLine       // of the budget as typed, when it reads
	Indicators   []IndicatorOption // the results framework's indicators; none: no monitoring
}

// Rows are the numbers of rows of each list the form posts.
func (d *FormData) Rows(list string) int {
	f := d.Form
	return map[string]int{"objectives": len(f.Objectives), "action_lines": len(f.ActionLines), "projects": len(f.Projects),
		"activities": len(f.Activities), "milestones": len(f.Milestones), "risks": len(f.Risks), "budget": len(f.Budget)}[list]
}

// editable loads plan {id} for editing: one the person may change, not
// under review.
func (s *Store) editable(r *http.Request) (*Plan, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	actor := user.ActorFrom(ctx)
	p, err := s.FindPlanByID(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	if !s.MayEdit(ctx, actor, id) {
		return nil, problem.Forbiddenf("You may read this plan but not change it.")
	}
	if !p.Status.Editable() {
		return nil, problem.Conflictf("The plan is submitted for approval: it cannot change until the programme approves or returns it.")
	}
	return p, nil
}

func (s *Store) renderForm(w http.ResponseWriter, r *http.Request, rd *web.Renderer, p *Plan, f Form, err error) {
	var stale *StaleError
	if errors.As(err, &stale) {
		err = nil
	}
	status, fe, ok := formStatus(err)
	if !ok {
		rd.Error(w, r, err)
		return
	}
	if stale != nil {
		status = http.StatusConflict
	}
	ctx := r.Context()
	loc := web.Localizer(r)
	people, ferr := s.FindFacilitators(ctx, p)
	if ferr != nil {
		rd.Error(w, r, ferr)
		return
	}
	if p.FacilitatorID != nil && !hasOption(people, *p.FacilitatorID) {
		people = append(people, Option{ID: *p.FacilitatorID, Name: p.FacilitatorName})
	}
	f.pad()
	d := &FormData{P: p, Form: f, Errors: fe, Stale: stale, Facilitators: people, Categories: Categories, Levels: Levels}
	if d.Indicators, ferr = s.indicatorOptions(ctx, user.ActorFrom(ctx), f); ferr != nil {
		rd.Error(w, r, ferr)
		return
	}
	for i, pr := range f.Projects {
		if pr.Title != "" {
			d.Projects = append(d.Projects, Option{ID: int64(i + 1), Name: fmt.Sprintf("%d. %s", i+1, pr.Title)})
		}
	}
	for i, o := range f.Objectives {
		if o.Title != "" {
			d.Objectives = append(d.Objectives, Option{ID: int64(i + 1), Name: fmt.Sprintf("%d. %s", i+1, o.Title)})
		}
	}
	// The checks of the budget as typed, so that they follow every change
	// (each "add rows" or refused save shows them again).
	probe := f
	probe.compact()
	if in, bad := probe.input(p.Currency); len(bad) == 0 {
		if call, cerr := s.Call(ctx, p); cerr == nil {
			d.Checks = CheckLines(loc, Evaluate(in.Content.Budget, TermsOf(call)), p.Currency)
		}
	}
	title := loc.T("plan.edit_title", "title", p.Title)
	pg := rd.NewPage(r, title, d)
	pg.Section = section
	pg.Crumbs = crumbs(loc, p, web.Crumb{Label: loc.T("plan.edit")})
	rd.Render(w, r, status, "plan/form", pg)
}

func hasOption(list []Option, id int64) bool {
	for _, o := range list {
		if o.ID == id {
			return true
		}
	}
	return false
}

// HandleEdit shows the edit form with the latest version.
func HandleEdit(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.editable(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		s.renderForm(w, r, rd, p, formOf(p.Content, p.Version, p.FacilitatorID, p.Currency), nil)
	})
}

// HandleSave saves the form as a new version, or shows it again with more
// rows, with its problems, or with what someone else saved since.
func HandleSave(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := s.editable(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		f := parseForm(r)
		if f.Add != "" {
			s.renderForm(w, r, rd, p, f, nil)
			return
		}
		f.compact()
		in, bad := f.input(p.Currency)
		if len(bad) > 0 {
			more := *in.Content
			var rest problem.Fields
			more.Check(&rest)
			for _, d := range rest {
				if !bad.Has(d.Field) && !rowHasProblem(bad, d.Field) {
					bad = append(bad, d)
				}
			}
			s.renderForm(w, r, rd, p, f, bad.Err())
			return
		}
		saved, err := s.SavePlan(r.Context(), user.ActorFrom(r.Context()), p.ID, in)
		var stale *StaleError
		if errors.As(err, &stale) {
			// Nothing is lost: the form keeps what was typed and is now
			// based on the latest version, with what changed shown above it.
			f.BaseVersion = strconv.Itoa(stale.Current)
			s.renderForm(w, r, rd, p, f, err)
			return
		}
		if err != nil {
			s.renderForm(w, r, rd, p, f, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("plan.flash.saved", "n", saved.Version))
		http.Redirect(w, r, Path(saved.ID), http.StatusSeeOther)
	})
}

// rowHasProblem reports whether another field of field's budget row
// already has a problem (an amount that does not read), so that the row
// is not also said to have no amount.
func rowHasProblem(bad problem.Fields, field string) bool {
	row, _, ok := strings.Cut(field, "].")
	if !ok || !strings.HasPrefix(row, "budget[") {
		return false
	}
	for _, d := range bad {
		if strings.HasPrefix(d.Field, row+"].") {
			return true
		}
	}
	return false
}

// VersionsData is the versions page's data: the list, and the difference
// between two of them.
type VersionsData struct {
	P        *Plan
	Versions []Version
	From, To int
	Changes  []Change
	Compared bool
}

// HandleVersions lists a plan's versions and shows the difference between
// ?from=N and ?to=M (by default the last two, or the baseline and the
// latest of a revision).
func HandleVersions(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		ctx := r.Context()
		actor := user.ActorFrom(ctx)
		p, versions, err := s.FindVersions(ctx, actor, id)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		d := &VersionsData{P: p, Versions: versions, To: p.Version, From: p.Version - 1}
		if p.Revision() {
			d.From = *p.BaselineVersion
		}
		q := r.URL.Query()
		if n, err := strconv.Atoi(q.Get("from")); err == nil {
			d.From = n
		}
		if n, err := strconv.Atoi(q.Get("to")); err == nil {
			d.To = n
		}
		if d.From >= 1 && d.To >= 1 && d.From <= p.Version && d.To <= p.Version {
			_, a, err := s.FindVersion(ctx, actor, id, d.From)
			if err != nil {
				rd.Error(w, r, err)
				return
			}
			_, b, err := s.FindVersion(ctx, actor, id, d.To)
			if err != nil {
				rd.Error(w, r, err)
				return
			}
			d.Changes, d.Compared = Diff(a, b, p.Currency), true
		}
		loc := web.Localizer(r)
		pg := rd.NewPage(r, loc.T("plan.versions_title", "title", p.Title), d)
		pg.Section = section
		pg.Crumbs = crumbs(loc, p, web.Crumb{Label: loc.T("plan.versions")})
		rd.Render(w, r, http.StatusOK, "plan/versions", pg)
	})
}
