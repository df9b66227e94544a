package job

import (
	"embed"
	"log/slog"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/web"
)

// Templates are the job pages: one job's progress and the list of the
// viewer's jobs.
//
//go:embed templates/*.html
var Templates embed.FS

// adminRole is the role that may follow everyone's jobs. The job package
// is a platform package and reads the viewer the web layer knows rather
// than importing the user domain, so that any domain can queue jobs.
const adminRole = "admin"

// perPage is the length of a page of the job list.
const perPage = 50

// ShowData is the data of a job's page.
type ShowData struct {
	Job *Progress
	// Message is the job's message, or a general one in the reader's
	// language when a failed job left none.
	Message string
}

// ListData is the data of the list of the viewer's jobs.
type ListData struct {
	Jobs  []*Progress
	Total int
	Page  int
	Pages int
}

// message is what a reader is told about a job: its own message, or for a
// job that failed or will be retried without one, a general sentence.
func message(p *Progress, loc *i18n.Localizer) string {
	if p.Message != "" {
		return p.Message
	}
	switch p.State {
	case Failed:
		return loc.T("job.failed_generic")
	case Retrying:
		return loc.T("job.retrying_generic")
	}
	return ""
}

// viewerJob loads the job named in the path if the viewer may see it.
func viewerJob(r *http.Request, run *Runner) (*Progress, error) {
	v := web.ViewerFrom(r.Context())
	if !v.SignedIn() {
		return nil, problem.New(problem.Unauthorized, "Sign in to see this job.")
	}
	id, err := web.ParseID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return run.ProgressFor(r.Context(), v.UserID, v.Role == adminRole, id)
}

// HandleShow serves GET /jobs/{id}: the job's progress. While the job runs
// the page reloads itself every two seconds without JavaScript, and with
// JavaScript htmx replaces the status panel every second instead.
func HandleShow(run *Runner, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := viewerJob(r, run)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		page := rd.NewPage(r, p.Title, &ShowData{Job: p, Message: message(p, loc)})
		page.Crumbs = []web.Crumb{{Label: loc.T("job.list_title"), URL: "/jobs"}, {Label: p.Title}}
		w.Header().Set("Cache-Control", "no-store")
		rd.Render(w, r, http.StatusOK, "job/show", page)
	})
}

// HandleList serves GET /jobs: the jobs the viewer started, newest first.
func HandleList(run *Runner, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := web.ViewerFrom(r.Context())
		lp := web.ParseList(r, "", perPage)
		jobs, total, err := run.FindFor(r.Context(), v.UserID, lp.Page, lp.PerPage)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		page := rd.NewPage(r, loc.T("job.list_title"), &ListData{Jobs: jobs, Total: total, Page: lp.Page, Pages: lp.Pages(total)})
		w.Header().Set("Cache-Control", "no-store")
		rd.Render(w, r, http.StatusOK, "job/list", page)
	})
}

// HandleAPIShow serves GET /api/v1/jobs/{id}: the job's progress as JSON.
func HandleAPIShow(run *Runner, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := viewerJob(r, run)
		if err != nil {
			web.APIError(w, r, logger, err)
			return
		}
		p.Message = message(p, web.Localizer(r))
		w.Header().Set("Cache-Control", "no-store")
		web.JSON(w, http.StatusOK, p)
	})
}

// HandleAPIList serves GET /api/v1/jobs: the jobs the caller started.
func HandleAPIList(run *Runner, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := web.ViewerFrom(r.Context())
		if !v.SignedIn() {
			web.APIError(w, r, logger, problem.New(problem.Unauthorized, "Sign in or send a bearer token."))
			return
		}
		lp := web.ParseList(r, "", perPage)
		jobs, total, err := run.FindFor(r.Context(), v.UserID, lp.Page, lp.PerPage)
		if err != nil {
			web.APIError(w, r, logger, err)
			return
		}
		loc := web.Localizer(r)
		for _, p := range jobs {
			p.Message = message(p, loc)
		}
		w.Header().Set("Cache-Control", "no-store")
		web.JSON(w, http.StatusOK, web.NewListResponse(jobs, total, lp))
	})
}
