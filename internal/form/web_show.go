package form

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// FieldRow is one field as the form page lists it.
type FieldRow struct {
	Field
	Text    string // the label in the page's language
	Depth   int
	Mapping *Mapping
}

// ShowData is the form page's data: its versions and the chosen version's
// fields.
type ShowData struct {
	Form     *Form
	Versions []*Version
	Current  *Version
	Fields   []FieldRow
	Lists    []ChoiceList
	Language string
	CanEdit  bool
}

// loadFormVersion reads the form of the path and the version named by v
// (the latest when v is "").
func loadFormVersion(r *http.Request, s *Store, v string) (*Form, []*Version, *Version, error) {
	actor := user.ActorFrom(r.Context())
	id, err := web.ParseID(r.PathValue("id"))
	if err != nil {
		return nil, nil, nil, err
	}
	f, err := s.FindForm(r.Context(), actor, id)
	if err != nil {
		return nil, nil, nil, err
	}
	versions, err := s.FindVersions(r.Context(), actor, id)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(versions) == 0 {
		return nil, nil, nil, problem.NotFoundf("The form has no versions.")
	}
	if v == "" {
		return f, versions, versions[0], nil
	}
	for _, x := range versions {
		if x.Version == v {
			return f, versions, x, nil
		}
	}
	return nil, nil, nil, problem.NotFoundf("The form has no version %q.", v)
}

func depth(f Field) int { return strings.Count(f.Path, "/") - 2 }

// HandleShow shows a form: its versions, and the fields of the latest
// version or of the one in the path.
func HandleShow(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		f, versions, cur, err := loadFormVersion(r, s, r.PathValue("v"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		def, err := s.Definition(r.Context(), actor, cur.ID)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		maps, err := s.FindMappings(r.Context(), actor, cur.ID)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		byField := map[string]*Mapping{}
		for i := range maps {
			byField[maps[i].Field] = &maps[i]
		}
		loc := web.Localizer(r)
		lang := languageFor(def, loc.Lang)
		d := &ShowData{Form: f, Versions: versions, Current: cur, Lists: def.ChoiceLists, Language: lang, CanEdit: MayEdit(actor)}
		for _, fl := range def.Fields {
			d.Fields = append(d.Fields, FieldRow{Field: fl, Text: fl.Label.In(lang, def.DefaultLanguage, def.Languages), Depth: depth(fl), Mapping: byField[fl.Name]})
		}
		p := rd.NewPage(r, f.Title, d)
		p.Section = navSection
		p.Crumbs = crumbs(loc, nil)
		rd.Render(w, r, http.StatusOK, "form/show", p)
	})
}

// HandleWorkbook serves the workbook a version was uploaded as.
func HandleWorkbook(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _, v, err := loadFormVersion(r, s, r.PathValue("v"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		b, name, err := s.Workbook(r.Context(), user.ActorFrom(r.Context()), v.ID)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", xlsxType)
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, asciiName(name), url.PathEscape(name)))
		w.Write(b)
	})
}

// asciiName keeps a file name's ASCII letters, digits, dots, hyphens and
// underscores, for the plain filename parameter.
func asciiName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}

// HandleXForm serves a version's XForm, with its MD5 hash as the ETag.
func HandleXForm(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _, v, err := loadFormVersion(r, s, r.PathValue("v"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		x, sum, err := s.XForm(r.Context(), user.ActorFrom(r.Context()), v.ID)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "text/xml; charset=utf-8")
		w.Header().Set("ETag", strconv.Quote("md5:"+sum))
		w.Write(x)
	})
}

// HandlePublish publishes or unpublishes a version.
func HandlePublish(s *Store, rd *web.Renderer, publish bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		f, _, v, err := loadFormVersion(r, s, r.PathValue("v"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if _, err := s.SetPublished(r.Context(), actor, v.ID, publish); err != nil {
			rd.Error(w, r, err)
			return
		}
		key := "form.flash.unpublished"
		if publish {
			key = "form.flash.published"
		}
		web.Flash(w, web.Localizer(r).T(key, "version", v.Version))
		http.Redirect(w, r, VersionPath(f.ID, v.Version), http.StatusSeeOther)
	})
}

// MappingRow is one numeric field on the mappings page.
type MappingRow struct {
	Field       Field
	Text        string
	IndicatorID int64
	Category    string
}

// CategoryOption is one choice of category on the mappings page.
type CategoryOption struct {
	Value string
	Key   string
}

// MappingsData is the mappings page's data.
type MappingsData struct {
	Form       *Form
	Version    *Version
	Rows       []MappingRow
	Indicators []*indicator.Indicator
	Categories []CategoryOption
	Errors     *web.FormErrors
	CanEdit    bool
}

func categoryOptions() []CategoryOption {
	out := []CategoryOption{{Value: "", Key: "indicator.total"}}
	for _, d := range indicator.Dimensions {
		for _, c := range d.Categories {
			cat := indicator.Category{Dimension: d.Code, Code: c}
			out = append(out, CategoryOption{Value: cat.String(), Key: cat.Key()})
		}
	}
	return out
}

// HandleMappings shows a version's numeric fields with their indicator and
// category.
func HandleMappings(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		renderMappings(s, rd, w, r, nil, nil)
	})
}

// HandleMappingsSave stores the mappings of a version's fields.
func HandleMappingsSave(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		f, _, v, err := loadFormVersion(r, s, r.PathValue("v"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if err := r.ParseForm(); err != nil {
			rd.Error(w, r, problem.New(problem.Invalid, "The form could not be read."))
			return
		}
		var in []MappingInput
		for _, name := range r.PostForm["field"] {
			id, _ := strconv.ParseInt(r.PostFormValue("indicator_"+name), 10, 64)
			in = append(in, MappingInput{Field: name, IndicatorID: id, Category: r.PostFormValue("category_" + name)})
		}
		if _, err := s.SaveMappings(r.Context(), actor, v.ID, in); err != nil {
			if fe := web.NewFormErrors(err); fe != nil {
				renderMappings(s, rd, w, r, in, fe)
				return
			}
			rd.Error(w, r, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("form.flash.mapped"))
		http.Redirect(w, r, VersionPath(f.ID, v.Version)+"/mappings", http.StatusSeeOther)
	})
}

func renderMappings(s *Store, rd *web.Renderer, w http.ResponseWriter, r *http.Request, posted []MappingInput, fe *web.FormErrors) {
	ctx := r.Context()
	actor := user.ActorFrom(ctx)
	f, _, v, err := loadFormVersion(r, s, r.PathValue("v"))
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	def, err := s.Definition(ctx, actor, v.ID)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	maps, err := s.FindMappings(ctx, actor, v.ID)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	inds, _, err := s.indicators.FindIndicators(ctx, actor, indicator.Filter{Limit: 500})
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	current := map[string]MappingInput{}
	for _, m := range maps {
		current[m.Field] = MappingInput{Field: m.Field, IndicatorID: m.IndicatorID, Category: m.Category.String()}
	}
	if posted != nil {
		current = map[string]MappingInput{}
		for _, m := range posted {
			current[m.Field] = m
		}
	}
	loc := web.Localizer(r)
	lang := languageFor(def, loc.Lang)
	d := &MappingsData{Form: f, Version: v, Indicators: inds, Categories: categoryOptions(), Errors: fe, CanEdit: MayEdit(actor)}
	for _, fl := range def.NumericFields() {
		m := current[fl.Name]
		d.Rows = append(d.Rows, MappingRow{Field: fl, Text: fl.Label.In(lang, def.DefaultLanguage, def.Languages), IndicatorID: m.IndicatorID, Category: m.Category})
	}
	status := http.StatusOK
	if fe != nil {
		status = http.StatusUnprocessableEntity
	}
	p := rd.NewPage(r, loc.T("form.mappings_title", "form", f.Title, "version", v.Version), d)
	p.Section = navSection
	p.Crumbs = append(crumbs(loc, f), web.Crumb{Label: v.Version, URL: VersionPath(f.ID, v.Version)})
	rd.Render(w, r, status, "form/mappings", p)
}
