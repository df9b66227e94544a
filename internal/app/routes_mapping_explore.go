package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/mapping"
)

// mappingExploreRoutes serves the cluster mapping explorer, its downloads
// and detail pages, and its figures as JSON.
func (a *App) mappingExploreRoutes(mux *http.ServeMux) {
	s := mapping.NewStore(a.DB)
	rd := a.Render
	mux.Handle("GET /mapping", page(mapping.HandleExplore(s, rd)))
	mux.Handle("GET /mapping/explore.csv", page(mapping.HandleExploreCSV(s, rd)))
	mux.Handle("GET /mapping/explore.xlsx", page(mapping.HandleExploreXLSX(s, rd)))
	mux.Handle("GET /mapping/explore/detail", page(mapping.HandleExploreDetail(s, rd)))
	a.api(mux, "GET /api/v1/mapping/metrics", mapping.HandleAPIMetrics(s, a.Logger))
}
