package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/implementation"
)

// implementationRoutes serves the implementation of approved plans:
// budget execution, spending and in-kind contributions with receipts,
// milestone progress, the project timeline and quarterly progress reports.
func (a *App) implementationRoutes(mux *http.ServeMux) {
	s := implementation.NewStore(a.DB)
	rd := a.Render
	mux.Handle("GET /plans/{id}/implementation", page(implementation.HandleOverview(s, rd)))
	mux.Handle("GET /plans/{id}/spending", page(implementation.HandleSpending(s, rd)))
	mux.Handle("POST /plans/{id}/spending", page(implementation.HandleSpendingCreate(s, rd)))
	mux.Handle("GET /plans/{id}/milestones", page(implementation.HandleMilestones(s, rd)))
	mux.Handle("POST /plans/{id}/milestones/{n}", page(implementation.HandleMilestoneUpdate(s, rd)))
	mux.Handle("GET /plans/{id}/timeline", page(implementation.HandleTimeline(s, rd)))
	mux.Handle("GET /plans/{id}/reports", page(implementation.HandleReports(s, rd)))
	mux.Handle("POST /plans/{id}/reports", page(implementation.HandleReportSubmit(s, rd)))
	mux.Handle("POST /plans/{id}/reports/{rid}/accept", page(implementation.HandleReportAccept(s, rd)))
	mux.Handle("GET /plans/{id}/attachments/{aid}", page(implementation.HandleAttachment(s, rd)))

	a.api(mux, "GET /api/v1/plans/{id}/spending", implementation.HandleAPISpendingList(s, a.Logger))
	a.api(mux, "POST /api/v1/plans/{id}/spending", implementation.HandleAPISpendingCreate(s, a.Logger))
	a.api(mux, "GET /api/v1/plans/{id}/execution", implementation.HandleAPIExecution(s, a.Logger))
	a.api(mux, "PUT /api/v1/plans/{id}/milestones/{n}", implementation.HandleAPIMilestonePut(s, a.Logger))
}
