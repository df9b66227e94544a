package app

import "net/http"

func (a *App) clusterRoutes(mux *http.ServeMux) {
}
