package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/job"
)

// jobRoutes shows background jobs to the people who started them (and to
// admins): the list, one job's progress, and both as JSON.
func (a *App) jobRoutes(mux *http.ServeMux) {
	rd := a.Render
	mux.Handle("GET /jobs", page(job.HandleList(a.Jobs, rd)))
	mux.Handle("GET /jobs/{id}", page(job.HandleShow(a.Jobs, rd)))

	a.api(mux, "GET /api/v1/jobs", job.HandleAPIList(a.Jobs, a.Logger))
	a.api(mux, "GET /api/v1/jobs/{id}", job.HandleAPIShow(a.Jobs, a.Logger))
}
