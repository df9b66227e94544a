package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/indicator"
)

// indicatorOverlapRoutes serves the data-quality check of initiative
// values counted twice with their member organisations' values: the page
// and the API.
func (a *App) indicatorOverlapRoutes(mux *http.ServeMux) {
	s := indicator.NewStore(a.DB)
	mux.Handle("GET /indicators/quality/overlaps", page(indicator.HandleOverlaps(s, a.Render)))
	a.api(mux, "GET /api/v1/cluster-overlaps", indicator.HandleAPIOverlapList(s, a.Logger))
}
