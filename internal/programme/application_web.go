package programme

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

func applicationPath(id int64) string { return "/applications/" + strconv.FormatInt(id, 10) }

// ApplyPath is where an applicant starts a concept note for call id.
func ApplyPath(id int64) string { return PublicPath(id) + "/apply" }

// ApplicationFormData is the concept-note form's data.
type ApplicationFormData struct {
	View        *CallView
	Application *Application // nil when drafting a new one
	Form        ApplicationForm
	Roles       []MemberRole
	Documents   []string // the documents the call requires
	Errors      *web.FormErrors
	Kinds       []string  // what a new organisation may be
	Countries   []Country // where a new organisation may be
}

// Action is where the form posts.
func (d *ApplicationFormData) Action() string {
	if d.Application == nil {
		return ApplyPath(d.View.Call.ID)
	}
	return applicationPath(d.Application.ID)
}

// Cancel is where the cancel link goes.
func (d *ApplicationFormData) Cancel() string {
	if d.Application == nil {
		return PublicPath(d.View.Call.ID)
	}
	return applicationPath(d.Application.ID)
}

// Rows is the number of datasheet rows the form posts.
func (d *ApplicationFormData) Rows() int { return len(d.Form.Members) }

// NewRows is the number of new-organisation rows the form posts.
func (d *ApplicationFormData) NewRows() int { return len(d.Form.NewMembers) }

// requiredDocuments lists the documents the call's rules ask for.
func requiredDocuments(c *Call) []string {
	var out []string
	for _, r := range c.Rules {
		if r.Kind != RuleRequiredDocuments {
			continue
		}
		if ck, err := decodeParams(r.Kind, r.Params); err == nil {
			out = append(out, ck.(*RequiredDocuments).Documents...)
		}
	}
	return out
}

// callView loads a call's programme and prepares its terms for reading.
func (s *Store) callView(ctx context.Context, loc *i18n.Localizer, c *Call) (*CallView, map[string]string, error) {
	pr, err := loadProgramme(ctx, s.db.Read(), c.ProgrammeID)
	if err != nil {
		return nil, nil, err
	}
	names, _, err := countryNames(ctx, s, loc, nil)
	if err != nil {
		return nil, nil, err
	}
	return newCallView(loc, c, pr, names), names, nil
}

func (s *Store) renderApplicationForm(w http.ResponseWriter, r *http.Request, rd *web.Renderer, c *Call, a *Application, f ApplicationForm, err error) {
	status, fe, ok := formStatus(err)
	if !ok {
		rd.Error(w, r, err)
		return
	}
	loc := web.Localizer(r)
	v, _, verr := s.callView(r.Context(), loc, c)
	if verr != nil {
		rd.Error(w, r, verr)
		return
	}
	if fe != nil {
		f.compact()
	}
	more, moreNew := 0, 0
	if f.AddMembers {
		more = 5
	}
	if f.AddNewMembers {
		moreNew = 3
	}
	f.padRows(more, moreNew)
	_, countries, cerr := countryNames(r.Context(), s, loc, f.newCountries())
	if cerr != nil {
		rd.Error(w, r, cerr)
		return
	}
	d := &ApplicationFormData{View: v, Application: a, Form: f, Roles: MemberRoles, Documents: requiredDocuments(c), Errors: fe,
		Kinds: NewMemberKinds(), Countries: countries}
	title := loc.T("programme.application.new_title")
	if a != nil {
		title = loc.T("programme.application.edit_title", "title", a.Title)
	}
	p := rd.NewPage(r, title, d)
	p.Section = section
	p.Crumbs = []web.Crumb{{Label: loc.T("programme.application.mine_title"), URL: "/applications"}, {Label: title}}
	rd.Render(w, r, status, "programme/application_form", p)
}

// applyCall loads the call {id} the person may apply to now.
func (s *Store) applyCall(r *http.Request) (*Call, error) {
	actor := user.ActorFrom(r.Context())
	if !MayApply(actor) {
		return nil, problem.Forbiddenf("Only BSO staff, cluster managers and administrators draft applications.")
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	c, err := s.FindCallByID(r.Context(), actor, id)
	if err != nil {
		return nil, err
	}
	if c.Archived() || c.Status != StatusOpen {
		return nil, problem.Conflictf("Call %s is not open for applications.", c.Number)
	}
	return c, nil
}

// HandleApplicationNew shows an empty concept-note form for the call {id}.
func HandleApplicationNew(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.applyCall(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		in := ApplicationInput{}
		if a := user.ActorFrom(r.Context()); a.Role == user.BSOStaff {
			in.LeadOrgID = a.Scope.IntID()
		}
		s.renderApplicationForm(w, r, rd, c, nil, applicationFormOf(in, c.Currency), nil)
	})
}

// saveApplication turns the posted form into an input and saves it, or
// shows the form again with more rows or with its problems.
func (s *Store) saveApplication(w http.ResponseWriter, r *http.Request, rd *web.Renderer, c *Call, a *Application,
	save func(context.Context, ApplicationInput) (*Application, error), flash string) {
	f := parseApplicationForm(r)
	if f.AddMembers || f.AddNewMembers {
		s.renderApplicationForm(w, r, rd, c, a, f, nil)
		return
	}
	in, bad := f.input(c.ID, c.Currency)
	if len(bad) > 0 {
		for _, d := range in.CheckApplication() {
			if !bad.Has(d.Field) {
				bad = append(bad, d)
			}
		}
		s.renderApplicationForm(w, r, rd, c, a, f, bad.Err())
		return
	}
	saved, err := save(r.Context(), in)
	if err != nil {
		s.renderApplicationForm(w, r, rd, c, a, f, err)
		return
	}
	web.Flash(w, web.Localizer(r).T(flash))
	http.Redirect(w, r, applicationPath(saved.ID), http.StatusSeeOther)
}

// HandleApplicationCreate drafts a concept note for the call {id}.
func HandleApplicationCreate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.applyCall(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		actor := user.ActorFrom(r.Context())
		s.saveApplication(w, r, rd, c, nil, func(ctx context.Context, in ApplicationInput) (*Application, error) {
			return s.CreateApplication(ctx, actor, in)
		}, "programme.flash.application_created")
	})
}

// editableApplicationFor loads the draft {id} the person may change, and its call.
func (s *Store) editableApplicationFor(r *http.Request) (*Application, *Call, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, err
	}
	a, err := editableApplication(r.Context(), s.db.Read(), user.ActorFrom(r.Context()), id)
	if err != nil {
		return nil, nil, err
	}
	c, err := loadCall(r.Context(), s.db.Read(), user.System, a.CallID)
	if err != nil {
		return nil, nil, err
	}
	return a, c, nil
}

// HandleApplicationEdit shows the form with a draft's values.
func HandleApplicationEdit(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, c, err := s.editableApplicationFor(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		f := applicationFormOf(ApplicationInputOf(a), c.Currency)
		f.Base = a.UpdatedAt.Format(time.RFC3339Nano)
		s.renderApplicationForm(w, r, rd, c, a, f, nil)
	})
}

// HandleApplicationUpdate saves an edited draft.
func HandleApplicationUpdate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, c, err := s.editableApplicationFor(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		actor := user.ActorFrom(r.Context())
		s.saveApplication(w, r, rd, c, a, func(ctx context.Context, in ApplicationInput) (*Application, error) {
			return s.UpdateApplication(ctx, actor, a.ID, in)
		}, "programme.flash.application_updated")
	})
}

// AutosaveData is what the autosave status line says.
type AutosaveData struct {
	Saved   string // the time of the save, in the reader's language
	Problem string // why the draft was not saved
	Base    string // the saved draft's updated_at, for the next save
}

// HandleApplicationAutosave saves a draft as the person types (htmx posts
// the whole form a few seconds after the last keystroke) and answers with
// the status line only. A draft that cannot be saved yet (a half-typed
// amount) is left as it was and the line says why; the Save button stays
// the way to see every problem at its field.
func HandleApplicationAutosave(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		loc := web.Localizer(r)
		d := &AutosaveData{}
		a, c, err := s.editableApplicationFor(r)
		if err == nil {
			f := parseApplicationForm(r)
			in, bad := f.input(c.ID, c.Currency)
			if len(bad) > 0 {
				err = bad.Err()
			} else {
				var saved *Application
				if saved, err = s.UpdateApplication(r.Context(), user.ActorFrom(r.Context()), a.ID, in); err == nil {
					d.Saved = loc.DateTime(saved.UpdatedAt)
					d.Base = saved.UpdatedAt.Format(time.RFC3339Nano)
				}
			}
		}
		if err != nil {
			p := problem.As(err)
			if p == nil || p.Kind == problem.Internal {
				rd.Error(w, r, err)
				return
			}
			d.Problem = p.Message
			if len(p.Details) > 0 {
				d.Problem = p.Details[0].Message
			}
		}
		html, ferr := rd.Fragment("programme/application_form", "application-autosave", rd.NewPage(r, "", d))
		if ferr != nil {
			rd.Error(w, r, ferr)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte(html))
	})
}
