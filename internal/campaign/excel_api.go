package campaign

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// HandleAPIExcelTemplate answers GET /api/v1/campaigns/{id}/answers.xlsx
// with the answers template; ?lang= chooses the instructions' language.
func HandleAPIExcelTemplate(s *Store, logger *slog.Logger) http.Handler {
	return campaignAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		lang := r.URL.Query().Get("lang")
		if !i18n.Supported(lang) {
			lang = i18n.FromRequest(r)
		}
		return writeAnswersWorkbook(w, r, s, lang)
	})
}

// HandleAPIExcelImport answers POST /api/v1/campaigns/{id}/answers.xlsx:
// the filled-in template in the multipart field "file"; with dry_run=true
// it only checks it (200), else it stores all its new and changed rows at
// once (201). A refused workbook is 400 with errors naming sheet, row and
// column; nothing is stored.
func HandleAPIExcelImport(s *Store, logger *slog.Logger) http.Handler {
	return campaignAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		c, err := s.pathCampaign(r, actor)
		if err != nil {
			return err
		}
		id := c.ID
		var sum *ExcelSummary
		status := http.StatusOK
		switch dry := strings.ToLower(r.URL.Query().Get("dry_run")); dry {
		case "true", "1", "", "false", "0":
			data, name, rerr := readExcelFile(w, r)
			if r.MultipartForm != nil {
				defer r.MultipartForm.RemoveAll()
			}
			switch {
			case rerr != nil:
				err = rerr
			case dry == "true" || dry == "1":
				sum, err = s.PreviewExcel(r.Context(), actor, id, data, name)
			default:
				sum, err = s.CommitExcel(r.Context(), actor, id, data, name)
				status = http.StatusCreated
			}
		default:
			err = problem.Fields{{Field: "dry_run", Message: "Use dry_run=true or dry_run=false."}}.Err()
		}
		var ee *indicator.ExcelError
		if errors.As(err, &ee) {
			writeExcelProblem(w, r, ee)
			return nil
		}
		if err != nil {
			return err
		}
		web.JSON(w, status, sum)
		return nil
	})
}

// excelProblemDetails is the problem-details body of a refused workbook:
// errors carry sheet, row, column and header, and total counts them all.
type excelProblemDetails struct {
	web.ProblemDetails
	Errors []indicator.ExcelProblem `json:"errors"`
	Total  int                      `json:"total"`
}

// writeExcelProblem answers a refused workbook: 400 for its content
// (413 when it is too large).
func writeExcelProblem(w http.ResponseWriter, r *http.Request, e *indicator.ExcelError) {
	status := http.StatusBadRequest
	if e.Kind == problem.TooLarge {
		status = http.StatusRequestEntityTooLarge
	}
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
