package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/programme"
)

// programmeReviewRoutes serves the panel review of a call's applications:
// reviewer assignment, conflict-of-interest declarations, blind scoring,
// the officers' ranking dashboard and workbook, and decisions, which are
// emailed to applicants.
func (a *App) programmeReviewRoutes(mux *http.ServeMux) {
	s := programme.NewStore(a.DB)
	rd := a.Render
	mux.Handle("GET /reviews", page(programme.HandleMyReviews(s, rd)))
	mux.Handle("GET /reviews/{id}", page(programme.HandleReviewShow(s, rd)))
	mux.Handle("POST /reviews/{id}", page(programme.HandleReviewSave(s, rd)))
	mux.Handle("POST /reviews/{id}/conflict", page(programme.HandleConflictDeclare(s, rd)))
	mux.Handle("GET /programmes/{id}/calls/{call}/review", page(programme.HandleReviewDashboard(s, rd)))
	mux.Handle("GET /programmes/{id}/calls/{call}/review/export.xlsx", page(programme.HandleReviewExport(s, rd)))
	mux.Handle("GET /programmes/{id}/calls/{call}/review/reviewers", page(programme.HandleReviewers(s, rd)))
	mux.Handle("POST /programmes/{id}/calls/{call}/review/reviewers", page(programme.HandleAssignToCall(s, rd)))
	mux.Handle("POST /applications/{id}/reviewers", page(programme.HandleAssignToApplication(s, rd)))
	mux.Handle("GET /applications/{id}/panel", page(programme.HandlePanel(s, rd)))
	mux.Handle("POST /applications/{id}/decision", page(programme.HandleDecision(s, rd, a.Mailer, a.Opts.BaseURL)))

	a.api(mux, "GET /api/v1/calls/{id}/ranking", programme.HandleAPIRanking(s, a.Logger))
	a.api(mux, "GET /api/v1/applications/{id}/reviews", programme.HandleAPIReviews(s, a.Logger))
	a.api(mux, "PUT /api/v1/applications/{id}/reviews", programme.HandleAPIReviewPut(s, a.Logger))
	a.api(mux, "POST /api/v1/applications/{id}/decision", programme.HandleAPIDecision(s, a.Logger, a.Mailer, a.Opts.BaseURL))
}
