package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/indicator"
)

// indicatorResultsRoutes serves the results dashboards of the region, a
// country and a cluster initiative, their downloads and the API.
func (a *App) indicatorResultsRoutes(mux *http.ServeMux) {
	s := indicator.NewStore(a.DB)
	rd := a.Render
	mux.Handle("GET /results", page(indicator.HandleResultsRegion(s, rd)))
	mux.Handle("GET /results/countries/{iso3}", page(indicator.HandleResultsCountry(s, rd)))
	mux.Handle("GET /results/clusters/{id}", page(indicator.HandleResultsCluster(s, rd)))
	mux.Handle("GET /results/values.csv", page(indicator.HandleResultsDownload(s, rd, "values", "csv")))
	mux.Handle("GET /results/values.xlsx", page(indicator.HandleResultsDownload(s, rd, "values", "xlsx")))
	mux.Handle("GET /results/table.csv", page(indicator.HandleResultsDownload(s, rd, "table", "csv")))
	mux.Handle("GET /results/table.xlsx", page(indicator.HandleResultsDownload(s, rd, "table", "xlsx")))

	a.api(mux, "GET /api/v1/results", indicator.HandleAPIResults(s, a.Logger))
}
