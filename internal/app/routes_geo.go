package app

import "net/http"

func (a *App) geoRoutes(mux *http.ServeMux) {
}
