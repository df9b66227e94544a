package programme

import (
	"context"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// CallFormData is the call form's data.
type CallFormData struct {
	Programme   *Programme
	Call        *Call // nil when adding one
	Form        CallForm
	Countries   []Country // the programme's, for the eligible-countries rule
	RuleKinds   []RuleKind
	InKindRules []InKindRule
	Errors      *web.FormErrors
	// CriteriaLocked: the call has review scores, so its criteria stay as they are.
	CriteriaLocked bool
}

// Action is where the form posts.
func (d *CallFormData) Action() string {
	if d.Call == nil {
		return programmePath(d.Programme.ID) + "/calls"
	}
	return callPath(d.Call)
}

// Cancel is where the cancel link goes.
func (d *CallFormData) Cancel() string {
	if d.Call == nil {
		return programmePath(d.Programme.ID)
	}
	return callPath(d.Call)
}

// RuleCountryChosen reports whether the eligible-countries rule names a country.
func (d *CallFormData) RuleCountryChosen(iso3 string) bool {
	for _, c := range d.Form.RuleCountry {
		if c == iso3 {
			return true
		}
	}
	return false
}

// Rows is the number of criterion rows the form posts.
func (d *CallFormData) Rows() int { return len(d.Form.Criteria) }

// renderCallForm shows the call form; err is the failed save's problem.
func (s *Store) renderCallForm(w http.ResponseWriter, r *http.Request, rd *web.Renderer, pr *Programme, c *Call, f CallForm, err error) {
	status, fe, ok := formStatus(err)
	if !ok {
		rd.Error(w, r, err)
		return
	}
	if fe != nil {
		// Rule problems name the i-th rule switched on; the form knows rules by kind.
		var on []RuleKind
		for _, k := range RuleKinds {
			if f.RuleOn[k] && !k.Derived() {
				on = append(on, k)
			}
		}
		for i := range fe.Fields {
			fe.Fields[i].Field = ruleField(fe.Fields[i].Field, on)
		}
	}
	loc := web.Localizer(r)
	names, _, nerr := countryNames(r.Context(), s, loc, nil)
	if nerr != nil {
		rd.Error(w, r, nerr)
		return
	}
	d := &CallFormData{Programme: pr, Call: c, Form: f, Errors: fe, InKindRules: []InKindRule{InKindNone, InKindMax, InKindCash}}
	if c != nil {
		if d.CriteriaLocked, nerr = callHasScores(r.Context(), s.db.Read(), c.ID); nerr != nil {
			rd.Error(w, r, nerr)
			return
		}
	}
	for _, k := range RuleKinds {
		if !k.Derived() {
			d.RuleKinds = append(d.RuleKinds, k)
		}
	}
	for _, iso := range pr.Countries {
		d.Countries = append(d.Countries, Country{ISO3: iso, Name: names[iso]})
	}
	var p *web.Page
	if c == nil {
		p = rd.NewPage(r, loc.T("programme.call_new_title"), d)
		p.Crumbs = programmeCrumbs(loc, pr, web.Crumb{Label: loc.T("programme.call_new_title")})
	} else {
		p = rd.NewPage(r, loc.T("programme.call_edit_title", "number", c.Number), d)
		p.Crumbs = programmeCrumbs(loc, pr, web.Crumb{Label: c.Number, URL: callPath(c)}, web.Crumb{Label: loc.T("common.edit")})
	}
	p.Section = section
	rd.Render(w, r, status, "programme/call_form", p)
}

// HandleCallNew shows an empty call form for the programme {id}.
func HandleCallNew(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pr, err := s.editableProgrammeFor(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		s.renderCallForm(w, r, rd, pr, nil, newCallForm(), nil)
	})
}

// saveCall turns the posted form into an input and saves it with save, or
// shows the form again: with one more criterion row when asked, or with
// every problem of the form.
func (s *Store) saveCall(w http.ResponseWriter, r *http.Request, rd *web.Renderer, pr *Programme, c *Call,
	save func(context.Context, CallInput) (*Call, error), flash string) {
	f := parseCallForm(r)
	if f.AddCriterion {
		s.renderCallForm(w, r, rd, pr, c, f, nil)
		return
	}
	in, bad := f.input(pr.ID, pr.Currency)
	if len(bad) > 0 {
		for _, d := range in.CheckCall(pr.Env()) {
			if !bad.Has(d.Field) {
				bad = append(bad, d)
			}
		}
		s.renderCallForm(w, r, rd, pr, c, f, bad.Err())
		return
	}
	saved, err := save(r.Context(), in)
	if err != nil {
		s.renderCallForm(w, r, rd, pr, c, f, err)
		return
	}
	web.Flash(w, web.Localizer(r).T(flash))
	http.Redirect(w, r, callPath(saved), http.StatusSeeOther)
}

// HandleCallCreate adds a call to the programme {id}.
func HandleCallCreate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pr, err := s.editableProgrammeFor(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		actor := user.ActorFrom(r.Context())
		s.saveCall(w, r, rd, pr, nil, func(ctx context.Context, in CallInput) (*Call, error) {
			return s.CreateCall(ctx, actor, in)
		}, "programme.flash.call_created")
	})
}

// callFor loads the call {call} of programme {id} that the person may read.
func (s *Store) callFor(r *http.Request) (*Call, error) {
	pid, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	id, err := pathID(r, "call")
	if err != nil {
		return nil, err
	}
	c, err := s.FindCallByID(r.Context(), user.ActorFrom(r.Context()), id)
	if err != nil {
		return nil, err
	}
	if c.ProgrammeID != pid {
		return nil, problem.NotFoundf("No call #%d in programme #%d.", id, pid)
	}
	return c, nil
}

// editableCallFor loads the call of the request and its programme when the
// person may change them.
func (s *Store) editableCallFor(r *http.Request) (*Call, *Programme, error) {
	c, err := s.callFor(r)
	if err != nil {
		return nil, nil, err
	}
	pr, err := editableProgramme(r.Context(), s.db.Read(), user.ActorFrom(r.Context()), c.ProgrammeID)
	if err != nil {
		return nil, nil, err
	}
	if c.Archived() {
		return nil, nil, problem.Conflictf("Call %s is archived; it must be restored before it can be edited.", c.Number)
	}
	return c, pr, nil
}

// HandleCallEdit shows the form with a call's values.
func HandleCallEdit(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, pr, err := s.editableCallFor(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		s.renderCallForm(w, r, rd, pr, c, callFormOf(CallInputOf(c), pr.Currency), nil)
	})
}

// HandleCallUpdate saves an edited call.
func HandleCallUpdate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, pr, err := s.editableCallFor(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		actor := user.ActorFrom(r.Context())
		s.saveCall(w, r, rd, pr, c, func(ctx context.Context, in CallInput) (*Call, error) {
			return s.UpdateCall(ctx, actor, c.ID, in)
		}, "programme.flash.call_updated")
	})
}

// CallPageData is the staff call page's data.
type CallPageData struct {
	View       *CallView
	CanEdit    bool
	CanArchive bool
	CanRestore bool
	CanApply   bool // the person may draft an application now
	CanReview  bool // the person sees the call's applications
}

// HandleCallShow shows a call to staff: its status and its terms.
func HandleCallShow(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := user.ActorFrom(ctx)
		c, err := s.callFor(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		pr, err := loadProgramme(ctx, s.db.Read(), c.ProgrammeID)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		names, _, err := countryNames(ctx, s, loc, nil)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		editable := MayEdit(actor, pr.ID) && !pr.Archived()
		d := &CallPageData{View: newCallView(loc, c, pr, names), CanEdit: editable && !c.Archived(),
			CanArchive: editable && !c.Archived(), CanRestore: editable && c.Archived(),
			CanApply: MayApply(actor) && !c.Archived() && c.Status == StatusOpen, CanReview: MayEdit(actor, pr.ID)}
		p := rd.NewPage(r, c.Title, d)
		p.Section = section
		p.Crumbs = programmeCrumbs(loc, pr, web.Crumb{Label: c.Number})
		rd.Render(w, r, http.StatusOK, "programme/call", p)
	})
}

// HandleCallArchive archives a call.
func HandleCallArchive(s *Store, rd *web.Renderer) http.Handler {
	return handleCallArchived(s, rd, (*Store).ArchiveCall, "programme.flash.call_archived")
}

// HandleCallRestore restores an archived call.
func HandleCallRestore(s *Store, rd *web.Renderer) http.Handler {
	return handleCallArchived(s, rd, (*Store).RestoreCall, "programme.flash.call_restored")
}

func handleCallArchived(s *Store, rd *web.Renderer, change func(*Store, context.Context, user.Actor, int64) (*Call, error), flash string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.callFor(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if _, err := change(s, r.Context(), user.ActorFrom(r.Context()), c.ID); err != nil {
			rd.Error(w, r, err)
			return
		}
		web.Flash(w, web.Localizer(r).T(flash))
		http.Redirect(w, r, callPath(c), http.StatusSeeOther)
	})
}

// PublicData is the public call page's data.
type PublicData struct {
	View     *CallView
	CanApply bool // a signed-in person who may draft an application now
}

// HandleCallPublic shows a published call to anyone, without an account.
// Calls not published (or archived) are not found, except that the people
// who may edit a draft see it here as applicants will.
func HandleCallPublic(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		id, err := pathID(r, "id")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		c, err := s.FindCallByID(ctx, user.ActorFrom(ctx), id)
		if err == nil && c.Archived() {
			err = problem.NotFoundf("")
		}
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		pr, err := loadProgramme(ctx, s.db.Read(), c.ProgrammeID)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		names, _, err := countryNames(ctx, s, loc, nil)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		actor := user.ActorFrom(ctx)
		p := rd.NewPage(r, c.Title, &PublicData{View: newCallView(loc, c, pr, names),
			CanApply: MayApply(actor) && c.Published && c.Status == StatusOpen})
		rd.Render(w, r, http.StatusOK, "programme/call_public", p)
	})
}
