package indicator

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// TargetRow is a baseline or target with its history, for the targets page.
type TargetRow struct {
	*Target
	Revisions []*Revision
}

// CategoryGroup is a dimension's categories, for the form's choice.
type CategoryGroup struct {
	Dimension  Dimension
	Categories []Category
}

// ReviseURL fills the targets form with a row's indicator, kind, period,
// category and value.
func (t TargetRow) ReviseURL() string {
	q := url.Values{"subject": {t.Subject.String()}, "indicator": {strconv.FormatInt(t.IndicatorID, 10)},
		"kind": {string(t.Kind)}, "period": {t.Period}, "value": {strconv.FormatFloat(t.Value, 'f', -1, 64)}}
	if !t.Category.IsTotal() {
		q.Set("category", t.Category.String())
	}
	return "/indicators/targets?" + q.Encode() + "#h-set"
}

// TargetsData is the targets page's data: one subject's baselines and
// targets and the form to set one, or the choice of a subject.
type TargetsData struct {
	Subject     Subject // zero: choose a subject first
	SubjectName string
	CanWrite    bool
	Rows        []TargetRow
	Total       int
	Indicators  []*Indicator
	Categories  []CategoryGroup
	Kinds       []TargetKind
	In          TargetInput
	ValueText   string
	Clusters    []SubjectOption
	Countries   []SubjectOption
	Errors      *web.FormErrors
	Results     []*ResultTable
}

// IndicatorID is the indicator chosen in the form.
func (d *TargetsData) IndicatorID() int64 { return d.In.IndicatorID }

// HandleTargets shows one subject's baselines and targets by indicator and
// period, with their revision history and, for people who may set them,
// the form to set one. Without ?subject= it asks for a subject.
func HandleTargets(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		// A row's "revise" link fills the form from the query string.
		in := TargetInput{Subject: q.Get("subject"), Kind: KindTarget, Period: q.Get("period"), Category: q.Get("category")}
		if k := TargetKind(q.Get("kind")); k.Valid() {
			in.Kind = k
		}
		in.IndicatorID, _ = strconv.ParseInt(q.Get("indicator"), 10, 64)
		renderTargets(w, r, rd, s, in, q.Get("value"), nil)
	})
}

// HandleTargetSet sets a baseline or target from the form and returns to
// the subject's page, or shows the page again with the problems.
func HandleTargetSet(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm() // a malformed body leaves the form empty, which validation reports
		in := TargetInput{
			Subject:  r.PostFormValue("subject"),
			Kind:     TargetKind(r.PostFormValue("kind")),
			Period:   r.PostFormValue("period"),
			Category: r.PostFormValue("category"),
			Value:    parseValue(r.PostFormValue("value")),
			Note:     r.PostFormValue("note"),
			Reason:   r.PostFormValue("reason"),
		}
		in.IndicatorID, _ = strconv.ParseInt(r.PostFormValue("indicator_id"), 10, 64)
		valueText := r.PostFormValue("value")
		if in.Value == nil && valueText != "" {
			// Not a number: keep what was typed and name the field.
			renderTargets(w, r, rd, s, in, valueText, problem.Fields{{Field: "value", Message: "Enter a number, such as 1250 or 12.5."}}.Err())
			return
		}
		t, created, err := s.SetTarget(r.Context(), user.ActorFrom(r.Context()), in)
		if err != nil {
			renderTargets(w, r, rd, s, in, valueText, err)
			return
		}
		key := "indicator.flash.target_revised"
		if created {
			key = "indicator.flash.target_set"
		}
		web.Flash(w, web.Localizer(r).T(key))
		http.Redirect(w, r, targetsPath(t.Subject), http.StatusSeeOther)
	})
}

func renderTargets(w http.ResponseWriter, r *http.Request, rd *web.Renderer, s *Store, in TargetInput, valueText string, err error) {
	ctx := r.Context()
	actor := user.ActorFrom(ctx)
	loc := web.Localizer(r)
	d := &TargetsData{In: in, ValueText: valueText, Kinds: TargetKinds}
	status := http.StatusOK
	if err != nil {
		if d.Errors = web.NewFormErrors(err); d.Errors == nil {
			rd.Error(w, r, err)
			return
		}
		status = http.StatusUnprocessableEntity
	}
	if in.Subject != "" {
		sub, perr := ParseSubject(in.Subject)
		if perr != nil {
			rd.Error(w, r, problem.NotFoundf("%s", perr))
			return
		}
		name, write, aerr := s.SubjectAccess(ctx, actor, sub)
		if aerr != nil {
			rd.Error(w, r, aerr)
			return
		}
		d.Subject, d.SubjectName, d.CanWrite = sub, name, write && MaySetTargets(actor)
		d.In.Subject = sub.String()
		targets, total, ferr := s.FindTargets(ctx, actor, TargetFilter{Subject: sub, Limit: 1000})
		if ferr != nil {
			rd.Error(w, r, ferr)
			return
		}
		ids := make([]int64, len(targets))
		for n, t := range targets {
			ids[n] = t.ID
		}
		revs, rerr := s.revisionsFor(ctx, ids)
		if rerr != nil {
			rd.Error(w, r, rerr)
			return
		}
		for _, t := range targets {
			d.Rows = append(d.Rows, TargetRow{Target: t, Revisions: revs[t.ID]})
		}
		d.Total = total
		if d.Results, err = s.ResultsForSubject(ctx, actor, sub, name); err != nil {
			rd.Error(w, r, err)
			return
		}
		if d.CanWrite {
			if d.Indicators, _, err = s.FindIndicators(ctx, actor, Filter{Limit: 500}); err != nil {
				rd.Error(w, r, err)
				return
			}
			for _, dim := range Dimensions {
				g := CategoryGroup{Dimension: dim}
				for _, c := range dim.Categories {
					g.Categories = append(g.Categories, Category{Dimension: dim.Code, Code: c})
				}
				d.Categories = append(d.Categories, g)
			}
		}
	} else {
		var oerr error
		if d.Clusters, d.Countries, oerr = s.subjectOptions(ctx, actor); oerr != nil {
			rd.Error(w, r, oerr)
			return
		}
	}
	title := loc.T("indicator.targets_title")
	if d.SubjectName != "" {
		title = loc.T("indicator.targets_of", "name", d.SubjectName)
	}
	p := rd.NewPage(r, title, d)
	p.Section = section
	p.Crumbs = listCrumbs(loc, web.Crumb{Label: loc.T("indicator.targets_title")})
	rd.Render(w, r, status, "indicator/targets", p)
}
