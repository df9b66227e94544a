package indicator

import (
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// rulesPath is the list of validation rules.
const rulesPath = "/indicators/rules"

func rulePath(id int64) string { return rulesPath + "/" + strconv.FormatInt(id, 10) }

// RuleListData is the rule list page's data.
type RuleListData struct {
	Rules           []*Rule
	IncludeArchived bool
	CanEdit         bool
}

// RuleFormData is the data of the form that creates or edits a rule.
type RuleFormData struct {
	Rule              *Rule // nil when creating
	In                RuleInput
	Operators         []Operator
	Importances       []Importance
	MissingStrategies []MissingStrategy
	PeriodTypes       []PeriodType
	Indicators        []*Indicator
	Errors            *web.FormErrors
}

// Action is where the form posts.
func (d *RuleFormData) Action() string {
	if d.Rule == nil {
		return rulesPath
	}
	return rulePath(d.Rule.ID) + "/edit"
}

func ruleCrumbs(loc *i18n.Localizer, more ...web.Crumb) []web.Crumb {
	url := ""
	if len(more) > 0 {
		url = rulesPath
	}
	return listCrumbs(loc, append([]web.Crumb{{Label: loc.T("indicatorquality.rules_title"), URL: url}}, more...)...)
}

// HandleRuleList shows the validation rules, archived ones on request.
func HandleRuleList(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		all := r.URL.Query().Get("archived") == "true"
		rules, err := s.FindRules(r.Context(), actor, RuleFilter{IncludeArchived: all})
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		p := rd.NewPage(r, loc.T("indicatorquality.rules_title"), &RuleListData{Rules: rules, IncludeArchived: all, CanEdit: MayEditIndicators(actor)})
		p.Section = section
		p.Crumbs = ruleCrumbs(loc)
		rd.Render(w, r, http.StatusOK, "indicator/rule_list", p)
	})
}

// ruleFormInput reads the posted form.
func ruleFormInput(r *http.Request) RuleInput {
	_ = r.ParseForm() // a malformed body leaves the form empty, which validation reports
	return RuleInput{
		Name: r.PostFormValue("name"), Description: r.PostFormValue("description"), Left: r.PostFormValue("left"),
		Operator: Operator(r.PostFormValue("operator")), Right: r.PostFormValue("right"),
		Importance: Importance(r.PostFormValue("importance")), LeftMissing: MissingStrategy(r.PostFormValue("left_missing")),
		RightMissing: MissingStrategy(r.PostFormValue("right_missing")), PeriodType: PeriodType(r.PostFormValue("period_type")),
	}
}

func renderRuleForm(w http.ResponseWriter, r *http.Request, rd *web.Renderer, s *Store, rule *Rule, in RuleInput, err error) {
	ctx := r.Context()
	d := &RuleFormData{Rule: rule, In: in, Operators: Operators, Importances: Importances, MissingStrategies: MissingStrategies,
		PeriodTypes: PeriodTypes}
	status := http.StatusOK
	if err != nil {
		if d.Errors = web.NewFormErrors(err); d.Errors == nil {
			rd.Error(w, r, err)
			return
		}
		status = http.StatusUnprocessableEntity
	}
	inds, _, ierr := s.FindIndicators(ctx, user.ActorFrom(ctx), Filter{Limit: 500})
	if ierr != nil {
		rd.Error(w, r, ierr)
		return
	}
	for _, ind := range inds {
		if !ind.IsFormula() {
			d.Indicators = append(d.Indicators, ind)
		}
	}
	loc := web.Localizer(r)
	var p *web.Page
	if rule == nil {
		p = rd.NewPage(r, loc.T("indicatorquality.rule_new"), d)
		p.Crumbs = ruleCrumbs(loc, web.Crumb{Label: loc.T("indicatorquality.rule_new")})
	} else {
		p = rd.NewPage(r, loc.T("indicatorquality.rule_edit", "name", rule.Name), d)
		p.Crumbs = ruleCrumbs(loc, web.Crumb{Label: rule.Name})
	}
	p.Section = section
	rd.Render(w, r, status, "indicator/rule_form", p)
}

// HandleRuleNew shows an empty rule form with the usual choices made.
func HandleRuleNew(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !MayEditIndicators(user.ActorFrom(r.Context())) {
			rd.Error(w, r, problem.Forbiddenf(""))
			return
		}
		renderRuleForm(w, r, rd, s, nil, RuleInput{Operator: OpLessOrEqual, Importance: ImportanceMedium,
			LeftMissing: SkipIfAnyMissing, RightMissing: SkipIfAnyMissing, PeriodType: PeriodYear}, nil)
	})
}

// HandleRuleCreate stores a new rule and returns to the list, or shows the
// form again with the problems next to their fields.
func HandleRuleCreate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in := ruleFormInput(r)
		if _, err := s.CreateRule(r.Context(), user.ActorFrom(r.Context()), in); err != nil {
			renderRuleForm(w, r, rd, s, nil, in, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("indicatorquality.flash.created"))
		http.Redirect(w, r, rulesPath, http.StatusSeeOther)
	})
}

// editableRule finds a rule the actor may edit.
func (s *Store) editableRule(r *http.Request) (*Rule, error) {
	actor := user.ActorFrom(r.Context())
	if !MayEditIndicators(actor) {
		return nil, problem.Forbiddenf("")
	}
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.FindRuleByID(r.Context(), actor, id)
}

// HandleRuleEdit shows the form with the rule as it is.
func HandleRuleEdit(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rule, err := s.editableRule(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		renderRuleForm(w, r, rd, s, rule, RuleInputOf(rule), nil)
	})
}

// HandleRuleUpdate saves the edited rule, or shows the form again.
func HandleRuleUpdate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rule, err := s.editableRule(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		in := ruleFormInput(r)
		if _, err := s.UpdateRule(r.Context(), user.ActorFrom(r.Context()), rule.ID, in); err != nil {
			renderRuleForm(w, r, rd, s, rule, in, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("indicatorquality.flash.updated"))
		http.Redirect(w, r, rulesPath, http.StatusSeeOther)
	})
}

// HandleRuleArchive archives a rule and returns to the list.
func HandleRuleArchive(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rule, err := s.editableRule(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if _, err := s.ArchiveRule(r.Context(), user.ActorFrom(r.Context()), rule.ID); err != nil {
			rd.Error(w, r, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("indicatorquality.flash.archived"))
		http.Redirect(w, r, rulesPath, http.StatusSeeOther)
	})
}
