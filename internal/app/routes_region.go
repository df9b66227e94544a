package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/region"
)

// regionRoutes serves the region home page and the country pages. Both are
// public (published aggregates), so they are not wrapped with page(); a
// country page lists more for signed-in people, within their scope.
func (a *App) regionRoutes(mux *http.ServeMux) {
	s := region.NewStore(a.DB, region.CacheFor, a.Logger)
	mux.Handle("GET /{$}", region.HandleHome(s, a.Render))
	mux.Handle("GET /countries/{iso3}", region.HandleCountry(s, a.Render))
}
