package app

import "net/http"

func (a *App) accountRoutes(mux *http.ServeMux) {
}
