package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/portfolio"
)

// portfolioRoutes serves a programme's pipeline and money, and an
// applicant's own portfolio.
func (a *App) portfolioRoutes(mux *http.ServeMux) {
	s := portfolio.NewStore(a.DB)
	mux.Handle("GET /programmes/{id}/portfolio", page(portfolio.HandleProgramme(s, a.Render)))
	mux.Handle("GET /portfolio", page(portfolio.HandleApplicant(s, a.Render)))
	a.api(mux, "GET /api/v1/programmes/{id}/portfolio", portfolio.HandleAPIProgramme(s, a.Logger))
}
