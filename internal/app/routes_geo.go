package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/geo"
)

// geoRoutes serves the reference data on countries and areas; it is public.
func (a *App) geoRoutes(mux *http.ServeMux) {
	s := geo.NewStore(a.DB)
	a.api(mux, "GET /api/v1/countries", geo.HandleAPICountries(s, a.Logger))
	a.api(mux, "GET /api/v1/countries/{code}", geo.HandleAPICountry(s, a.Logger))
	a.api(mux, "GET /api/v1/areas", geo.HandleAPIAreas(s, a.Logger))
}
