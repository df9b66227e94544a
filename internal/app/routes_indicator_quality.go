package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/indicator"
)

// indicatorQualityRoutes serves the data quality of indicator values:
// validation rules (list, new, edit, archive), the quality page with its
// violations, outliers and scores, on-demand runs, and the API.
func (a *App) indicatorQualityRoutes(mux *http.ServeMux) {
	s := indicator.NewStore(a.DB)
	rd := a.Render
	mux.Handle("GET /indicators/rules", page(indicator.HandleRuleList(s, rd)))
	mux.Handle("GET /indicators/rules/new", page(indicator.HandleRuleNew(s, rd)))
	mux.Handle("POST /indicators/rules", page(indicator.HandleRuleCreate(s, rd)))
	mux.Handle("GET /indicators/rules/{id}/edit", page(indicator.HandleRuleEdit(s, rd)))
	mux.Handle("POST /indicators/rules/{id}/edit", page(indicator.HandleRuleUpdate(s, rd)))
	mux.Handle("POST /indicators/rules/{id}/archive", page(indicator.HandleRuleArchive(s, rd)))
	mux.Handle("GET /indicators/quality", page(indicator.HandleQuality(s, rd)))
	mux.Handle("POST /indicators/quality/runs", page(indicator.HandleQualityRun(s, rd)))

	a.api(mux, "GET /api/v1/validation-rules", indicator.HandleAPIRuleList(s, a.Logger))
	a.api(mux, "POST /api/v1/validation-rules", indicator.HandleAPIRuleCreate(s, a.Logger))
	a.api(mux, "GET /api/v1/validation-violations", indicator.HandleAPIViolationList(s, a.Logger))
	a.api(mux, "POST /api/v1/validation-runs", indicator.HandleAPIRunCreate(s, a.Logger))
}
