package app

import "net/http"

func (a *App) orgRoutes(mux *http.ServeMux) {
}
