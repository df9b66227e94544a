package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/refdata"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// routes lists the platform's own routes, then each domain's (in the
// routes_<domain>.go files, one screen each).
func (a *App) routes(mux *http.ServeMux) {
	mux.Handle("GET /static/", web.Static())
	mux.Handle("GET /geo/caribbean.geojson", geoJSON())
	mux.HandleFunc("GET /healthz", a.healthz)
	mux.HandleFunc("GET /readyz", a.readyz)
	mux.Handle("GET /metrics", a.metrics.handler())
	mux.Handle("GET /language/{lang}", a.setLanguage())
	mux.Handle("GET /api/v1/openapi.json", a.openAPI())

	loginLimiter := web.NewRateLimiter(a.Opts.LoginPerMinute, a.Opts.LoginPerMinute)
	mux.Handle("GET /login", user.HandleLoginForm(a.Render))
	mux.Handle("POST /login", user.HandleLogin(a.Users, a.Render, loginLimiter, a.Logger))
	mux.Handle("POST /logout", user.HandleLogout(a.Users))

	a.accountRoutes(mux)
	a.geoRoutes(mux)
	a.orgRoutes(mux)
	a.clusterRoutes(mux)
	a.importRoutes(mux)
	a.regionRoutes(mux)
	a.jobRoutes(mux)
	a.mappingDefinitionRoutes(mux)
	a.mappingDatasetRoutes(mux)
	a.mappingExploreRoutes(mux)
	a.indicatorRoutes(mux)
	a.formRoutes(mux)
	a.indicatorResultsRoutes(mux)
	a.indicatorQualityRoutes(mux)
	a.indicatorOverlapRoutes(mux)
	a.indicatorExcelRoutes(mux)
	a.programmeRoutes(mux)
	a.portfolioRoutes(mux)
	a.programmeReviewRoutes(mux)
	a.eventRoutes(mux)
	a.planRoutes(mux)
	a.campaignRoutes(mux)
	a.openRosaRoutes(mux)
	a.implementationRoutes(mux)
}

// page wraps a page handler that needs a signed-in person.
func page(h http.Handler) http.Handler { return user.RequireSignIn(h) }

// api registers an API route and remembers its pattern for the OpenAPI
// completeness test. API handlers answer 401 themselves when needed.
func (a *App) api(mux *http.ServeMux, pattern string, h http.Handler) {
	mux.Handle(pattern, h)
	a.apiPaths = append(a.apiPaths, pattern)
}

func geoJSON() http.Handler {
	body := refdata.GeoJSON()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/geo+json")
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Write(body)
	})
}

// setLanguage remembers the chosen language in a cookie (and on the account
// of a signed-in person) and returns to the page.
func (a *App) setLanguage() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lang := r.PathValue("lang")
		if !i18n.Supported(lang) {
			http.NotFound(w, r)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: i18n.CookieName, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
			SameSite: http.SameSiteLaxMode, HttpOnly: true})
		if actor := user.ActorFrom(r.Context()); actor.UserID != 0 {
			_ = a.Users.SetLocale(r.Context(), actor.UserID, lang)
		}
		next := r.URL.Query().Get("next")
		if next == "" || next[0] != '/' || (len(next) > 1 && (next[1] == '/' || next[1] == '\\')) {
			next = "/"
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
	})
}

func (a *App) healthz(w http.ResponseWriter, r *http.Request) {
	web.JSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz is ready when the database answers and its schema is current.
func (a *App) readyz(w http.ResponseWriter, r *http.Request) {
	if err := a.DB.Ping(r.Context()); err != nil {
		a.Logger.Warn("readyz: database", "err", err)
		web.JSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unreachable"})
		return
	}
	v, err := a.DB.Version(r.Context())
	if err != nil || v != latestVersion() {
		web.JSON(w, http.StatusServiceUnavailable, map[string]any{"status": "migrations pending", "version": v})
		return
	}
	web.JSON(w, http.StatusOK, map[string]any{"status": "ready", "version": v})
}
