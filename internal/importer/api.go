package importer

import (
	"log/slog"
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// APIResult is the body of a committed API import.
type APIResult struct {
	Kind    Kind      `json:"kind"`
	File    string    `json:"file"`
	Rows    int       `json:"rows"`
	Created int       `json:"created"`
	Records []Created `json:"records"`
}

// HandleAPIImport checks, and unless dry_run=true stores, a file sent as
// the multipart field "file" or as a raw CSV or XLSX body. A dry run
// answers 200 with the report; a commit answers 201 with the counts, or
// 422 problem details with the located problems and nothing stored.
func HandleAPIImport(im *Importer, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		if !actor.SignedIn() {
			web.APIError(w, r, logger, problem.New(problem.Unauthorized, "Sign in or send a bearer token."))
			return
		}
		if !MayImport(actor) {
			web.APIError(w, r, logger, problem.NotFoundf(""))
			return
		}
		q := r.URL.Query()
		kind := Kind(q.Get("kind"))
		dryRun, err := strconv.ParseBool(q.Get("dry_run"))
		if q.Get("dry_run") == "" {
			dryRun, err = false, nil
		}
		var f problem.Fields
		if !kind.Valid() {
			f.Add("kind", "Set kind to organisations or memberships.")
		}
		if err != nil {
			f.Add("dry_run", "Set dry_run to true or false.")
		}
		if err := f.Err(); err != nil {
			web.APIError(w, r, logger, err)
			return
		}
		up, err := readUpload(w, r)
		if err == nil && up.name == "" {
			err = problem.New(problem.Invalid, "Send the file in the multipart field \"file\".")
		}
		if err != nil {
			web.APIError(w, r, logger, err)
			return
		}
		if dryRun {
			rep, err := im.Check(r.Context(), actor, kind, up.name, up.data)
			switch {
			case err != nil:
				web.APIError(w, r, logger, err)
			case rep.TooLarge():
				web.APIError(w, r, logger, reportProblem(rep))
			default:
				web.JSON(w, http.StatusOK, rep)
			}
			return
		}
		res, rep, err := im.Import(r.Context(), actor, kind, up.name, up.data)
		switch {
		case err != nil:
			web.APIError(w, r, logger, err)
		case res == nil:
			web.APIError(w, r, logger, reportProblem(rep))
		default:
			web.JSON(w, http.StatusCreated, APIResult{Kind: res.Kind, File: res.File, Rows: rep.Rows, Created: res.Created, Records: res.Records})
		}
	})
}

// reportProblem turns a report with problems into a problem with located
// details: too large for a file over the limit, invalid otherwise.
func reportProblem(rep *Report) *problem.Error {
	kind := problem.Invalid
	if rep.TooLarge() {
		kind = problem.TooLarge
	}
	return &problem.Error{Kind: kind, Message: problemSummary(rep), Details: rep.Problems}
}

// problemSummary says in one sentence why nothing was stored.
func problemSummary(rep *Report) string {
	if rep.TooLarge() {
		return "The file is too large; nothing was stored."
	}
	return strconv.Itoa(len(rep.Problems)) + " problems in " + rep.Source.File + "; nothing was stored."
}
