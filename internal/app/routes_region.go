package app

import "net/http"

func (a *App) regionRoutes(mux *http.ServeMux) {
}
