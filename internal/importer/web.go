package importer

import (
	"embed"
	"net/http"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// Templates are the import pages: the upload form, the dry-run report and
// the result.
//
//go:embed templates/*.html
var Templates embed.FS

// maxShownProblems is how many problems the report page lists; the API and
// the command line give them all.
const maxShownProblems = 1000

// FormData is the upload page's data.
type FormData struct {
	Kinds  []Kind
	Kind   Kind
	Errors *web.FormErrors
}

// ReportData is the dry-run page's data.
type ReportData struct {
	Report *Report
	// Token is the batch to commit; empty when the file has problems.
	Token  string
	Shown  []problem.Detail
	Hidden int
	// Committing is set when the problems were found at commit time.
	Committing bool
}

// ResultData is the page shown after a commit.
type ResultData struct {
	Result *Result
	Report *Report
}

// Link is where a created record is shown.
func (d *ResultData) Link(c Created) string {
	if d.Result.Kind == Organisations {
		return "/organisations/" + itoa(c.ID)
	}
	return "/clusters/" + itoa(c.ID)
}

func crumbs(loc *i18n.Localizer, more ...web.Crumb) []web.Crumb {
	return append([]web.Crumb{{Label: loc.T("import.title"), URL: "/import"}}, more...)
}

// allowed answers 404 to people who may not import, so the page's
// existence is no different from any other unknown address for them.
func allowed(w http.ResponseWriter, r *http.Request, rd *web.Renderer) (user.Actor, bool) {
	actor := user.ActorFrom(r.Context())
	if !MayImport(actor) {
		rd.Error(w, r, problem.NotFoundf(""))
		return actor, false
	}
	return actor, true
}

// HandleForm shows the upload form with the template downloads.
func HandleForm(rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := allowed(w, r, rd); !ok {
			return
		}
		kind := Kind(r.URL.Query().Get("kind"))
		if !kind.Valid() {
			kind = Organisations
		}
		renderForm(w, r, rd, http.StatusOK, kind, nil)
	})
}

func renderForm(w http.ResponseWriter, r *http.Request, rd *web.Renderer, status int, kind Kind, err error) {
	loc := web.Localizer(r)
	p := rd.NewPage(r, loc.T("import.title"), &FormData{Kinds: Kinds, Kind: kind, Errors: web.NewFormErrors(err)})
	p.Section = "import"
	rd.Render(w, r, status, "import/form", p)
}

// HandleCheck runs the dry run of an uploaded file and shows its report;
// a file without problems is kept for the commit.
func HandleCheck(im *Importer, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor, ok := allowed(w, r, rd)
		if !ok {
			return
		}
		up, err := readUpload(w, r)
		kind := Kind(strings.TrimSpace(up.fieldOr("kind")))
		if err != nil {
			if problem.Is(err, problem.TooLarge) {
				rep := newReport(kind, "")
				rep.fail(err)
				renderReport(w, r, rd, http.StatusRequestEntityTooLarge, &ReportData{Report: rep})
				return
			}
			renderForm(w, r, rd, problem.KindOf(err).Status(), Organisations, err)
			return
		}
		var f problem.Fields
		if !kind.Valid() {
			f.Add("kind", "Choose what the file holds: organisations or memberships.")
		}
		if up.name == "" {
			f.Add("file", "Choose a CSV or Excel file to check.")
		}
		if err := f.Err(); err != nil {
			renderForm(w, r, rd, http.StatusUnprocessableEntity, Organisations, err)
			return
		}
		rep, err := im.Check(r.Context(), actor, kind, up.name, up.data)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		d := &ReportData{Report: rep}
		status := http.StatusOK
		switch {
		case rep.TooLarge():
			status = http.StatusRequestEntityTooLarge
		case rep.OK():
			if d.Token, err = im.SaveBatch(r.Context(), actor, rep, up.data); err != nil {
				rd.Error(w, r, err)
				return
			}
		default:
			status = http.StatusUnprocessableEntity
		}
		renderReport(w, r, rd, status, d)
	})
}

func renderReport(w http.ResponseWriter, r *http.Request, rd *web.Renderer, status int, d *ReportData) {
	loc := web.Localizer(r)
	d.Shown = d.Report.Problems
	if len(d.Shown) > maxShownProblems {
		d.Shown, d.Hidden = d.Shown[:maxShownProblems], len(d.Report.Problems)-maxShownProblems
	}
	p := rd.NewPage(r, loc.T("import.report.title"), d)
	p.Section = "import"
	p.Crumbs = crumbs(loc, web.Crumb{Label: loc.T("import.report.title")})
	rd.Render(w, r, status, "import/report", p)
}

// HandleCommit stores a checked batch and shows what was created. The
// file is checked again first; if the registry changed so that rows now
// have problems, nothing is stored and the report says why.
func HandleCommit(im *Importer, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor, ok := allowed(w, r, rd)
		if !ok {
			return
		}
		res, rep, err := im.ImportBatch(r.Context(), actor, r.PathValue("batch"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if res == nil {
			renderReport(w, r, rd, http.StatusUnprocessableEntity, &ReportData{Report: rep, Committing: true})
			return
		}
		loc := web.Localizer(r)
		p := rd.NewPage(r, loc.T("import.result.title"), &ResultData{Result: res, Report: rep})
		p.Section = "import"
		p.Crumbs = crumbs(loc, web.Crumb{Label: loc.T("import.result.title")})
		rd.Render(w, r, http.StatusOK, "import/result", p)
	})
}

// HandleTemplate serves a kind's template as .xlsx or .csv.
func HandleTemplate(im *Importer, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := allowed(w, r, rd); !ok {
			return
		}
		file := r.PathValue("file")
		base, ext, _ := strings.Cut(file, ".")
		kind := Kind(base)
		if !kind.Valid() || (ext != "xlsx" && ext != "csv") {
			rd.Error(w, r, problem.NotFoundf(""))
			return
		}
		w.Header().Set("Content-Disposition", `attachment; filename="`+file+`"`)
		w.Header().Set("Cache-Control", "private, max-age=3600")
		if ext == "csv" {
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			w.Write(TemplateCSV(kind))
			return
		}
		b, err := TemplateXLSX(r.Context(), im.db.Read(), kind, web.Localizer(r))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", XLSXType)
		w.Write(b)
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func (u *upload) fieldOr(name string) string {
	if u == nil {
		return ""
	}
	return u.fields[name]
}
