package indicator

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// FormData is the data of the form that creates or edits an indicator.
type FormData struct {
	Indicator    *Indicator // nil when creating
	In           Input
	Reason       string
	Levels       []Level
	Calculations []Calculation
	Directions   []Direction
	Aggregations []Aggregation
	Frequencies  []Frequency
	Roles        []user.Role
	Dimensions   []Dimension
	MayStandard  bool // the person may mark the indicator as a programme standard
	Errors       *web.FormErrors
}

// Action is where the form posts.
func (d *FormData) Action() string {
	if d.Indicator == nil {
		return "/indicators"
	}
	return indicatorPath(d.Indicator.ID)
}

// HasDimension reports whether the form has a dimension ticked.
func (d *FormData) HasDimension(code string) bool { return oneOf(code, d.In.Dimensions) }

// formInput reads the posted form.
func formInput(r *http.Request) (Input, string) {
	_ = r.ParseForm() // a malformed body leaves the form empty, which validation reports
	in := Input{
		Code:                r.PostFormValue("code"),
		Name:                r.PostFormValue("name"),
		Definition:          r.PostFormValue("definition"),
		Unit:                r.PostFormValue("unit"),
		Level:               Level(r.PostFormValue("level")),
		Calculation:         Calculation(r.PostFormValue("calculation")),
		Direction:           Direction(r.PostFormValue("direction")),
		SubjectAggregation:  Aggregation(r.PostFormValue("subject_aggregation")),
		TimeAggregation:     Aggregation(r.PostFormValue("time_aggregation")),
		WeightCode:          r.PostFormValue("weight_code"),
		Dimensions:          r.PostForm["dimensions"],
		MeansOfVerification: r.PostFormValue("means_of_verification"),
		Frequency:           Frequency(r.PostFormValue("frequency")),
		ResponsibleRole:     user.Role(r.PostFormValue("responsible_role")),
		Standard:            r.PostFormValue("standard") == "true",
		Formula:             r.PostFormValue("formula"),
	}
	return in, r.PostFormValue("reason")
}

// renderForm shows the form, with the problems of a failed save when err is
// a validation problem; any other error gets the error page.
func renderForm(w http.ResponseWriter, r *http.Request, rd *web.Renderer, ind *Indicator, in Input, reason string, err error) {
	actor := user.ActorFrom(r.Context())
	d := &FormData{Indicator: ind, In: in, Reason: reason, Levels: Levels, Calculations: Calculations, Directions: Directions,
		Aggregations: Aggregations, Frequencies: Frequencies, Roles: user.Roles, Dimensions: Dimensions,
		MayStandard: actor.IsAdmin()}
	status := http.StatusOK
	if err != nil {
		if d.Errors = web.NewFormErrors(err); d.Errors == nil {
			rd.Error(w, r, err)
			return
		}
		status = http.StatusUnprocessableEntity
	}
	loc := web.Localizer(r)
	var p *web.Page
	if ind == nil {
		p = rd.NewPage(r, loc.T("indicator.new_title"), d)
		p.Crumbs = listCrumbs(loc, web.Crumb{Label: loc.T("indicator.new_title")})
	} else {
		p = rd.NewPage(r, loc.T("indicator.edit_title", "code", ind.Code), d)
		p.Crumbs = listCrumbs(loc, web.Crumb{Label: ind.Code, URL: indicatorPath(ind.ID)}, web.Crumb{Label: loc.T("common.edit")})
	}
	p.Section = section
	rd.Render(w, r, status, "indicator/form", p)
}

// HandleIndicatorNew shows an empty form with the usual choices made.
func HandleIndicatorNew(rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !MayEditIndicators(user.ActorFrom(r.Context())) {
			rd.Error(w, r, problem.Forbiddenf(""))
			return
		}
		in := Input{Level: LevelOutput, Calculation: CalcNumeric, Direction: DirIncrease, SubjectAggregation: AggSum,
			TimeAggregation: AggSum, Frequency: FreqYearly, ResponsibleRole: user.ClusterManager}
		renderForm(w, r, rd, nil, in, "", nil)
	})
}

// HandleIndicatorCreate stores a new indicator and shows its sheet, or
// shows the form again with the problems next to their fields.
func HandleIndicatorCreate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		if !MayEditIndicators(actor) {
			rd.Error(w, r, problem.Forbiddenf(""))
			return
		}
		in, _ := formInput(r)
		ind, err := s.CreateIndicator(r.Context(), actor, in)
		if err != nil {
			renderForm(w, r, rd, nil, in, "", err)
			return
		}
		web.Flash(w, web.Localizer(r).T("indicator.flash.created"))
		http.Redirect(w, r, indicatorPath(ind.ID), http.StatusSeeOther)
	})
}

// editable finds an indicator the actor may edit.
func (s *Store) editable(r *http.Request) (*Indicator, error) {
	actor := user.ActorFrom(r.Context())
	if !MayEditIndicators(actor) {
		return nil, problem.Forbiddenf("")
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.FindIndicatorByID(r.Context(), actor, id)
}

// HandleIndicatorEdit shows the form with the sheet's current values.
func HandleIndicatorEdit(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ind, err := s.editable(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		renderForm(w, r, rd, ind, InputOf(ind), "", nil)
	})
}

// HandleIndicatorUpdate saves the edited sheet with the reason for the
// change, or shows the form again with the problems.
func HandleIndicatorUpdate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ind, err := s.editable(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		in, reason := formInput(r)
		in.Code = ind.Code // the form shows the code without a field: it never changes
		if !user.ActorFrom(r.Context()).IsAdmin() {
			in.Standard = ind.Standard
		}
		if _, err := s.UpdateIndicator(r.Context(), user.ActorFrom(r.Context()), ind.ID, Update{Input: in, Reason: reason}); err != nil {
			renderForm(w, r, rd, ind, in, reason, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("indicator.flash.updated"))
		http.Redirect(w, r, indicatorPath(ind.ID), http.StatusSeeOther)
	})
}
