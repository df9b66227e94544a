package indicator

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// HandleAPIValueTemplate answers GET /api/v1/values/template.xlsx with the
// template the query chooses (subjects, period_type, from, to, indicator).
func HandleAPIValueTemplate(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		lang := r.URL.Query().Get("lang")
		if !i18n.Supported(lang) {
			lang = i18n.FromRequest(r)
		}
		in, f := excelTemplateInput(r.URL.Query(), lang)
		if err := f.Err(); err != nil {
			return err
		}
		return writeExcelTemplate(w, r, s, in)
	})
}

// HandleAPIValueImport answers POST /api/v1/values/import: the filled-in
// template in the multipart field "file"; with dry_run=true it only
// checks it (200), else it stores all its new and changed values at once
// (201). A refused workbook is a problem whose errors name sheet, row,
// column and header.
func HandleAPIValueImport(s *Store, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		fail := func(err error) {
			var ee *ExcelError
			if errors.As(err, &ee) {
				writeExcelProblem(w, r, ee)
				return
			}
			web.APIError(w, r, logger, err)
		}
		if !actor.SignedIn() {
			fail(problem.New(problem.Unauthorized, "Sign in or send an API token: Authorization: Bearer <token>."))
			return
		}
		if !MaySetTargets(actor) {
			fail(problem.Forbiddenf("Only administrators, programme officers, BSO staff and cluster managers may enter values."))
			return
		}
		data, name, err := readExcelUpload(w, r)
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
		if err != nil {
			fail(err)
			return
		}
		dry := r.FormValue("dry_run")
		var sum *ExcelSummary
		status := http.StatusOK
		switch strings.ToLower(dry) {
		case "true", "1":
			sum, err = s.PreviewExcel(r.Context(), actor, data, name)
		case "", "false", "0":
			sum, err = s.CommitExcel(r.Context(), actor, data, name)
			status = http.StatusCreated
		default:
			err = problem.Fields{{Field: "dry_run", Message: "Use dry_run=true or dry_run=false."}}.Err()
		}
		if err != nil {
			fail(err)
			return
		}
		web.JSON(w, status, sum)
	})
}

// excelProblemDetails is the problem-details body of a refused workbook:
// errors carry sheet, row, column and header, and total counts them all.
type excelProblemDetails struct {
	web.ProblemDetails
	Errors []ExcelProblem `json:"errors"`
	Total  int            `json:"total"`
}

func writeExcelProblem(w http.ResponseWriter, r *http.Request, e *ExcelError) {
	status := e.Kind.Status()
	msg := "The workbook was refused; nothing was stored."
	if len(e.Problems) == 1 && e.Problems[0].Row == 0 {
		msg = e.Problems[0].Message
	}
	body := excelProblemDetails{
		ProblemDetails: web.ProblemDetails{Type: "https://clusterobservatory.org/problems/" + string(e.Kind),
			Title: http.StatusText(status), Status: status, Detail: msg, Instance: r.URL.Path},
		Errors: e.Problems, Total: e.Total,
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
