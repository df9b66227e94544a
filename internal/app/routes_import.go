package app

import "net/http"

func (a *App) importRoutes(mux *http.ServeMux) {
}
