package campaign

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

const xlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func excelUploadPath(id int64) string { return fmt.Sprintf("/campaigns/%d/answers/upload", id) }

// ExcelPageData is the Excel answers page's data: the download, the upload
// form, and the problems of a refused upload.
type ExcelPageData struct {
	Campaign *Campaign
	Errors   *web.FormErrors
	// Problems of a refused upload, the first of ProblemTotal.
	Problems     []indicator.ExcelProblem
	ProblemTotal int
}

// ExcelPreviewData is the preview page's data: what the upload would
// store, and the kept upload the commit button names.
type ExcelPreviewData struct {
	Campaign *Campaign
	Summary  *ExcelSummary
	UploadID int64
	Hash     string
}

// writeAnswersWorkbook sends a campaign's answers template.
func writeAnswersWorkbook(w http.ResponseWriter, r *http.Request, s *Store, lang string) error {
	id, err := web.ParseID(r.PathValue("id"))
	if err != nil {
		return err
	}
	b, err := s.AnswersWorkbook(r.Context(), user.ActorFrom(r.Context()), id, lang)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", xlsxContentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="campaign-%d-answers.xlsx"`, id))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
	return nil
}

// HandleExcelTemplate downloads the answers template of a campaign, with
// its instructions in the viewer's language.
func HandleExcelTemplate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := writeAnswersWorkbook(w, r, s, i18n.FromRequest(r)); err != nil {
			rd.Error(w, r, err)
		}
	})
}

// HandleExcelPage shows the download and the upload form.
func HandleExcelPage(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		renderExcelPage(w, r, rd, s, http.StatusOK, nil)
	})
}

func renderExcelPage(w http.ResponseWriter, r *http.Request, rd *web.Renderer, s *Store, status int, err error) {
	actor := user.ActorFrom(r.Context())
	id, perr := web.ParseID(r.PathValue("id"))
	if perr != nil {
		rd.Error(w, r, perr)
		return
	}
	c, cerr := s.FindCampaign(r.Context(), actor, id)
	if cerr != nil {
		rd.Error(w, r, cerr)
		return
	}
	d := &ExcelPageData{Campaign: c}
	var ee *indicator.ExcelError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		d.Problems, d.ProblemTotal = ee.Problems, ee.Total
		d.Errors = &web.FormErrors{Message: web.Localizer(r).T("campaignexcel.refused", "n", ee.Total)}
	default:
		p := problem.As(err)
		if p == nil || p.Kind == problem.Internal || p.Kind == problem.Unauthorized {
			rd.Error(w, r, err)
			return
		}
		d.Errors = &web.FormErrors{Message: p.Message, Fields: p.Details}
		status = p.Kind.Status()
	}
	loc := web.Localizer(r)
	pg := rd.NewPage(r, loc.T("campaignexcel.title"), d)
	pg.Section = navSection
	pg.Crumbs = crumbs(loc, c)
	rd.Render(w, r, status, "campaign/excel_upload", pg)
}

// readExcelFile reads the multipart field "file" within the size limit.
func readExcelFile(w http.ResponseWriter, r *http.Request) ([]byte, string, error) {
	r.Body = http.MaxBytesReader(w, r.Body, indicator.MaxExcelBytes+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, "", fileProblem(problem.TooLarge, "The file is larger than %d MB; split the respondents over several workbooks.", indicator.MaxExcelBytes>>20)
		}
		return nil, "", fileProblem(problem.Invalid, "Send the workbook as multipart/form-data in the field \"file\".")
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		return nil, "", fileProblem(problem.Invalid, "Choose the filled-in template (.xlsx) to upload.")
	}
	defer file.Close()
	b, err := io.ReadAll(io.LimitReader(file, indicator.MaxExcelBytes+1))
	if err != nil {
		return nil, "", fileProblem(problem.Invalid, "The file could not be read; upload it again.")
	}
	if len(b) > indicator.MaxExcelBytes {
		return nil, "", fileProblem(problem.TooLarge, "The file is larger than %d MB; split the respondents over several workbooks.", indicator.MaxExcelBytes>>20)
	}
	return b, header.Filename, nil
}

// excelStatus is the status of a refused upload on the page.
func excelStatus(err error) int {
	var ee *indicator.ExcelError
	if errors.As(err, &ee) {
		return ee.Kind.Status()
	}
	return problem.KindOf(err).Status()
}

// HandleExcelUpload checks an uploaded workbook and shows what it would
// store, keeping the file for the commit; or shows every problem.
func HandleExcelUpload(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := user.ActorFrom(ctx)
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		c, err := s.FindCampaign(ctx, actor, id)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		data, name, err := readExcelFile(w, r)
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
		if err != nil {
			renderExcelPage(w, r, rd, s, excelStatus(err), err)
			return
		}
		sum, err := s.PreviewExcel(ctx, actor, id, data, name)
		if err != nil {
			renderExcelPage(w, r, rd, s, excelStatus(err), err)
			return
		}
		d := &ExcelPreviewData{Campaign: c, Summary: sum, Hash: sum.SHA256}
		if len(sum.Changes) > 0 {
			if d.UploadID, err = s.KeepExcelUpload(ctx, actor, id, name, data); err != nil {
				rd.Error(w, r, err)
				return
			}
		}
		loc := web.Localizer(r)
		pg := rd.NewPage(r, loc.T("campaignexcel.preview_title"), d)
		pg.Section = navSection
		pg.Crumbs = append(crumbs(loc, c), web.Crumb{Label: loc.T("campaignexcel.title"), URL: excelUploadPath(id)})
		w.Header().Set("Cache-Control", "no-store")
		rd.Render(w, r, http.StatusOK, "campaign/excel_preview", pg)
	})
}

// HandleExcelCommit stores the previewed upload's rows at once and goes
// to the campaign's submissions.
func HandleExcelCommit(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		_ = r.ParseForm()
		upload, _ := strconv.ParseInt(r.PostFormValue("upload"), 10, 64)
		sum, err := s.CommitExcelUpload(ctx, user.ActorFrom(ctx), id, upload, r.PostFormValue("hash"))
		if err != nil {
			renderExcelPage(w, r, rd, s, excelStatus(err), err)
			return
		}
		web.Flash(w, web.Localizer(r).T("campaignexcel.flash.stored", "new", sum.New, "edited", sum.Edited, "unchanged", sum.Unchanged))
		http.Redirect(w, r, campaignPath(id)+"/submissions", http.StatusSeeOther)
	})
}
