package geo

import (
	"log/slog"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/web"
)

// Reference data needs no sign-in: these handlers answer everyone, and let
// caches keep the answer for a while since it changes only with a release.
const (
	// perPage is the default page size: large enough that every list of
	// reference data fits on one page unless the caller asks for less.
	perPage      = 500
	cacheControl = "public, max-age=3600"
)

// HandleAPICountries lists countries: GET /api/v1/countries[?region=true].
func HandleAPICountries(s *Store, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var f problem.Fields
		var filter Filter
		switch v := r.URL.Query().Get("region"); v {
		case "", "false", "0":
		case "true", "1":
			filter.InRegionOnly = true
		default:
			f.Add("region", "Use region=true for the programme countries or region=false for every country, not %q.", v)
		}
		if err := f.Err(); err != nil {
			web.APIError(w, r, logger, err)
			return
		}
		list, err := s.FindCountries(r.Context(), filter)
		if err != nil {
			web.APIError(w, r, logger, err)
			return
		}
		p := web.ParseList(r, "", perPage)
		w.Header().Set("Cache-Control", cacheControl)
		web.JSON(w, http.StatusOK, web.NewListResponse(page(list, p), len(list), p))
	})
}

// HandleAPICountry returns one country by its alpha-3 or alpha-2 code:
// GET /api/v1/countries/{code}.
func HandleAPICountry(s *Store, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := s.FindCountryByISO3(r.Context(), r.PathValue("code"))
		if err != nil {
			web.APIError(w, r, logger, err)
			return
		}
		w.Header().Set("Cache-Control", cacheControl)
		web.JSON(w, http.StatusOK, c)
	})
}

// HandleAPIAreas lists areas in hierarchy order: GET /api/v1/areas[?country=JAM].
// An unknown country is a 422 problem naming the country parameter.
func HandleAPIAreas(s *Store, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		list, err := s.FindAreas(r.Context(), r.URL.Query().Get("country"))
		if err != nil {
			web.APIError(w, r, logger, err)
			return
		}
		p := web.ParseList(r, "", perPage)
		w.Header().Set("Cache-Control", cacheControl)
		web.JSON(w, http.StatusOK, web.NewListResponse(page(list, p), len(list), p))
	})
}

// page cuts one page out of a list held in memory.
func page[T any](list []T, p web.ListParams) []T {
	from := p.Offset()
	if from < 0 || from > len(list) {
		// A page past the end, or so far that its offset overflowed.
		from = len(list)
	}
	to := min(from+p.PerPage, len(list))
	return list[from:to]
}
