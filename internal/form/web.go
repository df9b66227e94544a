package form

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

const navSection = "forms"

func formPath(id int64) string { return fmt.Sprintf("/forms/%d", id) }

// VersionPath is the page path of a version ("/forms/3/versions/2026.1").
func VersionPath(formID int64, version string) string {
	return fmt.Sprintf("/forms/%d/versions/%s", formID, url.PathEscape(version))
}

func crumbs(loc *i18n.Localizer, f *Form) []web.Crumb {
	c := []web.Crumb{{Label: loc.T("form.list_title"), URL: "/forms"}}
	if f != nil {
		c = append(c, web.Crumb{Label: f.Title, URL: formPath(f.ID)})
	}
	return c
}

// languageFor picks, among a form's languages, the one that matches the
// page's language code ("Español (es)" for es), else the form's default.
func languageFor(def *Definition, code string) string {
	for _, l := range def.Languages {
		if strings.HasSuffix(l, "("+code+")") || strings.EqualFold(l, code) {
			return l
		}
	}
	return def.DefaultLanguage
}

// ListData is the forms list page's data.
type ListData struct {
	Forms   []*Form
	CanEdit bool
}

// HandleList shows every form.
func HandleList(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		forms, err := s.FindForms(r.Context(), actor)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		p := rd.NewPage(r, loc.T("form.list_title"), &ListData{Forms: forms, CanEdit: MayEdit(actor)})
		p.Section = navSection
		rd.Render(w, r, http.StatusOK, "form/list", p)
	})
}

// NewData is the upload page's data: the templates and the problems of a
// refused upload.
type NewData struct {
	Standard []Template
	Errors   *web.FormErrors
	Issues   []Issue
}

// HandleNew shows the upload form and the standard templates.
func HandleNew(rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !MayEdit(user.ActorFrom(r.Context())) {
			rd.Error(w, r, problem.Forbiddenf(""))
			return
		}
		renderNew(rd, w, r, nil)
	})
}

func renderNew(rd *web.Renderer, w http.ResponseWriter, r *http.Request, err error) {
	d := &NewData{Standard: Standard}
	status := http.StatusOK
	var pe *ParseError
	switch {
	case err == nil:
	case errors.As(err, &pe):
		status = http.StatusUnprocessableEntity
		d.Issues = pe.Issues
		d.Errors = &web.FormErrors{Message: web.Localizer(r).T("form.upload.refused", "n", len(pe.Issues))}
	default:
		p := problem.As(err)
		if p == nil || (p.Kind != problem.Invalid && p.Kind != problem.Conflict && p.Kind != problem.TooLarge) {
			rd.Error(w, r, err)
			return
		}
		status = p.Kind.Status()
		d.Errors = &web.FormErrors{Message: p.Message}
		for _, det := range p.Details {
			if det.Field == "file" {
				d.Errors.Fields = append(d.Errors.Fields, det)
				continue
			}
			d.Issues = append(d.Issues, Issue{Sheet: det.Sheet, Row: det.Row, Header: det.Field, Message: det.Message})
		}
	}
	loc := web.Localizer(r)
	p := rd.NewPage(r, loc.T("form.new_title"), d)
	p.Section = navSection
	p.Crumbs = crumbs(loc, nil)
	rd.Render(w, r, status, "form/new", p)
}

// readUpload reads the multipart field "file" within the size limit.
func readUpload(w http.ResponseWriter, r *http.Request) ([]byte, string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxWorkbookBytes+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, "", problem.New(problem.TooLarge, "The file is larger than %d MB.", MaxWorkbookBytes>>20)
		}
		return nil, "", (&problem.Fields{{Field: "file", Message: "Choose an XLSForm workbook (.xlsx) to upload."}}).Err()
	}
	defer r.MultipartForm.RemoveAll()
	file, header, err := r.FormFile("file")
	if err != nil {
		return nil, "", (&problem.Fields{{Field: "file", Message: "Choose an XLSForm workbook (.xlsx) to upload."}}).Err()
	}
	defer file.Close()
	b, err := io.ReadAll(io.LimitReader(file, MaxWorkbookBytes+1))
	if err != nil {
		return nil, "", err
	}
	if len(b) > MaxWorkbookBytes {
		return nil, "", problem.New(problem.TooLarge, "The file is larger than %d MB.", MaxWorkbookBytes>>20)
	}
	return b, header.Filename, nil
}

// HandleUpload stores an uploaded XLSForm as a new form or a new version,
// or shows the upload page again with every problem by sheet, row and
// column.
func HandleUpload(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		if !MayEdit(actor) {
			rd.Error(w, r, problem.Forbiddenf(""))
			return
		}
		b, name, err := readUpload(w, r)
		if err != nil {
			renderNew(rd, w, r, err)
			return
		}
		imp, err := s.Import(r.Context(), actor, b, name)
		if err != nil {
			renderNew(rd, w, r, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("form.flash.imported", "form", imp.Form.FormID, "version", imp.Version.Version))
		http.Redirect(w, r, VersionPath(imp.Form.ID, imp.Version.Version), http.StatusSeeOther)
	})
}

// HandleTemplateCreate loads a standard template as a new form (or a new
// version of it) in one step.
func HandleTemplateCreate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		if !MayEdit(actor) {
			rd.Error(w, r, problem.Forbiddenf(""))
			return
		}
		tpl, ok := StandardByName(r.PathValue("name"))
		if !ok {
			rd.Error(w, r, problem.NotFoundf(""))
			return
		}
		b, err := tpl.Workbook()
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		imp, err := s.Import(r.Context(), actor, b, tpl.Name+".xlsx")
		if err != nil {
			renderNew(rd, w, r, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("form.flash.imported", "form", imp.Form.FormID, "version", imp.Version.Version))
		http.Redirect(w, r, VersionPath(imp.Form.ID, imp.Version.Version), http.StatusSeeOther)
	})
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// HandleTemplateDownload serves a standard template as an XLSForm workbook
// (/forms/templates/firm_results.xlsx).
func HandleTemplateDownload(rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutSuffix(r.PathValue("file"), ".xlsx")
		tpl, found := StandardByName(name)
		if !ok || !found {
			rd.Error(w, r, problem.NotFoundf(""))
			return
		}
		b, err := tpl.Workbook()
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", xlsxType)
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.xlsx"`, tpl.Name))
		w.Write(b)
	})
}
