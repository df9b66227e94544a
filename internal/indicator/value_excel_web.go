package indicator

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// valueExcelPath is the page that downloads templates and takes uploads.
const valueExcelPath = "/indicators/values/excel"

const xlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// ValueExcelData is the Excel entry page's data: the template chooser and
// the upload form, with the problems of a refused upload.
type ValueExcelData struct {
	Clusters   []SubjectOption
	Countries  []SubjectOption
	Indicators []*Indicator
	Subjects   string
	PeriodType string
	From, To   string
	Chosen     []string
	CanWrite   bool
	Errors     *web.FormErrors
	// Problems of a refused upload, the first of ProblemTotal.
	Problems     []ExcelProblem
	ProblemTotal int
}

// ValueExcelPreviewData is the preview page's data: what the upload would
// store, and the kept upload the commit button names.
type ValueExcelPreviewData struct {
	Summary  *ExcelSummary
	UploadID int64
	Hash     string
}

// ValueExcelResultData is the result page's data, with links to the entry
// grid of each subject and period that changed.
type ValueExcelResultData struct {
	Summary *ExcelSummary
	Links   []ExcelLink
}

// ExcelLink is the entry grid of one subject and period.
type ExcelLink struct {
	Name, Period, URL string
}

// excelTemplateInput reads the chooser's fields, shared by the page and the API.
func excelTemplateInput(q url.Values, lang string) (ExcelTemplateInput, problem.Fields) {
	var f problem.Fields
	in := ExcelTemplateInput{Subjects: strings.TrimSpace(q.Get("subjects")), PeriodType: PeriodType(q.Get("period_type")), Lang: lang}
	for _, c := range q["indicator"] {
		for _, code := range strings.Split(c, ",") {
			if code = strings.TrimSpace(code); code != "" {
				in.Indicators = append(in.Indicators, code)
			}
		}
	}
	year := func(field string) int {
		v := strings.TrimSpace(q.Get(field))
		n, err := strconv.Atoi(v)
		if err != nil {
			f.Add(field, "Enter a year such as 2025.")
		}
		return n
	}
	in.From = year("from")
	if strings.TrimSpace(q.Get("to")) == "" {
		in.To = in.From
	} else {
		in.To = year("to")
	}
	return in, f
}

// HandleValueExcel shows the template chooser and the upload form.
func HandleValueExcel(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		renderValueExcel(w, r, rd, s, http.StatusOK, nil)
	})
}

func renderValueExcel(w http.ResponseWriter, r *http.Request, rd *web.Renderer, s *Store, status int, err error) {
	ctx := r.Context()
	actor := user.ActorFrom(ctx)
	q := r.URL.Query()
	d := &ValueExcelData{Subjects: q.Get("subjects"), PeriodType: q.Get("period_type"), From: q.Get("from"), To: q.Get("to"),
		Chosen: q["indicator"], CanWrite: MaySetTargets(actor)}
	if d.PeriodType == "" {
		d.PeriodType = string(PeriodQuarter)
	}
	if d.From == "" {
		d.From = strconv.Itoa(time.Now().Year())
	}
	var ee *ExcelError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		d.Problems, d.ProblemTotal = ee.Problems, ee.Total
		d.Errors = &web.FormErrors{Message: web.Localizer(r).T("indicatorexcel.refused", "n", ee.Total)}
	default:
		p := problem.As(err)
		if p == nil || p.Kind == problem.Internal || p.Kind == problem.Unauthorized {
			rd.Error(w, r, err)
			return
		}
		d.Errors = &web.FormErrors{Message: p.Message, Fields: p.Details}
		if p.Kind == problem.Invalid {
			d.Errors.Message = ""
		}
		status = p.Kind.Status()
	}
	var cerr error
	if d.Clusters, d.Countries, d.Indicators, cerr = s.ExcelChoices(ctx, actor); cerr != nil {
		rd.Error(w, r, cerr)
		return
	}
	if d.Chosen == nil {
		for _, ind := range d.Indicators {
			if ind.Standard {
				d.Chosen = append(d.Chosen, ind.Code)
			}
		}
	}
	loc := web.Localizer(r)
	pg := rd.NewPage(r, loc.T("indicatorexcel.title"), d)
	pg.Section = section
	pg.Crumbs = excelCrumbs(loc)
	rd.Render(w, r, status, "indicator/value_excel", pg)
}

func excelCrumbs(loc *i18n.Localizer, more ...web.Crumb) []web.Crumb {
	c := []web.Crumb{{Label: loc.T("indicatorvalue.title"), URL: "/indicators/values"}}
	if len(more) > 0 {
		c = append(c, web.Crumb{Label: loc.T("indicatorexcel.title"), URL: valueExcelPath})
		c = append(c, more...)
	} else {
		c = append(c, web.Crumb{Label: loc.T("indicatorexcel.title")})
	}
	return listCrumbs(loc, c...)
}

var fileNameUnsafe = regexp.MustCompile(`[^A-Za-z0-9-]+`)

// excelFileName names a template's download ("values-country-JAM-2025.xlsx").
func excelFileName(in ExcelTemplateInput) string {
	years := strconv.Itoa(in.From)
	if in.To != in.From {
		years += "-" + strconv.Itoa(in.To)
	}
	return "values-" + strings.Trim(fileNameUnsafe.ReplaceAllString(in.Subjects, "-"), "-") + "-" + years + ".xlsx"
}

// writeExcelTemplate builds a template and sends it as a download.
func writeExcelTemplate(w http.ResponseWriter, r *http.Request, s *Store, in ExcelTemplateInput) error {
	t, err := s.ExcelTemplate(r.Context(), user.ActorFrom(r.Context()), in)
	if err != nil {
		return err
	}
	b, err := t.Workbook()
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", xlsxContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+excelFileName(in)+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	return nil
}

// HandleValueExcelTemplate downloads the chosen template, or shows the
// chooser again with what is wrong.
func HandleValueExcelTemplate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in, f := excelTemplateInput(r.URL.Query(), i18n.FromRequest(r))
		if err := f.Err(); err != nil {
			renderValueExcel(w, r, rd, s, http.StatusUnprocessableEntity, err)
			return
		}
		if err := writeExcelTemplate(w, r, s, in); err != nil {
			renderValueExcel(w, r, rd, s, http.StatusUnprocessableEntity, err)
		}
	})
}

// readExcelUpload reads the multipart field "file" within the size limit.
func readExcelUpload(w http.ResponseWriter, r *http.Request) ([]byte, string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxExcelBytes+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, "", fileProblem(problem.TooLarge, "The file is larger than %d MB; split it by subjects or periods.", MaxExcelBytes>>20)
		}
		return nil, "", fileProblem(problem.Invalid, "Send the workbook as multipart/form-data in the field \"file\".")
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		return nil, "", fileProblem(problem.Invalid, "Choose the filled-in template (.xlsx) to upload.")
	}
	defer file.Close()
	b, err := io.ReadAll(io.LimitReader(file, MaxExcelBytes+1))
	if err != nil {
		return nil, "", fileProblem(problem.Invalid, "The file could not be read; upload it again.")
	}
	if len(b) > MaxExcelBytes {
		return nil, "", fileProblem(problem.TooLarge, "The file is larger than %d MB; split it by subjects or periods.", MaxExcelBytes>>20)
	}
	return b, header.Filename, nil
}

// HandleValueExcelUpload checks an uploaded template and shows what it
// would store, keeping the file for the commit; or shows every problem.
func HandleValueExcelUpload(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := user.ActorFrom(ctx)
		if !MaySetTargets(actor) {
			rd.Error(w, r, problem.Forbiddenf("Only administrators, programme officers, BSO staff and cluster managers may enter values."))
			return
		}
		data, name, err := readExcelUpload(w, r)
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
		if err != nil {
			renderValueExcel(w, r, rd, s, excelStatus(err), err)
			return
		}
		sum, err := s.PreviewExcel(ctx, actor, data, name)
		if err != nil {
			renderValueExcel(w, r, rd, s, excelStatus(err), err)
			return
		}
		d := &ValueExcelPreviewData{Summary: sum, Hash: ExcelHash(data)}
		if len(sum.inputs) > 0 {
			if d.UploadID, err = s.KeepExcelUpload(ctx, actor, name, data); err != nil {
				rd.Error(w, r, err)
				return
			}
		}
		loc := web.Localizer(r)
		pg := rd.NewPage(r, loc.T("indicatorexcel.preview_title"), d)
		pg.Section = section
		pg.Crumbs = excelCrumbs(loc, web.Crumb{Label: loc.T("indicatorexcel.preview_title")})
		rd.Render(w, r, http.StatusOK, "indicator/value_excel_preview", pg)
	})
}

// excelStatus is the status of a refused upload.
func excelStatus(err error) int {
	var ee *ExcelError
	if errors.As(err, &ee) {
		return ee.Kind.Status()
	}
	return problem.KindOf(err).Status()
}

// HandleValueExcelCommit stores the previewed upload's values at once and
// shows what was stored.
func HandleValueExcelCommit(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		ctx := r.Context()
		id, _ := strconv.ParseInt(r.PostFormValue("upload"), 10, 64)
		sum, err := s.CommitExcelUpload(ctx, user.ActorFrom(ctx), id, r.PostFormValue("hash"))
		if err != nil {
			renderValueExcel(w, r, rd, s, excelStatus(err), err)
			return
		}
		d := &ValueExcelResultData{Summary: sum}
		seen := map[string]bool{}
		for _, c := range sum.Changes {
			k := c.Subject.String() + "|" + c.Period
			if !seen[k] {
				seen[k] = true
				d.Links = append(d.Links, ExcelLink{Name: c.SubjectName, Period: c.Period, URL: valuesPath(c.Subject, c.Period)})
			}
		}
		loc := web.Localizer(r)
		pg := rd.NewPage(r, loc.T("indicatorexcel.result_title"), d)
		pg.Section = section
		pg.Crumbs = excelCrumbs(loc, web.Crumb{Label: loc.T("indicatorexcel.result_title")})
		rd.Render(w, r, http.StatusOK, "indicator/value_excel_result", pg)
	})
}
