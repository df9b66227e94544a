package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/plan"
)

// planRoutes serves the cluster competitiveness improvement plans: the
// workspace a shortlisted application opens, its versions, its approval
// and its printable page.
func (a *App) planRoutes(mux *http.ServeMux) {
	s := plan.NewStore(a.DB).WithPrinter(a.printer)
	rd := a.Render
	mux.Handle("POST /applications/{id}/plan", page(plan.HandleOpen(s, rd)))
	mux.Handle("GET /plans", page(plan.HandleList(s, rd)))
	mux.Handle("GET /plans/{id}", page(plan.HandleShow(s, rd)))
	mux.Handle("GET /plans/{id}/edit", page(plan.HandleEdit(s, rd)))
	mux.Handle("POST /plans/{id}", page(plan.HandleSave(s, rd)))
	mux.Handle("GET /plans/{id}/versions", page(plan.HandleVersions(s, rd)))
	mux.Handle("GET /plans/{id}/print", page(plan.HandlePrint(s, rd)))
	mux.Handle("GET /plans/{id}/plan.pdf", page(plan.HandlePDF(s, rd)))
	mux.Handle("POST /plans/{id}/submit", page(plan.HandleSubmit(s, rd)))
	mux.Handle("POST /plans/{id}/approve", page(plan.HandleApprove(s, rd)))
	mux.Handle("POST /plans/{id}/return", page(plan.HandleReturn(s, rd)))

	a.api(mux, "GET /api/v1/plans", plan.HandleAPIList(s, a.Logger))
	a.api(mux, "GET /api/v1/plans/{id}", plan.HandleAPIGet(s, a.Logger))
	a.api(mux, "PUT /api/v1/plans/{id}", plan.HandleAPIPut(s, a.Logger))
	a.api(mux, "POST /api/v1/plans/{id}/submit", plan.HandleAPISubmit(s, a.Logger))
	a.api(mux, "POST /api/v1/plans/{id}/approve", plan.HandleAPIApprove(s, a.Logger))
	a.api(mux, "POST /api/v1/plans/{id}/return", plan.HandleAPIReturn(s, a.Logger))
}
