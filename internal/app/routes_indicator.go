package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/indicator"
)

// indicatorRoutes serves the results framework: indicators with their
// reference sheets and change logs, baselines and targets per subject, and
// values with their review and target against actual, and the API.
func (a *App) indicatorRoutes(mux *http.ServeMux) {
	s := indicator.NewStore(a.DB)
	rd := a.Render
	mux.Handle("GET /indicators", page(indicator.HandleIndicatorList(s, rd)))
	mux.Handle("GET /indicators/new", page(indicator.HandleIndicatorNew(rd)))
	mux.Handle("POST /indicators", page(indicator.HandleIndicatorCreate(s, rd)))
	mux.Handle("GET /indicators/targets", page(indicator.HandleTargets(s, rd)))
	mux.Handle("POST /indicators/targets", page(indicator.HandleTargetSet(s, rd)))
	mux.Handle("GET /indicators/values", page(indicator.HandleValues(s, rd)))
	mux.Handle("POST /indicators/values", page(indicator.HandleValuesSave(s, rd)))
	mux.Handle("POST /indicators/values/{id}/review", page(indicator.HandleValueReview(s, rd)))
	mux.Handle("POST /indicators/values/review", page(indicator.HandleValuesReview(s, rd)))
	mux.Handle("GET /indicators/{id}", page(indicator.HandleIndicatorShow(s, rd)))
	mux.Handle("GET /indicators/{id}/edit", page(indicator.HandleIndicatorEdit(s, rd)))
	mux.Handle("POST /indicators/{id}", page(indicator.HandleIndicatorUpdate(s, rd)))
	mux.Handle("POST /indicators/{id}/archive", page(indicator.HandleIndicatorArchive(s, rd)))
	mux.Handle("POST /indicators/{id}/restore", page(indicator.HandleIndicatorRestore(s, rd)))

	a.api(mux, "GET /api/v1/indicators", indicator.HandleAPIIndicatorList(s, a.Logger))
	a.api(mux, "POST /api/v1/indicators", indicator.HandleAPIIndicatorCreate(s, a.Logger))
	a.api(mux, "GET /api/v1/indicators/{id}", indicator.HandleAPIIndicatorGet(s, a.Logger))
	a.api(mux, "PATCH /api/v1/indicators/{id}", indicator.HandleAPIIndicatorPatch(s, a.Logger))
	a.api(mux, "GET /api/v1/targets", indicator.HandleAPITargetList(s, a.Logger))
	a.api(mux, "POST /api/v1/targets", indicator.HandleAPITargetSet(s, a.Logger))
	a.api(mux, "GET /api/v1/values", indicator.HandleAPIValueList(s, a.Logger))
	a.api(mux, "POST /api/v1/values", indicator.HandleAPIValueSave(s, a.Logger))
	a.api(mux, "POST /api/v1/values/{id}/review", indicator.HandleAPIValueReview(s, a.Logger))
	a.api(mux, "POST /api/v1/values/review", indicator.HandleAPIValuesReview(s, a.Logger))
}
